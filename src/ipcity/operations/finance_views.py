from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.bounds import decimal_form_field, posted_decimal
from ipcity.inputs import object_or_404
from ipcity.operations.finance import (
    FINANCING,
    claim_decide,
    claim_file,
    claims_list,
    financing_apply,
    financing_get,
    financing_list,
    financing_step,
)
from ipcity.operations.models import FinancingApplication, InsuranceClaim
from ipcity.stats.models import SecuritizationProduct
from ipcity.web.forms import form_errors_from
from ipcity.web.paging import pages_of
from ipcity.web.params import posted_yes_no

DATE = forms.DateInput(attrs={"type": "date"})


class ApplyForm(forms.Form):
    bank = forms.ModelChoiceField(label="合作银行", queryset=Organization.objects.filter(
        org_type=OrgType.FINANCIAL_INSTITUTION).order_by("name"))
    amount_requested = decimal_form_field(FinancingApplication, "amount_requested")
    patents = forms.CharField(label="出质专利（申请号，每行一个）", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    trademarks = forms.CharField(label="出质商标（注册号，每行一个）", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    copyrights = forms.CharField(label="出质著作权（登记号，每行一个）", required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    purpose = forms.CharField(label="资金用途", max_length=300)


class ClaimForm(forms.Form):
    policy_number = forms.CharField(label="保单号", max_length=64)
    amount_claimed = decimal_form_field(InsuranceClaim, "amount_claimed")
    reason = forms.CharField(label="出险经过", widget=forms.Textarea(attrs={"rows": 2}))


@login_required
def finance(request):
    user = request.user
    applications = financing_list(user=user)  # refuses whoever may see no application, before anything is done
    applies = has_perm(user, Perm.FINANCING_APPLY)
    handles = has_perm(user, Perm.FINANCING_HANDLE)
    apply_form = ApplyForm(request.POST if request.POST.get("form") == "apply" else None, prefix="apply") \
        if applies else None
    claim_form = ClaimForm(request.POST if request.POST.get("form") == "claim" else None, prefix="claim") \
        if applies else None
    if request.method == "POST":
        kind = request.POST.get("form")
        try:
            if kind == "apply" and apply_form is not None and apply_form.is_valid():
                data = dict(apply_form.cleaned_data)
                data["patents"] = [n.strip().upper().removeprefix("ZL") for n in data["patents"].split()]
                data["trademarks"] = data["trademarks"].split()
                data["copyrights"] = data["copyrights"].split()
                financing_apply(actor=user, **data)
                messages.success(request, "融资申请已提交给银行")
                return redirect("operations:finance")
            if kind == "claim" and claim_form is not None and claim_form.is_valid():
                claim_file(actor=user, **claim_form.cleaned_data)
                messages.success(request, "已向保险公司报案")
                return redirect("operations:finance")
            if kind == "step":
                application = financing_get(user=user, pk=request.POST.get("pk"))
                dates = {name: forms.DateField(required=False).clean(request.POST.get(name) or None)
                         for name in ("registered_on", "released_on")}
                financing_step(actor=user, application=application, action=request.POST.get("action", ""),
                               note=request.POST.get("note", ""),
                               approved_amount=posted_decimal(request.POST, "approved_amount", FinancingApplication),
                               pledge_reference=request.POST.get("pledge_reference", ""), **dates)
                messages.success(request, "已办理")
                return redirect("operations:finance")
            if kind == "decide":
                claim = object_or_404(claims_list(user=user), "理赔申请不存在或无权查看", pk=request.POST.get("pk"))
                claim_decide(actor=user, claim=claim, pay=posted_yes_no(request.POST, "pay", label="是否赔付"),
                             amount_paid=posted_decimal(request.POST, "amount_paid", InsuranceClaim), note=request.POST.get("note", ""))
                messages.success(request, "理赔已处理")
                return redirect("operations:finance")
        except ValidationError as exc:
            form = apply_form if kind == "apply" else claim_form if kind == "claim" else None
            if form is not None:
                form_errors_from(form, exc)
            else:
                messages.error(request, "；".join(exc.messages))
    pages = pages_of(request, applications=applications, claims=claims_list(user=user),
                     securitizations=SecuritizationProduct.objects.order_by("-issued_on", "-id"))
    for application in pages["applications"]:
        application.steps = [(t.action, t.label) for t in FINANCING.available(application.state, {"bank"})] \
            if handles else []
    return render(request, "operations/finance.html", {
        "nav": "operations", **pages, "handles": handles, "apply_form": apply_form, "claim_form": claim_form})
