"""The page of goal 一's 国家高新技术企业数量始终保持中心城区领先: every central district's count year by year with its
source, and 南开's rank; the office enters a figure or imports a sheet here."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.bounds import int_form_field
from ipcity.plan.models import CentralDistrict, HighTechCount
from ipcity.plan.ranking import (
    DEFINITION,
    SOURCE_MAX,
    HighTechRejected,
    high_tech_import,
    high_tech_record,
    high_tech_years,
    rank_label,
)
from ipcity.web.forms import form_errors_from


class HighTechForm(forms.Form):
    year = int_form_field(HighTechCount, "year", label="年度")
    district = forms.ChoiceField(label="区", choices=CentralDistrict.choices)
    count = int_form_field(HighTechCount, "count", label="国家高新技术企业数量（家）")
    source = forms.CharField(label="来源", max_length=SOURCE_MAX, help_text="如：天津市科技局公布的国家高新技术企业认定名单")


def high_tech(request):
    recording = has_perm(request.user, Perm.HIGH_TECH_RECORD)
    form = HighTechForm(request.POST if request.POST.get("form") == "figure" else None) if recording else None
    if request.method == "POST":
        if not recording:
            raise PermissionDenied("只有领导小组办公室可以登记高新技术企业数量")
        if request.POST.get("form") == "import":
            upload = request.FILES.get("file")
            if upload is None:
                messages.error(request, "请选择要导入的文件（.xlsx 或 .csv）")
                return redirect("plan:high_tech")
            try:
                result = high_tech_import(actor=request.user, data=upload.read(), filename=upload.name or "")
            except HighTechRejected as rejected:
                messages.error(request, "文件未导入，请修改后重新上传：")
                for problem in rejected.problems:
                    messages.error(request, str(problem))
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, f"已导入 {result['imported']} 条（其中替换原有数据 {result['replaced']} 条）")
            return redirect("plan:high_tech")
        if form is None:
            form = HighTechForm(request.POST)
        if form.is_valid():
            try:
                figure = high_tech_record(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"已登记：{figure}")
                return redirect("plan:high_tech")
    years = high_tech_years()
    for row in years:
        row["rank_label"] = rank_label(row)
    return render(request, "plan/high_tech.html", {
        "nav": "plan", "years": years, "districts": CentralDistrict.labels, "form": form, "recording": recording,
        "definition": DEFINITION})
