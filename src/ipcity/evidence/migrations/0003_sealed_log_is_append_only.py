"""Database triggers keep the evidence log append-only from any client, not only through the app:

- a registration is never deleted (it was acknowledged to its submitter the moment it was stored);
- its content columns (leaf, digests, salts, metadata, submitter, time, …) never change, pending or sealed;
- the sequencer seals a pending row exactly once: one UPDATE that sets `index`, `checkpoint_id` and `sequenced_at`
  from NULL (Registration.objects.mark_sealed in ledger._sequence); after that the row does not change at all;
- a published checkpoint is never changed or deleted.

A changed leaf would otherwise make every later checkpoint inconsistent with what the witness cosigned, and the
sequencer would stop sealing for everyone.

Flushing the whole database stays possible (see audit/migrations/0003). On SQLite a later migration that rebuilds
one of these tables drops its triggers with the old table and must create them again; the tests in
tests/evidence/test_sealed_log_is_append_only.py fail if it does not."""

from django.db import migrations

CONTENT = ["id", "organization_id", "submitted_by_id", "kind", "title", "metadata", "filename", "size", "sha256", "sm3",
           "salted", "content_salt", "submitter_salt", "leaf", "created_at"]
SEALING = ['"index"', "checkpoint_id", "sequenced_at"]
SEAL_MESSAGE = ("evidence registrations are sealed: only the sequencer sets index, checkpoint_id and sequenced_at, "
                "once, and nothing else changes")
DELETE_MESSAGE = "evidence registrations are append-only: DELETE refused"
CHECKPOINT_MESSAGE = "published checkpoints are immutable"

# Refused: any change to a sealed row, an update that does not seal, and any change to a content column.
_REFUSED_SQLITE = " OR ".join(['OLD."index" IS NOT NULL', *(f"NEW.{c} IS NULL" for c in SEALING),
                               *(f"NEW.{c} IS NOT OLD.{c}" for c in CONTENT)])
_REFUSED_POSTGRES = " OR ".join(['OLD."index" IS NOT NULL', *(f"NEW.{c} IS NULL" for c in SEALING),
                                 *(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in CONTENT)])

SQLITE = [
    f"CREATE TRIGGER evidence_registration_no_delete BEFORE DELETE ON evidence_registration "
    f"BEGIN SELECT RAISE(ABORT, '{DELETE_MESSAGE}'); END;",
    f"CREATE TRIGGER evidence_registration_sealed BEFORE UPDATE ON evidence_registration "
    f"WHEN {_REFUSED_SQLITE} BEGIN SELECT RAISE(ABORT, '{SEAL_MESSAGE}'); END;",
    f"CREATE TRIGGER evidence_checkpoint_no_update BEFORE UPDATE ON evidence_logcheckpoint "
    f"BEGIN SELECT RAISE(ABORT, '{CHECKPOINT_MESSAGE}: UPDATE refused'); END;",
    f"CREATE TRIGGER evidence_checkpoint_no_delete BEFORE DELETE ON evidence_logcheckpoint "
    f"BEGIN SELECT RAISE(ABORT, '{CHECKPOINT_MESSAGE}: DELETE refused'); END;",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS evidence_registration_no_delete;",
    "DROP TRIGGER IF EXISTS evidence_registration_sealed;",
    "DROP TRIGGER IF EXISTS evidence_checkpoint_no_update;",
    "DROP TRIGGER IF EXISTS evidence_checkpoint_no_delete;",
]
POSTGRES = [
    "CREATE OR REPLACE FUNCTION evidence_registration_guard() RETURNS trigger AS $$ BEGIN "
    f"IF TG_OP = 'DELETE' THEN RAISE EXCEPTION '{DELETE_MESSAGE}'; END IF; "
    f"IF {_REFUSED_POSTGRES} THEN RAISE EXCEPTION '{SEAL_MESSAGE}'; END IF; "
    "RETURN NEW; END; $$ LANGUAGE plpgsql;",
    "CREATE TRIGGER evidence_registration_guard BEFORE UPDATE OR DELETE ON evidence_registration "
    "FOR EACH ROW EXECUTE FUNCTION evidence_registration_guard();",
    "CREATE OR REPLACE FUNCTION evidence_checkpoint_guard() RETURNS trigger AS $$ BEGIN "
    f"RAISE EXCEPTION USING MESSAGE = '{CHECKPOINT_MESSAGE}: ' || TG_OP || ' refused'; END; $$ LANGUAGE plpgsql;",
    "CREATE TRIGGER evidence_checkpoint_guard BEFORE UPDATE OR DELETE ON evidence_logcheckpoint "
    "FOR EACH ROW EXECUTE FUNCTION evidence_checkpoint_guard();",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS evidence_registration_guard ON evidence_registration;",
    "DROP FUNCTION IF EXISTS evidence_registration_guard();",
    "DROP TRIGGER IF EXISTS evidence_checkpoint_guard ON evidence_logcheckpoint;",
    "DROP FUNCTION IF EXISTS evidence_checkpoint_guard();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("evidence", "0002_notarizationrequest")]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE, "postgresql": POSTGRES}),
                             _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE})),
    ]
