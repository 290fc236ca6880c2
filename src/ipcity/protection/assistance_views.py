from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.permissions import has_perm, missing
from ipcity.accounts.roles import Perm
from ipcity.protection.assistance import (
    AUTHORITIES,
    CATEGORIES,
    CHECKLIST,
    assistance_actions,
    assistance_get,
    assistance_list,
    assistance_request,
    assistance_step,
    cooperation_record,
    market_check,
    market_create,
    market_recognition_record,
)
from ipcity.protection.models import CooperationRecord, StandardizedMarket
from ipcity.protection.selectors import cooperation_record_list, market_get, market_list
from ipcity.web.forms import RecordsField, form_errors_from
from ipcity.web.paging import page_of

DATE = forms.DateInput(attrs={"type": "date"})


class AssistanceForm(forms.Form):
    topic = forms.CharField(label="事项", max_length=200)
    description = forms.CharField(label="情况说明", widget=forms.Textarea(attrs={"rows": 3}))
    overseas = forms.BooleanField(label="海外纠纷", required=False)
    country = forms.CharField(label="国家或地区（海外纠纷）", max_length=50, required=False)


@login_required
def assistance(request):
    user = request.user
    form = AssistanceForm(request.POST if request.POST.get("form") == "request" else None) \
        if has_perm(user, Perm.ASSISTANCE_APPLY) else None
    if request.method == "POST":
        try:
            if request.POST.get("form") == "request" and form is not None and form.is_valid():
                assistance_request(actor=user, **form.cleaned_data)
                messages.success(request, "援助申请已提交")
                return redirect("protection:assistance")
            if request.POST.get("form") == "step":
                item = assistance_get(user=user, pk=request.POST.get("pk"))
                assistance_step(actor=user, request=item, action=request.POST.get("action", ""),
                                text=request.POST.get("text", ""), category=request.POST.get("category", ""))
                messages.success(request, "已办理")
                return redirect("protection:assistance")
        except ValidationError as exc:
            if form is not None and request.POST.get("form") == "request":
                form_errors_from(form, exc)
            else:
                messages.error(request, "；".join(exc.messages))
    page = page_of(request, assistance_list(user=user))
    for item in page:
        item.steps = [(t.action, t.label) for t in assistance_actions(user=user, request=item)]
    return render(request, "protection/assistance.html", {"nav": "protection", "page": page, "form": form,
                                                          "categories": CATEGORIES})


class MarketForm(forms.Form):
    name = forms.CharField(label="市场名称", max_length=200)
    level = forms.ChoiceField(label="级别", choices=StandardizedMarket.Level.choices)


class RecognitionForm(forms.Form):
    authority = forms.CharField(label="认定机关", max_length=200)
    document_number = forms.CharField(label="认定文号", max_length=100)
    recognized_on = forms.DateField(label="认定日期", widget=DATE)


class CooperationForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=CooperationRecord.Kind.choices)
    title = forms.CharField(label="名称", max_length=200)
    partners = forms.CharField(label="协作方（地区或单位）", max_length=300)
    units = RecordsField(label="参加单位", required=False, queryset=Organization.objects.filter(
        org_type=OrgType.GOVERNMENT_UNIT).order_by("name"))
    started_on = forms.DateField(label="开始日期", widget=DATE)
    ended_on = forms.DateField(label="结束日期", required=False, widget=DATE)
    summary = forms.CharField(label="情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))


def markets(request):
    """Public: the standardized markets, their checklists and recognitions, and the cooperation records; the office
    follows construction and records the city's or CNIPA's recognition."""
    manages = request.user.is_authenticated and has_perm(request.user, Perm.MARKET_MANAGE)
    market_form = MarketForm(request.POST if request.POST.get("form") == "market" else None) if manages else None
    cooperation_form = CooperationForm(request.POST if request.POST.get("form") == "cooperation" else None) \
        if manages else None
    if request.method == "POST":
        if not manages:
            raise PermissionDenied(missing(Perm.MARKET_MANAGE))
        kind = request.POST.get("form")
        try:
            if kind == "market" and market_form.is_valid():
                market_create(actor=request.user, **market_form.cleaned_data)
            elif kind == "cooperation" and cooperation_form.is_valid():
                cooperation_record(actor=request.user, **cooperation_form.cleaned_data)
            elif kind == "check":
                market = market_get(pk=request.POST.get("market"))
                market_check(actor=request.user, market=market,
                             items={k: bool(request.POST.get(k)) for k in CHECKLIST})
            elif kind == "recognition":
                market = market_get(pk=request.POST.get("market"))
                recognition = RecognitionForm(request.POST)
                if not recognition.is_valid():
                    raise ValidationError({f: e for f, e in recognition.errors.items()})
                market_recognition_record(actor=request.user, market=market, **recognition.cleaned_data)
            else:
                raise ValidationError("请检查填写的内容")
            messages.success(request, "已保存")
            return redirect("protection:markets")
        except ValidationError as exc:
            form = market_form if kind == "market" else cooperation_form if kind == "cooperation" else None
            if form is not None and form.is_bound:
                form_errors_from(form, exc)
            elif hasattr(exc, "error_dict"):
                labels = {name: field.label for name, field in RecognitionForm.base_fields.items()}
                for field, errors in exc.message_dict.items():
                    messages.error(request, f"{labels.get(field, '认定')}：{'；'.join(errors)}")
            else:
                messages.error(request, "；".join(exc.messages))
    return render(request, "protection/markets.html", {
        "nav": "protection", "markets": market_list(), "checklist": CHECKLIST,
        "page": page_of(request, cooperation_record_list()), "manages": manages, "authorities": AUTHORITIES,
        "market_form": market_form, "cooperation_form": cooperation_form})
