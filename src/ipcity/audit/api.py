import datetime as dt

from ninja import Router, Schema

from ipcity.audit.selectors import audit_entry_list
from ipcity.bounds import Limit, Offset

router = Router(tags=["审计"])


class AuditEntryOut(Schema):
    id: int
    at: dt.datetime
    actor_name: str
    organization: str | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict | list | None
    after: dict | list | None
    source_address: str
    channel: str


class AuditPage(Schema):
    count: int
    results: list[AuditEntryOut]


@router.get("", response=AuditPage, summary="审计日志查询（仅知识产权办公室）")
def audit_list(request, q: str = "", action: str = "", actor: str = "", date_from: dt.date | None = None,
               date_to: dt.date | None = None, offset: Offset = 0, limit: Limit = 100):
    entries = audit_entry_list(user=request.user, q=q, action=action, actor=actor, date_from=date_from, date_to=date_to)
    limit = max(1, min(limit, 500))
    page = entries[max(0, offset): max(0, offset) + limit]
    return {"count": entries.count(), "results": [
        {**{f: getattr(e, f) for f in ("id", "at", "actor_name", "action", "object_type", "object_id", "object_repr",
                                        "before", "after", "source_address", "channel")},
         "organization": e.organization.name if e.organization else None} for e in page]}
