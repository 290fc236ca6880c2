"""The recognized operation centers: a public list, the office's form, and the same in the API."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from ninja import Router, Schema, Status

from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.bounds import Id
from ipcity.inputs import object_or_404
from ipcity.openapi import Rows, paginated
from ipcity.operations.centers import center_list, center_record
from ipcity.web.forms import form_errors_from
from ipcity.web.paging import page_of

router = Router(tags=["运营中心"])


class CenterForm(forms.Form):
    name = forms.CharField(label="运营中心名称", max_length=200)
    industry = forms.CharField(label="优势产业（选填）", max_length=100, required=False)
    authority = forms.CharField(label="认定机关", max_length=200)
    document_number = forms.CharField(label="认定文号（选填）", max_length=100, required=False)
    recognized_on = forms.DateField(label="认定日期", widget=forms.DateInput(attrs={"type": "date"}))
    operator = forms.ModelChoiceField(label="运营机构（选填）", queryset=Organization.objects.order_by("name"),
                                      required=False)


def centers(request):
    allowed = request.user.is_authenticated and has_perm(request.user, Perm.OPERATIONS_MANAGE)
    form = CenterForm(request.POST or None) if allowed else None
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied("只有知识产权办公室可以登记运营中心的认定")
        if form.is_valid():
            try:
                center_record(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "运营中心认定已登记，计入“优势产业知识产权运营中心”指标")
                return redirect("operations:centers")
    return render(request, "operations/centers.html", {"nav": "operations", "form": form,
                                                       "page": page_of(request, center_list())})


class CenterOut(Schema):
    id: int
    name: str
    industry: str
    authority: str
    document_number: str
    recognized_on: dt.date
    operator: str | None


class CenterIn(Schema):
    name: str
    authority: str
    recognized_on: dt.date
    industry: str = ""
    document_number: str = ""
    operator: Id | None = None


def _out(center) -> dict:
    return {"id": center.pk, "name": center.name, "industry": center.industry, "authority": center.authority,
            "document_number": center.document_number, "recognized_on": center.recognized_on,
            "operator": center.operator.name if center.operator else None}


@router.get("/centers", auth=None, response=list[CenterOut], summary="已认定的优势产业知识产权运营中心")
@paginated
def center_api_list(request):
    return Rows(center_list(), _out)


@router.post("/centers", response={201: CenterOut}, summary="登记运营中心的认定（知识产权办公室）")
def center_api_record(request, payload: CenterIn):
    if not has_perm(request.user, Perm.OPERATIONS_MANAGE):
        raise PermissionDenied("只有知识产权办公室可以登记运营中心的认定")
    operator = object_or_404(Organization.objects.all(), pk=payload.operator) if payload.operator is not None else None
    center = center_record(actor=request.user, name=payload.name, authority=payload.authority,
                           recognized_on=payload.recognized_on, industry=payload.industry,
                           document_number=payload.document_number, operator=operator)
    return Status(201, _out(center))
