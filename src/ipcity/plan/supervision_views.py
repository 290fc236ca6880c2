from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from ipcity import clock
from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.bounds import decimal_form_field, int_form_field
from ipcity.inputs import object_or_404
from ipcity.plan.assessment import (
    assessment_scope_records,
    assessment_scope_set,
    bulletin_docx,
    office_rating_set,
    responsible_units,
    unit_scores,
    unranked_units,
    weights_for,
)
from ipcity.plan.core import supervision as rules
from ipcity.plan.core.assessment import COMPONENT_LABELS, LAGGING_BELOW
from ipcity.plan.core.schedule import FREQUENCY_LABELS, STANDING_LABELS, Frequency, period_to_report
from ipcity.plan.core.schema import ORG_TYPES
from ipcity.plan.dashboard import supervision_dashboard
from ipcity.plan.evaluation import (
    evaluation_draft,
    evaluation_file,
    evaluation_release,
    evaluation_report_get,
    evaluation_report_list,
    evaluation_update,
    indicator_summary,
    report_content,
    task_summary,
)
from ipcity.plan.fund import budget_line_create, budget_lines, disbursement_record, execution, fund_export
from ipcity.plan.ledger import LedgerRejected, ledger_export, ledger_import
from ipcity.plan.models import (
    BudgetLine,
    Disbursement,
    EvaluationReport,
    FundUse,
    IndicatorValue,
    KeyTask,
    OfficeRating,
    SupervisionSettings,
    WorkItem,
)
from ipcity.plan.selectors import current_plan_or_404, indicator_names, task_get
from ipcity.plan.supervision import (
    REPORTABLE,
    extension_decide,
    extension_request,
    item_light,
    light_rules_text,
    party_of,
    progress_report_submit,
    report_schedule_text,
    report_standings,
    require_supervision_reader,
    supervision_settings,
    supervision_settings_set,
    work_item_create,
    work_item_get,
    work_item_list,
    work_item_transition,
)
from ipcity.stats.reports import DOCX_TYPE
from ipcity.web.forms import form_errors_from
from ipcity.web.paging import page_of, pages_of
from ipcity.web.params import posted_day, posted_yes_no, query_year
from ipcity.web.spreadsheets import XLSX_TYPE
from ipcity.web.supporting import SupportingFilesField, files_by_subject, supporting_attach, supporting_panel


class WorkItemForm(forms.Form):
    unit = forms.ModelChoiceField(label="承办单位", queryset=Organization.objects.filter(org_type__in=ORG_TYPES))
    year = int_form_field(WorkItem, "year")
    title = forms.CharField(label="工作事项", max_length=200)
    deliverable = forms.CharField(label="成果形式", max_length=200, required=False)
    deadline = forms.DateField(label="完成时限", widget=forms.DateInput(attrs={"type": "date"}))


class ReportForm(forms.Form):
    period = forms.CharField(label="报告期", max_length=16)
    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 4}))
    request_review = forms.BooleanField(label="本事项已完成，提请领导小组办公室复核（反馈）", required=False)
    attachments = SupportingFilesField(label="佐证材料")

    def __init__(self, *args, indicators=(), config=None, can_request_review=True, **kwargs):
        super().__init__(*args, **kwargs)
        example = "2026-10" if config.report_frequency == Frequency.MONTHLY else "2026Q3"
        self.fields["period"].label = f"报告期（{FREQUENCY_LABELS[Frequency(config.report_frequency)]}，如 {example}）"
        if not can_request_review:
            del self.fields["request_review"]
        for indicator in indicators:
            self.fields[f"figure_{indicator.code}"] = decimal_form_field(
                IndicatorValue, "value", label=f"{indicator.name}（{indicator.unit}，选填）", required=False)

    def figures(self) -> dict:
        return {name.removeprefix("figure_"): value for name, value in self.cleaned_data.items()
                if name.startswith("figure_") and value is not None}


@require_safe
@login_required
def overview(request):
    plan = current_plan_or_404()
    dashboard = supervision_dashboard(user=request.user, plan=plan)
    items = work_item_list(user=request.user).order_by("deadline", "id")
    today, config = clock.today(), supervision_settings()
    page = page_of(request, items)
    for item in page:
        item.overdue = rules.is_overdue(rules.State(item.state), item.deadline, today)
        item.light = item_light(item, today, config)
    return render(request, "supervision/overview.html", {
        "nav": "supervision", "page": page, "dashboard": dashboard,
        "task_lights": _task_lights(items, today, config),
        "light_labels": rules.LIGHT_LABELS, "light_rules": light_rules_text(config),
        "schedule_rules": report_schedule_text(config)})


def _task_lights(items, today, config) -> list:
    """Each key task with work items and its worst light, over all the items (not one page of them): one query
    for the items' task, state and deadline, one for the tasks."""
    lights: dict[int, list[str]] = {}
    for task_id, state, deadline in items.values_list("task_id", "state", "deadline"):
        lights.setdefault(task_id, []).append(rules.light(rules.State(state), deadline, today, config.reminder_days))
    tasks = KeyTask.objects.filter(pk__in=lights).order_by("number")
    return [(task, rules.worst(lights[task.pk])) for task in tasks]


@login_required
def item_new(request, number):
    require_perm(request.user, Perm.SUPERVISION_MANAGE)
    plan = current_plan_or_404()
    task = task_get(plan=plan, number=number)
    form = WorkItemForm(request.POST or None, initial={"year": clock.today().year})
    if request.method == "POST" and form.is_valid():
        try:
            item = work_item_create(actor=request.user, task=task, indicators=list(task.indicators.all()),
                                    **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "工作事项已立项")
            return redirect("supervision:item", pk=item.pk)
    return render(request, "supervision/item_new.html", {"nav": "supervision", "task": task, "form": form})


@login_required
def item_detail(request, pk):
    item = work_item_get(user=request.user, pk=pk)
    party = party_of(request.user, item)
    indicators = list(item.indicators.all())
    config = supervision_settings()
    can_report = party == rules.Party.UNIT and rules.State(item.state) in REPORTABLE
    can_request_review = any(a.action == "report" for a in rules.WORK_ITEM.available(item.state, {party})) \
        if party else False
    form_options = {"indicators": indicators, "config": config, "can_request_review": can_request_review}
    report_form = ReportForm(initial={"period": period_to_report(clock.today(), Frequency(config.report_frequency),
                                                                     config.report_due_days).label, "request_review": can_request_review},
                             **form_options) if can_report else None
    if request.method == "POST":
        try:
            if request.POST.get("form") == "extension":
                extension_request(actor=request.user, item=item, reason=request.POST.get("reason", ""),
                                  requested_deadline=posted_day(request.POST, "requested_deadline",
                                                                label="申请延期至"))
                messages.success(request, "延期申请已提交")
                return redirect("supervision:item", pk=pk)
            if request.POST.get("form") == "decision":
                extension = object_or_404(item.extensions, pk=request.POST.get("extension"))
                extension_decide(actor=request.user, request=extension, approve=posted_yes_no(request.POST, "approve", label="审批结果"),
                                 note=request.POST.get("note", ""))
                messages.success(request, "已审批")
                return redirect("supervision:item", pk=pk)
            if request.POST.get("form") == "report":
                report_form = ReportForm(request.POST, request.FILES, **form_options)
                if report_form.is_valid():
                    with transaction.atomic():  # a refused file leaves no report behind
                        report = progress_report_submit(
                            actor=request.user, item=item, period=report_form.cleaned_data["period"],
                            text=report_form.cleaned_data["text"], figures=report_form.figures(),
                            request_review=report_form.cleaned_data.get("request_review", False))
                        if report_form.cleaned_data["attachments"]:
                            supporting_attach(actor=request.user, kind="progress_report", subject=report,
                                              files=report_form.cleaned_data["attachments"])
                    messages.success(request, "进展已报送")
                    return redirect("supervision:item", pk=pk)
            else:
                work_item_transition(actor=request.user, item=item, action=request.POST.get("action", ""),
                                     reason=request.POST.get("reason", ""))
                messages.success(request, "操作已完成")
                return redirect("supervision:item", pk=pk)
        except ValidationError as exc:
            if report_form is not None and request.POST.get("form") == "report":
                if hasattr(exc, "error_dict") and "files" in exc.error_dict:  # 佐证材料 refused: said at its input
                    exc = ValidationError({"attachments": exc.error_dict.pop("files"), **exc.error_dict})
                form_errors_from(report_form, exc)
            else:
                messages.error(request, "；".join(exc.messages))
    actions = rules.WORK_ITEM.available(item.state, {party}) if party else []
    pages = pages_of(request, reports=item.reports.select_related("submitted_by", "attachment").order_by(
        "-submitted_at", "-id"), history=item.history.select_related("actor"))
    pages["reports"].object_list = _reports_with_files(request.user, pages["reports"].object_list)
    return render(request, "supervision/item.html", {
        "nav": "supervision", "item": item, "actions": [a for a in actions if a.action != "report"],
        "report_form": report_form, "standings": report_standings(item, config=config),
        "standing_labels": STANDING_LABELS, "schedule_rules": report_schedule_text(config), **pages,
        "overdue": rules.is_overdue(rules.State(item.state), item.deadline, clock.today()),
        "reminders": item.reminders.all(), "extensions": item.extensions.all(),
        "can_request_extension": party == rules.Party.UNIT and rules.State(item.state) in rules.OWING,
        "can_decide": party == rules.Party.OFFICE, "light": item_light(item, config=config),
        "light_labels": rules.LIGHT_LABELS})


def _reports_with_files(user, reports) -> list:
    """Progress reports (a page of an item's), each with its 佐证材料 panel (web/_supporting_files.html)."""
    reports = list(reports)
    files = files_by_subject(kind="progress_report", subjects=reports)
    names = indicator_names({code for report in reports for code in report.figures})
    for report in reports:
        report.panel = supporting_panel(user=user, kind="progress_report", subject=report, files=files[report.pk])
        report.figure_rows = [(names[code], value) for code, value in report.figures.items()]
    return reports


class LedgerForm(forms.Form):
    file = forms.FileField(label="修改后的台账（.xlsx）")


@require_safe
@login_required
def ledger_download(request):
    response = HttpResponse(ledger_export(user=request.user), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="ledger-{clock.today():%Y%m%d}.xlsx"'
    return response


@login_required
def ledger_upload(request):
    require_perm(request.user, Perm.SUPERVISION_MANAGE)
    form = LedgerForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            counts = ledger_import(actor=request.user, data=upload.read(), filename=upload.name,
                                   plan=current_plan_or_404())
        except LedgerRejected as rejected:
            problems = [str(p) for p in rejected.problems]
        else:
            messages.success(request, f"台账已导入：新立项 {counts['created']} 项，修改 {counts['updated']} 项，"
                                      f"未变 {counts['unchanged']} 项")
            return redirect("supervision:overview")
    return render(request, "supervision/ledger.html", {"nav": "supervision", "form": form, "problems": problems})


class RatingForm(forms.Form):
    unit = forms.ModelChoiceField(label="单位", queryset=Organization.objects.filter(org_type__in=ORG_TYPES))
    score = decimal_form_field(OfficeRating, "score", label="办公室评分（0–100）")
    note = forms.CharField(label="评价说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ScopeForm(forms.Form):
    unranked_units = forms.ModelMultipleChoiceField(
        label="不参与排名的单位", required=False, queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple, error_messages={"invalid_choice": "所选单位不是责任单位：%(value)s",
                                                             "invalid_pk_value": "单位编号无效：%(pk)s"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unranked_units"].queryset = responsible_units()


@login_required
def assessment(request):
    plan = current_plan_or_404()
    year = query_year(request)
    form = RatingForm(request.POST if request.method == "POST" and request.POST.get("form") != "scope" else None)
    scope_form = ScopeForm(request.POST if request.method == "POST" and request.POST.get("form") == "scope" else None,
                           initial={"unranked_units": unranked_units()})
    if request.method == "POST" and request.POST.get("form") == "scope":
        require_perm(request.user, Perm.SUPERVISION_MANAGE)
        if scope_form.is_valid():
            try:
                assessment_scope_set(actor=request.user,
                                     unit_ids=[u.pk for u in scope_form.cleaned_data["unranked_units"]])
            except ValidationError as exc:
                form_errors_from(scope_form, exc)
            else:
                messages.success(request, "参与排名的单位已更新，修改已记入审计日志")
                return redirect(f"{request.path}?year={year}")
    elif request.method == "POST" and form.is_valid():
        try:
            office_rating_set(actor=request.user, year=year, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "评分已保存")
            return redirect(f"{request.path}?year={year}")
    scores = unit_scores(user=request.user, plan=plan, year=year)
    unit_ids = dict(Organization.objects.filter(name__in=[s.unit for s in scores]).values_list("name", "pk"))
    return render(request, "supervision/assessment.html", {
        "nav": "supervision", "year": year, "scores": scores, "unit_ids": unit_ids, "lagging_below": LAGGING_BELOW,
        "labels": COMPONENT_LABELS, "weights": weights_for(year), "form": form, "scope_form": scope_form,
        "unranked": unranked_units(), "scope_history": page_of(request, assessment_scope_records(user=request.user)),
        "years": range(plan.period_start.year, plan.period_end.year + 1)})


@require_safe
@login_required
def bulletin(request):
    year = query_year(request)
    try:
        body = bulletin_docx(user=request.user, plan=current_plan_or_404(), year=year,
                             document_number=request.GET.get("document_number", "").strip())
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(f"{reverse('supervision:assessment')}?year={year}")
    response = HttpResponse(body, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="bulletin-{year}.docx"'
    return response


class BudgetLineForm(forms.Form):
    use = forms.ChoiceField(label="用途", choices=FundUse.choices)
    name = forms.CharField(label="预算项目", max_length=200)
    amount = decimal_form_field(BudgetLine, "amount")
    managing_unit = forms.ModelChoiceField(label="管理单位", queryset=Organization.objects.filter(org_type__in=ORG_TYPES))


class DisbursementForm(forms.Form):
    line = forms.ModelChoiceField(label="预算项目", queryset=BudgetLine.objects.all())
    amount = decimal_form_field(Disbursement, "amount")
    paid_on = forms.DateField(label="支付日期", widget=forms.DateInput(attrs={"type": "date"}))
    recipient = forms.CharField(label="收款单位或个人", max_length=200)
    purpose = forms.CharField(label="用途说明", max_length=300)
    task = forms.ModelChoiceField(label="关联重点任务（选填）", queryset=KeyTask.objects.all(), required=False)


@login_required
def fund(request):
    year = query_year(request)
    line_form = BudgetLineForm(prefix="line")
    pay_form = DisbursementForm(prefix="pay")
    pay_form.fields["line"].queryset = BudgetLine.objects.filter(year=year)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "line":
                line_form = BudgetLineForm(request.POST, prefix="line")
                if line_form.is_valid():
                    budget_line_create(actor=request.user, year=year, **line_form.cleaned_data)
                    messages.success(request, "预算项目已添加")
                    return redirect(f"{request.path}?year={year}")
            else:
                pay_form = DisbursementForm(request.POST, prefix="pay")
                if pay_form.is_valid():
                    disbursement_record(actor=request.user, **pay_form.cleaned_data)
                    messages.success(request, "支出已登记")
                    return redirect(f"{request.path}?year={year}")
        except ValidationError as exc:
            form_errors_from(line_form if request.POST.get("form") == "line" else pay_form, exc)
    return render(request, "supervision/fund.html", {
        "nav": "supervision", "year": year,
        "lines": page_of(request, budget_lines(user=request.user, year=year).order_by("use", "id")),
        "execution": execution(user=request.user, year=year), "line_form": line_form, "pay_form": pay_form,
        "years": range(2024, 2027)})


@require_safe
@login_required
def fund_download(request):
    year = query_year(request)
    response = HttpResponse(fund_export(user=request.user, year=year), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="fund-{year}.xlsx"'
    return response


class EvaluationForm(forms.Form):
    kind = forms.ChoiceField(label="报告类型", choices=EvaluationReport.Kind.choices)
    year = int_form_field(EvaluationReport, "year", label="年度（年度报告必填）", required=False)


@login_required
def evaluations(request):
    require_perm(request.user, Perm.SUPERVISION_MANAGE)
    plan = current_plan_or_404()
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = evaluation_draft(actor=request.user, plan=plan, kind=form.cleaned_data["kind"],
                                      year=form.cleaned_data["year"])
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            return redirect("supervision:evaluation", pk=report.pk)
    return render(request, "supervision/evaluations.html", {
        "nav": "supervision", "form": form,
        "reports": page_of(request, evaluation_report_list(user=request.user, plan=plan).order_by("-created_at", "-id")),
        "package_years": range(plan.period_start.year, plan.period_end.year + 1)})


class EvaluationEditForm(forms.Form):
    """The report's particulars and the office's sections; the service checks each (文号 form, date range, length)."""

    document_number = forms.CharField(label="文号", required=False, max_length=64,
                                      help_text="如 南开知强办〔2026〕3号：年份用六角括号，序号不加“第”字、不编虚位")
    issuer = forms.CharField(label="发文机关", required=False, max_length=100)
    written_on = forms.DateField(label="成文日期", required=False, help_text="格式 2026-12-20；文中写作 2026年12月20日",
                                 widget=forms.DateInput(attrs={"type": "date"}))
    overview = forms.CharField(label="一、基本情况", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    highlights = forms.CharField(label="五、特色亮点与典型案例", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    problems = forms.CharField(label="六、存在问题", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    next_steps = forms.CharField(label="七、下一步打算", required=False, widget=forms.Textarea(attrs={"rows": 4}))


@login_required
def evaluation(request, pk):
    report = evaluation_report_get(user=request.user, pk=pk)
    fields = ("document_number", "issuer", "written_on", "overview", "highlights", "problems", "next_steps")
    form = EvaluationEditForm(request.POST if request.method == "POST" else None,
                              initial={f: getattr(report, f) for f in fields})
    if report.released_at is not None:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # 发布 saves the texts on the page first, then releases: both or neither
                evaluation_update(actor=request.user, report=report, **form.cleaned_data)
                if request.POST.get("action") == "release":
                    evaluation_release(actor=request.user, report=report)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form_errors_from(form, exc)
            else:
                messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "报告已发布" if request.POST.get("action") == "release" else "已保存")
            return redirect("supervision:evaluation", pk=pk)
    fmt = request.GET.get("format")
    if fmt in ("docx", "pdf"):
        body, content_type = evaluation_file(report, fmt, user=request.user)
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="evaluation-{report.pk}.{fmt}"'
        return response
    content = report_content(report, user=request.user)
    return render(request, "supervision/evaluation.html", {
        "nav": "supervision", "report": report, "form": form, "content": content,
        "indicator_summary": indicator_summary(report, content), "task_summary": task_summary(content)})


class SettingsForm(forms.Form):
    report_frequency = forms.ChoiceField(label="进展报送频次", choices=[(f.value, FREQUENCY_LABELS[f]) for f in Frequency])
    report_due_days = int_form_field(SupervisionSettings, "report_due_days")
    reminder_days = int_form_field(SupervisionSettings, "reminder_days", label="完成时限前几日发出临近提醒（亮黄灯）")


@login_required
def settings_page(request):
    require_supervision_reader(request.user)
    config = supervision_settings()
    fields = ("report_frequency", "report_due_days", "reminder_days")
    form = SettingsForm(request.POST or None, initial={f: getattr(config, f) for f in fields})
    if request.method == "POST":
        require_perm(request.user, Perm.SUPERVISION_MANAGE)
        if form.is_valid():
            try:
                supervision_settings_set(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "督办规则已保存")
                return redirect("supervision:settings")
    return render(request, "supervision/settings.html", {
        "nav": "supervision", "form": form, "config": config, "light_rules": light_rules_text(config),
        "schedule_rules": report_schedule_text(config)})
