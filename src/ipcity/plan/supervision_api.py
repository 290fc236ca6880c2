import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.bounds import Id, Year, bounded_decimal, bounded_int, bounded_number
from ipcity.inputs import object_or_404
from ipcity.plan.assessment import (
    assessment_scheme_set,
    assessment_scope_history,
    assessment_scope_set,
    bulletin_docx,
    interview_get,
    interview_list,
    interview_record,
    interview_rectification_decide,
    interview_rectification_report,
    office_rating_set,
    unit_scores,
    unranked_units,
)
from ipcity.plan.core import supervision as rules
from ipcity.plan.core.schedule import STANDING_LABELS
from ipcity.plan.dashboard import supervision_dashboard
from ipcity.plan.evaluation import (
    EDITABLE,
    evaluation_draft,
    evaluation_file,
    evaluation_release,
    evaluation_report_get,
    evaluation_report_list,
    evaluation_update,
    report_counts,
)
from ipcity.plan.fund import budget_line_create, budget_lines, disbursement_record, execution, fund_export
from ipcity.plan.ledger import LedgerRejected, ledger_export, ledger_import
from ipcity.plan.meetings import decision_to_work_item, meeting_list, meeting_record
from ipcity.plan.models import (
    BudgetLine,
    Disbursement,
    EvaluationReport,
    ExtensionRequest,
    IndicatorValue,
    KeyTask,
    MeetingDecision,
    OfficeRating,
    SupervisionSettings,
)
from ipcity.plan.selectors import current_plan_or_404, task_get, unit_by_code
from ipcity.plan.supervision import (
    extension_decide,
    extension_request,
    progress_report_submit,
    reminders_send,
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
from ipcity.web.spreadsheets import XLSX_TYPE

router = Router(tags=["任务督办"])
TaskNumber = bounded_int(KeyTask, "number", label="任务序号")


class WorkItemOut(Schema):
    id: int
    task: int
    unit: str
    year: int
    title: str
    deliverable: str
    deadline: dt.date
    state: str
    state_label: str
    indicators: list[str]


def _out(item) -> dict:
    return {"id": item.pk, "task": item.task.number, "unit": item.unit.name, "year": item.year, "title": item.title,
            "deliverable": item.deliverable, "deadline": item.deadline, "state": item.state,
            "state_label": item.get_state_display(), "indicators": [i.code for i in item.indicators.all()]}


@router.get("/items", response=list[WorkItemOut], summary="工作事项（办公室看全部，责任单位看本单位）")
def items(request, state: str = "", task: TaskNumber | None = None):
    key_task = task_get(plan=current_plan_or_404(), number=task) if task else None
    return [_out(i) for i in work_item_list(user=request.user, task=key_task, state=state)]


class WorkItemIn(Schema):
    task: TaskNumber
    unit: str  # unit code, e.g. science_technology
    year: Year
    title: str
    deadline: dt.date
    deliverable: str = ""


@router.post("/items", response={201: WorkItemOut}, summary="立项工作事项（仅领导小组办公室）")
def item_create(request, payload: WorkItemIn):
    require_perm(request.user, Perm.SUPERVISION_MANAGE)
    task = task_get(plan=current_plan_or_404(), number=payload.task)
    item = work_item_create(actor=request.user, task=task, unit=unit_by_code(payload.unit), year=payload.year,
                            title=payload.title, deadline=payload.deadline, deliverable=payload.deliverable,
                            indicators=list(task.indicators.all()))
    return Status(201, _out(item))


@router.get("/items/{item_id}", response=WorkItemOut, summary="工作事项详情")
def item(request, item_id: int):
    return _out(work_item_get(user=request.user, pk=item_id))


class TransitionIn(Schema):
    action: Literal[rules.WORK_ITEM.actions]
    reason: str = ""


@router.post("/items/{item_id}/transitions", response=WorkItemOut, summary="办理：交办、签收、开始办理、复核、退回、办结、重新打开")
def transition(request, item_id: int, payload: TransitionIn):
    return _out(work_item_transition(actor=request.user, item=work_item_get(user=request.user, pk=item_id),
                                     action=payload.action, reason=payload.reason))


class ReportIn(Schema):
    period: str
    text: str
    figures: dict[str, bounded_decimal(IndicatorValue, "value")] = {}
    request_review: bool = True  # false: a periodic report only, the item stays where it is


class ProgressReportOut(Schema):
    id: int
    period: str
    state: str


@router.post("/items/{item_id}/reports", response={201: ProgressReportOut}, summary="报送进展（承办单位）")
def report(request, item_id: int, payload: ReportIn):
    item = work_item_get(user=request.user, pk=item_id)
    submitted = progress_report_submit(actor=request.user, item=item, period=payload.period, text=payload.text,
                                       figures=payload.figures, request_review=payload.request_review)
    item.refresh_from_db()
    return Status(201, {"id": submitted.pk, "period": submitted.period, "state": item.state})


class RemindOut(Schema):
    reminder: int
    chaser: int


@router.post("/reminders/run", response=RemindOut, summary="发送到期提醒与催办（同一次逾期只催办一次）")
def remind(request):
    if not request.user.is_authenticated:
        raise PermissionDenied("请先登录")
    require_perm(request.user, Perm.SUPERVISION_MANAGE)
    return reminders_send()


@router.get("/ledger.xlsx", summary="导出任务台账（Excel）")
def ledger_download(request):
    response = HttpResponse(ledger_export(user=request.user), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="ledger.xlsx"'
    return response


class LedgerOut(Schema):
    created: int
    updated: int
    unchanged: int


@router.post("/ledger", response=LedgerOut, summary="导入修改后的任务台账（整表校验，有错则不作任何修改）")
def ledger_upload(request, file: File[UploadedFile]):
    try:
        return ledger_import(actor=request.user, data=file.read(), filename=file.name or "ledger.xlsx",
                             plan=current_plan_or_404())
    except LedgerRejected as rejected:
        raise ValidationError([str(p) for p in rejected.problems]) from None


class ScoreOut(Schema):
    rank: int | None  # None: not ranked
    unit: str
    total: float | None  # None: nothing to assess in the year
    components: dict[str, float | None]
    ranked: bool
    not_ranked: str  # "", nothing_to_assess or left_out
    not_ranked_label: str  # 不参与排名（无考核事项） / 不参与排名（办公室设定）


@router.get("/assessment", response=list[ScoreOut], summary="年度考核评分与排名（无考核事项或办公室设定的单位不参与排名）")
def assessment(request, year: Year, as_of: dt.date | None = None):
    return [{"rank": s.rank, "unit": s.unit, "total": s.total, "components": s.components, "ranked": s.ranked,
             "not_ranked": s.not_ranked, "not_ranked_label": s.not_ranked_label}
            for s in unit_scores(user=request.user, plan=current_plan_or_404(), year=year, as_of=as_of)]


class ScopeUnitOut(Schema):
    id: int
    code: str | None
    name: str


class ScopeChangeOut(Schema):
    set_at: dt.datetime
    set_by: str | None
    unranked_units: list[ScopeUnitOut]


class ScopeOut(Schema):
    unranked_units: list[ScopeUnitOut]
    is_default: bool  # no setting yet: courts and procuratorates are not ranked
    history: list[ScopeChangeOut]


class ScopeIn(Schema):
    unranked_units: list[Id]  # organization ids; an empty list ranks every unit


def _scope_unit(u) -> dict:
    return {"id": u.pk, "code": u.code, "name": u.name}


def _scope_out(user) -> dict:
    history = assessment_scope_history(user=user)
    return {"unranked_units": [_scope_unit(u) for u in unranked_units()], "is_default": not history,
            "history": [{"set_at": h.set_at, "set_by": (h.set_by.full_name or h.set_by.username) if h.set_by else None,
                         "unranked_units": [_scope_unit(u) for u in h.unranked_units.all()]} for h in history]}


@router.get("/assessment/scope", response=ScopeOut, summary="不参与排名的单位及设定历史")
def assessment_scope(request):
    return _scope_out(request.user)


@router.put("/assessment/scope", response=ScopeOut, summary="设定不参与排名的单位（仅领导小组办公室）")
def assessment_scope_put(request, payload: ScopeIn):
    assessment_scope_set(actor=request.user, unit_ids=payload.unranked_units)
    return _scope_out(request.user)


class UnitRatingIn(Schema):
    year: Year
    score: bounded_decimal(OfficeRating, "score")
    note: str = ""


class RatingOut(Schema):
    unit: str
    year: int
    score: Decimal


@router.put("/assessment/ratings/{unit_code}", response=RatingOut, summary="办公室评分（仅领导小组办公室）")
def rating(request, unit_code: str, payload: UnitRatingIn):
    unit = unit_by_code(unit_code)
    saved = office_rating_set(actor=request.user, unit=unit, year=payload.year, score=payload.score, note=payload.note)
    return {"unit": unit.name, "year": saved.year, "score": saved.score}


class SchemeIn(Schema):
    weights: dict[str, bounded_number(label="权重", minimum=0, maximum=100, decimal_places=4, python_type=float)]


@router.put("/assessment/schemes/{year}", response=SchemeIn, summary="设置年度评分权重（仅领导小组办公室）")
def scheme(request, year: Year, payload: SchemeIn):
    return {"weights": assessment_scheme_set(actor=request.user, year=year, weights=payload.weights).weights}


@router.get("/assessment/bulletin.docx", summary="生成考核通报（Word，公文格式；document_number 为文号，可不填）")
def bulletin(request, year: Year, document_number: str = ""):
    response = HttpResponse(bulletin_docx(user=request.user, plan=current_plan_or_404(), year=year,
                                          document_number=document_number.strip()), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="bulletin-{year}.docx"'
    return response


class ExtensionIn(Schema):
    requested_deadline: dt.date
    reason: str


class ExtensionOut(Schema):
    id: int
    current_deadline: dt.date
    requested_deadline: dt.date
    decision: str


def _extension_out(extension) -> dict:
    return {"id": extension.pk, "current_deadline": extension.current_deadline,
            "requested_deadline": extension.requested_deadline, "decision": extension.decision}


@router.post("/items/{item_id}/extensions", response={201: ExtensionOut}, summary="申请延期（承办单位）")
def extension_create(request, item_id: int, payload: ExtensionIn):
    item = work_item_get(user=request.user, pk=item_id)
    return Status(201, _extension_out(extension_request(actor=request.user, item=item, reason=payload.reason,
                                                        requested_deadline=payload.requested_deadline)))


class ExtensionDecisionIn(Schema):
    approve: bool
    note: str = ""


@router.post("/extensions/{extension_id}/decision", response=ExtensionOut, summary="审批延期申请（仅领导小组办公室）")
def extension_decision(request, extension_id: int, payload: ExtensionDecisionIn):
    require_perm(request.user, Perm.SUPERVISION_MANAGE)
    extension = object_or_404(ExtensionRequest.objects, "没有这项延期申请", pk=extension_id)
    return _extension_out(extension_decide(actor=request.user, request=extension, approve=payload.approve,
                                           note=payload.note))


class BudgetLineIn(Schema):
    year: Year
    use: str
    name: str
    amount: bounded_decimal(BudgetLine, "amount")
    managing_unit: str  # unit code


class BudgetLineOut(Schema):
    id: int
    year: int
    use: str
    name: str
    amount: Decimal
    disbursed: Decimal


class ExecutionOut(Schema):
    year: int
    budget: Decimal
    disbursed: Decimal
    rate: Decimal | None
    by_use: dict[str, dict]
    lines: list[BudgetLineOut]


@router.get("/fund", response=ExecutionOut, summary="专项资金预算执行情况")
def fund(request, year: Year):
    summary = execution(user=request.user, year=year)
    return {"year": year, "budget": summary["total"]["budget"], "disbursed": summary["total"]["disbursed"],
            "rate": summary["total"]["rate"],
            "by_use": {k: {"label": v["label"], "budget": str(v["budget"]), "disbursed": str(v["disbursed"]),
                           "rate": None if v["rate"] is None else str(v["rate"])} for k, v in summary["by_use"].items()},
            "lines": [{"id": line.pk, "year": line.year, "use": line.use, "name": line.name, "amount": line.amount,
                       "disbursed": line.disbursed} for line in budget_lines(user=request.user, year=year)]}


@router.post("/fund/lines", response={201: BudgetLineOut}, summary="添加预算项目（仅领导小组办公室）")
def fund_line_create(request, payload: BudgetLineIn):
    unit = unit_by_code(payload.managing_unit)
    line = budget_line_create(actor=request.user, year=payload.year, use=payload.use, name=payload.name,
                              amount=payload.amount, managing_unit=unit)
    return Status(201, {"id": line.pk, "year": line.year, "use": line.use, "name": line.name, "amount": line.amount,
                        "disbursed": Decimal(0)})


class DisbursementIn(Schema):
    amount: bounded_decimal(Disbursement, "amount")
    paid_on: dt.date
    recipient: str
    purpose: str
    task: TaskNumber | None = None


class DisbursementOut(Schema):
    id: int
    amount: Decimal
    paid_on: dt.date


@router.post("/fund/lines/{line_id}/disbursements", response={201: DisbursementOut}, summary="登记专项资金支出（仅领导小组办公室）")
def fund_disburse(request, line_id: int, payload: DisbursementIn):
    line = object_or_404(BudgetLine.objects, "没有这个预算项目", pk=line_id)
    task = task_get(plan=current_plan_or_404(), number=payload.task) if payload.task else None
    paid = disbursement_record(actor=request.user, line=line, amount=payload.amount, paid_on=payload.paid_on,
                               recipient=payload.recipient, purpose=payload.purpose, task=task)
    return Status(201, {"id": paid.pk, "amount": paid.amount, "paid_on": paid.paid_on})


@router.get("/fund.xlsx", summary="导出专项资金执行情况（Excel）")
def fund_download(request, year: Year):
    response = HttpResponse(fund_export(user=request.user, year=year), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="fund-{year}.xlsx"'
    return response


class EvaluationListOut(Schema):
    id: int
    kind: str
    year: int | None
    title: str
    as_of: dt.date
    released: bool
    document_number: str


class EvaluationIn(Schema):
    kind: str
    year: Year | None = None


class EvaluationOut(Schema):
    id: int
    kind: str
    kind_label: str
    year: int | None
    title: str
    as_of: dt.date
    released: bool
    document_number: str
    issuer: str
    written_on: dt.date | None
    overview: str
    highlights: str
    problems: str
    next_steps: str
    indicators_met: int
    indicators_not_met: int
    indicators_pending: int
    indicators_without_annual_target: int


def _evaluation_out(report) -> dict:
    counts = report_counts(report)
    return {"id": report.pk, "kind": report.kind, "kind_label": report.get_kind_display(), "year": report.year,
            "title": report.title, "as_of": report.as_of, "released": report.released_at is not None,
            **{field: getattr(report, field) for field in EDITABLE},
            "indicators_met": counts["met"], "indicators_not_met": counts["not_met"],
            "indicators_pending": counts["pending"], "indicators_without_annual_target": counts["no_target"]}


def _evaluation(request, report_id: int) -> EvaluationReport:
    return evaluation_report_get(user=request.user, pk=report_id)


@router.get("/evaluations", response=list[EvaluationListOut], summary="评估报告列表")
def evaluation_list(request):
    return [{"id": r.pk, "kind": r.kind, "year": r.year, "title": r.title, "as_of": r.as_of,
             "released": r.released_at is not None, "document_number": r.document_number}
            for r in evaluation_report_list(user=request.user, plan=current_plan_or_404())]


@router.post("/evaluations", response={201: EvaluationOut},
             summary="生成评估报告草稿（终期或年度；年度报告按该年12月31日的数值）")
def evaluation_create(request, payload: EvaluationIn):
    report = evaluation_draft(actor=request.user, plan=current_plan_or_404(), kind=payload.kind, year=payload.year)
    return Status(201, _evaluation_out(report))


@router.get("/evaluations/{report_id}", response=EvaluationOut, summary="查看评估报告")
def evaluation_get(request, report_id: int):
    return _evaluation_out(_evaluation(request, report_id))


class EvaluationPatch(Schema):
    document_number: str | None = None
    issuer: str | None = None
    written_on: dt.date | None = None
    overview: str | None = None
    highlights: str | None = None
    problems: str | None = None
    next_steps: str | None = None


@router.patch("/evaluations/{report_id}", response=EvaluationOut,
              summary="修改评估报告草稿：文号、发文机关、成文日期和基本情况、特色亮点与典型案例、存在问题、下一步打算")
def evaluation_patch(request, report_id: int, payload: EvaluationPatch):
    report = evaluation_update(actor=request.user, report=_evaluation(request, report_id),
                               **payload.dict(exclude_unset=True))
    return _evaluation_out(report)


@router.post("/evaluations/{report_id}/release", response=EvaluationOut, summary="发布评估报告（发布后不能再改）")
def evaluation_publish(request, report_id: int):
    return _evaluation_out(evaluation_release(actor=request.user, report=_evaluation(request, report_id)))


@router.get("/evaluations/{report_id}/document", summary="下载评估报告（format=docx 或 pdf，公文格式）")
def evaluation_document(request, report_id: int, format: str = "pdf"):
    report = _evaluation(request, report_id)
    body, content_type = evaluation_file(report, format, user=request.user)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="evaluation-{report.pk}.{format}"'
    return response


class StandingOut(Schema):
    period: str
    due: dt.date
    standing: str
    standing_label: str
    reported_on: dt.date | None


@router.get("/items/{item_id}/report-standings", response=list[StandingOut],
            summary="事项各报告期的进展报送情况（按时、迟报、逾期未报、待报送）")
def item_standings(request, item_id: int):
    item = work_item_get(user=request.user, pk=item_id)
    return [{"period": s.period.label, "due": s.period.due, "standing": s.standing.value,
             "standing_label": STANDING_LABELS[s.standing], "reported_on": s.reported_on}
            for s in report_standings(item)]


@router.get("/dashboard", summary="督办看板数据：办公室看全局，责任单位看本单位（与页面图表同源）")
def dashboard(request, as_of: dt.date | None = None):
    return supervision_dashboard(user=request.user, plan=current_plan_or_404(), today=as_of)


class SettingsIO(Schema):
    report_frequency: str  # monthly | quarterly
    report_due_days: bounded_int(SupervisionSettings, "report_due_days")
    reminder_days: bounded_int(SupervisionSettings, "reminder_days")


def _settings_out(config) -> dict:
    return {f: getattr(config, f) for f in ("report_frequency", "report_due_days", "reminder_days")}


@router.get("/settings", response=SettingsIO, summary="督办规则：报送频次、报送期限、提前提醒天数")
def settings_get(request):
    require_supervision_reader(request.user)
    return _settings_out(supervision_settings())


@router.put("/settings", response=SettingsIO, summary="修改督办规则（仅领导小组办公室）")
def settings_put(request, payload: SettingsIO):
    return _settings_out(supervision_settings_set(actor=request.user, **payload.dict()))


class MeetingDecisionIn(Schema):
    text: str
    task: TaskNumber | None = None
    unit: str | None = None  # unit code
    deadline: dt.date | None = None


class MeetingIn(Schema):
    title: str
    kind: str = "plenary"
    held_on: dt.date
    place: str = ""
    chaired_by: str
    attendees: list[str] = []  # unit codes
    summary: str
    decisions: list[MeetingDecisionIn] = []


class DecisionOut(Schema):
    id: int
    number: int
    text: str
    task: int | None
    unit: str | None
    deadline: dt.date | None
    work_item: int | None


class MeetingOut(Schema):
    id: int
    title: str
    kind: str
    held_on: dt.date
    place: str
    chaired_by: str
    attendees: list[str]
    summary: str
    decisions: list[DecisionOut]


def _meeting_out(meeting) -> dict:
    return {"id": meeting.pk, "title": meeting.title, "kind": meeting.kind, "held_on": meeting.held_on,
            "place": meeting.place, "chaired_by": meeting.chaired_by,
            "attendees": [u.name for u in meeting.attendees.all()], "summary": meeting.summary,
            "decisions": [{"id": d.pk, "number": d.number, "text": d.text, "task": d.task.number if d.task else None,
                           "unit": d.unit.name if d.unit else None, "deadline": d.deadline,
                           "work_item": d.work_item_id} for d in meeting.decisions.all()]}


def _task(number: int | None, plan) -> KeyTask | None:
    return task_get(plan=plan, number=number) if number is not None else None


@router.get("/meetings", response=list[MeetingOut], summary="领导小组会议及议定事项")
def meetings(request):
    return [_meeting_out(m) for m in meeting_list(user=request.user)]


@router.post("/meetings", response={201: MeetingOut}, summary="记录领导小组会议（仅领导小组办公室）")
def meeting_create(request, payload: MeetingIn):
    require_perm(request.user, Perm.SUPERVISION_MANAGE)
    plan = current_plan_or_404()
    decisions = [{"text": d.text, "task": _task(d.task, plan), "unit": unit_by_code(d.unit) if d.unit else None,
                  "deadline": d.deadline} for d in payload.decisions]
    meeting = meeting_record(actor=request.user, plan=plan, title=payload.title, kind=payload.kind,
                             held_on=payload.held_on, place=payload.place, chaired_by=payload.chaired_by,
                             summary=payload.summary, attendees=[unit_by_code(c) for c in payload.attendees],
                             decisions=decisions)
    return Status(201, _meeting_out(meeting))


def _meeting(request, meeting_id: int):
    return object_or_404(meeting_list(user=request.user), "会议不存在", pk=meeting_id)


@router.get("/meetings/{meeting_id}", response=MeetingOut, summary="会议详情")
def meeting(request, meeting_id: int):
    return _meeting_out(_meeting(request, meeting_id))


class DecisionItemIn(Schema):
    task: TaskNumber | None = None  # defaults to what the decision names
    unit: str | None = None
    deadline: dt.date | None = None
    title: str = ""


@router.post("/meetings/{meeting_id}/decisions/{number}/work-item", response={201: WorkItemOut},
             summary="把议定事项转为工作事项（仅领导小组办公室）")
def decision_item(request, meeting_id: int, number: bounded_int(MeetingDecision, "number"), payload: DecisionItemIn):
    require_perm(request.user, Perm.SUPERVISION_MANAGE)
    found = _meeting(request, meeting_id)
    decision = found.decisions.filter(number=number).first()
    if decision is None:
        raise Http404("议定事项不存在")
    item = decision_to_work_item(actor=request.user, decision=decision, task=_task(payload.task, found.plan),
                                 unit=unit_by_code(payload.unit) if payload.unit else None, deadline=payload.deadline,
                                 title=payload.title)
    return Status(201, _out(item))


class InterviewIn(Schema):
    unit: str  # unit code
    year: Year
    held_on: dt.date
    interviewer: str
    interviewees: str
    reason: str
    content: str
    requirements: str
    rectification_deadline: dt.date


class InterviewOut(Schema):
    id: int
    unit: str
    year: int
    held_on: dt.date
    interviewer: str
    interviewees: str
    reason: str
    content: str
    requirements: str
    rectification_deadline: dt.date
    state: str
    state_label: str
    rectification_report: str
    office_note: str


def _interview_out(interview) -> dict:
    fields = ("year", "held_on", "interviewer", "interviewees", "reason", "content", "requirements",
              "rectification_deadline", "state", "rectification_report", "office_note")
    return {"id": interview.pk, "unit": interview.unit.name, "state_label": interview.get_state_display(),
            **{f: getattr(interview, f) for f in fields}}


@router.get("/interviews", response=list[InterviewOut], summary="约谈记录（办公室看全部，责任单位看本单位）")
def interviews(request):
    return [_interview_out(i) for i in interview_list(user=request.user)]


@router.post("/interviews", response={201: InterviewOut}, summary="记录约谈（仅领导小组办公室）")
def interview_create(request, payload: InterviewIn):
    require_perm(request.user, Perm.SUPERVISION_MANAGE)
    data = payload.dict()
    data["unit"] = unit_by_code(data["unit"])
    return Status(201, _interview_out(interview_record(actor=request.user, **data)))


@router.get("/interviews/{interview_id}", response=InterviewOut, summary="约谈详情")
def interview(request, interview_id: int):
    return _interview_out(interview_get(user=request.user, pk=interview_id))


class RectificationIn(Schema):
    text: str


@router.post("/interviews/{interview_id}/rectification", response=InterviewOut, summary="报送整改情况（被约谈单位）")
def interview_rectification(request, interview_id: int, payload: RectificationIn):
    found = interview_get(user=request.user, pk=interview_id)
    return _interview_out(interview_rectification_report(actor=request.user, interview=found, text=payload.text))


class RectificationDecisionIn(Schema):
    accept: bool
    note: str = ""


@router.post("/interviews/{interview_id}/decision", response=InterviewOut,
             summary="审核整改情况：销号或退回（仅领导小组办公室）")
def interview_decision(request, interview_id: int, payload: RectificationDecisionIn):
    found = interview_get(user=request.user, pk=interview_id)
    return _interview_out(interview_rectification_decide(actor=request.user, interview=found, accept=payload.accept,
                                                         note=payload.note))
