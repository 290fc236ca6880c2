"""Reads, scoped: owners see their organization's registrations; the office sees statistics, not registrations."""

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth

from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.evidence.kinds import KINDS
from ipcity.evidence.models import Registration
from ipcity.inputs import object_or_404


def registrations_for(*, user) -> QuerySet[Registration]:
    require_perm(user, Perm.EVIDENCE_REGISTER)
    return Registration.objects.filter(organization_id=user.organization_id).select_related("checkpoint")


def registration_get(*, user, pk: int) -> Registration:
    return object_or_404(registrations_for(user=user), "存证记录不存在或无权查看", pk=pk)


def registration_statistics(*, user) -> dict:
    require_perm(user, Perm.EVIDENCE_STATS)
    registrations = Registration.objects.all()
    by_kind = dict(registrations.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    by_org_type = dict(registrations.values_list("organization__org_type").annotate(n=Count("id"))
                       .values_list("organization__org_type", "n"))
    by_month = [(m.strftime("%Y-%m"), n) for m, n in registrations.annotate(month=TruncMonth("created_at"))
                .values_list("month").annotate(n=Count("id")).order_by("month").values_list("month", "n")]
    return {"total": registrations.count(), "sequenced": registrations.filter(index__isnull=False).count(),
            "organizations": registrations.values("organization_id").distinct().count(),
            "by_kind": [(KINDS[k].label, by_kind.get(k, 0)) for k in KINDS],
            "by_org_type": sorted(by_org_type.items()), "by_month": by_month}
