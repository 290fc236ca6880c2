from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from ipcity.accounts.permissions import has_perm, require_perm
from ipcity.accounts.roles import Perm
from ipcity.bounds import decimal_form_field
from ipcity.inputs import object_or_404
from ipcity.operations.bulk import OFFERS, OffersRejected, offers_import
from ipcity.operations.models import FIELDS, MATURITY, Deal, Interest, TechNeed, TechOffer
from ipcity.operations.selectors import (
    interests_for,
    need_get,
    need_matches,
    needs_own,
    needs_pending,
    needs_public,
    offer_get,
    offer_matches,
    offers_own,
    offers_public,
)
from ipcity.operations.services import (
    ADVANCE_ACTIONS,
    INTEREST,
    deal_record,
    interest_advance,
    interest_express,
    interest_parties,
    need_create,
    need_renew,
    need_review,
    need_state,
    offer_create,
    offer_withdraw,
    success_rates,
)
from ipcity.web.forms import form_errors_from
from ipcity.web.paging import page_of, pages_of
from ipcity.web.params import posted_day, posted_yes_no

DATE = forms.DateInput(attrs={"type": "date"})


@require_safe
def home(request):
    user = request.user
    pages = pages_of(request, offers=offers_public(), needs=needs_public(), pending=needs_pending(user=user),
                     mine=offers_own(user=user), my_needs=needs_own(user=user))
    return render(request, "operations/home.html", {
        "nav": "operations", **pages,
        "can_offer": user.is_authenticated and has_perm(user, Perm.TECH_OFFER),
        "can_need": user.is_authenticated and has_perm(user, Perm.TECH_NEED),
        "manages": user.is_authenticated and has_perm(user, Perm.OPERATIONS_MANAGE), "rates": success_rates()})


class OfferForm(forms.Form):
    patent_number = forms.CharField(label="申请号或专利号", max_length=32)
    mode = forms.ChoiceField(label="方式", choices=TechOffer.Mode.choices)
    price_terms = forms.CharField(label="价格条件", max_length=300)
    field = forms.ChoiceField(label="技术领域", choices=[(f, f) for f in FIELDS])
    maturity = forms.ChoiceField(label="成熟度", choices=[(m, m) for m in MATURITY])
    scenarios = forms.CharField(label="应用场景", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    fee_method = forms.CharField(label="开放许可：使用费支付方式（如 按年支付）", required=False, max_length=100)
    fee_standard = forms.CharField(label="开放许可：使用费支付标准（如 每年2万元）", required=False, max_length=200)
    term_until = forms.DateField(label="开放许可：许可期限至", required=False, widget=DATE)
    pledgee_consents = forms.BooleanField(label="开放许可：已质押的，质权人已书面同意", required=False)
    evaluation_report = forms.CharField(label="开放许可：专利权评价报告编号（实用新型、外观设计必填）", required=False,
                                        max_length=64)


@login_required
def offer_new(request):
    require_perm(request.user, Perm.TECH_OFFER)
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        declaration = {k: data[k] for k in ("fee_method", "fee_standard", "term_until", "pledgee_consents",
                                            "evaluation_report")} if data["mode"] == TechOffer.Mode.OPEN else None
        try:
            offer = offer_create(actor=request.user, declaration=declaration, **{
                k: data[k] for k in ("patent_number", "mode", "price_terms", "field", "maturity", "scenarios")})
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            if offer.state == TechOffer.State.REFUSED:
                messages.error(request, "开放许可声明未通过：" + "；".join(offer.refusal_reasons))
            else:
                messages.success(request, "供给信息已发布")
            return redirect("operations:offer", pk=offer.pk)
    return render(request, "operations/offer_new.html", {"nav": "operations", "form": form})


class ImportForm(forms.Form):
    file = forms.FileField(label="专利清单（.xlsx 或 .csv）")


@login_required
def offer_import(request):
    require_perm(request.user, Perm.TECH_OFFER)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            counts = offers_import(actor=request.user, data=upload.read(), filename=upload.name)
        except OffersRejected as rejected:
            problems = [str(p) for p in rejected.problems]
        else:
            messages.success(request, f"已发布 {counts['published']} 件；开放许可声明未通过 {counts['refused']} 件"
                                      "（见本机构的供给列表）")
            return redirect("operations:home")
    return render(request, "operations/offer_import.html", {"nav": "operations", "form": form, "problems": problems,
                                                            "columns": OFFERS.columns})


class InterestForm(forms.Form):
    need = forms.ModelChoiceField(label="关联本企业的需求（选填）", queryset=TechNeed.objects.none(), required=False)
    message = forms.CharField(label="意向说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


def offer_detail(request, pk):
    offer = offer_get(user=request.user, pk=pk)
    user = request.user
    owner = user.is_authenticated and has_perm(user, Perm.TECH_OFFER) and offer.organization_id == user.organization_id
    can_express = user.is_authenticated and has_perm(user, Perm.TECH_NEED) and not owner \
        and offer.state == TechOffer.State.PUBLISHED
    form = None
    if can_express:
        form = InterestForm(request.POST or None)
        form.fields["need"].queryset = needs_own(user=user)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "withdraw":
                offer_withdraw(actor=user, offer=offer)
                messages.success(request, "已撤回；此前已达成的许可继续有效")
                return redirect("operations:offer", pk=pk)
            if form is not None and form.is_valid():
                interest_express(actor=user, offer=offer, need=form.cleaned_data["need"],
                                 message=form.cleaned_data["message"])
                messages.success(request, "已向专利权人表达意向")
                return redirect("operations:interests")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    return render(request, "operations/offer.html", {
        "nav": "operations", "offer": offer, "owner": owner, "form": form,
        "matches": offer_matches(offer, user=user) if owner and offer.state == TechOffer.State.PUBLISHED else []})


class NeedForm(forms.Form):
    title = forms.CharField(label="需求名称", max_length=200)
    problem = forms.CharField(label="需要解决的技术问题", widget=forms.Textarea(attrs={"rows": 4}))
    field = forms.ChoiceField(label="技术领域", choices=[(f, f) for f in FIELDS])
    ipc = forms.CharField(label="相关IPC（选填，逗号分隔）", max_length=100, required=False)
    budget = decimal_form_field(TechNeed, "budget", label="预算（万元，选填）", required=False)
    deadline = forms.DateField(label="有效期至", widget=DATE)
    confidential = forms.BooleanField(label="对外隐藏企业名称", required=False)


@login_required
def need_new(request):
    require_perm(request.user, Perm.TECH_NEED)
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            need = need_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "需求已提交，待知识产权办公室审核后发布")
            return redirect("operations:need", pk=need.pk)
    return render(request, "operations/need_new.html", {"nav": "operations", "form": form})


def need_detail(request, pk):
    need = need_get(user=request.user, pk=pk)
    user = request.user
    owner = user.is_authenticated and has_perm(user, Perm.TECH_NEED) and need.organization_id == user.organization_id
    manages = user.is_authenticated and has_perm(user, Perm.OPERATIONS_MANAGE)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "review":
                need_review(actor=user, need=need, approve=posted_yes_no(request.POST, "approve", label="审批结果"),
                            note=request.POST.get("note", ""))
            elif request.POST.get("form") == "renew":
                need_renew(actor=user, need=need, deadline=posted_day(request.POST, "deadline", label="新的截止日期"))
            elif request.POST.get("form") == "interest":
                offer = object_or_404(offers_public(), pk=request.POST.get("offer"))
                interest_express(actor=user, offer=offer, need=need, message=request.POST.get("message", ""))
                messages.success(request, "已向专利权人表达意向")
                return redirect("operations:interests")
            messages.success(request, "已保存")
            return redirect("operations:need", pk=pk)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    state = need_state(need)
    return render(request, "operations/need.html", {
        "nav": "operations", "need": need, "owner": owner, "manages": manages, "state": state,
        "state_label": TechNeed.State(state).label, "show_org": owner or manages or not need.confidential,
        "matches": need_matches(need, user=user) if (owner or manages) and state == TechNeed.State.PUBLISHED else []})


class DealForm(forms.Form):
    kind = forms.ChoiceField(label="交易类型", choices=TechOffer.Mode.choices)
    amount = decimal_form_field(Deal, "amount")
    contract_date = forms.DateField(label="合同签订日", widget=DATE)
    recordal_date = forms.DateField(label="登记或备案日", widget=DATE)
    term_until = forms.DateField(label="许可期限至（许可时填写）", required=False, widget=DATE)


@login_required
def interests(request):
    visible = interests_for(user=request.user)
    if request.method == "POST":
        interest = object_or_404(visible, pk=request.POST.get("pk"))
        try:
            if request.POST.get("form") == "deal":
                form = DealForm(request.POST, prefix=f"deal{interest.pk}")
                if not form.is_valid():
                    raise ValidationError([f"{form.fields[k].label}：{'；'.join(v)}" for k, v in form.errors.items()])
                deal_record(actor=request.user, interest=interest, **form.cleaned_data)
                messages.success(request, "成交已登记，并已记入专利法律事件")
            else:
                interest_advance(actor=request.user, interest=interest, action=request.POST.get("action", ""),
                                 meeting_on=posted_day(request.POST, "meeting_on", label="洽谈日期", required=False))
                messages.success(request, "已更新")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("operations:interests")
    page = page_of(request, visible)
    for item in page:
        item.owner_side = item.offer.organization_id == request.user.organization_id
        item.steps = [t for t in INTEREST.available(item.state, interest_parties(request.user, item))
                      if t.action in ADVANCE_ACTIONS]
        item.deal_form = DealForm(prefix=f"deal{item.pk}", initial={"kind": item.offer.mode}) \
            if item.owner_side and item.state in (Interest.State.MEETING, Interest.State.NEGOTIATING) else None
    return render(request, "operations/interests.html", {"nav": "operations", "page": page})
