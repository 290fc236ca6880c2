"""PostgreSQL whose kept connections are looked at before a request uses them, without a round trip.

Each server thread keeps its connection between requests (CONN_MAX_AGE). When the database server restarts, fails
over or ends a connection, the connection is dead but the thread does not know it yet: without a check, its next
request failed with an error page (30 of them after one restart, one per thread of two workers). Django's own check
(CONN_HEALTH_CHECKS) asks the server `SELECT 1` at the start of every request that uses the database: a round trip
each time. A server that ends a connection says so and closes it: the connection then has something to read while
nothing was asked of it. So a connection between statements with nothing to read is taken as it is; one with
something to read, or in any other state, gets Django's question."""

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


def _has_something_to_read(descriptor: int) -> bool:
    if hasattr(select, "poll"):  # select() refuses descriptors past 1023, which a busy process may hand out
        watch = select.poll()
        watch.register(descriptor, select.POLLIN)
        return bool(watch.poll(0))
    return bool(select.select([descriptor], [], [], 0)[0])


# A connection running a statement, or whose transaction failed, gets Django's question.
_BETWEEN_STATEMENTS = (TransactionStatus.IDLE, TransactionStatus.INTRANS)


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.info.transaction_status in _BETWEEN_STATEMENTS:
            try:
                if not _has_something_to_read(connection.fileno()):
                    return True
            except (OSError, ValueError):
                return False
        return super().is_usable()
