import datetime as dt

from django.db.models import Q, QuerySet

from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.labels import all_action_labels
from ipcity.audit.models import AuditEntry


def audit_entry_list(*, user, q: str = "", action: str = "", actor: str = "",
                     date_from: dt.date | None = None, date_to: dt.date | None = None) -> QuerySet[AuditEntry]:
    require_perm(user, Perm.AUDIT_READ)
    entries = AuditEntry.objects.select_related("organization", "actor")
    if q:
        # a person searches by what the page shows: the action's Chinese label as well as its code
        labelled = [code for code, label in all_action_labels().items() if q in label]
        entries = entries.filter(Q(object_repr__icontains=q) | Q(action__icontains=q) | Q(object_type__icontains=q)
                                 | Q(action__in=labelled))
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor_name=actor)
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    return entries
