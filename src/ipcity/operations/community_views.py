from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import has_perm, missing
from ipcity.accounts.roles import Perm
from ipcity.bounds import decimal_form_field
from ipcity.operations.community import (
    PARTNER_ORG_TYPES,
    alliance_activities,
    alliance_join,
    alliance_leave,
    alliance_member_get,
    alliance_member_list,
    event_list,
    event_record,
    product_list,
    product_record,
)
from ipcity.operations.models import AllianceMember, MatchmakingEvent, PatentProduct
from ipcity.web.forms import RecordsField, form_errors_from
from ipcity.web.paging import page_of
from ipcity.web.params import posted_day

DATE = forms.DateInput(attrs={"type": "date"})


def _allowed(request, perm) -> bool:
    return request.user.is_authenticated and has_perm(request.user, perm)


class EventForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=MatchmakingEvent.Kind.choices)
    title = forms.CharField(label="活动名称", max_length=200)
    held_on = forms.DateField(label="举办日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=200, required=False)
    organizer = forms.ModelChoiceField(label="主办单位（本机构）", queryset=Organization.objects.none())
    attendees = RecordsField(label="参加机构", queryset=Organization.objects.filter(
        org_type__in=PARTNER_ORG_TYPES).order_by("name"))
    summary = forms.CharField(label="活动概况", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The organizer is the recording organization (event_record refuses any other); the form offers only it.
        self.fields["organizer"].queryset = Organization.objects.filter(pk=user.organization_id)
        self.fields["organizer"].initial = user.organization_id


def events(request):
    allowed = _allowed(request, Perm.EVENTS_MANAGE)
    form = EventForm(request.POST or None, user=request.user) if allowed else None
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied(missing(Perm.EVENTS_MANAGE))
        if form.is_valid():
            try:
                event_record(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "对接活动已记录")
                return redirect("operations:events")
    return render(request, "operations/events.html", {
        "nav": "operations", "form": form, "page": page_of(request, event_list())})


class JoinForm(forms.Form):
    organization = forms.ModelChoiceField(label="机构", queryset=Organization.objects.filter(
        org_type__in=PARTNER_ORG_TYPES).order_by("name"))
    role = forms.ChoiceField(label="身份", choices=AllianceMember.Role.choices)
    joined_on = forms.DateField(label="加入日期", widget=DATE)


def alliance(request):
    allowed = _allowed(request, Perm.OPERATIONS_MANAGE)
    form = JoinForm(request.POST or None) if allowed else None
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied(missing(Perm.OPERATIONS_MANAGE))
        try:
            if request.POST.get("form") == "leave":
                member = alliance_member_get(pk=request.POST.get("member"))
                alliance_leave(actor=request.user, member=member,
                               left_on=posted_day(request.POST, "left_on", label="退出日期"))
                messages.success(request, "已登记退出")
                return redirect("operations:alliance")
            if form.is_valid():
                alliance_join(actor=request.user, **form.cleaned_data)
                messages.success(request, "已加入联盟")
                return redirect("operations:alliance")
        except ValidationError as exc:
            if form is not None and request.POST.get("form") != "leave":
                form_errors_from(form, exc)
            else:
                messages.error(request, "；".join(exc.messages))
    page = page_of(request, alliance_member_list())
    activities = alliance_activities(page.object_list)
    for member in page:
        member.activity = activities[member.organization_id]
    return render(request, "operations/alliance.html", {"nav": "operations", "page": page, "form": form,
                                                        "manages": allowed})


class ProductForm(forms.Form):
    name = forms.CharField(label="产品名称", max_length=200)
    model_number = forms.CharField(label="型号", max_length=100, required=False)
    patent_numbers = forms.CharField(label="实施的专利（申请号，每行一个）", widget=forms.Textarea(attrs={"rows": 3}))
    record_number = forms.CharField(label="备案号", max_length=64, required=False)
    recorded_on = forms.DateField(label="备案日期", widget=DATE)
    annual_sales = decimal_form_field(PatentProduct, "annual_sales", label="年销售额（万元，选填）", required=False)


def products(request):
    allowed = _allowed(request, Perm.TECH_OFFER)
    form = ProductForm(request.POST or None) if allowed else None
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied(missing(Perm.TECH_OFFER))
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["patent_numbers"] = [n.strip().upper().removeprefix("ZL") for n in data["patent_numbers"].split()]
            try:
                product_record(actor=request.user, **data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "专利产品已备案")
                return redirect("operations:products")
    return render(request, "operations/products.html", {
        "nav": "operations", "form": form, "page": page_of(request, product_list())})
