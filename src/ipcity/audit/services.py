import contextlib
import datetime as dt
import decimal
from contextvars import ContextVar

from django.db import transaction

from ipcity import clock
from ipcity.audit.context import current_origin
from ipcity.audit.models import AuditEntry


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


_held_rows: ContextVar[list[AuditEntry] | None] = ContextVar("audit_held_rows", default=None)


@contextlib.contextmanager
def audit_rows_written_together():
    """Inside one transaction that makes thousands of audited writes (the demo), hold the audit rows and write them
    in a few multi-row INSERTs when the block ends: one INSERT per row was a quarter of the demo's statements. The
    same rows, in the same order, committed or rolled back with the same transaction; nothing reads the audit trail
    before that transaction commits. A block that raises writes nothing (its transaction is rolled back)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_rows_written_together() holds rows until its transaction writes them: open one first")
    held: list[AuditEntry] = []
    token = _held_rows.set(held)
    try:
        yield
    finally:
        _held_rows.reset(token)
    AuditEntry.objects.bulk_create(held, batch_size=1000)


def audit_record(*, actor, action: str, obj=None, object_type: str = "", object_id="", before=None, after=None) -> AuditEntry:
    """Write one audit row. Called inside the service's transaction, so the row commits with the change. Every row
    names who acted: a person, or the platform itself (`ipcity.accounts.system.system_actor()`), never nobody."""
    if actor is None:
        raise ValueError("audit_record needs an actor: pass the person, or system_actor() for the platform's own jobs")
    where = current_origin()
    entry = AuditEntry(
        at=clock.now(),
        actor=actor if actor.pk else None,
        actor_name=actor.username,
        organization_id=getattr(actor, "organization_id", None),  # the id alone: no query for the organization
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(object_id or (obj.pk if obj is not None else "")),
        object_repr=(str(obj) if obj is not None else "")[:300],
        before=_jsonable(before),
        after=_jsonable(after),
        source_address=where.address,
        channel=where.channel,
    )
    held = _held_rows.get()
    if held is None:
        entry.save()
    else:
        held.append(entry)
    return entry


def changed_fields(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields whose values changed, so an audit row says what was edited."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
