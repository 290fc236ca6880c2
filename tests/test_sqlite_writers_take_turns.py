"""On SQLite one connection writes at a time. Writers take turns: the threads of a process in the order they asked,
each as soon as the one before it commits or rolls back, and the processes through a lock the kernel hands on the
moment it is released. Left to SQLite's busy handler, a waiting writer sleeps and retries, and the evidence sequencer,
which every registrant waits for, kept losing to writers that retried at a luckier moment. These tests use their own
SQLite file, whatever database the suite runs on."""

import contextlib
import fcntl
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time

import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler

from ipcity.sqlite.base import write_turns


def _handler(name: str, timeout: float = 5) -> ConnectionHandler:
    """Connections to the file (each thread gets its own) as the platform configures them."""
    return ConnectionHandler({"default": {"ENGINE": "ipcity.sqlite", "NAME": name,
                                          "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": timeout}}})


@pytest.fixture
def database(tmp_path, django_db_blocker):
    """A fresh SQLite file in WAL mode with a table `written`; the handler and the file's name."""
    name = str(tmp_path / "turns.sqlite3")
    handler = _handler(name)
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


def _write(handler, writer: str) -> None:
    try:
        with transaction(handler) as cursor:
            cursor.execute("INSERT INTO written VALUES (%s)", [writer])
    finally:
        handler["default"].close()


def _write_in_autocommit(handler, writer: str) -> None:
    try:
        with handler["default"].cursor() as cursor:
            cursor.execute("INSERT INTO written VALUES (%s)", [writer])
    finally:
        handler["default"].close()


def _told_another_writer(name: str, timeout: float) -> list[str]:
    """What a writer of this process with `timeout` was told, writing from a thread of its own: nothing, or the error
    it got. Fails if it is still waiting well past its timeout."""
    told = []

    def write():
        try:
            _write(_handler(name, timeout=timeout), "another writer")
        except OperationalError as exc:
            told.append(str(exc))

    thread = threading.Thread(target=write)
    thread.start()
    thread.join(timeout + 10)
    assert not thread.is_alive(), "the writer waited on past its timeout"
    return told


def _interrupted_while_waiting(turns) -> None:
    """A signal whose handler raises arrives while this thread waits for its turn (a command's Ctrl-C)."""

    def interrupt(signum, frame):
        raise InterruptedError("signal while waiting")

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        with pytest.raises(InterruptedError):
            turns.acquire(5)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _written(handler) -> list[str]:
    with handler["default"].cursor() as cursor:
        cursor.execute("SELECT writer FROM written ORDER BY rowid")
        return [row[0] for row in cursor.fetchall()]


def _waiting(name: str, count: int) -> None:
    deadline = time.monotonic() + 5
    while len(write_turns(name)._waiting) < count:
        assert time.monotonic() < deadline, f"{count} writers never queued for their turn"
        time.sleep(0.005)


def test_writers_kept_waiting_write_in_the_order_they_asked_once_the_writer_before_them_commits(database):
    handler, name = database
    threads = []
    with transaction(handler) as cursor:
        cursor.execute("INSERT INTO written VALUES ('first')")
        for n in range(1, 6):
            write = _write_in_autocommit if n == 3 else _write  # a save() outside a transaction waits its turn too
            thread = threading.Thread(target=write, args=(handler, f"writer {n}"))
            thread.start()
            threads.append(thread)
            _waiting(name, n)
    for thread in threads:
        thread.join(10)
    assert _written(handler) == ["first", *(f"writer {n}" for n in range(1, 6))]


def test_a_writer_kept_waiting_past_its_timeout_is_told_the_database_is_locked_and_writes_nothing(database):
    handler, name = database
    with transaction(handler) as cursor:
        cursor.execute("INSERT INTO written VALUES ('first')")
        assert _told_another_writer(name, timeout=0.2) == ["database is locked"]
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


def test_a_connection_closed_in_the_middle_of_its_transaction_hands_its_turn_to_the_next_writer(database):
    handler, name = database
    thread = threading.Thread(target=_write, args=(handler, "next"))
    connection = handler["default"]
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    connection.cursor().execute("INSERT INTO written VALUES ('lost with its connection')")
    thread.start()
    _waiting(name, 1)
    connection.close()
    thread.join(10)
    assert _written(handler) == ["next"]


def test_a_writer_whose_begin_fails_gives_its_turn_back(database):
    """Another program holding SQLite's lock itself (without taking turns) past the writer's timeout."""
    handler, name = database
    other_program = sqlite3.connect(name, isolation_level=None)
    other_program.execute("BEGIN IMMEDIATE")
    refused = _handler(name, timeout=0.2)
    with pytest.raises(OperationalError, match="database is locked"):
        with transaction(refused) as cursor:  # its connection stays open, as a server thread's does
            cursor.execute("INSERT INTO written VALUES ('refused')")
    other_program.execute("ROLLBACK")
    other_program.close()
    _write(handler, "later")
    refused.close_all()
    assert _written(handler) == ["later"]


def test_a_writer_interrupted_while_it_waits_neither_keeps_nor_loses_the_turn(database):
    handler, name = database
    turns = write_turns(name)
    assert turns.acquire(5)
    _interrupted_while_waiting(turns)
    turns.release()
    _write(handler, "after")  # the interrupted waiter left the queue: the turn came back free
    assert _written(handler) == ["after"]


def test_a_writer_waiting_for_another_process_gives_up_at_its_timeout_and_leaves_the_turn_free(database):
    """Another process keeps its turn (a long import): the writer here is refused at its timeout, as SQLite itself
    would refuse it, rather than waiting as long as the other process writes."""
    handler, name = database
    other_process = os.open(f"{name}-turns", os.O_RDWR | os.O_CREAT)  # a lock of its own, as another process's would be
    fcntl.flock(other_process, fcntl.LOCK_EX)
    try:
        assert _told_another_writer(name, timeout=0.2) == ["database is locked"]
    finally:
        fcntl.flock(other_process, fcntl.LOCK_UN)
        os.close(other_process)
    _write(handler, "later")  # the lock the writer's wait won after it gave up was handed back
    assert _written(handler) == ["later"]


def test_a_writer_with_no_time_to_wait_is_told_the_database_is_locked(database):
    handler, name = database
    with transaction(handler) as cursor:
        cursor.execute("INSERT INTO written VALUES ('first')")
        assert _told_another_writer(name, timeout=0) == ["database is locked"]


def test_a_writer_interrupted_while_another_process_writes_leaves_the_turn_to_whoever_comes_next(database):
    handler, name = database
    _write(handler, "first")  # the turns file exists
    other_process = os.open(f"{name}-turns", os.O_RDONLY)
    fcntl.flock(other_process, fcntl.LOCK_EX)
    _interrupted_while_waiting(write_turns(name))
    try:
        fcntl.flock(other_process, fcntl.LOCK_UN)
        time.sleep(0.2)  # time for this process's waiting thread to take the lock, were it still wanted
        fcntl.flock(other_process, fcntl.LOCK_EX | fcntl.LOCK_NB)  # not kept for a writer who is gone
        assert not write_turns(name).acquire(0.3), "given a turn while the other process writes"
        fcntl.flock(other_process, fcntl.LOCK_UN)
    finally:
        os.close(other_process)
    _write(handler, "after")  # this process's turn came back
    assert _written(handler) == ["first", "after"]


def test_another_account_that_may_write_the_database_may_take_turns_on_it(tmp_path, django_db_blocker):
    """The account that migrated first and the service account that serves: the turns file is as readable as the
    database, whoever made it."""
    name = str(tmp_path / "shared.sqlite3")
    handler = _handler(name)
    previous = os.umask(0o022)
    try:
        with django_db_blocker.unblock():
            with handler["default"].cursor() as cursor:
                cursor.execute("CREATE TABLE written (writer TEXT)")
            os.chmod(name, 0o664)
            _write(handler, "first")
    finally:
        os.umask(previous)
        handler.close_all()
    assert stat.S_IMODE(os.stat(f"{name}-turns").st_mode) == 0o644  # read is all flock needs


OTHER_PROCESS = """
import sys, django
from django.conf import settings
settings.configure(DATABASES={"default": {"ENGINE": "ipcity.sqlite", "NAME": sys.argv[1],
                                          "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 5}}})
django.setup()
from django.db import connection, transaction
for n in range(20):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO written VALUES (%s)", [f"other process {n}"])
"""


def test_a_writer_in_another_process_gets_its_turn_while_this_process_keeps_writing(database):
    """The second worker of a server, or the task worker: SQLite's busy handler alone left such a writer waiting
    seconds on end, and then refused, while the threads of a busy process handed the lock to one another."""
    handler, name = database
    other = subprocess.Popen([sys.executable, "-c", OTHER_PROCESS, name], stderr=subprocess.PIPE, text=True)
    stop = threading.Event()

    def keep_writing(n: int):
        try:
            while not stop.is_set():
                with transaction(handler) as cursor:
                    cursor.execute("INSERT INTO written VALUES (%s)", [f"busy {n}"])
                    time.sleep(0.002)  # a transaction's own work, holding the lock
        finally:
            handler["default"].close()

    busy = [threading.Thread(target=keep_writing, args=(n,)) for n in range(4)]
    for thread in busy:
        thread.start()
    try:
        _, errors = other.communicate(timeout=120)
    finally:
        stop.set()
        for thread in busy:
            thread.join(10)
    assert other.returncode == 0, errors[-500:]
    assert sum(writer.startswith("other process") for writer in _written(handler)) == 20
