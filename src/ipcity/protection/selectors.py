"""Reads shared by the protection pages and the API: one query per list and one lookup per record, so a page and
the endpoint beside it cannot disagree about what exists or who sees it."""

from django.db.models import QuerySet

from ipcity.inputs import object_or_404
from ipcity.protection.inspections import plans_visible
from ipcity.protection.models import (
    CooperationRecord,
    CriminalReferral,
    EnforcementCase,
    InspectionPlan,
    StandardizedMarket,
)


def inspection_plan_get(*, user, pk) -> InspectionPlan:
    """A published or drawn plan (public), or any plan for the office; a draft does not exist for anyone else."""
    return object_or_404(plans_visible(user=user), "计划不存在或尚未公布", pk=pk)


def market_list() -> QuerySet[StandardizedMarket]:
    return StandardizedMarket.objects.order_by("level", "name")


def market_get(*, pk) -> StandardizedMarket:
    return object_or_404(market_list(), pk=pk)


def cooperation_record_list() -> QuerySet[CooperationRecord]:
    return CooperationRecord.objects.prefetch_related("units")


def referral_of(case: EnforcementCase) -> CriminalReferral | None:
    """The case's referral to the police, if it has one (the caller has already been allowed to read the case)."""
    return CriminalReferral.objects.filter(case=case).first()
