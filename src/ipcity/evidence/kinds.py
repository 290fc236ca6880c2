"""The kinds of registration the evidence platforms of task 9 offer, and the fields each asks for."""

import datetime as dt
import re
from dataclasses import dataclass

from ipcity.evidence.core.leaf import HASH_ONLY_KINDS, KIND_LABELS

EARLIEST_DATE = dt.date(1900, 1, 1)
TITLE_FIELDS = ("title", "dataset_name")  # the first one a kind has names the registration
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")

@dataclass(frozen=True)
class Field:
    name: str
    label: str
    required: bool = True
    choices: tuple[str, ...] = ()

    @property
    def is_date(self) -> bool:
        return self.name.endswith("_on")

    @property
    def max_length(self) -> int:
        """A registration's title (its name field) fits Registration.title; other fields hold up to 500."""
        return 200 if self.name in TITLE_FIELDS else 500


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    platform: str  # which of the plan's evidence platforms it belongs to
    fields: tuple[Field, ...]
    hash_only: bool = False  # the content never leaves the user's machine; only such kinds register bare digests


KINDS = {k.code: k for k in (
    Kind("electronic_data", "电子数据存证", "电子数据存证中心（津证云）", (
        Field("title", "存证名称"), Field("source_type", "数据类型", choices=("网页", "聊天记录", "电子邮件", "其他")),
        Field("source", "来源（网址、账号或邮箱）"), Field("captured_on", "取证日期"))),
    Kind("data_ip", "数据知识产权存证", "数据知识产权存证平台", (
        Field("dataset_name", "数据集名称"), Field("source", "数据来源"), Field("collection_rules", "采集规则"),
        Field("scale", "数据规模"), Field("update_frequency", "更新频率"))),
    Kind("research_result", "科研成果存证", "高校科研创新成果存证平台", (
        Field("title", "成果名称"), Field("institution", "高校或科研院所"), Field("project", "所属项目"),
        Field("researchers", "研究人员"))),
    Kind("copyright_work", "版权作品存证", "版权保护中心", (
        Field("title", "作品名称"), Field("work_type", "作品类型",
                                       choices=("文字", "美术", "摄影", "音乐", "视听", "计算机软件", "图形", "其他")),
        Field("author", "作者"), Field("completed_on", "创作完成日期"))),
    Kind("trade_secret", "商业秘密存证", "商业秘密保护基地", (
        Field("title", "秘密名称（不要写入秘密内容）"), Field("secret_type", "秘密类型", choices=("技术信息", "经营信息")),
    ), hash_only=True),
    Kind("notarization", "互联网公证申请", "电子数据存证中心（津证云）", (
        Field("title", "申请事项"), Field("notary", "公证机构"), Field("purpose", "公证用途"))),
)}


if {k.code for k in KINDS.values() if k.hash_only} != HASH_ONLY_KINDS:  # the offline verifier reads the leaf's kind
    raise RuntimeError("kinds.py and core/leaf.py HASH_ONLY_KINDS disagree on which kinds are registered by digest")
if {k.code: k.label for k in KINDS.values()} != KIND_LABELS:  # the offline verifier names the leaf's kind
    raise RuntimeError("kinds.py and core/leaf.py KIND_LABELS disagree on what a kind is called")


def date_problem(label: str, value: str, *, today: dt.date) -> str | None:
    """A date field holds a real calendar date, written YYYY-MM-DD, between 1900-01-01 and today."""
    try:
        day = dt.date.fromisoformat(value) if _ISO_DATE.match(value) else None
    except ValueError:
        day = None
    if day is None:
        return f"{label}应为真实存在的日期，写作 年-月-日（如 2026-03-01），实际为“{value[:40]}”"
    if not EARLIEST_DATE <= day <= today:
        return f"{label}应在 {EARLIEST_DATE:%Y-%m-%d} 至今天（{today:%Y-%m-%d}）之间，实际为 {value}"
    return None


def metadata_problems(kind: str, metadata: dict, *, today: dt.date) -> dict[str, list[str]]:
    """Field name → problems, for the kind's fields; unknown fields are refused so nothing unseen is committed."""
    spec = KINDS.get(kind)
    if spec is None:
        return {"kind": [f"未知的存证类型：{kind}"]}
    problems: dict[str, list[str]] = {}
    known = {f.name for f in spec.fields}
    for name in metadata:
        if name not in known:
            problems.setdefault(name, []).append(f"“{spec.label}”没有这一项")
    for field in spec.fields:
        value = str(metadata.get(field.name, "")).strip()
        if field.required and not value:
            problems.setdefault(field.name, []).append(f"请填写{field.label}")
        elif field.choices and value and value not in field.choices:
            problems.setdefault(field.name, []).append(f"{field.label}应为：{'、'.join(field.choices)}")
        elif len(value) > field.max_length:
            problems.setdefault(field.name, []).append(f"{field.label}不超过{field.max_length}字")
        elif field.is_date and value and (problem := date_problem(field.label, value, today=today)):
            problems.setdefault(field.name, []).append(problem)
    return problems
