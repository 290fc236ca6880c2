"""Django's `flush`, able to empty a SQLite database whose append-only tables refuse DELETE.

The audit trail and the evidence log refuse UPDATE and DELETE at the database (triggers in audit/migrations/0003 and
evidence/migrations/0003). Emptying the whole database is still a legitimate act: `ipcity demo --reset`,
`ipcity manage flush`, and the test suite between transactional tests. PostgreSQL flushes with TRUNCATE, which fires
no row trigger, so nothing changes there. SQLite flushes with DELETE, row by row: for the flush statements only, this
command drops every trigger and creates it again from its stored definition, all in one transaction, so the
triggers are back (or were never gone) whatever happens."""

from django.core.management.commands import flush
from django.db import connections, transaction


def _flush_past_triggers(connection, flush_statements):
    def execute_sql_flush(sql_list):
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
            triggers = cursor.fetchall()
            for name, _ in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            flush_statements(sql_list)
            for _, sql in triggers:
                cursor.execute(sql)

    return execute_sql_flush


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        connection.ops.execute_sql_flush = _flush_past_triggers(connection, connection.ops.execute_sql_flush)
        try:
            return super().handle(**options)
        finally:
            del connection.ops.execute_sql_flush  # the class's own method again
