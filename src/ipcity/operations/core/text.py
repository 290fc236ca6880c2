"""Chinese text to terms for matching: jieba's dictionary segmentation (no HMM guessing, so the same text always
gives the same terms), lower-cased, without punctuation and the words every patent uses."""

import logging
import re
import threading

import jieba

jieba.setLogLevel(logging.WARNING)
_tokenizer = jieba.Tokenizer()
_lock = threading.Lock()

# Words that say nothing about a technology: patent boilerplate and function words.
STOPWORDS = frozenset("""
一种 一个 及其 以及 方法 装置 系统 设备 结构 用于 基于 包括 所述 其中 具有 通过 进行 实现 提供 可以 能够 采用 使用 相关
技术 领域 本发明 发明 实用新型 外观 设计 涉及 特征 在于 一 种 的 和 与 或 及 等 其 该 是 在 对 为 将 中 上 下 由 从 而 并 了
需求 希望 寻求 我们 我司 公司 企业 项目 问题 解决 提高 降低 需要 要求 能力
""".split())
_TOKEN = re.compile(r"^[\w\u4e00-\u9fff]+\Z")


def _ready() -> jieba.Tokenizer:
    with _lock:
        if not _tokenizer.initialized:
            _tokenizer.initialize()
    return _tokenizer


def terms(text: str) -> list[str]:
    tokenizer = _ready()
    out = []
    for token in tokenizer.cut(text.lower(), HMM=False):
        token = token.strip()
        if len(token) < 2 and not token.isascii():
            continue  # single Chinese characters are too ambiguous to match on
        if not token or token in STOPWORDS or not _TOKEN.match(token) or token.isdigit():
            continue
        out.append(token)
    return out
