"""Pages for leading group meetings (decisions becoming work items) and for interviews (约谈) with lagging units."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from ipcity import clock
from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import has_perm, require_perm
from ipcity.accounts.roles import Perm
from ipcity.bounds import int_form_field
from ipcity.inputs import as_id, object_or_404
from ipcity.plan.assessment import (
    interview_get,
    interview_list,
    interview_record,
    interview_rectification_decide,
    interview_rectification_report,
    unit_scores,
)
from ipcity.plan.core.assessment import LAGGING_BELOW
from ipcity.plan.core.schema import ORG_TYPES
from ipcity.plan.meetings import decision_to_work_item, meeting_list, meeting_record
from ipcity.plan.models import Interview, KeyTask, LeadingGroupMeeting
from ipcity.plan.selectors import current_plan_or_404
from ipcity.web.forms import RecordsField, form_errors_from
from ipcity.web.paging import page_of
from ipcity.web.params import posted_yes_no
from ipcity.web.supporting import SupportingFilesField, supporting_attach, supporting_panel

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def _units():
    return Organization.objects.filter(org_type__in=ORG_TYPES).order_by("pk")


class MeetingForm(forms.Form):
    title = forms.CharField(label="会议名称", max_length=200)
    kind = forms.ChoiceField(label="会议类型", choices=LeadingGroupMeeting.Kind.choices)
    held_on = forms.DateField(label="召开日期", widget=DATE_INPUT)
    place = forms.CharField(label="地点", max_length=200, required=False)
    chaired_by = forms.CharField(label="主持人", max_length=100)
    attendees = RecordsField(label="出席单位", queryset=_units(), required=False,
                                               widget=forms.CheckboxSelectMultiple)
    summary = forms.CharField(label="会议纪要", widget=forms.Textarea(attrs={"rows": 5}))
    decisions = forms.CharField(label="议定事项（每行一项；转为工作事项时再指定任务、单位和时限）", required=False,
                                widget=forms.Textarea(attrs={"rows": 5}))
    files = SupportingFilesField(label="会议纪要等佐证材料")


class DecisionItemForm(forms.Form):
    task = forms.ModelChoiceField(label="重点任务", queryset=KeyTask.objects.all())
    unit = forms.ModelChoiceField(label="承办单位", queryset=_units())
    deadline = forms.DateField(label="完成时限", widget=DATE_INPUT)
    title = forms.CharField(label="工作事项名称（默认为议定事项原文）", max_length=200, required=False)


@require_safe
@login_required
def meetings(request):
    return render(request, "supervision/meetings.html", {
        "nav": "supervision", "page": page_of(request, meeting_list(user=request.user)),
        "can_record": has_perm(request.user, Perm.SUPERVISION_MANAGE)})


@login_required
def meeting_new(request):
    require_perm(request.user, Perm.SUPERVISION_MANAGE)
    form = MeetingForm(request.POST or None, request.FILES or None, initial={"held_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        decisions = [{"text": line} for line in data.pop("decisions").splitlines() if line.strip()]
        files = data.pop("files")
        try:
            with transaction.atomic():  # a refused file leaves no meeting behind
                meeting = meeting_record(actor=request.user, plan=current_plan_or_404(), decisions=decisions, **data)
                if files:
                    supporting_attach(actor=request.user, kind="meeting", subject=meeting, files=files)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "会议已记录")
            return redirect("supervision:meeting", pk=meeting.pk)
    return render(request, "supervision/meeting_new.html", {"nav": "supervision", "form": form})


@login_required
def meeting_detail(request, pk):
    meeting = object_or_404(meeting_list(user=request.user), pk=pk)
    can_assign = has_perm(request.user, Perm.SUPERVISION_MANAGE)
    failed: dict = {}
    if request.method == "POST":
        require_perm(request.user, Perm.SUPERVISION_MANAGE)
        decision = object_or_404(meeting.decisions, pk=request.POST.get("decision"))
        form = DecisionItemForm(request.POST, prefix=f"d{decision.pk}")
        if form.is_valid():
            try:
                item = decision_to_work_item(actor=request.user, decision=decision, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"议定事项第{decision.number}项已转为工作事项")
                return redirect("supervision:item", pk=item.pk)
        failed[decision.pk] = form
    decisions = list(meeting.decisions.all())
    for decision in decisions:
        if can_assign and decision.work_item_id is None:
            decision.form = failed.get(decision.pk) or DecisionItemForm(
                prefix=f"d{decision.pk}", initial={"task": decision.task_id, "unit": decision.unit_id,
                                                   "deadline": decision.deadline})
    return render(request, "supervision/meeting.html", {
        "nav": "supervision", "meeting": meeting, "decisions": decisions,
        "files_panel": supporting_panel(user=request.user, kind="meeting", subject=meeting)})


class InterviewForm(forms.Form):
    unit = forms.ModelChoiceField(label="被约谈单位", queryset=_units())
    year = int_form_field(Interview, "year")
    held_on = forms.DateField(label="约谈日期", widget=DATE_INPUT)
    interviewer = forms.CharField(label="约谈人", max_length=100)
    interviewees = forms.CharField(label="被约谈人", max_length=200)
    reason = forms.CharField(label="约谈事由", widget=forms.Textarea(attrs={"rows": 2}))
    content = forms.CharField(label="约谈内容", widget=forms.Textarea(attrs={"rows": 4}))
    requirements = forms.CharField(label="整改要求", widget=forms.Textarea(attrs={"rows": 3}))
    rectification_deadline = forms.DateField(label="整改时限", widget=DATE_INPUT)


@require_safe
@login_required
def interviews(request):
    return render(request, "supervision/interviews.html", {
        "nav": "supervision", "page": page_of(request, interview_list(user=request.user)),
        "can_record": has_perm(request.user, Perm.SUPERVISION_MANAGE)})


@login_required
def interview_new(request):
    require_perm(request.user, Perm.SUPERVISION_MANAGE)
    plan = current_plan_or_404()
    year = clock.today().year
    initial = {"year": year, "held_on": clock.today(), "interviewer": "区知识产权工作领导小组办公室主任"}
    unit = _units().filter(pk=as_id(request.GET.get("unit"))).first() if as_id(request.GET.get("unit")) else None
    if unit is not None:
        score = next((s for s in unit_scores(user=request.user, plan=plan, year=year) if s.unit == unit.name), None)
        initial["unit"] = unit.pk
        if score is not None and score.lagging:
            initial["reason"] = f"{year}年度考核得分{score.total:g}分（第{score.rank}名），低于{LAGGING_BELOW}分"
    form = InterviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            interview = interview_record(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "约谈记录已保存")
            return redirect("supervision:interview", pk=interview.pk)
    return render(request, "supervision/interview_new.html", {"nav": "supervision", "form": form})


@login_required
def interview_detail(request, pk):
    interview = interview_get(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "rectification":
                interview_rectification_report(actor=request.user, interview=interview,
                                               text=request.POST.get("text", ""))
                messages.success(request, "整改情况已报送")
            else:
                interview_rectification_decide(actor=request.user, interview=interview,
                                               accept=posted_yes_no(request.POST, "accept", label="审核结果"),
                                               note=request.POST.get("note", ""))
                messages.success(request, "已审核")
            return redirect("supervision:interview", pk=pk)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    is_unit = has_perm(request.user, Perm.SUPERVISION_WORK) and request.user.organization_id == interview.unit_id
    return render(request, "supervision/interview.html", {
        "nav": "supervision", "interview": interview,
        "can_report": is_unit and interview.state == Interview.Rectification.RECTIFYING,
        "can_decide": has_perm(request.user, Perm.SUPERVISION_MANAGE)
        and interview.state == Interview.Rectification.REPORTED})
