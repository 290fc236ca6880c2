"""Reconciliation: the office confirms the official value (核定值) of an indicator for a pilot year, taking the
value computed from records, the value a unit reported, or another value it states, always with a reason. A
confirmation is audited with the value it replaces; a new one supersedes it (the history stays, newest first)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ipcity import clock
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.bounds import NumberRefused, field_rule
from ipcity.plan.core.value_sense import value_problem
from ipcity.plan.models import Indicator, IndicatorConfirmation
from ipcity.plan.selectors import current_plan

CONFIRM_PERM = Perm.SUPERVISION_MANAGE  # the office that supervises the units' work confirms their figures
BASES = {b.value for b in IndicatorConfirmation.Basis}


def can_confirm(user) -> bool:
    from ipcity.accounts.permissions import has_perm

    return has_perm(user, CONFIRM_PERM)


def confirmation_history(*, indicator: Indicator, year: int | None = None):
    """An indicator's confirmations, newest first (the first of a year is the one that applies)."""
    history = indicator.confirmations.select_related("indicator", "confirmed_by", "confirmed_by__organization",
                                                    "reported_value")
    return history.filter(year=year) if year is not None else history.order_by("-confirmed_at", "-id")


def _snapshot(c: IndicatorConfirmation | None) -> dict | None:
    if c is None:
        return None
    return {"year": c.year, "value": c.value, "basis": c.get_basis_display(), "reason": c.reason,
            "reported_value": c.reported_value_id}




@transaction.atomic
def indicator_confirm(*, actor, indicator: Indicator, year, basis: str, reason: str,
                      value=None) -> IndicatorConfirmation:
    """Confirm the official value of `indicator` for `year`. basis "computed" takes the value computed from
    records for that year, "reported" the latest value a unit reported within the year, "other" the `value`
    given. The value must make sense for the indicator (plan.core.value_sense: a count is a whole number ≥ 0, a share
0–100 %, a growth rate ≥ -100 %). Every problem is named at once; nothing is written unless all is well."""
    from ipcity.stats.by_year import indicator_year, pilot_years

    require_perm(actor, CONFIRM_PERM)
    problems: dict[str, list[str]] = {}
    plan = current_plan()
    if plan is None or indicator.plan_id != plan.pk:
        raise ValidationError({"indicator": ["只能核定现行工作方案的指标"]})
    years = pilot_years(plan)
    try:
        year = field_rule(IndicatorConfirmation, "year").check(year)
    except NumberRefused as exc:
        problems["year"] = [str(exc)]
    if "year" in problems:
        pass
    elif year not in years:
        problems["year"] = [f"年度应在试点期内（{years[0]}～{years[-1]}年）"]
    elif year > clock.today().year:
        problems["year"] = [f"{year}年尚未开始，不能核定"]
    if basis not in BASES:
        problems["basis"] = ["请选择核定依据：采用记录计算值、采用单位报送值或办公室核定其他值"]
    reason = (reason or "").strip()
    if not reason:
        problems["reason"] = ["请填写核定理由"]
    checked = None
    if basis == IndicatorConfirmation.Basis.OTHER:
        if value is None or (isinstance(value, str) and not value.strip()):
            problems["value"] = ["请填写核定值"]
        else:
            try:
                checked = field_rule(IndicatorConfirmation, "value").check(value)
            except NumberRefused as exc:
                problems["value"] = [str(exc)]
            else:
                if problem := value_problem(indicator, checked):
                    problems["value"] = [problem]
    year_value = None
    if "year" not in problems:
        year_value = indicator_year(plan=plan, indicator=indicator, year=year)
        if basis == IndicatorConfirmation.Basis.COMPUTED and year_value.computed is None:
            problems["basis"] = [f"{year}年没有由记录计算的值，不能采用计算值"]
        if basis == IndicatorConfirmation.Basis.REPORTED and year_value.reported is None:
            problems["basis"] = [f"{year}年没有单位报送的值，不能采用报送值"]
    if problems:
        raise ValidationError(problems)
    if basis == IndicatorConfirmation.Basis.COMPUTED:
        checked = year_value.computed
    elif basis == IndicatorConfirmation.Basis.REPORTED:
        checked = year_value.reported.value
    if problem := value_problem(indicator, checked):  # a value reported or computed before the rule held
        raise ValidationError({"basis": [f"不能采用该值：{problem}"]})
    previous = year_value.confirmed
    confirmation = IndicatorConfirmation.objects.create(
        indicator=indicator, year=year, value=checked, basis=basis, computed_value=year_value.computed,
        reported_value=year_value.reported,
        reason=reason, confirmed_by=actor, confirmed_at=clock.now())
    audit_record(actor=actor, action="plan.indicator.confirm", obj=indicator, before=_snapshot(previous),
                 after={**_snapshot(confirmation), "computed_value": year_value.computed,
                        "reported": year_value.reported.value if year_value.reported else None,
                        "official_before": year_value.official})
    return confirmation
