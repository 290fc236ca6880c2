"""Industry-chain patent clusters and industry–education agreements (key task 3): public pages; the office records."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.permissions import has_perm, missing
from ipcity.accounts.roles import Perm
from ipcity.operations.clusters import (
    INDUSTRIES,
    agreement_counts,
    agreement_list,
    agreement_record,
    cluster_create,
    cluster_get,
    cluster_list,
    cluster_years,
    sei_industries,
)
from ipcity.operations.models import PatentCluster
from ipcity.plan.selectors import current_plan
from ipcity.plan.task_modules import pilot_years
from ipcity.web.forms import RecordsField, form_errors_from
from ipcity.web.paging import page_of, pages_of

DATE = forms.DateInput(attrs={"type": "date"})


class ClusterForm(forms.Form):
    name = forms.CharField(label="集群名称", max_length=200)
    industry = forms.CharField(label="重点产业", max_length=100, help_text="如：" + "、".join(INDUSTRIES[:3]))
    enterprises = RecordsField(label="成员企业", queryset=Organization.objects.filter(
        org_type=OrgType.ENTERPRISE).order_by("name"))
    ipc_prefixes = forms.CharField(label="专利范围：IPC前缀（逗号或空格分隔，选填）", max_length=1000, required=False,
                                   help_text="如：G06N, G06F16；与下方战略性新兴产业至少填一项")
    sei_industry = forms.ChoiceField(label="专利范围：战略性新兴产业（选填）", required=False, choices=())
    layout_notes = forms.CharField(label="战略布局", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    established_on = forms.DateField(label="组建日期", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sei_industry"].choices = [("", "（不限）")] + [(i, i) for i in sei_industries()]

    def clean_ipc_prefixes(self):
        return [p for p in self.cleaned_data["ipc_prefixes"].replace("，", ",").replace(",", " ").split() if p]


class AgreementForm(forms.Form):
    university = forms.ModelChoiceField(label="高校院所", queryset=Organization.objects.filter(
        org_type=OrgType.UNIVERSITY).order_by("name"))
    enterprise = forms.ModelChoiceField(label="企业", queryset=Organization.objects.filter(
        org_type=OrgType.ENTERPRISE).order_by("name"))
    cluster = forms.ModelChoiceField(label="所属产业链专利集群（选填）", queryset=PatentCluster.objects.all(),
                                     required=False)
    subject = forms.CharField(label="合作内容", max_length=300)
    signed_on = forms.DateField(label="签订日期", widget=DATE)
    term_until = forms.DateField(label="合作期限至（选填）", widget=DATE, required=False)


def clusters(request):
    allowed = request.user.is_authenticated and has_perm(request.user, Perm.OPERATIONS_MANAGE)
    which = request.POST.get("form")
    cluster_form = ClusterForm(request.POST if which == "cluster" else None) if allowed else None
    agreement_form = AgreementForm(request.POST if which == "agreement" else None) if allowed else None
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied(missing(Perm.OPERATIONS_MANAGE))
        form, record, done = ((cluster_form, cluster_create, "产业链专利集群已登记") if which == "cluster" else
                              (agreement_form, agreement_record, "产教融合协议已登记"))
        if form.is_valid():
            try:
                record(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, done)
                return redirect("operations:clusters")
    plan = current_plan()
    years = pilot_years(plan) if plan else []
    counts = agreement_counts(years)
    return render(request, "operations/clusters.html", {
        "nav": "operations", **pages_of(request, clusters=cluster_list(), agreements=agreement_list()),
        "agreement_years": [(y, counts[y]) for y in years], "cluster_form": cluster_form,
        "agreement_form": agreement_form, "industries": INDUSTRIES})


@require_safe
def cluster_detail(request, pk):
    cluster = cluster_get(pk=pk)
    plan = current_plan()
    years = cluster_years(cluster=cluster, plan=plan, years=pilot_years(plan)) if plan else []
    return render(request, "operations/cluster.html", {
        "nav": "operations", "cluster": cluster, "years": years,
        "page": page_of(request, agreement_list().filter(cluster=cluster))})
