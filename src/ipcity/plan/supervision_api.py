import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.plan.assessment import assessment_scheme_set, bulletin_docx, office_rating_set, unit_scores
from ipcity.plan.evaluation import (
    evaluation_docx,
    evaluation_draft,
    evaluation_pdf,
    evaluation_release,
    evaluation_update,
)
from ipcity.plan.fund import budget_line_create, budget_lines, disbursement_record, execution, fund_export
from ipcity.plan.ledger import LedgerRejected, ledger_export, ledger_import
from ipcity.plan.models import BudgetLine, EvaluationReport, ExtensionRequest
from ipcity.plan.selectors import current_plan_or_404, task_get
from ipcity.plan.supervision import (
    extension_decide,
    extension_request,
    progress_report_submit,
    reminders_send,
    work_item_create,
    work_item_get,
    work_item_list,
    work_item_transition,
)
from ipcity.stats.reports import DOCX_TYPE
from ipcity.web.spreadsheets import XLSX_TYPE

router = Router(tags=["任务督办"])


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
def items(request, state: str = "", task: int | None = None):
    key_task = task_get(plan=current_plan_or_404(), number=task) if task else None
    return [_out(i) for i in work_item_list(user=request.user, task=key_task, state=state)]


class WorkItemIn(Schema):
    task: int
    unit: str  # unit code, e.g. science_technology
    year: int
    title: str
    deadline: dt.date
    deliverable: str = ""


@router.post("/items", response={201: WorkItemOut}, summary="立项工作事项（仅领导小组办公室）")
def item_create(request, payload: WorkItemIn):
    require_perm(request.user, Perm.SUPERVISION_MANAGE)
    task = task_get(plan=current_plan_or_404(), number=payload.task)
    unit = Organization.objects.filter(code=payload.unit).first()
    if unit is None:
        raise Http404(f"未知的单位代码：{payload.unit}")
    item = work_item_create(actor=request.user, task=task, unit=unit, year=payload.year, title=payload.title,
                            deadline=payload.deadline, deliverable=payload.deliverable,
                            indicators=list(task.indicators.all()))
    return Status(201, _out(item))


@router.get("/items/{item_id}", response=WorkItemOut, summary="工作事项详情")
def item(request, item_id: int):
    return _out(work_item_get(user=request.user, pk=item_id))


class TransitionIn(Schema):
    action: str
    reason: str = ""


@router.post("/items/{item_id}/transitions", response=WorkItemOut, summary="办理：交办、签收、开始办理、复核、退回、办结、重新打开")
def transition(request, item_id: int, payload: TransitionIn):
    return _out(work_item_transition(actor=request.user, item=work_item_get(user=request.user, pk=item_id),
                                     action=payload.action, reason=payload.reason))


class ReportIn(Schema):
    period: str
    text: str
    figures: dict[str, Decimal] = {}


class ReportOut(Schema):
    id: int
    period: str
    state: str


@router.post("/items/{item_id}/reports", response={201: ReportOut}, summary="报送进展（承办单位）")
def report(request, item_id: int, payload: ReportIn):
    item = work_item_get(user=request.user, pk=item_id)
    submitted = progress_report_submit(actor=request.user, item=item, period=payload.period, text=payload.text,
                                       figures=payload.figures)
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
    rank: int
    unit: str
    total: float
    components: dict[str, float | None]


@router.get("/assessment", response=list[ScoreOut], summary="年度考核评分与排名")
def assessment(request, year: int, as_of: dt.date | None = None):
    return [{"rank": s.rank, "unit": s.unit, "total": s.total, "components": s.components}
            for s in unit_scores(user=request.user, plan=current_plan_or_404(), year=year, as_of=as_of)]


class RatingIn(Schema):
    year: int
    score: Decimal
    note: str = ""


class RatingOut(Schema):
    unit: str
    year: int
    score: Decimal


@router.put("/assessment/ratings/{unit_code}", response=RatingOut, summary="办公室评分（仅领导小组办公室）")
def rating(request, unit_code: str, payload: RatingIn):
    unit = Organization.objects.filter(code=unit_code).first()
    if unit is None:
        raise Http404(f"未知的单位代码：{unit_code}")
    saved = office_rating_set(actor=request.user, unit=unit, year=payload.year, score=payload.score, note=payload.note)
    return {"unit": unit.name, "year": saved.year, "score": saved.score}


class SchemeIn(Schema):
    weights: dict[str, float]


@router.put("/assessment/schemes/{year}", response=SchemeIn, summary="设置年度评分权重（仅领导小组办公室）")
def scheme(request, year: int, payload: SchemeIn):
    return {"weights": assessment_scheme_set(actor=request.user, year=year, weights=payload.weights).weights}


@router.get("/assessment/bulletin.docx", summary="生成考核通报（Word）")
def bulletin(request, year: int):
    response = HttpResponse(bulletin_docx(user=request.user, plan=current_plan_or_404(), year=year),
                            content_type=DOCX_TYPE)
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


class DecisionIn(Schema):
    approve: bool
    note: str = ""


@router.post("/extensions/{extension_id}/decision", response=ExtensionOut, summary="审批延期申请（仅领导小组办公室）")
def extension_decision(request, extension_id: int, payload: DecisionIn):
    require_perm(request.user, Perm.SUPERVISION_MANAGE)
    extension = ExtensionRequest.objects.filter(pk=extension_id).first()
    if extension is None:
        raise Http404("没有这项延期申请")
    return _extension_out(extension_decide(actor=request.user, request=extension, approve=payload.approve,
                                           note=payload.note))


class BudgetLineIn(Schema):
    year: int
    use: str
    name: str
    amount: Decimal
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
def fund(request, year: int):
    summary = execution(user=request.user, year=year)
    return {"year": year, "budget": summary["total"]["budget"], "disbursed": summary["total"]["disbursed"],
            "rate": summary["total"]["rate"],
            "by_use": {k: {"label": v["label"], "budget": str(v["budget"]), "disbursed": str(v["disbursed"]),
                           "rate": None if v["rate"] is None else str(v["rate"])} for k, v in summary["by_use"].items()},
            "lines": [{"id": line.pk, "year": line.year, "use": line.use, "name": line.name, "amount": line.amount,
                       "disbursed": line.disbursed} for line in budget_lines(user=request.user, year=year)]}


@router.post("/fund/lines", response={201: BudgetLineOut}, summary="添加预算项目（仅领导小组办公室）")
def fund_line_create(request, payload: BudgetLineIn):
    unit = Organization.objects.filter(code=payload.managing_unit).first()
    if unit is None:
        raise Http404(f"未知的单位代码：{payload.managing_unit}")
    line = budget_line_create(actor=request.user, year=payload.year, use=payload.use, name=payload.name,
                              amount=payload.amount, managing_unit=unit)
    return Status(201, {"id": line.pk, "year": line.year, "use": line.use, "name": line.name, "amount": line.amount,
                        "disbursed": Decimal(0)})


class DisbursementIn(Schema):
    amount: Decimal
    paid_on: dt.date
    recipient: str
    purpose: str
    task: int | None = None


class DisbursementOut(Schema):
    id: int
    amount: Decimal
    paid_on: dt.date


@router.post("/fund/lines/{line_id}/disbursements", response={201: DisbursementOut}, summary="登记专项资金支出（仅领导小组办公室）")
def fund_disburse(request, line_id: int, payload: DisbursementIn):
    line = BudgetLine.objects.filter(pk=line_id).first()
    if line is None:
        raise Http404("没有这个预算项目")
    task = task_get(plan=current_plan_or_404(), number=payload.task) if payload.task else None
    paid = disbursement_record(actor=request.user, line=line, amount=payload.amount, paid_on=payload.paid_on,
                               recipient=payload.recipient, purpose=payload.purpose, task=task)
    return Status(201, {"id": paid.pk, "amount": paid.amount, "paid_on": paid.paid_on})


@router.get("/fund.xlsx", summary="导出专项资金执行情况（Excel）")
def fund_download(request, year: int):
    response = HttpResponse(fund_export(user=request.user, year=year), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="fund-{year}.xlsx"'
    return response


class EvaluationIn(Schema):
    kind: str
    year: int | None = None


class EvaluationOut(Schema):
    id: int
    title: str
    as_of: dt.date
    released: bool
    highlights: str
    problems: str
    next_steps: str


def _evaluation_out(report) -> dict:
    return {"id": report.pk, "title": report.title, "as_of": report.as_of, "released": report.released_at is not None,
            "highlights": report.highlights, "problems": report.problems, "next_steps": report.next_steps}


def _evaluation(request, report_id: int) -> EvaluationReport:
    require_perm(request.user, Perm.SUPERVISION_MANAGE)
    report = EvaluationReport.objects.filter(pk=report_id).first()
    if report is None:
        raise Http404("没有这份评估报告")
    return report


@router.post("/evaluations", response={201: EvaluationOut}, summary="按当前数据生成评估报告草稿（终期或年度）")
def evaluation_create(request, payload: EvaluationIn):
    report = evaluation_draft(actor=request.user, plan=current_plan_or_404(), kind=payload.kind, year=payload.year)
    return Status(201, _evaluation_out(report))


class EvaluationPatch(Schema):
    highlights: str | None = None
    problems: str | None = None
    next_steps: str | None = None


@router.patch("/evaluations/{report_id}", response=EvaluationOut, summary="修改评估报告草稿的文字部分")
def evaluation_patch(request, report_id: int, payload: EvaluationPatch):
    report = evaluation_update(actor=request.user, report=_evaluation(request, report_id),
                               **payload.dict(exclude_unset=True))
    return _evaluation_out(report)


@router.post("/evaluations/{report_id}/release", response=EvaluationOut, summary="发布评估报告（发布后不能再改）")
def evaluation_publish(request, report_id: int):
    return _evaluation_out(evaluation_release(actor=request.user, report=_evaluation(request, report_id)))


@router.get("/evaluations/{report_id}/document", summary="下载评估报告（format=docx 或 pdf）")
def evaluation_document(request, report_id: int, format: str = "pdf"):
    report = _evaluation(request, report_id)
    if format not in ("docx", "pdf"):
        raise ValidationError("format 应为 docx 或 pdf")
    body, content_type = ((evaluation_docx(report), DOCX_TYPE) if format == "docx"
                          else (evaluation_pdf(report), "application/pdf"))
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="evaluation-{report.pk}.{format}"'
    return response
