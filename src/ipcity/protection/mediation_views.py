from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.inputs import object_or_404
from ipcity.protection.mediation import (
    mediation_actions,
    mediation_apply,
    mediation_get,
    mediation_list,
    mediation_step,
    mediators_of,
    outcomes,
    overdue,
    parties_of,
)
from ipcity.protection.models import MediationCase
from ipcity.web.forms import form_errors_from
from ipcity.web.paging import page_of
from ipcity.web.params import posted_day
from ipcity.web.supporting import supporting_panel


class ApplyForm(forms.Form):
    channel = forms.ChoiceField(label="调解渠道", choices=MediationCase.Channel.choices)
    body = forms.ModelChoiceField(label="调解机构", queryset=Organization.objects.filter(
        org_type__in=[OrgType.MEDIATION_BODY, OrgType.GOVERNMENT_UNIT]).order_by("org_type", "name"))
    respondent = forms.CharField(label="被申请人", max_length=200)
    right_type = forms.ChoiceField(label="权利类型", choices=[("patent", "专利"), ("trademark", "商标"),
                                                           ("copyright", "著作权"), ("other", "其他")])
    claim = forms.CharField(label="纠纷与请求", widget=forms.Textarea(attrs={"rows": 3}))


@login_required
def mediations(request):
    form = ApplyForm(request.POST or None) if has_perm(request.user, Perm.MEDIATION_APPLY) else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            case = mediation_apply(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "调解申请已提交")
            return redirect("protection:mediation", pk=case.pk)
    page = page_of(request, mediation_list(user=request.user))
    for case in page:
        case.overdue = overdue(case)
    return render(request, "protection/mediations.html", {"nav": "protection", "page": page, "form": form,
                                                          "outcomes": outcomes()})


@login_required
def mediation(request, pk):
    case = mediation_get(user=request.user, pk=pk)
    handles = bool(parties_of(request.user, case))
    if request.method == "POST":
        try:
            mediator = object_or_404(mediators_of(case.body), pk=request.POST.get("mediator")) \
                if request.POST.get("mediator") else None
            mediation_step(actor=request.user, case=case, action=request.POST.get("action", ""),
                           day=posted_day(request.POST, "day", label="日期", required=False),
                           text=request.POST.get("text", ""),
                           mediator=mediator, court=request.POST.get("court", ""))
            messages.success(request, "已办理")
        except ValueError:
            messages.error(request, "日期无效")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("protection:mediation", pk=pk)
    actions = [(t.action, t.label) for t in mediation_actions(user=request.user, case=case)]
    return render(request, "protection/mediation.html", {
        "nav": "protection", "case": case, "actions": actions, "mediators": mediators_of(case.body) if handles else [],
        "overdue": overdue(case), "files_panel": supporting_panel(user=request.user, kind="mediation", subject=case)})
