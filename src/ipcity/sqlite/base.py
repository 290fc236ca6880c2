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
import logging
import os
import re
import threading
import time

from django.db.backends.sqlite3 import base

try:
    import fcntl
except ImportError:  # not a POSIX system: the threads of a process still take turns
    fcntl = None

logger = logging.getLogger(__name__)
_WRITE = re.compile(r"\s*(?:INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


class WriteTurns:
    """Whose turn it is to write to one database file. Not owned by a thread: a connection takes the turn when its
    transaction begins and gives it up when the transaction ends, whichever thread that is."""

    def __init__(self, path: str):
        self._mutex = threading.Lock()
        self._waiting: collections.deque[threading.Lock] = collections.deque()
        self._held = False
        self._between_processes = ProcessTurn.beside(path)

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
            if turn.acquire(timeout=max(timeout, 0)):
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

    def __init__(self, file: int):
        self._file = file
        self._state = threading.Condition()
        self._wanted = self._granted = self._waiting_in_kernel = False
        self._failed: OSError | None = None
        self._waiter: threading.Thread | None = None

    @classmethod
    def beside(cls, path: str) -> "ProcessTurn | None":
        """The turn for the database at `path`; None where there can be none (no flock, a `file:` URI, a file this
        account cannot open), and then only the threads of each process take turns."""
        if fcntl is None or path.startswith("file:"):
            return None
        try:
            database = os.stat(path)
        except OSError:
            database = None
        # Read-only is enough for flock; the database's own mode and owner, so that any account that may write to the
        # database may take turns on it (as SQLite makes its -wal and -shm files), whoever wrote first.
        mode = database.st_mode & 0o666 if database is not None else 0o600
        try:
            file = os.open(f"{path}-turns", os.O_RDONLY | os.O_CREAT, mode)
        except OSError as exc:
            logger.warning("SQLite 写入轮转文件无法打开（%s），各进程之间不轮转，只由 SQLite 自己的锁排队", exc)
            return None
        if database is not None and os.geteuid() == 0:
            with contextlib.suppress(OSError):
                os.fchown(file, database.st_uid, database.st_gid)
        return cls(file)

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
            self._wanted, self._failed = True, None
            if self._waiter is None or not self._waiter.is_alive():
                self._waiter = threading.Thread(target=self._wait_for_the_lock, name="sqlite-turns", daemon=True)
                self._waiter.start()
            self._state.notify_all()
            try:
                self._state.wait_for(lambda: self._granted or self._failed is not None, max(timeout, 0))
                if self._failed is not None:  # SQLite's own lock still keeps the write correct: go on without
                    logger.warning("SQLite 进程间写入轮转失败（%s），本次写入只由 SQLite 自己的锁排队", self._failed)
                    return True
                return self._granted
            except BaseException:
                if self._granted:  # interrupted once the lock was ours: hand it back
                    fcntl.flock(self._file, fcntl.LOCK_UN)
                raise
            finally:
                self._wanted = self._granted = False
                self._state.notify_all()

    def release(self) -> None:
        fcntl.flock(self._file, fcntl.LOCK_UN)

    def _wait_for_the_lock(self) -> None:
        while True:
            with self._state:
                self._state.wait_for(lambda: self._wanted)
                self._waiting_in_kernel = True
            try:
                fcntl.flock(self._file, fcntl.LOCK_EX)
            except OSError as exc:  # told to the writer waiting; the next one starts a new waiting thread
                with self._state:
                    self._waiting_in_kernel, self._failed = False, exc
                    self._state.notify_all()
                return
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


def write_turns(path: str) -> WriteTurns:
    with _turns_mutex:
        if path not in _turns:
            _turns[path] = WriteTurns(path)
        return _turns[path]


def _forget_turns_in_child() -> None:
    """A forked process (a server's worker) takes turns of its own, on a file description of its own: one inherited
    would be the parent's, and a flock on it the parent's lock too."""
    global _turns_mutex
    for turns in _turns.values():
        if turns._between_processes is not None:
            with contextlib.suppress(OSError):
                os.close(turns._between_processes._file)
    _turns.clear()
    _turns_mutex = threading.Lock()  # it may have been held by a thread of the parent at the fork


os.register_at_fork(after_in_child=_forget_turns_in_child)


class TurnTakingCursor(base.SQLiteCursorWrapper):
    """A write outside a transaction (autocommit) takes a turn for its one statement."""

    database: "DatabaseWrapper"

    def execute(self, query, params=None):
        if not self._needs_turn(query):
            return super().execute(query, params)
        with self._turn():
            return super().execute(query, params)

    def executemany(self, query, param_list):
        if not self._needs_turn(query):
            return super().executemany(query, param_list)
        with self._turn():
            return super().executemany(query, param_list)

    def _needs_turn(self, query) -> bool:
        # A statement inside a transaction is covered by the transaction's turn (or, where SQLite itself ended that
        # transaction, still by the turn the connection holds). Outside one, Django writes with plain INSERT, UPDATE
        # and DELETE statements: DDL runs in migrations' transactions.
        return not (self.connection.in_transaction or self.database._holds_turn) and bool(_WRITE.match(query))

    @contextlib.contextmanager
    def _turn(self):
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
