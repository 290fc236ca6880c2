"""Pages of key task 4's culture work: copyright demonstration (版权示范), cultural resources (遗传资源、传统知识、民间文艺),
文创 products and activity brands, and the TCM pilot projects. All public to read; the office and each kind's
responsible unit record them through the same services as the API (ipcity.services.culture_resources)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.inputs import object_or_404
from ipcity.plan.selectors import current_plan
from ipcity.plan.task_modules import pilot_years
from ipcity.services.culture import (
    demonstration_decide,
    demonstration_nominate,
    demonstration_selected,
    nominations_pending,
)
from ipcity.services.culture_resources import (
    COPYRIGHT,
    copyright_years,
    may_record,
    product_list,
    product_record,
    resource_list,
    resource_record,
    responsible_units,
    tcm_knowledge_record,
    tcm_project_create,
    tcm_project_list,
)
from ipcity.services.forms import (
    CulturalProductForm,
    CulturalResourceForm,
    NominationForm,
    TcmKnowledgeForm,
    TcmProjectForm,
)
from ipcity.services.models import DemonstrationUnit
from ipcity.web.forms import form_errors_from
from ipcity.web.paging import page_of
from ipcity.web.params import posted_yes_no


def _units(request, kind: str) -> list:
    """The units the office may record under (a unit records under itself: no choice)."""
    return responsible_units(kind) if has_perm(request.user, Perm.CULTURE_RESOURCE_MANAGE) else []


def copyright_work(request):
    """自主版权登记数量 by year from the copyright registry, and the 版权示范单位: selected (public), nominated by the
    office and the units, decided by the office."""
    manages = has_perm(request.user, Perm.CULTURE_MANAGE)
    selects = has_perm(request.user, Perm.CULTURE_SELECT)
    posted = request.POST.get("form") if request.method == "POST" else None
    form = NominationForm(request.POST if posted == "nomination" else None) if manages else None
    if request.method == "POST":
        if posted == "decide" and selects:
            unit = object_or_404(DemonstrationUnit.objects.filter(program=COPYRIGHT), "该推荐不存在",
                                 pk=request.POST.get("pk"))
            try:
                demonstration_decide(actor=request.user, unit=unit, note=request.POST.get("note", ""),
                                     selected=posted_yes_no(request.POST, "selected", label="是否入选"))
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, "评审结果已登记")
            return redirect("services:copyright")
        if posted != "nomination" or form is None:
            raise PermissionDenied("只有知识产权办公室或责任单位可以推荐版权示范单位")
        if form.is_valid():
            try:
                demonstration_nominate(actor=request.user, program=COPYRIGHT, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "已推荐，待办公室评审")
                return redirect("services:copyright")
    plan = current_plan()
    return render(request, "services/copyright.html", {
        "nav": "services", "plan": plan,
        "years": copyright_years(plan=plan, years=pilot_years(plan)) if plan is not None else [],
        "selected": demonstration_selected(program=COPYRIGHT),
        "nominations": nominations_pending(user=request.user, program=COPYRIGHT), "form": form})


def cultural_resources(request):
    allowed = may_record(request.user, "resource")
    units = _units(request, "resource")
    form = CulturalResourceForm(request.POST or None, units=units) if allowed else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("只有知识产权办公室或区文化和旅游局可以登记遗传资源、传统知识、民间文艺")
        if form.is_valid():
            try:
                resource_record(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "已登记")
                return redirect("services:cultural_resources")
    return render(request, "services/cultural_resources.html", {
        "nav": "services", "page": page_of(request, resource_list()), "form": form})


def cultural_products(request):
    allowed = may_record(request.user, "product")
    units = _units(request, "product")
    form = CulturalProductForm(request.POST or None, units=units) if allowed else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("只有知识产权办公室、区文化和旅游局或区委宣传部可以登记文创产品和活动品牌")
        if form.is_valid():
            try:
                product_record(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "已登记")
                return redirect("services:cultural_products")
    return render(request, "services/cultural_products.html", {
        "nav": "services", "page": page_of(request, product_list()), "form": form})


def tcm(request):
    """中医药传承创新发展示范试点: the projects with their TCM traditional-knowledge protection records."""
    allowed = may_record(request.user, "tcm")
    posted = request.POST.get("form") if request.method == "POST" else None
    forms = {"project": TcmProjectForm(request.POST if posted == "project" else None),
             "knowledge": TcmKnowledgeForm(request.POST if posted == "knowledge" else None)} if allowed else {}
    if request.method == "POST":
        if posted not in forms:
            raise PermissionDenied("只有知识产权办公室或区卫健委可以登记中医药示范试点项目和传统知识保护记录")
        form = forms[posted]
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if posted == "project":
                    tcm_project_create(actor=request.user, **data)
                else:
                    tcm_knowledge_record(actor=request.user, **data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "已登记")
                return redirect("services:tcm")
    return render(request, "services/tcm.html", {"nav": "services", "projects": tcm_project_list(), "forms": forms})
