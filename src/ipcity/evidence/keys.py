"""The log's keys, the witness's key and the TSA identity, generated on first use and kept in the data folder
(mode 0600), never in the database. Several app servers share them through the data folder."""

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from django.conf import settings

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


def _path() -> Path:
    return Path(settings.DATA_DIR) / "evidence" / "keys.json"


def log_keys() -> LogKeys:
    path = _path()
    with _lock:
        if path not in _loaded:
            _loaded[path] = _read(path) if path.exists() else _create(path)
        return _loaded[path]


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
