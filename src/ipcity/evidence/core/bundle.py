"""The certificate bundle: everything needed to check a registration offline, without the platform. Its format is
docs/evidence-format.md; `verify_bundle` is the reference verifier and reports every check by name."""

import base64
import hashlib
import json
from dataclasses import dataclass, field

from ipcity.evidence.core import tsa
from ipcity.evidence.core.leaf import (
    HASH_ONLY_KINDS,
    KIND_LABELS,
    Leaf,
    beijing_time,
    canonical_json,
    content_digests,
    submitter_commitment,
)
from ipcity.evidence.core.merkle import leaf_hash, sha256, verify_inclusion
from ipcity.evidence.core.note import Checkpoint, NoteError, Signer, Verifier, verify_note
from ipcity.evidence.core.sm3 import sm3

BUNDLE_VERSION = "ipcity-evidence-bundle/v1"
TLOG_PROOF_VERSION = "c2sp.org/tlog-proof@v1"
SECTIONS = ("leaf", "tlog-proof", "sm3-proof", "timestamp", "keys", "metadata", "seal")
SM3_EXTENSION = "sm3 "
SEAL_CONTEXT = b"ipcity-evidence-bundle-seal/v1\n"  # domain separation: the log key also signs checkpoints


def b64decode(value: str) -> bytes:
    """Strict base64: only the canonical encoding of a value is accepted, so no two texts mean the same bytes."""
    data = base64.b64decode(value, validate=True)
    if base64.b64encode(data).decode() != value:
        raise ValueError(f"非规范的 base64：{value[:24]}")
    return data


def hexdecode(value: str) -> bytes:
    data = bytes.fromhex(value)
    if data.hex() != value:
        raise ValueError(f"十六进制应为小写且无空格：{value[:24]}")
    return data


class BundleError(ValueError):
    pass


@dataclass(frozen=True)
class TrustedKeys:
    """What a verifier pins: the log's Ed25519 and SM2 keys, the witnesses' keys and the TSA root certificate."""

    log: Verifier
    log_sm2: Verifier
    witnesses: tuple[Verifier, ...]
    tsa_root: bytes  # DER

    def lines(self) -> list[str]:
        return [self.log.vkey(), self.log_sm2.vkey(), *(w.vkey() for w in self.witnesses),
                "tsa-root " + base64.b64encode(self.tsa_root).decode()]

    @classmethod
    def from_lines(cls, lines: list[str]) -> "TrustedKeys":
        verifiers, root = [], None
        for line in (ln.strip() for ln in lines):
            if not line:
                continue
            if line.startswith("tsa-root "):
                root = base64.b64decode(line.removeprefix("tsa-root "), validate=True)
            else:
                verifiers.append(Verifier.from_vkey(line))
        by_kind = {kind: [v for v in verifiers if v.kind == kind] for kind in ("ed25519", "sm2", "cosignature")}
        if len(by_kind["ed25519"]) != 1 or len(by_kind["sm2"]) != 1 or not by_kind["cosignature"] or root is None:
            raise BundleError("公钥清单应包含日志的 Ed25519 和 SM2 公钥各一个、至少一个见证人公钥和时间戳根证书")
        return cls(by_kind["ed25519"][0], by_kind["sm2"][0], tuple(by_kind["cosignature"]), root)

    def fingerprint(self) -> str:
        return hashlib.sha256("\n".join(self.lines()).encode()).hexdigest()


@dataclass(frozen=True)
class Bundle:
    leaf: bytes
    index: int
    proof: tuple[bytes, ...]
    checkpoint_note: str  # the signed checkpoint, verbatim
    sm3_proof: tuple[bytes, ...]
    timestamp: bytes  # RFC 3161 token (CMS ContentInfo, DER) over the checkpoint note text
    keys: TrustedKeys
    metadata: dict = field(default_factory=dict)  # the registration's fields; its SHA-256 is the leaf's meta
    submitter: str = ""  # who registered, and the salt of the leaf's submitter commitment
    submitter_salt: bytes = b""
    content_salt: bytes = b""  # for salted registrations: what was prepended to the content before hashing

    def encode(self, sealer: Signer) -> str:
        """The bundle text, sealed with the log's Ed25519 key over everything before the seal."""
        body = self._body()
        seal = sealer.sign_raw(SEAL_CONTEXT + body.encode())
        return body + base64.b64encode(seal).decode() + "\n"

    def _body(self) -> str:
        b64 = lambda data: base64.b64encode(data).decode()  # noqa: E731
        proof = [TLOG_PROOF_VERSION, f"index {self.index}", *(b64(h) for h in self.proof), ""]
        meta = [b64(canonical_json(self.metadata)), f"submitter {b64(self.submitter.encode())}",
                f"submitter-salt {self.submitter_salt.hex()}"]
        if self.content_salt:
            meta.append(f"content-salt {self.content_salt.hex()}")
        parts = [BUNDLE_VERSION, "=== leaf", b64(self.leaf), "=== tlog-proof", *proof, self.checkpoint_note.rstrip("\n"),
                 "=== sm3-proof", *(b64(h) for h in self.sm3_proof), "=== timestamp", b64(self.timestamp),
                 "=== keys", *self.keys.lines(), "=== metadata", *meta, "=== seal"]
        return "\n".join(parts) + "\n"

    @classmethod
    def decode(cls, text: str) -> "Bundle":
        if not text.endswith("\n"):
            raise BundleError("证书包应以换行结束")
        lines = text[:-1].split("\n")
        if not lines or lines[0] != BUNDLE_VERSION:
            raise BundleError(f"不是存证证书包：第一行应为 {BUNDLE_VERSION}")
        sections: dict[str, list[str]] = {}
        current = None
        for line in lines[1:]:
            if line.startswith("=== "):
                current = line[4:]
                if current not in SECTIONS or current in sections:
                    raise BundleError(f"证书包中有未知或重复的部分：{current}")
                sections[current] = []
            elif current is None:
                raise BundleError("证书包格式错误：版本行之后应是“=== leaf”")
            else:
                sections[current].append(line)
        missing = [s for s in SECTIONS if s not in sections]
        if missing:
            raise BundleError("证书包缺少：" + "、".join(missing))
        try:
            return cls._from_sections(sections)
        except (ValueError, IndexError) as exc:
            raise BundleError(f"证书包内容无法解析：{exc}") from None

    @classmethod
    def _from_sections(cls, sections: dict[str, list[str]]) -> "Bundle":
        decode = b64decode
        proof_lines = sections["tlog-proof"]
        if proof_lines[0] != TLOG_PROOF_VERSION or not proof_lines[1].startswith("index "):
            raise BundleError(f"tlog-proof 部分应以 {TLOG_PROOF_VERSION} 和 index 行开头")
        blank = proof_lines.index("", 2)
        index_text = proof_lines[1].removeprefix("index ")
        if not index_text.isdigit() or str(int(index_text)) != index_text:
            raise BundleError("tlog-proof 的 index 不是十进制整数")
        note = "\n".join(proof_lines[blank + 1:]).rstrip("\n") + "\n"
        meta_lines = sections["metadata"]
        metadata = json.loads(decode(meta_lines[0]).decode()) if meta_lines and meta_lines[0] else {}
        fields = dict(line.split(" ", 1) for line in meta_lines[1:] if " " in line)
        return cls(
            leaf=decode(_one(sections["leaf"], "leaf")), index=int(index_text),
            proof=tuple(decode(h) for h in proof_lines[2:blank]), checkpoint_note=note,
            sm3_proof=tuple(decode(h) for h in sections["sm3-proof"] if h),
            timestamp=decode(_one(sections["timestamp"], "timestamp")),
            keys=TrustedKeys.from_lines(sections["keys"]), metadata=metadata,
            submitter=decode(fields.get("submitter", "")).decode(),
            submitter_salt=hexdecode(fields.get("submitter-salt", "")),
            content_salt=hexdecode(fields.get("content-salt", "")))


def _one(lines: list[str], name: str) -> str:
    values = [line for line in lines if line]
    if len(values) != 1:
        raise BundleError(f"{name} 部分应恰好一行")
    return values[0]


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""


KEYS_CHECK = "公钥"
PASSED, UNPINNED, FAILED = "核验通过", "未核验平台公钥", "核验未通过"
HASH_ONLY_NOTE = ("平台从未见过文件内容：只登记了摘要，证书只证明登记人在登记时间提交了这些摘要，"
                  "不证明其持有、创作或拥有该文件")


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    index: int | None = None
    size: int | None = None
    stamped_at: str = ""
    leaf: Leaf | None = None
    pinned: bool = True  # False: checked only against the keys the bundle carries, which anyone can make
    notes: list[str] = field(default_factory=list)  # what the verdict does not prove

    @property
    def ok(self) -> bool:
        """Every check passed against pinned keys: the only result that proves anything."""
        return bool(self.checks) and all(c.ok for c in self.checks)

    @property
    def verdict(self) -> str:
        """核验通过; 未核验平台公钥 when everything else holds but no keys were pinned (a bundle made with anyone's
        own keys would get this far); else 核验未通过."""
        if self.ok:
            return PASSED
        if not self.pinned and self.checks and all(c.ok for c in self.checks if c.name != KEYS_CHECK):
            return UNPINNED
        return FAILED

    def failures(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]


def verify_bundle(text: str, *, trusted: TrustedKeys | None = None, content: bytes | None = None) -> Report:
    """Every check a third party needs, each reported. `trusted` pins the keys (else the other checks use the
    bundle's own keys and the verdict is at best 未核验平台公钥, never 核验通过); `content` is the registered file,
    when the verifier has it."""
    report = Report()

    def check(name: str, test) -> bool:
        try:
            detail = test()
        except (ValueError, KeyError, TypeError) as exc:
            report.checks.append(Check(name, False, str(exc)))
            return False
        report.checks.append(Check(name, True, detail or ""))
        return True

    try:
        bundle = Bundle.decode(text)
    except (BundleError, NoteError, ValueError) as exc:
        report.checks.append(Check("证书包格式", False, str(exc)))
        return report
    keys = trusted or bundle.keys
    report.index = bundle.index

    report.pinned = trusted is not None

    def pinned():
        if trusted is None:
            raise ValueError(f"{UNPINNED}：未指定受信公钥，其余各项只用证书包自带的公钥（指纹 "
                             f"{bundle.keys.fingerprint()}）核对，而任何人都能用自己的密钥做出这样的证书包。"
                             "请指定平台公布的公钥（--keys），或先将此指纹与平台公布的指纹逐位核对")
        if bundle.keys.lines() != trusted.lines():
            raise ValueError("证书包中的公钥与受信公钥不一致")
        return f"与受信公钥一致（指纹 {trusted.fingerprint()[:16]}…）"

    check(KEYS_CHECK, pinned)

    def sealed():
        body, _, seal = text[:-1].rpartition("\n")
        keys.log.verify_raw(b64decode(seal), SEAL_CONTEXT + (body + "\n").encode())
        return "证书包自签发以来未被改动"

    check("证书包封签", sealed)
    leaf_holder = {}

    def leaf_ok():
        leaf_holder["leaf"] = report.leaf = Leaf.decode(bundle.leaf)
        kind, time = KIND_LABELS.get(report.leaf.kind, "其他"), beijing_time(report.leaf.time)
        if report.leaf.kind in HASH_ONLY_KINDS:
            report.notes.append(HASH_ONLY_NOTE)
            return f"{kind}（只登记摘要，平台从未见过文件内容），登记时间 {time}"
        return f"{kind}，登记时间 {time}"

    check("存证记录", leaf_ok)
    checkpoint_holder = {}

    def signatures():
        body, stamps = verify_note(bundle.checkpoint_note, [keys.log, keys.log_sm2, *keys.witnesses])
        checkpoint_holder["cp"] = Checkpoint.parse(body)
        checkpoint_holder["body"] = body
        report.size = checkpoint_holder["cp"].size
        return "日志 Ed25519、SM2 签名及见证人联署签名均有效"

    check("检查点签名", signatures)
    cp = checkpoint_holder.get("cp")
    if cp is not None and "leaf" in leaf_holder:
        check("SHA-256 包含证明", lambda: verify_inclusion(sha256, bundle.index, cp.size,
                                                        leaf_hash(sha256, bundle.leaf), bundle.proof, cp.root))

        def sm3_inclusion():
            roots = [e.removeprefix(SM3_EXTENSION) for e in cp.extensions if e.startswith(SM3_EXTENSION)]
            if len(roots) != 1:
                raise ValueError("检查点中没有 SM3 根哈希")
            verify_inclusion(sm3, bundle.index, cp.size, leaf_hash(sm3, bundle.leaf), bundle.sm3_proof,
                             base64.b64decode(roots[0], validate=True))

        check("SM3 包含证明", sm3_inclusion)

        def stamped():
            moment = tsa.verify_token(bundle.timestamp, checkpoint_holder["body"].encode(), keys.tsa_root)
            report.stamped_at = moment.isoformat()
            return f"检查点盖戳时间 {beijing_time(moment)}"

        check("RFC 3161 时间戳", stamped)
    leaf = leaf_holder.get("leaf")
    if leaf is not None:
        def metadata_ok():
            if hashlib.sha256(canonical_json(bundle.metadata)).hexdigest() != leaf.meta:
                raise ValueError("登记信息与存证记录中的摘要不符")

        check("登记信息", metadata_ok)

        def submitter_ok():
            if submitter_commitment(bundle.submitter, bundle.submitter_salt) != leaf.submitter:
                raise ValueError("登记人与存证记录中的承诺值不符")
            return bundle.submitter

        check("登记人", submitter_ok)
        if content is not None:
            def content_ok():
                digest256, digest_sm3 = content_digests(bundle.content_salt + content)
                if digest256 != leaf.sha256:
                    raise ValueError("文件的 SHA-256 与存证记录不符：文件不是登记时的那一份，或已被改动")
                if digest_sm3 != leaf.sm3:
                    raise ValueError("文件的 SM3 与存证记录不符")
                if leaf.kind in HASH_ONLY_KINDS:
                    return "文件与登记的摘要一致（平台从未见过文件内容）"
                return "文件与登记时一致"

            check("文件内容", content_ok)
    return report

