"""On SQLite one connection writes at a time. The threads of a server process that want to write are served in the
order they asked, each as soon as the one before it commits or rolls back: left to SQLite's busy handler, a waiting
writer sleeps and retries, and the evidence sequencer, which every registrant waits for, kept losing to writers that
retried at a luckier moment. These tests use their own SQLite file, whatever database the suite runs on."""

import contextlib
import threading
import time

import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler

from ipcity.sqlite.base import write_turns


@pytest.fixture
def database(tmp_path, django_db_blocker):
    """Connections to a fresh SQLite file (each thread gets its own), with a table `written`."""
    name = str(tmp_path / "turns.sqlite3")
    handler = ConnectionHandler({"default": {"ENGINE": "ipcity.sqlite", "NAME": name,
                                             "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 5}}})
    with django_db_blocker.unblock():
        with handler["default"].cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("CREATE TABLE written (writer TEXT)")
        yield handler, name
        handler.close_all()


@contextlib.contextmanager
def transaction(handler):
    """What transaction.atomic() does for an outermost block, on this handler's connection."""
    connection = handler["default"]
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    try:
        with connection.cursor() as cursor:
            yield cursor
    except BaseException:
        connection.rollback()
        raise
    else:
        connection.commit()
    finally:
        connection.set_autocommit(True)


def _write(handler, writer: str, *, timeout: float | None = None) -> None:
    connection = handler["default"]
    if timeout is not None:
        connection.settings_dict["OPTIONS"] = {**connection.settings_dict["OPTIONS"], "timeout": timeout}
    try:
        with transaction(handler) as cursor:
            cursor.execute("INSERT INTO written VALUES (%s)", [writer])
    finally:
        connection.close()


def _written(handler) -> list[str]:
    with handler["default"].cursor() as cursor:
        cursor.execute("SELECT writer FROM written ORDER BY rowid")
        return [row[0] for row in cursor.fetchall()]


def _waiting(name: str, count: int) -> None:
    deadline = time.monotonic() + 5
    while len(write_turns(name)._waiting) < count:
        assert time.monotonic() < deadline, f"{count} writers never queued"
        time.sleep(0.005)


def test_writers_kept_waiting_write_in_the_order_they_asked_once_the_writer_before_them_commits(database):
    handler, name = database
    threads = []
    with transaction(handler) as cursor:
        cursor.execute("INSERT INTO written VALUES ('first')")
        for n in range(1, 6):
            thread = threading.Thread(target=_write, args=(handler, f"writer {n}"))
            thread.start()
            threads.append(thread)
            _waiting(name, n)
    for thread in threads:
        thread.join(10)
    assert _written(handler) == ["first", *(f"writer {n}" for n in range(1, 6))]


def test_a_writer_kept_waiting_past_its_timeout_is_told_the_database_is_locked_and_writes_nothing(database):
    handler, name = database
    outcome = []

    def impatient():
        try:
            _write(handler, "impatient", timeout=0.2)
        except OperationalError as exc:
            outcome.append(str(exc))

    with transaction(handler) as cursor:
        cursor.execute("INSERT INTO written VALUES ('first')")
        thread = threading.Thread(target=impatient)
        thread.start()
        thread.join(5)
    assert outcome == ["database is locked"]
    _write(handler, "later")  # the turn the impatient writer gave up is not lost
    assert _written(handler) == ["first", "later"]


def test_a_writer_that_fails_and_rolls_back_hands_its_turn_to_the_next_writer(database):
    handler, name = database
    thread = threading.Thread(target=_write, args=(handler, "next"))
    with pytest.raises(RuntimeError):
        with transaction(handler) as cursor:
            cursor.execute("INSERT INTO written VALUES ('rolled back')")
            thread.start()
            _waiting(name, 1)
            raise RuntimeError("the writer fails mid-transaction")
    thread.join(10)
    assert _written(handler) == ["next"]
