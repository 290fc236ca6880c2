"""The results page of a drawn random inspection: the office and the drawn inspectors record each subject's result,
the office corrects one with a reason and publishes them all (the public sees them on the plan's page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from ipcity import clock
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.inputs import as_id, object_or_404
from ipcity.protection.inspection_results import (
    DESCRIPTION_MAX,
    REASON_MAX,
    require_results_reader,
    result_correct,
    result_record,
    worksheet,
)
from ipcity.protection.inspections import plan_results_publish
from ipcity.protection.models import InspectionResult
from ipcity.protection.selectors import inspection_plan_get
from ipcity.web.params import posted_day


def _case_id(data) -> int | None:
    raw = (data.get("case") or "").strip()
    if not raw:
        return None
    case_id = as_id(raw)
    if case_id is None:
        raise ValidationError({"case": ["关联案件编号应为正整数"]})
    return case_id


def _fields(data) -> dict:
    try:
        inspected_on = posted_day(data, "inspected_on", label="检查日期", required=False)
    except ValidationError as exc:
        raise ValidationError({"inspected_on": exc.messages}) from None
    return {"outcome": data.get("outcome", ""), "description": data.get("description", ""),
            "inspected_on": inspected_on, "case_id": _case_id(data)}


@login_required
def inspection_results(request, pk):
    plan = inspection_plan_get(user=request.user, pk=pk)
    require_results_reader(request.user, plan)
    failed = None
    if request.method == "POST":
        action = request.POST.get("action")
        subject = request.POST.get("subject", "")
        try:
            if action == "record":
                result_record(actor=request.user, plan=plan, subject=subject, **_fields(request.POST))
                messages.success(request, "检查结果已录入")
            elif action == "correct":
                result = object_or_404(InspectionResult.objects.filter(plan=plan), "该对象尚无检查结果",
                                       subject_key=subject)
                result_correct(actor=request.user, result=result, reason=request.POST.get("reason", ""),
                               **_fields(request.POST))
                messages.success(request, "检查结果已更正，更正理由已留痕")
            elif action == "publish_results":
                plan_results_publish(actor=request.user, plan=plan)
                messages.success(request, "检查结果已公示")
            else:
                raise ValidationError("未知的操作")
            return redirect("protection:inspection_results", pk=pk)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            failed = {"subject": subject, "action": action, **{k: request.POST.get(k, "") for k in (
                "outcome", "description", "inspected_on", "case", "reason")}}
    rows = worksheet(user=request.user, plan=plan)
    manages = has_perm(request.user, Perm.INSPECTION_MANAGE)
    return render(request, "protection/inspection_results.html", {
        "nav": "protection", "plan": plan, "rows": rows, "manages": manages, "failed": failed,
        "complete": bool(rows) and all(row["result"] for row in rows), "today": clock.today(),
        "outcomes": InspectionResult.Outcome.choices, "description_max": DESCRIPTION_MAX, "reason_max": REASON_MAX})
