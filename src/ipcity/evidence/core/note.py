"""C2SP signed notes (c2sp.org/signed-note) and what the log puts in them: checkpoints (c2sp.org/tlog-checkpoint),
Ed25519 log signatures, SM2 signatures over the same text, and timestamped witness cosignatures
(c2sp.org/tlog-cosignature, type 0x04)."""

import base64
import hashlib
import re
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ipcity.evidence.core import sm2

ED25519 = 0x01
COSIGNATURE_V1 = 0x04
EXTENSION = 0xFF
SM2_IDENTIFIER = b"ipcity/sm2-sm3"  # follows 0xff in the key ID input (the spec's longer identifier)
EM_DASH = "\u2014"


class NoteError(ValueError):
    """A note that is malformed or whose signature does not verify, with the reason."""


def key_id(name: str, signature_type: bytes, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + signature_type + public_key).digest()[:4]


@dataclass(frozen=True)
class Verifier:
    """A public key a client trusts: the key name, the signature type bytes and the public key."""

    name: str
    kind: str  # "ed25519", "cosignature", "sm2"
    public_key: bytes

    @property
    def type_bytes(self) -> bytes:
        return {"ed25519": bytes([ED25519]), "cosignature": bytes([COSIGNATURE_V1]),
                "sm2": bytes([EXTENSION]) + SM2_IDENTIFIER}[self.kind]

    @property
    def id(self) -> bytes:
        return key_id(self.name, self.type_bytes, self.public_key)

    def verify_raw(self, signature: bytes, message: bytes) -> None:
        if self.kind == "sm2":
            if not sm2.verify(sm2.public_key_from_bytes(self.public_key), message, signature):
                raise NoteError(f"{self.name} 的 SM2 签名验证失败")
        else:
            _ed25519_verify(self, signature, message)

    def vkey(self) -> str:
        """The verifier key string: <name>+<hex key ID>+<base64(type || public key)>."""
        return f"{self.name}+{self.id.hex()}+{base64.b64encode(self.type_bytes + self.public_key).decode()}"

    @classmethod
    def from_vkey(cls, text: str) -> "Verifier":
        try:
            name, hex_id, encoded = text.strip().split("+", 2)
            raw = base64.b64decode(encoded, validate=True)
        except ValueError:
            raise NoteError(f"无法解析的公钥：{text[:60]}") from None
        if raw[:1] == bytes([ED25519]):
            verifier = cls(name, "ed25519", raw[1:])
        elif raw[:1] == bytes([COSIGNATURE_V1]):
            verifier = cls(name, "cosignature", raw[1:])
        elif raw.startswith(bytes([EXTENSION]) + SM2_IDENTIFIER):
            verifier = cls(name, "sm2", raw[1 + len(SM2_IDENTIFIER):])
        else:
            raise NoteError(f"不支持的签名类型：{raw[:1].hex()}")
        if verifier.id.hex() != hex_id:
            raise NoteError(f"公钥 {name} 的密钥标识与公钥不符")
        return verifier


class Signer:
    """A private key that signs note texts, with the verifier others use to check it."""

    def __init__(self, name: str, kind: str, private):
        self.name, self.kind, self._private = name, kind, private
        if kind in ("ed25519", "cosignature"):
            public = private.public_key().public_bytes_raw()
        elif kind == "sm2":
            self._point = sm2.public_key(private)
            public = sm2.public_key_bytes(self._point)
        else:
            raise ValueError(kind)
        self.verifier = Verifier(name, kind, public)

    @classmethod
    def generate(cls, name: str, kind: str = "ed25519") -> "Signer":
        return cls(name, kind, sm2.generate_private_key() if kind == "sm2" else Ed25519PrivateKey.generate())

    def private_bytes(self) -> bytes:
        if self.kind == "sm2":
            return self._private.to_bytes(32, "big")
        return self._private.private_bytes_raw()

    @classmethod
    def from_private_bytes(cls, name: str, kind: str, data: bytes) -> "Signer":
        private = int.from_bytes(data, "big") if kind == "sm2" else Ed25519PrivateKey.from_private_bytes(data)
        return cls(name, kind, private)

    def sign_raw(self, message: bytes) -> bytes:
        if self.kind == "sm2":
            return sm2.sign(self._private, message, public=self._point)
        return self._private.sign(message)

    def signature_line(self, text: str, timestamp: int | None = None) -> str:
        if self.kind == "cosignature":
            if timestamp is None:
                raise ValueError("a cosignature needs its timestamp")
            raw = struct.pack(">Q", timestamp) + self._private.sign(cosigned_message(text, timestamp))
        elif self.kind == "sm2":
            raw = sm2.sign(self._private, text.encode(), public=self._point)
        else:
            raw = self._private.sign(text.encode())
        return f"{EM_DASH} {self.name} {base64.b64encode(self.verifier.id + raw).decode()}\n"


def cosigned_message(text: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n{text}".encode()


@dataclass(frozen=True)
class SignatureLine:
    name: str
    key_id: bytes
    signature: bytes


_CONTROL_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f]")


def split_note(note: str) -> tuple[str, list[SignatureLine]]:
    """The note text (with its final newline) and its signature lines; NoteError when malformed."""
    if _CONTROL_BUT_NEWLINE.search(note):  # 3 µs for a checkpoint note, where a loop over each character took 31
        raise NoteError("签名文本含有不允许的控制字符")
    cut = note.rfind("\n\n")
    if cut < 0 or not note.endswith("\n"):
        raise NoteError("签名文本格式错误：找不到正文与签名之间的空行")
    text, block = note[:cut + 1], note[cut + 2:]
    lines = []
    for line in block.splitlines():
        prefix = f"{EM_DASH} "
        parts = line[len(prefix):].split(" ") if line.startswith(prefix) else []
        if len(parts) != 2:
            raise NoteError(f"签名行格式错误：{line[:60]}")
        try:
            raw = base64.b64decode(parts[1], validate=True)
        except ValueError:
            raise NoteError(f"签名行不是有效的 base64：{line[:60]}") from None
        if len(raw) < 5:
            raise NoteError("签名过短")
        lines.append(SignatureLine(parts[0], raw[:4], raw[4:]))
    if not lines:
        raise NoteError("没有签名")
    return text, lines


def verify_signature(verifier: Verifier, text: str, line: SignatureLine) -> int | None:
    """Check one signature line made by `verifier`; a cosignature returns its timestamp."""
    if verifier.kind == "ed25519":
        _ed25519_verify(verifier, line.signature, text.encode())
        return None
    if verifier.kind == "cosignature":
        if len(line.signature) != 72:
            raise NoteError(f"见证人 {verifier.name} 的联署签名长度错误")
        timestamp = struct.unpack(">Q", line.signature[:8])[0]
        _ed25519_verify(verifier, line.signature[8:], cosigned_message(text, timestamp))
        return timestamp
    if not sm2.verify(sm2.public_key_from_bytes(verifier.public_key), text.encode(), line.signature):
        raise NoteError(f"{verifier.name} 的 SM2 签名验证失败")
    return None


def _ed25519_verify(verifier: Verifier, signature: bytes, message: bytes) -> None:
    try:
        Ed25519PublicKey.from_public_bytes(verifier.public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        raise NoteError(f"{verifier.name} 的签名验证失败") from None


def verify_note(note: str, required: list[Verifier]) -> tuple[str, dict[str, int | None]]:
    """Verify a note against keys that must all have signed it. Returns the text and, per verifier name, the
    cosignature timestamp (None for plain signatures). Unknown signatures are ignored, as the spec says."""
    text, lines = split_note(note)
    seen: dict[str, int | None] = {}
    for verifier in required:
        line = next((ln for ln in lines if ln.name == verifier.name and ln.key_id == verifier.id), None)
        if line is None:
            raise NoteError(f"缺少 {verifier.name} 的签名")
        seen[verifier.name] = verify_signature(verifier, text, line)
    return text, seen


# ---- checkpoints ----

@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def text(self) -> str:
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode(), *self.extensions]
        return "\n".join(lines) + "\n"

    @classmethod
    def parse(cls, text: str) -> "Checkpoint":
        lines = text.split("\n")
        if len(lines) < 4 or lines[-1] != "" or any(not line for line in lines[:-1]):
            raise NoteError("检查点正文应为至少三行非空文本")
        origin, size, root = lines[0], lines[1], lines[2]
        if not size.isdigit() or (size.startswith("0") and size != "0"):
            raise NoteError(f"检查点的树大小无效：{size}")
        try:
            root_bytes = base64.b64decode(root, validate=True)
        except ValueError:
            raise NoteError("检查点的根哈希不是有效的 base64") from None
        if len(root_bytes) != 32:
            raise NoteError("检查点的根哈希不是32字节")
        return cls(origin, int(size), root_bytes, tuple(lines[3:-1]))
