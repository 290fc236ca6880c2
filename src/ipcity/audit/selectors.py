import datetime as dt

from django.db.models import Q, QuerySet

from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.models import AuditEntry


def audit_entry_list(*, user, q: str = "", action: str = "", actor: str = "",
                     date_from: dt.date | None = None, date_to: dt.date | None = None) -> QuerySet[AuditEntry]:
    require_perm(user, Perm.AUDIT_READ)
    entries = AuditEntry.objects.select_related("organization")
    if q:
        entries = entries.filter(Q(object_repr__icontains=q) | Q(action__icontains=q) | Q(object_type__icontains=q))
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor_name=actor)
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    return entries
