import datetime as dt
import decimal

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


def audit_record(*, actor, action: str, obj=None, object_type: str = "", object_id="", before=None, after=None) -> AuditEntry:
    """Write one audit row. Called inside the service's transaction, so the row commits with the change. Every row
    names who acted: a person, or the platform itself (`ipcity.accounts.system.system_actor()`), never nobody."""
    if actor is None:
        raise ValueError("audit_record needs an actor: pass the person, or system_actor() for the platform's own jobs")
    where = current_origin()
    return AuditEntry.objects.create(
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


def changed_fields(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields whose values changed, so an audit row says what was edited."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
