"""The office's page for agency conduct supervision (规范专利、商标代理行业执业行为): record an inspection or a
conduct finding with its measure, list them, and decide whether a measure in force shows in the agency directory."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.protection.agency_conduct import (
    conduct_get,
    conduct_list,
    conduct_publication_set,
    conduct_record,
    conduct_row,
)
from ipcity.protection.models import AgencyConductRecord
from ipcity.web.forms import form_errors_from
from ipcity.web.paging import page_of
from ipcity.web.params import posted_yes_no

DATE = forms.DateInput(attrs={"type": "date"})


def _field(name: str):
    return AgencyConductRecord._meta.get_field(name)


class ConductForm(forms.Form):
    agency = forms.ModelChoiceField(label="服务机构", queryset=Organization.objects.filter(
        org_type=OrgType.SERVICE_AGENCY).order_by("name"))
    source = forms.ChoiceField(label="来源", choices=AgencyConductRecord.Source.choices)
    occurred_on = forms.DateField(label="检查或处理日期", widget=DATE)
    finding = forms.CharField(label="检查发现", max_length=_field("finding").max_length,
                              widget=forms.Textarea(attrs={"rows": 3}))
    measure = forms.ChoiceField(label="处理措施", choices=AgencyConductRecord.Measure.choices)
    basis = forms.CharField(label="依据（如《专利代理条例》第二十五条）", max_length=_field("basis").max_length,
                            required=False)
    document_number = forms.CharField(label="文书编号（警示、列入失信名单必填）",
                                      max_length=_field("document_number").max_length, required=False)
    valid_until = forms.DateField(label="有效期至（警示、列入失信名单必填）", widget=DATE, required=False)
    publish_in_directory = forms.BooleanField(label="有效期内在服务机构名录中公示（限警示、列入失信名单）",
                                              required=False)


@login_required
def agency_conduct(request):
    require_perm(request.user, Perm.AGENCY_CONDUCT_MANAGE)
    posted = request.method == "POST" and request.POST.get("form") == "record"
    form = ConductForm(request.POST if posted else None, initial={"occurred_on": clock.today()})
    if request.method == "POST":
        try:
            if posted:
                if form.is_valid():
                    conduct_record(actor=request.user, **form.cleaned_data)
                    messages.success(request, "执业监管记录已保存")
                    return redirect("protection:agency_conduct")
            elif request.POST.get("form") == "publication":
                record = conduct_get(user=request.user, pk=request.POST.get("record"))
                publish = posted_yes_no(request.POST, "publish", label="是否在名录中公示")
                conduct_publication_set(actor=request.user, record=record, publish=publish)
                messages.success(request, "已在服务机构名录中公示" if publish else "已从服务机构名录中撤下")
                return redirect("protection:agency_conduct")
            else:
                raise ValidationError("未知的操作")
        except ValidationError as exc:
            if posted:
                form_errors_from(form, exc)
            else:
                messages.error(request, "；".join(exc.messages))
    page = page_of(request, conduct_list(user=request.user))
    return render(request, "protection/agency_conduct.html", {
        "nav": "protection", "form": form, "page": page, "records": [conduct_row(r) for r in page]})
