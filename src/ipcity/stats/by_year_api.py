"""The by-year indicator table and the office's confirmations in the JSON API: the same data and the same service
as the pages. Decimal values are strings; every source and status carries its Chinese label and its code."""

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Router, Schema, Status

from ipcity.bounds import Year, bounded_decimal
from ipcity.openapi import Rows, paginated
from ipcity.plan.confirmations import confirmation_history, indicator_confirm
from ipcity.plan.models import IndicatorConfirmation
from ipcity.plan.selectors import current_plan_or_404, indicator_get
from ipcity.stats.by_year import as_json, indicator_year, indicator_years, number_text, pilot_years, year_json

router = Router(tags=["指标逐年情况与核定"])


class YearReportedOut(Schema):
    """The latest value a unit reported for the year."""

    value: str | None
    as_of: dt.date
    source: str
    unit: str | None
    attachment: str | None  # the supporting file's name


class YearConfirmedOut(Schema):
    """The office's latest confirmation of the year's value."""

    id: int
    value: str | None
    basis: str  # computed | reported | other
    basis_label: str
    reason: str
    confirmed_at: str
    confirmed_by_unit: str | None


class IndicatorYearOut(Schema):
    year: int
    as_of: dt.date  # the year's last day
    target: str | None
    official: str | None  # the value that counts: confirmed, else computed, else none
    source: str  # confirmed | computed | reported | none
    source_label: str
    pending: bool  # a reported value waits for the office's confirmation
    status: str
    status_label: str
    computed: str | None
    computed_note: str
    covered: bool  # the registries cover the year, so the value could be computed
    reported: YearReportedOut | None
    difference: str | None  # computed − reported
    confirmed: YearConfirmedOut | None


class IndicatorYearsOut(Schema):
    code: str
    name: str
    unit: str
    goal: str
    target_display: str
    period_type: str
    period_type_label: str
    data_source: str
    data_source_label: str
    years: list[IndicatorYearOut]


class ByYearOut(Schema):
    plan: str
    years: list[int]
    indicators: list[IndicatorYearsOut]


@router.get("/indicators/by-year", auth=None, response=ByYearOut,
            summary="全部指标逐年情况：各年度目标、计算值、报送值、差额、核定值、数值来源与状态")
def by_year(request, year: Year | None = None):
    plan = current_plan_or_404()
    years = None
    if year is not None:
        allowed = pilot_years(plan)
        if year not in allowed:
            raise ValidationError({"year": [f"年度应在试点期内（{allowed[0]}～{allowed[-1]}年）"]})
        years = [year]
    return as_json(plan=plan, rows=indicator_years(plan=plan, years=years))


class ConfirmIn(Schema):
    year: Year
    basis: str  # computed | reported | other
    value: bounded_decimal(IndicatorConfirmation, "value") | None = None
    reason: str


class ConfirmationOut(Schema):
    id: int
    indicator: str
    year: int
    value: str
    basis: str
    basis_label: str
    computed_value: str | None
    reported_value: str | None
    reason: str
    confirmed_at: str
    confirmed_by_unit: str | None


def _confirmation_out(c: IndicatorConfirmation) -> dict:
    return {"id": c.pk, "indicator": c.indicator.code, "year": c.year, "value": number_text(c.value),
            "basis": c.basis, "basis_label": c.get_basis_display(), "computed_value": number_text(c.computed_value),
            "reported_value": number_text(c.reported_value.value) if c.reported_value_id else None,
            "reason": c.reason, "confirmed_at": c.confirmed_at.isoformat(),
            "confirmed_by_unit": c.confirmed_by.organization.name if c.confirmed_by.organization_id else None}


class ConfirmedOut(Schema):
    confirmation: ConfirmationOut
    year: IndicatorYearOut  # the year as it stands after the confirmation


@router.post("/indicators/{code}/confirmations", response={201: ConfirmedOut},
             summary="核定指标某年度的正式数值（采用计算值、报送值或其他值，须填写理由；仅知识产权办公室）")
def confirm(request, code: str, payload: ConfirmIn):
    plan = current_plan_or_404()
    indicator = indicator_get(plan=plan, code=code)
    confirmation = indicator_confirm(actor=request.user, indicator=indicator, year=payload.year,
                                     basis=payload.basis, value=payload.value, reason=payload.reason)
    return Status(201, {"confirmation": _confirmation_out(confirmation),
                        "year": year_json(indicator_year(plan=plan, indicator=indicator, year=confirmation.year))})


@router.get("/indicators/{code}/confirmations", auth=None, response=list[ConfirmationOut],
            summary="指标的核定记录（新的在前；每个年度以最新一次核定为准）")
@paginated
def confirmations(request, code: str):
    indicator = indicator_get(plan=current_plan_or_404(), code=code)
    return Rows(confirmation_history(indicator=indicator), _confirmation_out)
