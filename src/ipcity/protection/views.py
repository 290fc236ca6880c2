import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import has_perm, missing, require_perm
from ipcity.accounts.roles import Perm
from ipcity.bounds import QUOTA_MAX, int_form_field
from ipcity.protection.core.trade_secret import QUESTIONS
from ipcity.protection.inspection_results import subjects_for
from ipcity.protection.inspections import (
    DRAWN_STATES,
    INSPECTABLE_TYPES,
    conflict_declare,
    plan_create,
    plan_draw,
    plan_publish,
    plans_visible,
    public_record,
    redo,
    risk_set,
)
from ipcity.protection.models import InspectionPlan, RiskRating
from ipcity.protection.selectors import inspection_plan_get
from ipcity.protection.trade_secrets import assessment_submit, assessments_for
from ipcity.web.forms import form_errors_from
from ipcity.web.paging import page_of


class PlanForm(forms.Form):
    code = forms.CharField(label="计划编号（如 2026-q4-patent）", max_length=40)
    title = forms.CharField(label="计划名称", max_length=200)
    high = int_form_field(label="抽取高风险对象数", minimum=0, maximum=QUOTA_MAX, initial=2)
    medium = int_form_field(label="抽取中风险对象数", minimum=0, maximum=QUOTA_MAX, initial=2)
    low = int_form_field(label="抽取低风险对象数", minimum=0, maximum=QUOTA_MAX, initial=2)
    inspectors_per_subject = int_form_field(InspectionPlan, "inspectors_per_subject", initial=2)


class RiskForm(forms.Form):
    organization = forms.ModelChoiceField(label="机构", queryset=Organization.objects.filter(
        org_type__in=INSPECTABLE_TYPES).order_by("name"))
    level = forms.ChoiceField(label="风险等级", choices=RiskRating.Level.choices)
    reason = forms.CharField(label="依据", max_length=300)


class ConflictForm(forms.Form):
    organization = forms.ModelChoiceField(label="需回避的机构", queryset=Organization.objects.filter(
        org_type__in=INSPECTABLE_TYPES).order_by("name"))
    reason = forms.CharField(label="回避理由", max_length=300)


def home(request):
    user = request.user
    manages = user.is_authenticated and has_perm(user, Perm.INSPECTION_MANAGE)
    declares = user.is_authenticated and has_perm(user, Perm.CONFLICT_DECLARE)
    forms_ = {"plan": PlanForm(prefix="plan") if manages else None, "risk": RiskForm(prefix="risk") if manages else None,
              "conflict": ConflictForm(prefix="conflict") if declares else None}
    if request.method == "POST":
        kind = request.POST.get("form")
        allowed = {"plan": manages, "risk": manages, "conflict": declares}.get(kind, False)
        if not allowed:
            raise PermissionDenied("无权办理该事项：抽查计划和风险评级由办公室办理，回避声明由执法人员提出")
        form = {"plan": PlanForm, "risk": RiskForm, "conflict": ConflictForm}[kind](request.POST, prefix=kind)
        forms_[kind] = form
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if kind == "plan":
                    quotas = {level: data.pop(level) for level in ("high", "medium", "low")}
                    plan = plan_create(actor=user, quotas=quotas, **data)
                    messages.success(request, "抽查计划已草拟，公布后即冻结随机种子和名录")
                    return redirect("protection:inspection", pk=plan.pk)
                (risk_set if kind == "risk" else conflict_declare)(actor=user, **data)
                messages.success(request, "已保存")
                return redirect("protection:home")
            except ValidationError as exc:
                form_errors_from(form, exc)
    return render(request, "protection/home.html", {"nav": "protection", "page": page_of(request, plans_visible(user=user)),
                                                    **{f"{k}_form": v for k, v in forms_.items()}})


def inspection(request, pk):
    plan = inspection_plan_get(user=request.user, pk=pk)
    if request.method == "POST":
        if not (request.user.is_authenticated and has_perm(request.user, Perm.INSPECTION_MANAGE)):
            raise PermissionDenied(missing(Perm.INSPECTION_MANAGE))
        try:
            if request.POST.get("action") == "publish":
                plan_publish(actor=request.user, plan=plan)
                messages.success(request, "计划已公布：候选名录、执法人员名录和随机种子已冻结")
            else:
                plan_draw(actor=request.user, plan=plan)
                messages.success(request, "已按公布的种子抽取并公示")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("protection:inspection", pk=pk)
    record = public_record(plan)
    if request.GET.get("format") == "json":
        response = HttpResponse(json.dumps(record, ensure_ascii=False, indent=1),
                                content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="inspection-{plan.code}.json"'
        return response
    reproduced = None
    if plan.state in DRAWN_STATES:
        again = redo(plan)
        reproduced = again.subjects == plan.results["subjects"] and again.inspectors == plan.results["inspectors"]
    return render(request, "protection/inspection.html", {
        "nav": "protection", "plan": plan, "record": record, "reproduced": reproduced,
        "manages": request.user.is_authenticated and has_perm(request.user, Perm.INSPECTION_MANAGE),
        "records_results": bool(subjects_for(request.user, plan))})


@login_required
def trade_secrets(request):
    require_perm(request.user, Perm.TRADE_SECRET_ASSESS)
    result, problems = None, []
    if request.method == "POST":
        answers = {q.code: request.POST.get(q.code) == "yes" for q in QUESTIONS  # junk is no answer, not "no"
                   if request.POST.get(q.code) in ("yes", "no")}
        try:
            _, result = assessment_submit(actor=request.user, answers=answers)
        except ValidationError as exc:
            problems = exc.messages
    return render(request, "protection/trade_secrets.html", {
        "nav": "protection", "questions": QUESTIONS, "result": result, "problems": problems,
        "page": page_of(request, assessments_for(user=request.user))})
