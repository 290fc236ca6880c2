"""Work items (工作事项): creation, transitions, progress reports and their standings, extensions, reminders
and chasers, and the office's reporting rules (督办规则)."""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema, Status

from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.bounds import Year, bounded_decimal, bounded_int
from ipcity.inputs import object_or_404
from ipcity.openapi import Rows, paginated
from ipcity.plan.core import supervision as rules
from ipcity.plan.core.schedule import STANDING_LABELS
from ipcity.plan.models import ExtensionRequest, IndicatorValue, KeyTask, SupervisionSettings
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

router = Router()
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


def work_item_out(item) -> dict:
    return {"id": item.pk, "task": item.task.number, "unit": item.unit.name, "year": item.year, "title": item.title,
            "deliverable": item.deliverable, "deadline": item.deadline, "state": item.state,
            "state_label": item.get_state_display(), "indicators": [i.code for i in item.indicators.all()]}


@router.get("/items", response=list[WorkItemOut], summary="工作事项（办公室看全部，责任单位看本单位；按期限排序）")
@paginated
def items(request, state: str = "", task: TaskNumber | None = None):
    key_task = task_get(plan=current_plan_or_404(), number=task) if task else None
    found = (work_item_list(user=request.user, task=key_task, state=state).prefetch_related("indicators")
             .order_by("deadline", "id"))
    return Rows(found, work_item_out)


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
    return Status(201, work_item_out(item))


@router.get("/items/{item_id}", response=WorkItemOut, summary="工作事项详情")
def item(request, item_id: int):
    return work_item_out(work_item_get(user=request.user, pk=item_id))


class TransitionIn(Schema):
    action: Literal[rules.WORK_ITEM.actions]
    reason: str = ""


@router.post("/items/{item_id}/transitions", response=WorkItemOut, summary="办理：交办、签收、开始办理、复核、退回、办结、重新打开")
def transition(request, item_id: int, payload: TransitionIn):
    return work_item_out(work_item_transition(actor=request.user, item=work_item_get(user=request.user, pk=item_id),
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
