"""The sequencer and the log's published state. One sequencer at a time (a row lock on SequencerState, which
serializes app servers on PostgreSQL; SQLite's IMMEDIATE transactions do the same) takes every pending
registration, appends it to both trees, signs, cosigns and stamps a checkpoint, and commits it all at once: a crash
at any moment leaves either the whole batch published or none of it, and pending rows are already durable."""

import base64
import collections
import contextlib
import math
import os
import sys
import threading
import time

from django.conf import settings
from django.db import transaction

from ipcity import clock
from ipcity.accounts.system import system_actor
from ipcity.audit.services import audit_record
from ipcity.evidence.core import tsa
from ipcity.evidence.core.log import EvidenceLog, Witness, WitnessRefused, bundle_for
from ipcity.evidence.core.note import split_note
from ipcity.evidence.keys import log_keys
from ipcity.evidence.models import LogCheckpoint, Registration, SequencerState, WitnessState

_tree_lock = threading.RLock()
_tree: EvidenceLog | None = None


def log_tree(size: int) -> EvidenceLog:
    """This process's copy of the trees, holding exactly the first `size` leaves (extended from the database, or
    rebuilt if it ran ahead of what was committed)."""
    global _tree
    with _tree_lock:
        if _tree is None or _tree.size > size or _tree.origin != log_keys().origin:
            _tree = EvidenceLog(log_keys().origin)
        if _tree.size < size:
            leaves = (Registration.objects.filter(index__gte=_tree.size, index__lt=size).order_by("index")
                      .values_list("index", "leaf"))
            for index, leaf in leaves.iterator(chunk_size=5000):
                if index != _tree.size:
                    raise RuntimeError(f"log is missing leaf {_tree.size}")
                _tree.append(bytes(leaf))
        return _tree


def forget_tree() -> None:
    global _tree
    with _tree_lock:
        _tree = None


def _crash_point() -> None:
    """A pause for the crash test to kill the process mid-batch (set only by that test)."""
    pause = float(os.environ.get("IPCITY_EVIDENCE_TEST_PAUSE", "0") or 0)
    if pause:
        print("sequencer: batch assigned, not yet committed", file=sys.stderr, flush=True)
        time.sleep(pause)


def sequence_pending(*, limit: int = 50_000, unless_sealed: int | None = None) -> LogCheckpoint | None:
    """Seal every pending registration (up to `limit`) into a new checkpoint; None when nothing is pending, or when
    the registration `unless_sealed` names was sealed by the time this sequencer held the lock."""
    with _tree_lock:
        try:
            return _sequence(limit, unless_sealed)
        except BaseException:
            forget_tree()
            raise


_seal_lock = threading.Lock()
_last_sealed = -math.inf  # when this process last made a checkpoint for a waiting request (time.monotonic)

# What was sealed for the requests waiting here: (registration id, leaf) -> (index, checkpoint). This process's
# checkpoints put theirs in once they commit; the first waiter to find its own sealed by another server's checkpoint
# reads that for every registration waited on here, in one query. A waiting request takes its own entry and needs no
# query of its own. Entries are made only for registrations awaited at that moment and go when their last waiter does,
# so what is held never outlives the wait (a database restored later cannot meet an old entry) nor grows with what
# nobody here waits for. The leaf in the key (its submitter commitment is salted at random) keeps an entry from
# answering for another registration given the same id after a database is flushed.
_awaited: collections.Counter[tuple[int, bytes]] = collections.Counter()
_sealed_here: dict[tuple[int, bytes], tuple[int, LogCheckpoint]] = {}
_sealed_here_lock = threading.Lock()


def _remember_sealed(sealed: list[Registration], checkpoint: LogCheckpoint) -> None:
    with _sealed_here_lock:
        for row in sealed:
            key = (row.pk, bytes(row.leaf))
            if key in _awaited:
                _sealed_here[key] = (row.index, checkpoint)


@contextlib.contextmanager
def _awaiting(key: tuple[int, bytes]):
    with _sealed_here_lock:
        _awaited[key] += 1
    try:
        yield
    finally:
        with _sealed_here_lock:
            _awaited[key] -= 1
            if not _awaited[key]:
                del _awaited[key]
                _sealed_here.pop(key, None)


def _read_sealed_elsewhere() -> None:
    """Under load, a registrant whose registration another server's checkpoint sealed is rarely alone: with two servers
    about half of those waiting here are. One query answers them all, rather than one each behind the seal lock."""
    with _sealed_here_lock:
        waiting = {key for key in _awaited if key not in _sealed_here}
    if not waiting:
        return
    sealed = (Registration.objects.filter(pk__in={pk for pk, _ in waiting}, index__isnull=False)
              .select_related("checkpoint").only("id", "leaf", "index", "checkpoint"))
    with _sealed_here_lock:
        for row in sealed:
            key = (row.pk, bytes(row.leaf))
            if key in waiting and key in _awaited:
                _sealed_here[key] = (row.index, row.checkpoint)


def _take_sealed(registration: Registration, key: tuple[int, bytes]) -> bool:
    """Whether what was sealed for the requests waiting here holds `registration`; if so its index and checkpoint are
    set on it."""
    with _sealed_here_lock:
        found = _sealed_here.get(key)
    if found is None:
        return False
    registration.index, registration.checkpoint = found
    registration.sequenced_at = registration.checkpoint.created_at
    return True


def seal(registration: Registration) -> None:
    """Return once `registration` is sealed, sealing it if no one else has. The first waiting request of a process
    seals every pending registration, its own among them; under load it first lets EVIDENCE_SEAL_MERGE_SECONDS pass
    since the process's last checkpoint, so that the registrations arriving meanwhile share one (one set of
    signatures and one timestamp for many: without the wait nearly every registration had a checkpoint of its own).
    A registration arriving after a quiet spell is sealed at once."""
    global _last_sealed
    key = (registration.pk, bytes(registration.leaf))

    def answered() -> bool:
        # Under load nearly every request finds its registration sealed by a checkpoint made while it waited here:
        # this process's (no query), or another server's (one query for all who wait here).
        if _take_sealed(registration, key):
            return True
        if transaction.get_connection().in_atomic_block:
            # Sealing inside the caller's transaction: what it reads is not committed, so it answers only the caller.
            registration.refresh_from_db(from_queryset=Registration.objects.select_related("checkpoint"))
            return registration.index is not None
        _read_sealed_elsewhere()
        return _take_sealed(registration, key)

    with _awaiting(key):
        with _seal_lock:
            if answered():
                return
            wait = _last_sealed + settings.EVIDENCE_SEAL_MERGE_SECONDS - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            sequence_pending(unless_sealed=registration.pk)
            _last_sealed = time.monotonic()
        answered()  # sealed now, unless beyond the checkpoint's limit: then still pending, for the worker to seal


@transaction.atomic
def _sequence(limit: int, unless_sealed: int | None = None) -> LogCheckpoint | None:
    # The row is made by the migration; a flushed database (ipcity demo --reset) gets it back here.
    state = SequencerState.objects.select_for_update().filter(pk=1).first() or SequencerState.objects.create(pk=1)
    pending = list(Registration.objects.filter(index__isnull=True).order_by("id").only("leaf")[:limit])
    if not pending:
        return None
    if unless_sealed is not None and len(pending) < limit and all(row.pk != unless_sealed for row in pending):
        return None  # another server's checkpoint, made while this one waited for the lock, holds it
    keys = log_keys()
    tree = log_tree(state.size)
    now = clock.now()
    for registration in pending:
        registration.index = tree.append(bytes(registration.leaf))
    _crash_point()
    note = tree.signed_checkpoint([keys.log, keys.log_sm2])
    note += _cosign(keys, tree, note, state.size, int(now.timestamp()))
    text, _ = split_note(note)
    token = _stamp(keys, text.encode(), now)
    checkpoint = LogCheckpoint.objects.create(
        size=tree.size, root_sha256=tree.sha256_tree.root().hex(), root_sm3=tree.sm3_tree.root().hex(), note=note,
        timestamp=token, created_at=now)
    Registration.objects.mark_sealed(pending, checkpoint=checkpoint, at=now)
    transaction.on_commit(lambda: _remember_sealed(pending, checkpoint))
    state.size = tree.size
    state.save(update_fields=["size"])
    audit_record(actor=system_actor(), action="evidence.checkpoint.publish", obj=checkpoint,
                 after={"size": checkpoint.size, "root": checkpoint.root_sha256, "entries": len(pending)})
    return checkpoint


def _cosign(keys, tree: EvidenceLog, note: str, previous_size: int, timestamp: int) -> str:
    """The built-in witness (in a deployment, run by a court or a notary office with its own key) remembers what
    it cosigned and checks the consistency proof from there before it cosigns again."""
    witness = Witness(keys.witness, keys.log.verifier)
    row = WitnessState.objects.select_for_update().filter(origin=keys.origin).first()
    if row is not None:
        witness.latest[keys.origin] = (row.size, bytes(row.root))
    seen = row.size if row is not None else 0
    proof = tree.sha256_tree.consistency_proof(seen, tree.size) if 0 < seen < tree.size else []
    try:
        line = witness.cosign(note, proof, timestamp)
    except WitnessRefused:
        raise RuntimeError("见证人拒绝联署：日志与已联署的检查点不一致") from None
    size, root = witness.latest[keys.origin]
    if row is None:
        WitnessState.objects.create(origin=keys.origin, size=size, root=root)
    else:  # the row this transaction locked above
        row.size, row.root = size, root
        row.save(update_fields=["size", "root"])
    return line


def _stamp(keys, data: bytes, now) -> bytes:
    if settings.EVIDENCE_TSA_URL:
        return tsa.request_external(settings.EVIDENCE_TSA_URL, data)
    return tsa.issue_token(keys.tsa, data, now)


def published_size() -> int:
    return SequencerState.objects.filter(pk=1).values_list("size", flat=True).first() or 0


def latest_checkpoint() -> LogCheckpoint | None:
    return LogCheckpoint.objects.order_by("-size").first()


def bundle_text(registration: Registration) -> str:
    """The registration's certificate bundle against the checkpoint that sealed it."""
    if registration.index is None or registration.checkpoint_id is None:
        raise ValueError("尚未上链：证书将在一秒内生成")
    checkpoint = registration.checkpoint
    keys = log_keys()
    tree = log_tree(published_size())
    organization = registration.organization
    bundle = bundle_for(tree, index=registration.index, leaf=bytes(registration.leaf), checkpoint_note=checkpoint.note,
                        timestamp=bytes(checkpoint.timestamp), keys=keys.trusted, metadata=registration.metadata,
                        submitter=submitter_identity(organization), submitter_salt=bytes(registration.submitter_salt),
                        content_salt=bytes(registration.content_salt))
    return bundle.encode(keys.log)


def submitter_identity(organization) -> str:
    return f"{organization.name}（{organization.credit_code or f'机构{organization.pk}'}）"


def root_b64(hex_root: str) -> str:
    return base64.b64encode(bytes.fromhex(hex_root)).decode()
