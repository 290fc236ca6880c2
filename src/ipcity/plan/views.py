from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import has_perm, require_perm
from ipcity.accounts.roles import Perm
from ipcity.inputs import object_or_404
from ipcity.plan import services
from ipcity.plan.confirmations import can_confirm, confirmation_history
from ipcity.plan.core.schema import ORG_TYPES
from ipcity.plan.core.status import STATUS_LABELS
from ipcity.plan.dashboard import indicator_attainment
from ipcity.plan.forms import IndicatorForm, IndicatorValueForm, TaskUnitsForm
from ipcity.plan.ranking import high_tech_years, rank_label
from ipcity.plan.selectors import (
    current_plan,
    current_plan_or_404,
    indicator_get,
    indicator_is_reportable_by,
    task_get,
    task_list,
    unit_task_counts,
    unit_tasks,
)
from ipcity.plan.supervision import work_item_list
from ipcity.plan.survey import satisfaction_by_year
from ipcity.plan.task_modules import one_task_modules, pilot_years
from ipcity.stats.by_year import indicator_years
from ipcity.stats.by_year_views import ConfirmForm, confirm_from_post
from ipcity.stats.selectors import BREAKDOWNS, indicator_table, valid_patent_breakdowns, valid_patent_trend
from ipcity.web.forms import form_errors_from
from ipcity.web.paging import page_of, pages_of
from ipcity.web.params import as_of_param as _as_of
from ipcity.web.supporting import supporting_attach, values_with_files


@require_safe
def home(request):
    plan = current_plan()
    if plan is None:
        return render(request, "plan/no_plan.html", {"nav": "plan"})
    rows = indicator_table(plan=plan, as_of=_as_of(request))
    goals = list(plan.goals.all())
    for goal in goals:
        goal.rows = [r for r in rows if r["indicator"].goal_id == goal.pk]
    tasks = list(task_list(plan=plan))
    actions = list(plan.actions.all())
    for action in actions:
        action.task_list = [t for t in tasks if t.action_id == action.pk]
    return render(request, "plan/home.html", {
        "nav": "plan", "plan": plan, "goals": goals, "actions": actions, "rows": rows,
        "safeguards": plan.safeguards.all(), "status_labels": STATUS_LABELS,
        "indicator_count": len(rows), "task_count": len(tasks),
        "satisfaction": satisfaction_by_year()[:3], "high_tech": high_tech_years()[:3]})


@require_safe
def goal_detail(request, code):
    plan = current_plan_or_404()
    goal = object_or_404(plan.goals, code=code)
    rows = [r for r in indicator_table(plan=plan, as_of=_as_of(request)) if r["indicator"].goal_id == goal.pk]
    high_tech = high_tech_years() if goal.code == "creation" else []  # goal 一: 高新技术企业中心城区领先
    for row in high_tech:
        row["rank_label"] = rank_label(row)
    return render(request, "plan/goal.html", {"nav": "plan", "plan": plan, "goal": goal, "rows": rows,
                                              "high_tech": high_tech})


def indicator_detail(request, code):
    plan = current_plan_or_404()
    indicator = indicator_get(plan=plan, code=code)
    row = next(r for r in indicator_table(plan=plan, as_of=_as_of(request), with_forecast=True)
               if r["indicator"].pk == indicator.pk)
    can_edit = has_perm(request.user, Perm.PLAN_EDIT)
    can_report = indicator_is_reportable_by(indicator=indicator, user=request.user)
    edit_form = IndicatorForm(instance=indicator, prefix="edit") if can_edit else None
    report_form = IndicatorValueForm(prefix="report") if can_report else None
    can_confirm_values = can_confirm(request.user)
    confirm_form = (ConfirmForm(plan=plan, prefix="confirm", initial={"year": request.GET.get("year", "")[:4]})
                    if can_confirm_values else None)
    if request.method == "POST":
        if request.POST.get("form") == "confirm":
            saved, confirm_form = confirm_from_post(request, plan=plan, indicator=indicator, prefix="confirm")
            if saved:
                messages.success(request, f"已核定{confirm_form.cleaned_data['year']}年的数值，记入审计日志")
                return redirect("plan:indicator", code=code)
        elif request.POST.get("form") == "edit":
            require_perm(request.user, Perm.PLAN_EDIT)
            edit_form = IndicatorForm(request.POST, instance=indicator_get(plan=plan, code=code), prefix="edit")
            if edit_form.is_valid():
                try:
                    services.indicator_update(indicator=indicator, actor=request.user,
                                              **{f: edit_form.cleaned_data[f] for f in edit_form.changed_data})
                    messages.success(request, "指标已更新，修改已记入审计日志")
                    return redirect("plan:indicator", code=code)
                except ValidationError as exc:
                    form_errors_from(edit_form, exc)
        elif request.POST.get("form") == "report":
            if not can_report:
                raise PermissionDenied("无权报送该指标")
            report_form = IndicatorValueForm(request.POST, request.FILES, prefix="report")
            if report_form.is_valid():
                data = report_form.cleaned_data
                try:
                    with transaction.atomic():  # a refused file leaves no value behind
                        value = services.indicator_value_report(
                            indicator=indicator, actor=request.user, as_of=data["as_of"], value=data["value"],
                            source=data["source"], note=data["note"])
                        if data["attachment"]:
                            supporting_attach(actor=request.user, kind="indicator_value", subject=value,
                                              files=data["attachment"])
                    messages.success(request, "数值已报送")
                    return redirect("plan:indicator", code=code)
                except ValidationError as exc:
                    if hasattr(exc, "error_dict") and "files" in exc.error_dict:  # said at the file input
                        exc = ValidationError({"attachment": exc.error_dict.pop("files"), **exc.error_dict})
                    form_errors_from(report_form, exc)
    pages = pages_of(request, history=indicator.values.select_related("reporting_unit", "attachment").order_by(
        "-as_of", "-reported_at", "-id"), confirmations=confirmation_history(indicator=indicator))
    pages["history"].object_list = values_with_files(user=request.user, values=pages["history"].object_list)
    return render(request, "plan/indicator.html", {
        "nav": "plan", "plan": plan, "indicator": indicator, "row": row, **pages,
        "edit_form": edit_form, "report_form": report_form, "confirm_form": confirm_form,
        "years": list(indicator_years(plan=plan, indicators=[indicator])[0]["years"].values()),
        "products": _product_figures(plan, indicator)})


def _product_figures(plan, indicator) -> list[dict] | None:
    """专利产品产值比重 is reported by its unit; beside it, the patent products registered on the platform by year and
    their declared sales (a read-only aggregate of the product register)."""
    from ipcity.operations.community import PRODUCT_INDICATOR, product_output_by_year

    return product_output_by_year(pilot_years(plan)) if indicator.code == PRODUCT_INDICATOR else None


def task_detail(request, number):
    plan = current_plan_or_404()
    task = task_get(plan=plan, number=number)
    can_edit = has_perm(request.user, Perm.PLAN_EDIT)
    form = None
    if can_edit:
        assigned = list(task.ordered_units)
        form = TaskUnitsForm(initial={"units": assigned, "lead": assigned[0] if assigned else None,
                                      "members_clause": task.members_clause})
    if request.method == "POST":
        require_perm(request.user, Perm.PLAN_EDIT)
        form = TaskUnitsForm(request.POST)
        if form.is_valid():
            try:
                services.task_units_set(task=task, actor=request.user, units=form.cleaned_data["ordered_units"],
                                        members_clause=form.cleaned_data["members_clause"])
                messages.success(request, "责任单位已更新，修改已记入审计日志")
                return redirect("plan:task", number=number)
            except ValidationError as exc:
                form_errors_from(form, exc)
    work_items = None
    if has_perm(request.user, Perm.SUPERVISION_MANAGE) or has_perm(request.user, Perm.SUPERVISION_WORK):
        work_items = page_of(request, work_item_list(user=request.user, task=task))
    years = pilot_years(plan)
    modules = [(m, [m.counts[y] for y in years]) for m in one_task_modules(task=task, years=years)]
    return render(request, "plan/task.html", {
        "nav": "plan", "plan": plan, "task": task, "form": form, "work_items": work_items,
        "indicators": task.indicators.select_related("goal"), "years": years, "modules": modules})


@require_safe
def unit_detail(request, pk):
    plan = current_plan_or_404()
    unit = object_or_404(Organization, pk=pk, org_type__in=ORG_TYPES)
    tasks = unit_tasks(plan=plan, unit=unit)
    return render(request, "plan/unit.html", {
        "nav": "plan", "plan": plan, "unit": unit, "tasks": tasks,
        "led": [t for t in tasks if t.lead_unit == unit],
        "is_member": plan.members.filter(pk=unit.pk).exists(), "is_office_host": plan.office_host_id == unit.pk})


@require_safe
def unit_list(request):
    plan = current_plan_or_404()
    units = list(Organization.objects.filter(org_type__in=ORG_TYPES).order_by("pk"))
    counts = unit_task_counts(plan=plan)
    for unit in units:
        unit.task_count, unit.lead_count = counts.get(unit.pk, (0, 0))
    return render(request, "plan/units.html", {"nav": "plan", "plan": plan, "units": units})


@require_safe
def indicator_dashboard(request):
    plan = current_plan_or_404()
    as_of = _as_of(request)
    rows, chart = indicator_attainment(plan=plan, as_of=as_of, with_forecast=True)
    breakdowns = valid_patent_breakdowns(plan=plan, as_of=as_of)
    return render(request, "plan/dashboard.html", {
        "nav": "indicators", "plan": plan, "rows": rows, "chart": chart, "as_of": as_of,
        "trend": valid_patent_trend(plan=plan, as_of=as_of),
        "breakdowns": [(by, BREAKDOWNS[by], [(label, len(numbers)) for label, numbers in groups.items()])
                       for by, groups in breakdowns.items()],
        "breakdown_chart": {by: [[label, len(numbers)] for label, numbers in groups.items()]
                            for by, groups in breakdowns.items()}})
