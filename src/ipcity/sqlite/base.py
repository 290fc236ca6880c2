"""SQLite whose writers take turns. SQLite lets one connection write at a time; a connection that finds the lock taken
sleeps and retries with growing pauses (sqlite3's busy handler: up to 100 ms a try), so under load a waiting writer
keeps losing to the writers that happen to retry at the right moment. The evidence sequencer, which every
registrant's request waits for, was among them: its checkpoints came late and the requests queued behind it.

Here a writer first takes its turn (WriteTurns): the threads of a process are served in the order they asked, and
the processes (the server's workers, the task worker, a command) through a lock on a file beside the database,
which the kernel gives to a waiting process the moment it is released. A transaction takes its turn before BEGIN and
gives it up when it commits, rolls back or closes; a write outside a transaction (a save() in autocommit) takes one
for its statement. SQLite's own lock still serializes every write and keeps it correct: the turns only decide who
goes next. In-memory databases, private to their process, take no turns."""

import collections
import contextlib
import os
import re
import threading
import time

from django.db.backends.sqlite3 import base

try:
    import fcntl
except ImportError:  # not a POSIX system: the threads of a process still take turns
    fcntl = None

_WRITE = re.compile(r"\s*(?:INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


class WriteTurns:
    """Whose turn it is to write to one database file. Not owned by a thread: a connection takes the turn when its
    transaction begins and gives it up when the transaction ends, whichever thread that is."""

    def __init__(self, path: str):
        self._mutex = threading.Lock()
        self._waiting: collections.deque[threading.Lock] = collections.deque()
        self._held = False
        self._between_processes = ProcessTurn(f"{path}-turns") if fcntl else None

    def acquire(self, timeout: float) -> bool:
        """True once it is this caller's turn; False if it did not come within `timeout` seconds (from this process's
        other writers, and then from the other processes')."""
        deadline = time.monotonic() + min(timeout, threading.TIMEOUT_MAX)
        if not self._acquire_in_process(deadline - time.monotonic()):
            return False
        try:
            if self._between_processes is None or self._between_processes.acquire(deadline - time.monotonic()):
                return True
        except BaseException:
            self._hand_over()
            raise
        self._hand_over()
        return False

    def release(self) -> None:
        if self._between_processes is not None:
            self._between_processes.release()
        self._hand_over()

    def _acquire_in_process(self, timeout: float) -> bool:
        with self._mutex:
            if not self._held:
                self._held = True
                return True
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        try:
            if turn.acquire(timeout=timeout):
                return True  # handed over by _hand_over()
        except BaseException:  # interrupted while waiting: leave the queue, or pass on a turn given meanwhile
            with self._mutex:
                if turn in self._waiting:
                    self._waiting.remove(turn)
                    raise
            self._hand_over()
            raise
        with self._mutex:
            if turn in self._waiting:
                self._waiting.remove(turn)
                return False
        return True  # handed over just as the wait ran out

    def _hand_over(self) -> None:
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().release()  # still held: the next waiter has it now
            else:
                self._held = False


class ProcessTurn:
    """The processes' turn: an exclusive lock on a file beside the database. The kernel gives it to a waiting process
    the moment it is released. A wait runs in a thread of its own, so that the writer waiting can give up at its
    timeout (flock has none); the lock, once that thread has it, is handed straight back if the writer gave up.
    Only the writer whose turn it is in this process ever calls acquire()."""

    def __init__(self, path: str):
        self._file = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self._state = threading.Condition()
        self._wanted = self._granted = self._waiting_in_kernel = False
        self._waiter: threading.Thread | None = None

    def acquire(self, timeout: float) -> bool:
        with self._state:
            # Not while the waiting thread is still in flock for a writer that gave up: the lock is this file's, so
            # its wait would end on our own lock, and it would hand that straight back.
            if not self._waiting_in_kernel:
                try:
                    fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return True
                except BlockingIOError:  # another process writes
                    pass
            self._wanted = True
            if self._waiter is None:
                self._waiter = threading.Thread(target=self._wait_for_the_lock, name="sqlite-turns", daemon=True)
                self._waiter.start()
            self._state.notify_all()
            granted = self._state.wait_for(lambda: self._granted, max(timeout, 0))
            self._wanted = self._granted = False
            self._state.notify_all()
            return granted

    def release(self) -> None:
        fcntl.flock(self._file, fcntl.LOCK_UN)

    def _wait_for_the_lock(self) -> None:
        while True:
            with self._state:
                self._state.wait_for(lambda: self._wanted)
                self._waiting_in_kernel = True
            fcntl.flock(self._file, fcntl.LOCK_EX)
            with self._state:
                self._waiting_in_kernel = False
                if self._wanted:
                    self._granted = True
                    self._state.notify_all()
                    self._state.wait_for(lambda: not self._granted)  # taken by the writer, who releases it
                else:  # the writer gave up meanwhile
                    fcntl.flock(self._file, fcntl.LOCK_UN)


_turns: dict[str, WriteTurns] = {}
_turns_mutex = threading.Lock()
_turns_pid = os.getpid()


def write_turns(path: str) -> WriteTurns:
    global _turns, _turns_pid
    with _turns_mutex:
        if _turns_pid != os.getpid():  # a forked worker: its own turns, and its own lock on the file
            _turns, _turns_pid = {}, os.getpid()
        if path not in _turns:
            _turns[path] = WriteTurns(path)
        return _turns[path]


class TurnTakingCursor(base.SQLiteCursorWrapper):
    """A write outside a transaction (autocommit) takes a turn for its one statement."""

    database: "DatabaseWrapper"

    def execute(self, query, params=None):
        with self._turn_for(query):
            return super().execute(query, params)

    def executemany(self, query, param_list):
        with self._turn_for(query):
            return super().executemany(query, param_list)

    @contextlib.contextmanager
    def _turn_for(self, query):
        if self.connection.in_transaction or not _WRITE.match(query):
            yield
            return
        self.database._take_turn()
        try:
            yield
        finally:
            self.database._give_turn()


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_turn = False

    @property
    def _takes_turns(self) -> bool:
        return not self.is_in_memory_db()

    def create_cursor(self, name=None):
        if not self._takes_turns:
            return super().create_cursor(name)
        cursor = self.connection.cursor(factory=TurnTakingCursor)
        cursor.database = self
        return cursor

    def _start_transaction_under_autocommit(self):
        # A DEFERRED transaction may only read, and a reader waits for no one (WAL).
        if not self._takes_turns or self.transaction_mode in (None, "DEFERRED"):
            return super()._start_transaction_under_autocommit()
        self._take_turn()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._give_turn()
            raise

    def _take_turn(self):
        turns = write_turns(str(self.settings_dict["NAME"]))
        if not turns.acquire(float(self.settings_dict["OPTIONS"].get("timeout", 5))):
            with self.wrap_database_errors:  # as SQLite's own timeout would say it
                raise self.Database.OperationalError("database is locked")
        self._holds_turn = True

    def _give_turn(self):
        if self._holds_turn:
            self._holds_turn = False
            write_turns(str(self.settings_dict["NAME"])).release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._give_turn()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._give_turn()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._give_turn()
