"""The log's keys, the witness's key and the TSA identity, kept in the data folder (mode 0600), never in the
database. Several app servers share them through the data folder. Production makes them only when asked
(`ipcity evidence keys init`, keys_init); development and tests make them on first use."""

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ipcity import clock
from ipcity.evidence.core.bundle import TrustedKeys
from ipcity.evidence.core.note import Signer
from ipcity.evidence.core.tsa import TsaIdentity

_lock = threading.Lock()
_loaded: dict[Path, "LogKeys"] = {}


@dataclass(frozen=True)
class LogKeys:
    origin: str
    log: Signer
    log_sm2: Signer
    witness: Signer
    tsa: TsaIdentity

    @property
    def trusted(self) -> TrustedKeys:
        return TrustedKeys(self.log.verifier, self.log_sm2.verifier, (self.witness.verifier,),
                           self.tsa.root_cert.public_bytes(serialization.Encoding.DER))

    def public_text(self) -> str:
        """What the platform publishes and a verifier pins (`ipcity evidence verify --keys`)."""
        return "\n".join(self.trusted.lines()) + "\n"


class KeysMissing(ImproperlyConfigured):
    def __init__(self, path: Path):
        super().__init__(f"存证签名密钥不存在（{path}）：请先运行 ipcity evidence keys init 生成（只需一次，并与数据库一同备份）")


def keys_path() -> Path:
    return Path(settings.DATA_DIR) / "evidence" / "keys.json"


def log_keys() -> LogKeys:
    path = keys_path()
    with _lock:
        if path not in _loaded:
            if path.exists():
                _loaded[path] = _read(path)
            elif settings.EVIDENCE_KEYS_ON_FIRST_USE:
                _loaded[path] = _create(path)
            else:
                raise KeysMissing(path)
        return _loaded[path]


def keys_init() -> bool:
    """Make the keys unless they exist; True when they were made now. Never replaces existing keys: every
    certificate issued so far is signed with them."""
    path = keys_path()
    with _lock:
        if path.exists():
            return False
        _loaded[path] = _create(path)
        return True


def _create(path: Path) -> LogKeys:
    origin, witness_name = settings.EVIDENCE_ORIGIN, settings.EVIDENCE_WITNESS_NAME
    keys = LogKeys(origin, Signer.generate(origin, "ed25519"), Signer.generate(origin, "sm2"),
                   Signer.generate(witness_name, "cosignature"),
                   TsaIdentity.generate(settings.EVIDENCE_TSA_ORGANIZATION, clock.now()))
    data = {"origin": origin, "witness": witness_name, "log": keys.log.private_bytes().hex(),
            "log_sm2": keys.log_sm2.private_bytes().hex(), "witness_key": keys.witness.private_bytes().hex(),
            "tsa": keys.tsa.to_pem().decode()}
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # O_EXCL: if another process created the keys first, use theirs
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path)
    with os.fdopen(fd, "w") as handle:
        json.dump(data, handle)
        handle.flush()
        os.fsync(handle.fileno())
    return keys


def _read(path: Path) -> LogKeys:
    data = json.loads(path.read_text())
    origin = data["origin"]
    return LogKeys(origin, Signer.from_private_bytes(origin, "ed25519", bytes.fromhex(data["log"])),
                   Signer.from_private_bytes(origin, "sm2", bytes.fromhex(data["log_sm2"])),
                   Signer.from_private_bytes(data["witness"], "cosignature", bytes.fromhex(data["witness_key"])),
                   TsaIdentity.from_pem(data["tsa"].encode()))
