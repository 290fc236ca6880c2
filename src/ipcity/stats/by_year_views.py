"""The by-year indicator page: every indicator × every pilot year, where each value comes from, the computed and
reported values side by side, and (for the office) the confirmation of the official value."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from ipcity import clock
from ipcity.bounds import decimal_form_field, int_form_field
from ipcity.plan.confirmations import can_confirm, indicator_confirm
from ipcity.plan.models import IndicatorConfirmation
from ipcity.plan.selectors import current_plan_or_404, indicator_get
from ipcity.stats.by_year import indicator_years, pilot_years
from ipcity.web.forms import form_errors_from

REFUSED = "只有区知识产权工作领导小组办公室可以核定指标值"


class ConfirmForm(forms.Form):
    year = int_form_field(IndicatorConfirmation, "year", label="年度")
    basis = forms.ChoiceField(label="核定依据", choices=IndicatorConfirmation.Basis.choices, widget=forms.RadioSelect)
    value = decimal_form_field(IndicatorConfirmation, "value", label="核定值（选择“办公室核定其他值”时填写）",
                               required=False)
    reason = forms.CharField(label="核定理由", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        years = pilot_years(plan)
        self.fields["year"].widget = forms.Select(choices=[(y, f"{y}年") for y in years])
        self.fields["year"].help_text = f"试点期内（{years[0]}～{years[-1]}年）"


class ByYearConfirmForm(ConfirmForm):
    """The by-year page's form: the indicator is chosen too."""

    indicator = forms.ChoiceField(label="指标")

    field_order = ["indicator", "year", "basis", "value", "reason"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        self.fields["indicator"].choices = [(i.code, i.name) for i in plan.indicators.all()]
        self.order_fields(self.field_order)


def _confirm(request, form, *, plan, indicator=None) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    indicator = indicator or indicator_get(plan=plan, code=data["indicator"])
    try:
        indicator_confirm(actor=request.user, indicator=indicator, year=data["year"], basis=data["basis"],
                          value=data["value"], reason=data["reason"])
        return True
    except ValidationError as exc:
        form_errors_from(form, exc)
        return False


def confirm_from_post(request, *, plan, indicator, prefix: str | None = None) -> tuple[bool, ConfirmForm]:
    """Handle a posted confirmation of one indicator: (True, form) when saved, else (False, the form with its
    errors). Only the office may: anyone else gets 403 before the form is read."""
    if not can_confirm(request.user):
        raise PermissionDenied(REFUSED)
    form = ConfirmForm(request.POST, plan=plan, prefix=prefix)
    return _confirm(request, form, plan=plan, indicator=indicator), form


def by_year(request):
    plan = current_plan_or_404()
    office = can_confirm(request.user)
    form = ByYearConfirmForm(plan=plan, initial={"year": min(clock.today().year, plan.period_end.year)}) if office else None
    if request.method == "POST":
        if not office:
            raise PermissionDenied(REFUSED)
        form = ByYearConfirmForm(request.POST, plan=plan)
        if _confirm(request, form, plan=plan):
            name = dict(form.fields["indicator"].choices)[form.cleaned_data["indicator"]]
            messages.success(request, f"已核定“{name}”{form.cleaned_data['year']}年的数值，记入审计日志")
            return redirect("indicators_by_year")
    elif request.method not in ("GET", "HEAD"):
        raise PermissionDenied(REFUSED)
    rows = indicator_years(plan=plan)
    years = pilot_years(plan)
    return render(request, "stats/by_year.html", {
        "nav": "indicators", "plan": plan, "years": years,
        "rows": [{"indicator": r["indicator"], "cells": [r["years"][y] for y in years]} for r in rows],
        "office": office, "form": form, "this_year": clock.today().year,
        "pending_count": sum(1 for r in rows for v in r["years"].values() if v.pending),
        "differ_count": sum(1 for r in rows for v in r["years"].values() if v.differs)})
