"""The canonical leaf record: what the log commits to for one registration. Plain UTF-8 lines in a fixed order,
so a third party can rebuild and hash it from docs/evidence-format.md alone."""

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass

from ipcity.evidence.core.sm3 import sm3

LEAF_VERSION = "ipcity-evidence/v1"
KINDS = ("electronic_data", "data_ip", "research_result", "copyright_work", "trade_secret", "notarization")
# What a person calls each kind (the leaf holds the code); kinds.py holds the same names and checks they agree.
KIND_LABELS = {"electronic_data": "电子数据存证", "data_ip": "数据知识产权存证", "research_result": "科研成果存证",
               "copyright_work": "版权作品存证", "trade_secret": "商业秘密存证", "notarization": "互联网公证申请"}
BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")
# Kinds registered by their digests only: the platform never sees the content, so a certificate of such a kind proves
# that the submitter registered the digests at that time, not that it held the file. No other kind may be registered
# without its file.
HASH_ONLY_KINDS = frozenset({"trade_secret"})
HEX64 = re.compile(r"^[0-9a-f]{64}\Z")  # a SHA-256 or SM3 digest as the log writes it
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\Z")


class LeafError(ValueError):
    pass


def canonical_json(value) -> bytes:
    """Sorted keys, no spaces, UTF-8 (not \\u escapes): the one byte string a metadata dict hashes to."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def submitter_commitment(identity: str, salt: bytes) -> str:
    """Hides who registered from the public log while letting the holder of the salt prove it."""
    return hashlib.sha256(b"ipcity-submitter/v1\n" + identity.encode() + b"\n" + salt).hexdigest()


def content_digests(data: bytes) -> tuple[str, str]:
    return hashlib.sha256(data).hexdigest(), sm3(data).hex()


def format_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def beijing_time(moment: dt.datetime | str) -> str:
    """A moment as a person in 南开 reads it: 2026-11-28 18:00:00（北京时间）; a leaf's UTC time text is read first."""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment.replace("Z", "+00:00"))
    return f"{moment.astimezone(BEIJING):%Y-%m-%d %H:%M:%S}（北京时间）"


@dataclass(frozen=True)
class Leaf:
    kind: str
    time: str  # UTC, millisecond precision: 2026-11-28T10:00:00.123Z
    submitter: str  # submitter_commitment(...)
    sha256: str  # of the registered bytes (salt || content when salted)
    sm3: str
    salted: bool
    meta: str  # SHA-256 of canonical_json(metadata)

    def encode(self) -> bytes:
        return (f"{LEAF_VERSION}\nkind {self.kind}\ntime {self.time}\nsubmitter {self.submitter}\n"
                f"sha256 {self.sha256}\nsm3 {self.sm3}\nsalted {int(self.salted)}\nmeta {self.meta}\n").encode()

    @classmethod
    def decode(cls, data: bytes) -> "Leaf":
        try:
            lines = data.decode().split("\n")
        except UnicodeDecodeError:
            raise LeafError("存证记录不是 UTF-8 文本") from None
        names = ["kind", "time", "submitter", "sha256", "sm3", "salted", "meta"]
        if len(lines) != len(names) + 2 or lines[0] != LEAF_VERSION or lines[-1] != "":
            raise LeafError(f"存证记录格式错误：应以 {LEAF_VERSION} 开头，共 {len(names) + 1} 行")
        values = {}
        for name, line in zip(names, lines[1:-1], strict=True):
            prefix = f"{name} "
            if not line.startswith(prefix):
                raise LeafError(f"存证记录第 {len(values) + 2} 行应为“{name}”")
            values[name] = line[len(prefix):]
        leaf = cls(kind=values["kind"], time=values["time"], submitter=values["submitter"], sha256=values["sha256"],
                   sm3=values["sm3"], salted=values["salted"] == "1", meta=values["meta"])
        problem = leaf.problem()
        if problem or values["salted"] not in ("0", "1"):
            raise LeafError(problem or "salted 应为 0 或 1")
        return leaf

    def problem(self) -> str | None:
        if self.kind not in KINDS:
            return f"未知的存证类型：{self.kind}"
        if not _TIME.match(self.time):
            return f"时间格式错误：{self.time}"
        for name in ("submitter", "sha256", "sm3", "meta"):
            if not HEX64.match(getattr(self, name)):
                return f"{name} 应为64位小写十六进制"
        return None
