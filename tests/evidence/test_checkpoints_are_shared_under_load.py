"""Under load many registrants wait for their certificates at once: a server process seals for them at most every
EVIDENCE_SEAL_MERGE_SECONDS, so the registrations arriving in between share one checkpoint, and a server finding
the waiting registration already sealed by another makes no checkpoint of its own."""

import sqlite3
import time

import pytest
from django.test import override_settings

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
    from django.db import connection

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


def test_a_registrant_whose_registration_this_server_sealed_is_answered_without_reading_it_again(
        people, django_capture_on_commit_callbacks, django_assert_num_queries):
    user = people["enterprise_user"]
    first, waiting = _pending(user, 6), _pending(user, 7)
    with django_capture_on_commit_callbacks(execute=True):
        ledger.seal(first)  # its checkpoint seals every pending registration, `waiting` among them
    with django_assert_num_queries(0):
        ledger.seal(waiting)
    stored = Registration.objects.select_related("checkpoint").get(pk=waiting.pk)
    assert (waiting.index, waiting.checkpoint, waiting.sequenced_at) == \
        (stored.index, stored.checkpoint, stored.sequenced_at)
    assert waiting.checkpoint.size == stored.checkpoint.size == 2


def test_what_this_server_sealed_never_answers_for_another_registration_with_the_same_id(
        people, django_capture_on_commit_callbacks, django_assert_num_queries):
    """After a database is flushed, ids are given again: the remembered seal of the old row must not answer the new."""
    user = people["enterprise_user"]
    sealed = _pending(user, 8)
    with django_capture_on_commit_callbacks(execute=True):
        ledger.sequence_pending()
    same_id = Registration.objects.get(pk=sealed.pk)
    same_id.leaf = bytes(same_id.leaf).replace(b"trade_secret", b"trade_secreT")
    with django_assert_num_queries(1):  # read from the database, not taken from memory
        ledger.seal(same_id)


def test_a_checkpoint_that_failed_before_it_committed_is_not_remembered_as_sealed(
        people, monkeypatch, django_capture_on_commit_callbacks):
    registration = _pending(people["enterprise_user"], 9)

    def audit_down(**kwargs):
        raise RuntimeError("审计写入失败")

    monkeypatch.setattr(ledger, "audit_record", audit_down)  # the batch's last write, after the rows were marked
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        ledger.sequence_pending()
    monkeypatch.undo()
    assert Registration.objects.get(pk=registration.pk).index is None
    with django_capture_on_commit_callbacks(execute=True):
        ledger.seal(registration)  # found still pending, so sealed now: not taken for sealed by the failed batch
    assert registration.index == Registration.objects.get(pk=registration.pk).index == 0
