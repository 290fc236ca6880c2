"""PostgreSQL whose kept connections are looked at before a request uses them, mostly without a round trip.

Each server thread keeps its connection between requests (CONN_MAX_AGE). When the database server restarts, fails
over or ends a connection, the connection is dead but the thread does not know it yet: without a check, its next
request failed with an error page (30 of them after one restart, one per thread of two workers). Django's own check
(CONN_HEALTH_CHECKS) asks the server `SELECT 1` at the start of every request that uses the database: a round trip
each time, for the busiest threads too.

A server that ends a connection says so and closes it: the connection then has something to read while nothing was
asked of it. A host that vanishes without a word (power lost, a virtual address moved to a standby) leaves nothing to
read, and only a question finds out. So a connection used within the last second, between statements and with nothing
to read, is taken as it is (a busy thread saves its round trip); any other gets Django's question."""

import math
import select
from time import monotonic

import psycopg
from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus

RECENTLY_USED_SECONDS = 1.0

# A connection running a statement, or whose transaction failed, gets Django's question.
_BETWEEN_STATEMENTS = (TransactionStatus.IDLE, TransactionStatus.INTRANS)


def _has_something_to_read(descriptor: int) -> bool:
    if hasattr(select, "poll"):  # select() refuses descriptors past 1023, which a busy process may hand out
        watch = select.poll()
        watch.register(descriptor, select.POLLIN)
        return bool(watch.poll(0))
    return bool(select.select([descriptor], [], [], 0)[0])


class DatabaseWrapper(base.DatabaseWrapper):
    _used_at = -math.inf  # when a cursor was last made on the connection (every query, the ORM's and written-out)

    def make_cursor(self, cursor):
        self._used_at = monotonic()
        return super().make_cursor(cursor)

    def make_debug_cursor(self, cursor):
        self._used_at = monotonic()
        return super().make_debug_cursor(cursor)

    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if (monotonic() - self._used_at <= RECENTLY_USED_SECONDS
                and connection.info.transaction_status in _BETWEEN_STATEMENTS):
            try:
                if not _has_something_to_read(connection.fileno()):
                    return True
            except (OSError, ValueError, psycopg.Error):  # closed meanwhile
                return False
        return super().is_usable()
