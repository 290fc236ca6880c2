from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from ipcity import clock
from ipcity.accounts.models import User
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.bounds import posted_decimal
from ipcity.inputs import as_id
from ipcity.protection.enforcement import (
    HISTORY_LABELS,
    case_actions,
    case_assign,
    case_get,
    case_list,
    case_refer,
    case_register,
    case_step,
    deadlines,
    handles,
    officers_of,
    overdue,
    personal_data,
    referral_receipt,
    takes_up,
)
from ipcity.protection.models import EnforcementCase
from ipcity.protection.selectors import referral_of
from ipcity.web.forms import form_errors_from
from ipcity.web.paging import page_of
from ipcity.web.params import posted_day
from ipcity.web.supporting import supporting_panel
from ipcity.workflow.core import UNKNOWN_LABEL

DATE = forms.DateInput(attrs={"type": "date"})


class CaseForm(forms.Form):
    kind = forms.ChoiceField(label="案件类型", choices=EnforcementCase.Kind.choices,
                             help_text="版权案件由区文化和旅游局（文化市场综合执法）承办：登记后转该局")
    source = forms.ChoiceField(label="案件来源", choices=EnforcementCase.Source.choices)
    party = forms.CharField(label="当事人", max_length=200)
    party_credit_code = forms.CharField(label="当事人统一社会信用代码", max_length=18, required=False)
    party_id_number = forms.CharField(label="当事人身份证号（个人）", max_length=18, required=False)
    party_phone = forms.CharField(label="当事人电话", max_length=20, required=False)
    complainant = forms.CharField(label="投诉人", max_length=200, required=False)
    complainant_phone = forms.CharField(label="投诉人电话", max_length=20, required=False)
    facts = forms.CharField(label="案情", widget=forms.Textarea(attrs={"rows": 3}))
    received_on = forms.DateField(label="登记日期", widget=DATE)


@login_required
def cases(request):
    form = CaseForm(request.POST or None) if has_perm(request.user, Perm.CASE_HANDLE) else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            case = case_register(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            if case.unit_id != request.user.organization_id:
                messages.success(request, f"案件已登记，{case.get_kind_display()}案件转{case.unit.name}承办")
                return redirect("protection:cases")
            messages.success(request, "案件已登记")
            return redirect("protection:case", pk=case.pk)
    page = page_of(request, case_list(user=request.user))
    for case in page:
        case.late = overdue(case)
    return render(request, "protection/cases.html", {"nav": "protection", "page": page, "form": form})


@login_required
def case(request, pk):
    item = case_get(user=request.user, pk=pk)
    mine = handles(request.user, item)
    if request.method == "POST":
        kind = request.POST.get("form")
        try:
            if kind == "refer":
                case_refer(actor=request.user, case=item, police=request.POST.get("police", ""),
                           referred_on=posted_day(request.POST, "referred_on", label="移送日期", required=False)
                           or clock.today(),
                           reason=request.POST.get("reason", ""))
            elif kind == "receipt":
                referral_receipt(actor=request.user, case=item, receipt_number=request.POST.get("receipt_number", ""),
                                 receipt_on=posted_day(request.POST, "receipt_on", label="回执日期", required=False)
                                 or clock.today())
            elif kind == "assign":
                officers = list(User.objects.filter(pk__in=[as_id(v) for v in request.POST.getlist("officers")
                                                            if as_id(v)]))  # the service refuses non-officers
                case_assign(actor=request.user, case=item, officers=officers)
            else:
                fine = posted_decimal(request.POST, "fine", EnforcementCase)
                case_step(actor=request.user, case=item, action=request.POST.get("action", ""),
                          day=posted_day(request.POST, "day", label="日期", required=False),
                          note=request.POST.get("note", ""),
                          decision_number=request.POST.get("decision_number", ""), fine=fine)
            messages.success(request, "已办理")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("protection:case", pk=pk)
    referral = referral_of(item)
    return render(request, "protection/case.html", {
        "nav": "protection", "case": item, "mine": mine, "can_assign": mine or takes_up(request.user, item), "personal": personal_data(user=request.user, case=item),
        "actions": [(t.action, t.label) for t in case_actions(user=request.user, case=item)],
        "referral": referral, "deadlines": deadlines(item), "late": overdue(item),
        "history": [{**h, "label": HISTORY_LABELS.get(h["action"], UNKNOWN_LABEL)} for h in item.history],
        "colleagues": officers_of(item.unit_id),
        "files_panel": supporting_panel(user=request.user, kind="case", subject=item)})
