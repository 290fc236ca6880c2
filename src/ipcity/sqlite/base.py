"""SQLite with the write lock handed over in turn within a process. SQLite lets one connection write at a time; a
connection that finds the lock taken sleeps and retries with growing pauses (sqlite3's busy handler: up to 100 ms
a try), so under load a waiting writer keeps losing to the writers that happen to retry at the right moment. The
evidence sequencer, which every registrant's request waits for, was among them: its checkpoints came late and the
requests queued behind it. Here a thread takes the process's write turn before BEGIN and gives it to the next
waiting thread as soon as it commits or rolls back. SQLite's own lock still serializes the processes and keeps every
write correct: the turns only decide who goes next."""

import collections
import threading

from django.db.backends.sqlite3 import base


class WriteTurns:
    """A lock whose waiters are served in the order they came. Not owned by a thread: a connection acquires it when it
    begins and releases it when its transaction ends."""

    def __init__(self):
        self._mutex = threading.Lock()
        self._waiting: collections.deque[threading.Lock] = collections.deque()
        self._held = False

    def acquire(self, timeout: float) -> bool:
        with self._mutex:
            if not self._held:
                self._held = True
                return True
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        if turn.acquire(timeout=timeout):
            return True  # handed over by release()
        with self._mutex:
            if turn in self._waiting:
                self._waiting.remove(turn)
                return False
        return True  # handed over just as the wait ran out

    def release(self) -> None:
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().release()  # still held: the next waiter has it now
            else:
                self._held = False


_turns: dict[str, WriteTurns] = {}
_turns_mutex = threading.Lock()


def write_turns(name: str) -> WriteTurns:
    with _turns_mutex:
        return _turns.setdefault(str(name), WriteTurns())


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_turn = False

    def _start_transaction_under_autocommit(self):
        if self.transaction_mode in (None, "DEFERRED"):  # such a transaction may only read: it waits for no one
            return super()._start_transaction_under_autocommit()
        turns = write_turns(self.settings_dict["NAME"])
        timeout = self.settings_dict["OPTIONS"].get("timeout", 5)
        if not turns.acquire(timeout):
            with self.wrap_database_errors:  # as SQLite's own timeout would say it
                raise self.Database.OperationalError("database is locked")
        self._holds_turn = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._give_turn()
            raise

    def _give_turn(self):
        if self._holds_turn:
            self._holds_turn = False
            write_turns(self.settings_dict["NAME"]).release()

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
