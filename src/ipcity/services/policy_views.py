"""Pages of the policy library (政策库) and 政策兑现. The library and its figures are public; keeping a policy, applying,
deciding and recording awards call the same services as the API (ipcity.services.policies)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from ipcity import clock
from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.bounds import decimal_form_field
from ipcity.plan.selectors import current_plan
from ipcity.services.models import Policy, PolicyApplication, PolicyAward, PolicyMeasure
from ipcity.services.policies import (
    AWARD_HEADERS,
    DESCRIPTION_MAX,
    KINDS,
    LEVELS,
    POLICY_APPLICATION,
    REASON_MAX,
    SUMMARY_MAX,
    AwardsRejected,
    application_parties,
    can_create,
    can_edit,
    force_label,
    granted,
    handles,
    is_in_force,
    measure_choices,
    policy_application_get,
    policy_application_list,
    policy_application_step,
    policy_apply,
    policy_award_list,
    policy_awards_import,
    policy_create,
    policy_figures,
    policy_get,
    policy_list,
    policy_units,
    policy_update,
    yuan,
)
from ipcity.stats.by_year import pilot_years
from ipcity.web.forms import form_errors_from
from ipcity.web.paging import page_of, pages_of
from ipcity.web.params import InputRefused

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
KIND_CODES = {label: code for code, label in KINDS.items()}
MEASURES_HELP = "每行一项：类别|措施名称|单项上限（元，可不填）|支持标准；类别为资助、奖励或服务（服务类不填上限）"
IN_FORCE = {"": None, "1": True, "0": False}


# ---------------------------------------------------------------- forms

def measures_from_lines(text: str) -> list[dict]:
    """The measures typed one per line; the service checks each and names the line as 第N项措施."""
    measures = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|", 3)]
        parts += [""] * (4 - len(parts))
        kind, name, cap, standard = parts
        measures.append({"kind": KIND_CODES.get(kind, kind), "name": name, "cap": cap, "standard": standard})
    return measures


def measures_as_lines(policy: Policy) -> str:
    return "\n".join(f"{m.get_kind_display()}|{m.name}|{'' if m.cap is None else format(m.cap.normalize(), 'f')}|"
                     f"{m.standard}" for m in policy.measures.order_by("position"))


class PolicyForm(forms.Form):
    level = forms.ChoiceField(label="政策层级", choices=list(LEVELS.items()))
    issuer = forms.CharField(label="发文机关", max_length=100)
    document_number = forms.CharField(label="文号", max_length=64)
    title = forms.CharField(label="政策名称", max_length=200)
    summary = forms.CharField(label="政策摘要", max_length=SUMMARY_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    issued_on = forms.DateField(label="印发日期", widget=DATE)
    effective_from = forms.DateField(label="施行日期", widget=DATE)
    effective_until = forms.DateField(label="有效期至（长期有效可不填）", widget=DATE, required=False)
    responsible_unit = forms.ModelChoiceField(label="责任单位", queryset=Organization.objects.none())
    task_numbers = forms.TypedMultipleChoiceField(label="服务的重点任务（工作方案任务序号，可多选）", coerce=int)
    measures = forms.CharField(label="政策措施", help_text=MEASURES_HELP, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = policy_units()
        if not has_perm(user, Perm.POLICY_MANAGE):  # a unit keeps its own policies
            units = units.filter(pk=user.organization_id)
        self.fields["responsible_unit"].queryset = units
        plan = current_plan()
        tasks = plan.tasks.order_by("number") if plan is not None else []
        self.fields["task_numbers"].choices = [(t.number, f"{t.number}. {t.title}") for t in tasks]

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["measures"] = measures_from_lines(data["measures"])
        return data

    @classmethod
    def initial_from(cls, policy: Policy) -> dict:
        return {"level": policy.level, "issuer": policy.issuer, "document_number": policy.document_number,
                "title": policy.title, "summary": policy.summary, "issued_on": policy.issued_on,
                "effective_from": policy.effective_from, "effective_until": policy.effective_until,
                "responsible_unit": policy.responsible_unit_id, "task_numbers": policy.task_numbers,
                "measures": measures_as_lines(policy)}


class ApplyForm(forms.Form):
    measure = forms.ModelChoiceField(label="政策措施", queryset=PolicyMeasure.objects.none())
    amount_requested = decimal_form_field(PolicyApplication, "amount_requested",
                                          label="申请金额（元；服务类措施不填）", required=False)
    description = forms.CharField(label="申请说明", max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, policy, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["measure"]
        field.queryset = measure_choices(policy)
        field.label_from_instance = lambda m: f"{m.get_kind_display()}：{m.name}" + (
            f"（单项上限 {yuan(m.cap)}）" if m.cap is not None else "")


class AwardsForm(forms.Form):
    file = forms.FileField(label="兑现记录表（.xlsx 或 .csv）")


class DecisionForm(forms.Form):
    amount_granted = decimal_form_field(PolicyAward, "amount", label="核定金额（元；准予兑现时填写，服务类措施不填）",
                                        required=False)
    reason = forms.CharField(label="不予兑现理由", max_length=REASON_MAX, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


# ---------------------------------------------------------------- the library

def _filters(request) -> tuple[str, bool | None]:
    level = request.GET.get("level", "").strip()
    if level and level not in LEVELS:
        raise InputRefused(f"政策层级应为{'、'.join(LEVELS.values())}")
    raw = request.GET.get("in_force", "").strip()
    if raw not in IN_FORCE:
        raise InputRefused("效力筛选应为“有效”或“已失效、尚未施行”")
    return level, IN_FORCE[raw]


def _figures() -> list[dict]:
    plan = current_plan()
    return policy_figures(years=pilot_years(plan)) if plan is not None else []


@require_safe
def policies(request):
    """The public library, by level and in force, with the yearly figures of the policy system."""
    level, in_force = _filters(request)
    today = clock.today()
    page = page_of(request, policy_list(level=level or None, in_force=in_force, day=today))
    for policy in page:
        policy.status = force_label(policy, today)
    user = request.user
    return render(request, "services/policies.html", {
        "nav": "services", "page": page, "levels": LEVELS, "level": level,
        "in_force": request.GET.get("in_force", "").strip(), "figures": _figures(),
        "can_create": can_create(user),
        "follows": any(has_perm(user, p) for p in (Perm.POLICY_MANAGE, Perm.POLICY_HANDLE, Perm.POLICY_APPLY))})


@login_required
def policy_new(request):
    if not can_create(request.user):
        raise PermissionDenied("只有知识产权办公室或工作方案的责任单位可以登记政策")
    form = PolicyForm(request.POST or None, user=request.user,
                      initial={"task_numbers": [11], "responsible_unit": request.user.organization_id})
    if request.method == "POST" and form.is_valid():
        try:
            created = policy_create(actor=request.user, **form.values())
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "政策已登记到政策库")
            return redirect("services:policy", pk=created.pk)
    return render(request, "services/policy_form.html", {"nav": "services", "form": form, "policy": None})


@login_required
def policy_edit(request, pk):
    found = policy_get(pk=pk)
    if not can_edit(request.user, found):
        raise PermissionDenied("只有知识产权办公室或该政策的责任单位可以修改政策")
    form = PolicyForm(request.POST or None, user=request.user, initial=PolicyForm.initial_from(found))
    if request.method == "POST" and form.is_valid():
        try:
            policy_update(actor=request.user, policy=found, **form.values())
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "政策已修改")
            return redirect("services:policy", pk=found.pk)
    return render(request, "services/policy_form.html", {"nav": "services", "form": form, "policy": found})


def policy(request, pk):
    """One policy with its measures (public). An enterprise applies here while it is in force; the responsible unit
    records awards from a spreadsheet."""
    found = policy_get(pk=pk)
    user = request.user
    today = clock.today()
    applying = has_perm(user, Perm.POLICY_APPLY) and is_in_force(found, today)
    recording = handles(user, found)
    kind = request.POST.get("form") if request.method == "POST" else None
    apply_form = ApplyForm(request.POST if kind == "apply" else None, policy=found) if applying else None
    awards_form = AwardsForm(request.POST if kind == "awards" else None, request.FILES if kind == "awards" else None) \
        if recording else None
    if request.method == "POST":
        if kind == "apply" and has_perm(user, Perm.POLICY_APPLY) and apply_form is None:
            apply_form = ApplyForm(request.POST, policy=found)  # out of force: the service says why
        if kind == "apply" and apply_form is not None:
            if apply_form.is_valid():
                try:
                    made = policy_apply(actor=user, **apply_form.cleaned_data)
                except ValidationError as exc:
                    form_errors_from(apply_form, exc)
                else:
                    messages.success(request, "申请已提交，由政策的责任单位审核")
                    return redirect("services:policy_application", pk=made.pk)
        elif kind == "awards" and awards_form is not None:
            if awards_form.is_valid():
                upload = awards_form.cleaned_data["file"]
                try:
                    result = policy_awards_import(actor=user, policy=found, data=upload.read(),
                                                  filename=upload.name or "")
                except AwardsRejected as rejected:
                    for problem in rejected.problems:
                        messages.error(request, str(problem))
                    messages.error(request, "兑现记录表有误，未登记任何记录；请改正后重新上传")
                except ValidationError as exc:
                    messages.error(request, "；".join(exc.messages))
                else:
                    messages.success(request, f"已登记兑现记录 {result['recorded']} 条，涉及企业 {result['enterprises']} 家，"
                                              f"金额合计 {yuan(result['amount'])}")
                return redirect("services:policy", pk=found.pk)
        else:
            raise PermissionDenied("企业可以申请政策兑现；该政策的责任单位可以登记兑现记录")
    plan = current_plan()
    tasks = {t.number: t for t in plan.tasks.all()} if plan is not None else {}
    return render(request, "services/policy.html", {
        "nav": "services", "policy": found, "status": force_label(found, today),
        "tasks": [tasks[n] for n in found.task_numbers if n in tasks], "measures": measure_choices(found),
        "apply_form": apply_form, "awards_form": awards_form, "award_headers": AWARD_HEADERS,
        "can_edit": can_edit(user, found), "may_apply": has_perm(user, Perm.POLICY_APPLY)})


# ---------------------------------------------------------------- 政策兑现

@require_safe
@login_required
def policy_applications(request):
    """The enterprise's own applications and awards, a unit's under its policies, the office's all."""
    pages = pages_of(request, applications=policy_application_list(user=request.user).select_related("award"),
                     awards=policy_award_list(user=request.user))
    for application in pages["applications"]:
        application.granted = granted(application)
    return render(request, "services/policy_applications.html", {
        "nav": "services", "applications": pages["applications"], "awards": pages["awards"], "figures": _figures()})


@login_required
def policy_application(request, pk):
    found = policy_application_get(user=request.user, pk=pk)
    parties = application_parties(request.user, found)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if not parties:
            raise PermissionDenied("只有政策的责任单位可以审核，申请企业可以撤回")
        if form.is_valid():
            try:
                policy_application_step(actor=request.user, application=found, action=action,
                                        amount_granted=form.cleaned_data["amount_granted"],
                                        reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"已{POLICY_APPLICATION.action_labels[action]}")
                return redirect("services:policy_application", pk=pk)
    found = policy_application_get(user=request.user, pk=pk)
    return render(request, "services/policy_application.html", {
        "nav": "services", "application": found, "award": granted(found), "form": form,
        "actions": [(t.action, t.label) for t in POLICY_APPLICATION.available(found.state, parties)],
        "deciding": "unit" in parties and found.state == PolicyApplication.State.SUBMITTED})
