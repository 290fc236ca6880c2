"""Model parts several apps share. Abstract: they add columns to the models that inherit them, no table of their own.

A record says when it was written (`created_at`, set by the service that writes it from `ipcity.clock`, so tests
and imports control the time) and, where a person wrote it, by whom (`created_by`, kept: a user who wrote records
is deactivated, never deleted).
"""

from collections.abc import Sequence

from django.conf import settings
from django.db import models

try:
    from django.db.backends.postgresql.base import ServerBindingCursor
    from psycopg import errors as pg_errors
    from psycopg.pq import TransactionStatus
except ImportError:  # psycopg is installed only for PostgreSQL
    ServerBindingCursor = None


class Created(models.Model):
    created_at = models.DateTimeField()

    class Meta:
        abstract = True


class Authored(Created):
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


def prefetched(record: models.Model, relation: str) -> list | None:
    """The related records a list's prefetch_related already loaded, or None: a property that reads them keeps a
    list page at a fixed number of queries, and still works (with its own query) on a record fetched alone."""
    cache = getattr(record, "_prefetched_objects_cache", {})
    return list(cache[relation]) if relation in cache else None


class WrittenOutColumns:
    """For a query every request runs, written out in SQL because building it through the ORM cost several times what
    the database took to answer: a model's columns as `alias."column", …` (from its own metadata, so a new field is
    never missed), and the instance the ORM would have built from those values of a row, through the same database
    converters (SQLite hands back times as text and booleans as integers). Made once per database and kept."""

    def __init__(self, model: type[models.Model], alias: str, connection):
        fields = model._meta.concrete_fields
        quote = connection.ops.quote_name
        self.model = model
        self.sql = ", ".join(f"{quote(alias)}.{quote(field.column)}" for field in fields)
        self.width = len(fields)
        self._names = [field.attname for field in fields]
        self._converters = []
        for position, field in enumerate(fields):
            column = field.get_col(alias)
            converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if converters:
                self._converters.append((position, column, converters))

    def instance(self, values: Sequence, connection) -> models.Model:
        values = list(values)
        for position, column, converters in self._converters:
            for converter in converters:
                values[position] = converter(values[position], column, connection)
        return self.model.from_db(connection.alias, self._names, values)


if ServerBindingCursor is not None:
    class _PreparingCursor(ServerBindingCursor):
        """Binds its parameters on the server and prepares each statement once per connection."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            try:
                return super().execute(query, params, prepare=True, binary=binary)
            except pg_errors.FeatureNotSupported:
                # "cached plan must not change result type": a migration changed the type of a column the statement
                # reads after this connection prepared it (servers keep serving while `ipcity migrate` runs). Outside
                # a transaction: forget what was prepared and run it again. Inside one, the transaction has failed,
                # and its rollback makes psycopg forget them.
                if self.connection.info.transaction_status != TransactionStatus.IDLE:
                    raise
                super().execute("DEALLOCATE ALL")
                return super().execute(query, params, prepare=True, binary=binary)


def written_out_cursor(connection):
    """The cursor for a written-out query. On PostgreSQL it prepares the statement once per connection, so the server
    plans it once rather than on every request (the token's three-table join spent 0.3 ms a call planning). While
    Django logs queries (DEBUG, or a test counting them) it is Django's usual cursor instead, whose log shows the SQL
    (a prepared statement's would be empty); so it is elsewhere. The ORM keeps its client-side binding (its queries
    were not written for prepared statements)."""
    if connection.vendor != "postgresql" or connection.queries_logged:
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        return connection.make_cursor(_PreparingCursor(connection.connection))
