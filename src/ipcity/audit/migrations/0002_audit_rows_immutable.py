"""A database trigger refuses UPDATE of audit rows from any client, not only through the app."""

from django.db import migrations

SQLITE = [
    "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'audit rows are immutable'); END;",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_entry_no_update;"]
POSTGRES = [
    "CREATE OR REPLACE FUNCTION audit_entry_refuse_update() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit rows are immutable'; END; $$ LANGUAGE plpgsql;",
    "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry "
    "FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_update();",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update ON audit_auditentry;",
    "DROP FUNCTION IF EXISTS audit_entry_refuse_update();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE, "postgresql": POSTGRES}),
                             _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE})),
    ]
