"""A database trigger refuses DELETE of audit rows from any client too (0002 refused UPDATE): the trail is
insert-only at the database, on SQLite and PostgreSQL.

`ipcity manage flush` (and `ipcity demo --reset`, and the test suite between transactional tests) still empties the
database: PostgreSQL flushes with TRUNCATE, which fires no row trigger; on SQLite, where flush deletes row by row,
the project's flush command lifts the triggers for the length of the flush and puts them back in the same transaction
(ipcity/audit/management/commands/flush.py).

On SQLite a later migration that rebuilds this table (most AlterField operations) drops its triggers with the old
table: such a migration must create them again. tests/test_audit.py fails if it does not."""

from django.db import migrations

SQLITE = [
    "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'audit rows are immutable: DELETE refused'); END;",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_entry_no_delete;"]
POSTGRES = [
    "CREATE OR REPLACE FUNCTION audit_entry_refuse_delete() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit rows are immutable: DELETE refused'; END; $$ LANGUAGE plpgsql;",
    "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry "
    "FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_delete();",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_entry_no_delete ON audit_auditentry;",
    "DROP FUNCTION IF EXISTS audit_entry_refuse_delete();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_audit_rows_immutable")]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE, "postgresql": POSTGRES}),
                             _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE})),
    ]
