from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from ipcity import clock
from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import has_perm, missing
from ipcity.accounts.roles import Perm
from ipcity.operations.models import FIELDS, HighValuePortfolio, NavigationProject
from ipcity.operations.navigation import (
    NAVIGATION_CLIENT_TYPES,
    establishment_problems,
    landscape_of,
    navigation_complete,
    navigation_create,
    navigation_may_act,
    navigation_project_get,
    navigation_project_list,
    navigation_report_docx,
    portfolio_create,
    portfolio_establish,
    portfolio_get,
    portfolio_milestone_done,
    portfolios_visible,
)
from ipcity.stats.reports import DOCX_TYPE
from ipcity.web.forms import form_errors_from
from ipcity.web.paging import page_of
from ipcity.web.params import posted_day, posted_int

DATE = forms.DateInput(attrs={"type": "date"})


class NavigationForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=NavigationProject.Kind.choices)
    title = forms.CharField(label="项目名称", max_length=200)
    undertaker = forms.ModelChoiceField(label="承担单位", queryset=Organization.objects.order_by("name"))
    client = forms.ModelChoiceField(label="服务对象（企业或高校院所，微导航必填）", queryset=Organization.objects.filter(
        org_type__in=NAVIGATION_CLIENT_TYPES).order_by("name"), required=False)
    industry = forms.ChoiceField(label="产业领域", choices=[(f, f) for f in FIELDS])
    scope_ipc = forms.CharField(label="分析范围：IPC前缀（逗号分隔，如 H01M,B60L）", max_length=200, required=False)
    scope_keywords = forms.CharField(label="分析范围：标题关键词（逗号分隔）", max_length=200, required=False)
    started_on = forms.DateField(label="立项日期", widget=DATE)
    deliverables = forms.CharField(label="成果形式", required=False, widget=forms.Textarea(attrs={"rows": 2}))


def navigation_list(request):
    manages = request.user.is_authenticated and has_perm(request.user, Perm.NAVIGATION_MANAGE)
    form = NavigationForm(request.POST or None, initial={"undertaker": request.user.organization_id}) \
        if manages else None
    if form is not None and not has_perm(request.user, Perm.OPERATIONS_MANAGE):
        # Only the office names another undertaker (navigation_create refuses it otherwise); offer only one's own.
        form.fields["undertaker"].queryset = Organization.objects.filter(pk=request.user.organization_id)
    if request.method == "POST":
        if not manages:
            raise PermissionDenied(missing(Perm.NAVIGATION_MANAGE))
        if form.is_valid():
            try:
                project = navigation_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "导航项目已立项")
                return redirect("operations:navigation", pk=project.pk)
    return render(request, "operations/navigation_list.html", {
        "nav": "operations", "page": page_of(request, navigation_project_list()), "form": form})


def navigation_detail(request, pk):
    project = navigation_project_get(pk=pk)
    manages = navigation_may_act(request.user, project)
    if request.method == "POST":
        if not manages:
            raise PermissionDenied("只有项目的承担单位或知识产权办公室可以验收")
        try:
            navigation_complete(actor=request.user, project=project,
                                completed_on=posted_day(request.POST, "completed_on", label="验收日期"))
            messages.success(request, "项目已验收，计入导航项目指标")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("operations:navigation", pk=pk)
    if request.GET.get("format") == "docx":
        response = HttpResponse(navigation_report_docx(project), content_type=DOCX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="navigation-{project.pk}.docx"'
        return response
    landscape = landscape_of(project)
    return render(request, "operations/navigation.html", {
        "nav": "operations", "project": project, "manages": manages, "landscape": landscape,
        "chart": {"by_year": [[str(y), n] for y, n in landscape.by_year.items()],
                  "applicants": landscape.top_applicants, "ipc": landscape.ipc,
                  "status": list(landscape.status.items()), "local": list(landscape.local.items())}})


class PortfolioForm(forms.Form):
    name = forms.CharField(label="组合名称", max_length=200)
    industry = forms.ChoiceField(label="战略性新兴产业领域", choices=[(f, f) for f in FIELDS])
    patent_numbers = forms.CharField(label="专利申请号（每行一个）", widget=forms.Textarea(attrs={"rows": 4}))
    milestones = forms.CharField(label="培育节点（每行：名称,计划日期，如 完成专利布局规划,2025-06-30）",
                                 widget=forms.Textarea(attrs={"rows": 3}))

    def parsed_milestones(self) -> list[dict]:
        steps = []
        for line in self.cleaned_data["milestones"].splitlines():
            name, _, due = line.replace("，", ",").partition(",")
            if name.strip():
                steps.append({"name": name.strip(), "due": due.strip()})
        return steps


@login_required
def portfolio_list(request):
    user = request.user
    manages = has_perm(user, Perm.OPERATIONS_MANAGE)
    owns = has_perm(user, Perm.TECH_OFFER)
    if not (manages or owns):
        raise PermissionDenied("无权查看高价值专利组合")
    form = PortfolioForm(request.POST or None) if owns else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            portfolio = portfolio_create(actor=user, name=form.cleaned_data["name"],
                                         industry=form.cleaned_data["industry"],
                                         patent_numbers=[n.strip().upper().removeprefix("ZL") for n in
                                                         form.cleaned_data["patent_numbers"].split() if n.strip()],
                                         milestones=form.parsed_milestones())
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "高价值专利组合已登记，进入培育")
            return redirect("operations:portfolio", pk=portfolio.pk)
    return render(request, "operations/portfolio_list.html", {
        "nav": "operations", "page": page_of(request, portfolios_visible(user=user)), "form": form})


@login_required
def portfolio_detail(request, pk):
    user = request.user
    portfolio = portfolio_get(user=user, pk=pk)
    manages = has_perm(user, Perm.OPERATIONS_MANAGE)
    owner = has_perm(user, Perm.TECH_OFFER) and portfolio.organization_id == user.organization_id
    if request.method == "POST":
        try:
            if request.POST.get("form") == "establish":
                portfolio_establish(actor=user, portfolio=portfolio,
                                    established_on=posted_day(request.POST, "established_on", label="认定日期"))
                messages.success(request, "已认定为高价值专利组合，计入指标")
            else:
                portfolio_milestone_done(actor=user, portfolio=portfolio, index=posted_int(request.POST, "index"),
                                         done_on=posted_day(request.POST, "done_on", label="完成日期"))
                messages.success(request, "节点已完成")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("operations:portfolio", pk=pk)
    return render(request, "operations/portfolio.html", {
        "nav": "operations", "portfolio": portfolio, "owner": owner, "manages": manages,
        "patents": portfolio.patents.all(), "problems": establishment_problems(portfolio, clock.today())
        if portfolio.state == HighValuePortfolio.State.CULTIVATING else []})
