"""The evidence log: two Merkle trees over the same leaves (SHA-256 for interoperability, SM3 for GM/T), the
checkpoint that commits to both, signed by the log with Ed25519 and SM2; and a witness that cosigns a checkpoint
only after checking it is consistent with the last one it saw."""

import base64
from dataclasses import dataclass, field

from ipcity.evidence.core.bundle import Bundle, TrustedKeys
from ipcity.evidence.core.merkle import MerkleTree, leaf_hash, sha256, verify_consistency
from ipcity.evidence.core.note import Checkpoint, NoteError, Signer, Verifier, split_note, verify_note
from ipcity.evidence.core.sm3 import sm3

SM3_EXTENSION = "sm3 "


class EvidenceLog:
    def __init__(self, origin: str):
        self.origin = origin
        self.sha256_tree = MerkleTree(sha256)
        self.sm3_tree = MerkleTree(sm3)

    @property
    def size(self) -> int:
        return self.sha256_tree.size

    def append(self, leaf: bytes) -> int:
        self.sm3_tree.append_leaf_hash(leaf_hash(sm3, leaf))
        return self.sha256_tree.append_leaf_hash(leaf_hash(sha256, leaf))

    def checkpoint(self, size: int | None = None) -> Checkpoint:
        size = self.size if size is None else size
        sm3_root = base64.b64encode(self.sm3_tree.root(size)).decode()
        return Checkpoint(self.origin, size, self.sha256_tree.root(size), (SM3_EXTENSION + sm3_root,))

    def signed_checkpoint(self, signers: list[Signer], size: int | None = None) -> str:
        text = self.checkpoint(size).text()
        return text + "\n" + "".join(s.signature_line(text) for s in signers)


class WitnessRefused(ValueError):
    pass


@dataclass
class Witness:
    """Cosigns a log's checkpoints (c2sp.org/tlog-cosignature) after verifying the log's signature and, from the
    second checkpoint on, a consistency proof from the last size it cosigned. It never cosigns a fork."""

    signer: Signer
    log_key: Verifier
    latest: dict[str, tuple[int, bytes]] = field(default_factory=dict)  # origin -> (size, root) last cosigned

    def cosign(self, note: str, consistency_proof: list[bytes], timestamp: int) -> str:
        try:
            text, _ = verify_note(note, [self.log_key])
            checkpoint = Checkpoint.parse(text)
        except NoteError as exc:
            raise WitnessRefused(f"检查点无效：{exc}") from None
        previous = self.latest.get(checkpoint.origin)
        if previous is not None and previous[0] > 0:  # from the empty tree anything is consistent
            old_size, old_root = previous
            if checkpoint.size < old_size:
                raise WitnessRefused(f"检查点大小 {checkpoint.size} 小于已联署的 {old_size}")
            try:
                verify_consistency(sha256, old_size, checkpoint.size, old_root, checkpoint.root, consistency_proof)
            except ValueError as exc:
                raise WitnessRefused(f"与已联署的检查点不一致：{exc}") from None
        self.latest[checkpoint.origin] = (checkpoint.size, checkpoint.root)
        return self.signer.signature_line(text, timestamp=timestamp)


def add_signature_lines(note: str, lines: list[str]) -> str:
    split_note(note)  # refuse to extend a malformed note
    return note + "".join(lines)


def bundle_for(log: EvidenceLog, *, index: int, leaf: bytes, checkpoint_note: str, timestamp: bytes,
               keys: TrustedKeys, metadata: dict, submitter: str, submitter_salt: bytes,
               content_salt: bytes = b"") -> Bundle:
    """The certificate bundle of one leaf against a published checkpoint (its size fixes the proofs)."""
    text, _ = split_note(checkpoint_note)
    size = Checkpoint.parse(text).size
    return Bundle(leaf=leaf, index=index, proof=tuple(log.sha256_tree.inclusion_proof(index, size)),
                  checkpoint_note=checkpoint_note, sm3_proof=tuple(log.sm3_tree.inclusion_proof(index, size)),
                  timestamp=timestamp, keys=keys, metadata=metadata, submitter=submitter,
                  submitter_salt=submitter_salt, content_salt=content_salt)
