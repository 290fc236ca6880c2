"""The office's registry coverage page (登记记录覆盖范围) and its API."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from ninja import Router, Schema, Status

from ipcity.plan.selectors import current_plan
from ipcity.stats.coverage import REASON_MAX, coverage_kinds, coverage_list, coverage_set
from ipcity.web.forms import form_errors_from

router = Router(tags=["登记数据与指标计算"])


class CoverageForm(forms.Form):
    kind = forms.ChoiceField(label="记录类别", choices=())
    complete_from = forms.DateField(label="记录自此日起完整", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="说明（选填，如：2025年起执法案件全部在平台登记）", max_length=REASON_MAX, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(coverage_kinds().items())


@login_required
def coverage_page(request):
    rows = coverage_list(user=request.user, plan=current_plan())
    form = CoverageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = coverage_set(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"已登记：{coverage_kinds()[row.kind]}自{row.complete_from:%Y-%m-%d}起完整，"
                                      "相关指标已按新的覆盖范围重新计算")
            return redirect("stats:coverage")
    return render(request, "stats/coverage.html", {"nav": "indicators", "rows": rows, "form": form})


class CoverageOut(Schema):
    kind: str
    label: str
    indicators: list[str]
    complete_from: dt.date | None
    reason: str
    set_by: str
    set_at: dt.datetime | None
    history: list[dict]


def _out(row) -> dict:
    current = row.current
    return {"kind": row.kind, "label": row.label, "indicators": row.indicators,
            "complete_from": current.complete_from if current else None, "reason": current.reason if current else "",
            "set_by": (current.set_by.username if current and current.set_by else ""),
            "set_at": current.set_at if current else None,
            "history": [{"complete_from": h.complete_from.isoformat(), "reason": h.reason,
                         "set_by": h.set_by.username if h.set_by else "", "set_at": h.set_at.isoformat()}
                        for h in row.history]}


class CoverageIn(Schema):
    kind: str
    complete_from: dt.date
    reason: str = ""


@router.get("/registries/coverage", response=list[CoverageOut], summary="各类登记记录的覆盖范围（自何日起完整）")
def coverage_api_list(request):
    return [_out(row) for row in coverage_list(user=request.user, plan=current_plan())]


@router.post("/registries/coverage", response={201: CoverageOut}, summary="登记某类记录自何日起完整（保留历史）")
def coverage_api_set(request, payload: CoverageIn):
    row = coverage_set(actor=request.user, kind=payload.kind, complete_from=payload.complete_from, reason=payload.reason)
    return Status(201, _out(next(r for r in coverage_list(user=request.user, plan=current_plan()) if r.kind == row.kind)))
