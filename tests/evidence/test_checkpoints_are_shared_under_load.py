"""Under load many registrants wait for their certificates at once: a server process seals for them at most every
EVIDENCE_SEAL_MERGE_SECONDS, so the registrations arriving in between share one checkpoint, and a server finding
the waiting registration already sealed by another makes no checkpoint of its own."""

import sqlite3
import threading
import time

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from ipcity.evidence import ledger
from ipcity.evidence.models import LogCheckpoint, Registration
from ipcity.evidence.services import registration_create

SECRET = {"title": "配方", "secret_type": "技术信息"}


def _pending(user, n: int) -> Registration:
    registration, _ = registration_create(actor=user, kind="trade_secret", metadata=SECRET, sha256=f"{n:064x}",
                                          sm3=f"{n + 1000:064x}")
    return registration


@pytest.fixture
def just_sealed(monkeypatch):
    """This process made a checkpoint a moment ago; the sleeps it takes are recorded instead of slept."""
    monkeypatch.setattr(ledger, "_last_sealed", time.monotonic())
    slept = []
    monkeypatch.setattr(ledger.time, "sleep", slept.append)
    return slept


@override_settings(EVIDENCE_SEAL_MERGE_SECONDS=0.05)
def test_registrations_arriving_while_a_request_waits_out_the_window_share_its_checkpoint(people, just_sealed,
                                                                                         monkeypatch):
    user = people["enterprise_user"]
    first = _pending(user, 1)
    arriving = []
    monkeypatch.setattr(ledger.time, "sleep", lambda seconds: (just_sealed.append(seconds),
                                                               arriving.append(_pending(user, 2))))
    ledger.seal(first)
    second = Registration.objects.get(pk=arriving[0].pk)
    assert len(just_sealed) == 1 and 0 < just_sealed[0] <= 0.05
    assert first.checkpoint_id is not None and second.checkpoint_id == first.checkpoint_id
    assert LogCheckpoint.objects.count() == 1


@override_settings(EVIDENCE_SEAL_MERGE_SECONDS=0.05)
def test_a_registration_after_a_quiet_spell_is_sealed_without_waiting(people, just_sealed, monkeypatch):
    monkeypatch.setattr(ledger, "_last_sealed", time.monotonic() - 1)
    registration = _pending(people["enterprise_user"], 3)
    ledger.seal(registration)
    assert just_sealed == [] and registration.index is not None


def test_a_sequencer_that_finds_the_waiting_registration_sealed_by_another_server_makes_no_checkpoint(people):
    user = people["enterprise_user"]
    sealed_elsewhere = _pending(user, 4)
    ledger.sequence_pending()
    later = _pending(user, 5)
    assert ledger.sequence_pending(unless_sealed=sealed_elsewhere.pk) is None
    assert LogCheckpoint.objects.count() == 1 and Registration.objects.get(pk=later.pk).index is None


@override_settings(EVIDENCE_RATE_PER_MINUTE=1000)
def test_a_backlog_larger_than_one_statement_can_carry_is_sealed_in_one_checkpoint(people):
    """SQLite before 3.32 takes at most 999 parameters in a statement; a backlog sealed in one too large would fail
    every time, and the log would stop sealing."""
    user = people["enterprise_user"]
    backlog = [_pending(user, 100 + n) for n in range(400)]
    if connection.vendor == "sqlite":
        limit = sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER
        previous = connection.connection.setlimit(limit, 999)
        try:
            checkpoint = ledger.sequence_pending()
        finally:  # the connection serves this worker's later tests
            connection.connection.setlimit(limit, previous)
    else:
        checkpoint = ledger.sequence_pending()
    assert checkpoint.size == 400
    assert sorted(Registration.objects.filter(checkpoint=checkpoint).values_list("index", flat=True)) == \
        list(range(400))
    assert Registration.objects.get(pk=backlog[-1].pk).index == 399


def _waiting_in_another_thread(registration: Registration) -> tuple[threading.Thread, dict]:
    """A registrant's request waiting for `registration`'s certificate behind this server's busy sequencer (the
    caller holds the seal lock); what it was answered and how many queries that took are put in the dict."""
    answer = {}

    def wait_for_certificate():
        try:
            with CaptureQueriesContext(connection) as queries:
                ledger.seal(registration)
            answer.update(index=registration.index, checkpoint_id=registration.checkpoint_id,
                          sequenced_at=registration.sequenced_at, queries=len(queries))
        finally:
            connection.close()

    thread = threading.Thread(target=wait_for_certificate)
    thread.start()
    deadline = time.monotonic() + 10
    while (registration.pk, bytes(registration.leaf)) not in ledger._awaited:
        assert time.monotonic() < deadline, "the registrant never started waiting"
        time.sleep(0.01)
    return thread, answer


def _stored(registration: Registration) -> dict:
    row = Registration.objects.get(pk=registration.pk)
    return {"index": row.index, "checkpoint_id": row.checkpoint_id, "sequenced_at": row.sequenced_at}


@pytest.mark.django_db(transaction=True)
def test_a_registrant_waiting_while_this_server_seals_is_answered_without_reading_its_registration_again(people):
    waiting = _pending(people["enterprise_user"], 6)
    with ledger._seal_lock:  # this server's sequencer is busy: the registrant waits behind it
        thread, answer = _waiting_in_another_thread(waiting)
        checkpoint = ledger.sequence_pending()
    thread.join(10)
    assert answer.pop("queries") == 0
    assert answer == _stored(waiting) and answer["checkpoint_id"] == checkpoint.pk
    assert ledger._awaited == {} and ledger._sealed_here == {}  # nothing kept once nobody waits


@pytest.mark.django_db(transaction=True)
def test_registrants_waiting_here_whom_another_server_sealed_are_answered_by_one_query_between_them(people,
                                                                                                   monkeypatch):
    user = people["enterprise_user"]
    waiting = [_pending(user, 20), _pending(user, 21), _pending(user, 22)]
    with ledger._seal_lock:
        waiters = [_waiting_in_another_thread(registration) for registration in waiting]
        with monkeypatch.context() as another_server:  # its checkpoint tells nobody here
            another_server.setattr(ledger, "_remember_sealed", lambda *args: None)
            checkpoint = ledger.sequence_pending()
    answers = []
    for thread, answer in waiters:
        thread.join(10)
        answers.append(answer)
    assert sum(answer.pop("queries") for answer in answers) == 1
    assert answers == [_stored(registration) for registration in waiting]
    assert {answer["checkpoint_id"] for answer in answers} == {checkpoint.pk}
    assert ledger._awaited == {} and ledger._sealed_here == {}


class _SealLockOpenedLater:
    """The seal lock, which other threads may take only once `opened` is set."""

    def __init__(self, lock):
        self.lock, self.owner, self.opened = lock, threading.get_ident(), threading.Event()

    def __enter__(self):
        if threading.get_ident() != self.owner:
            self.opened.wait(10)
        return self.lock.__enter__()

    def __exit__(self, *exc):
        return self.lock.__exit__(*exc)


@pytest.mark.django_db(transaction=True)
def test_sealing_inside_a_transaction_that_rolls_back_answers_no_other_registrant_with_its_checkpoint(people,
                                                                                                     monkeypatch):
    """What a transaction has not committed is nobody else's answer: a registrant waiting here is sealed by a
    checkpoint that exists."""
    user = people["enterprise_user"]
    mine, theirs = _pending(user, 60), _pending(user, 61)
    seal_lock = _SealLockOpenedLater(ledger._seal_lock)
    monkeypatch.setattr(ledger, "_seal_lock", seal_lock)
    thread, answer = _waiting_in_another_thread(theirs)
    with transaction.atomic():  # a command, or a request under ATOMIC_REQUESTS, sealing inside its own transaction
        ledger.sequence_pending()  # seals both, uncommitted
        ledger.seal(mine)
        assert mine.index is not None
        transaction.set_rollback(True)
    seal_lock.opened.set()
    thread.join(10)
    answer.pop("queries")
    assert answer == _stored(theirs) and answer["index"] is not None
    assert LogCheckpoint.objects.filter(pk=answer["checkpoint_id"]).exists()


@pytest.mark.django_db(transaction=True)
def test_what_this_server_sealed_never_answers_for_another_registration_with_the_same_id(people):
    """After a database is flushed, ids are given again: a registrant waiting for the old row must not be answered
    with the seal of the new one."""
    sealed = _pending(people["enterprise_user"], 8)
    same_id = Registration.objects.get(pk=sealed.pk)
    same_id.leaf = bytes(same_id.leaf).replace(b"trade_secret", b"trade_secreT")
    with ledger._seal_lock:
        thread, answer = _waiting_in_another_thread(same_id)
        ledger.sequence_pending()
    thread.join(10)
    assert answer["queries"] >= 1  # read from the database, not taken from what was sealed for the other leaf


@pytest.mark.django_db(transaction=True)
def test_a_checkpoint_that_failed_before_it_committed_does_not_answer_the_registrant_waiting_for_it(people,
                                                                                                    monkeypatch):
    waiting = _pending(people["enterprise_user"], 9)

    def audit_down(**kwargs):
        raise RuntimeError("审计写入失败")

    with ledger._seal_lock:
        thread, answer = _waiting_in_another_thread(waiting)
        monkeypatch.setattr(ledger, "audit_record", audit_down)  # the batch's last write, after the rows were marked
        with pytest.raises(RuntimeError):
            ledger.sequence_pending()
        monkeypatch.undo()
    thread.join(10)
    answer.pop("queries")
    assert answer == _stored(waiting) and answer["index"] == 0  # sealed by the registrant's own request, afterwards


def test_checkpoints_nobody_here_waits_for_leave_nothing_in_memory(people, django_capture_on_commit_callbacks):
    user = people["enterprise_user"]
    for n in range(10, 13):
        _pending(user, n)
    with django_capture_on_commit_callbacks(execute=True) as committed:
        ledger.sequence_pending()
    assert len(committed) == 1 and ledger._sealed_here == {}
