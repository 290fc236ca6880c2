"""Supervision of the key tasks: work items assigned to units, their transitions, progress reports, reminders.
Writes are transactional, permission-checked and audited; mail goes out after commit."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from ipcity import clock
from ipcity.accounts.models import Organization, User
from ipcity.accounts.permissions import has_perm, require_perm
from ipcity.accounts.roles import Perm
from ipcity.accounts.system import system_actor
from ipcity.audit.services import audit_record
from ipcity.inputs import object_or_404
from ipcity.plan.core import schedule
from ipcity.plan.core import supervision as rules
from ipcity.plan.core.schema import MembersClause
from ipcity.plan.core.value_sense import value_problem
from ipcity.plan.models import (
    ExtensionRequest,
    Indicator,
    KeyTask,
    ProgressReport,
    Reminder,
    SupervisionSettings,
    WorkItem,
    WorkItemEvent,
)
from ipcity.plan.services import indicator_value_report
from ipcity.workflow.core import TransitionError
from ipcity.workflow.services import workflow_step


def require_supervision_reader(user) -> None:
    """The office and the responsible units' staff read the supervision records; nobody else does."""
    if not (has_perm(user, Perm.SUPERVISION_MANAGE) or has_perm(user, Perm.SUPERVISION_WORK)):
        raise PermissionDenied("无权查看督办工作事项")


# ---- the office's rules ----

def supervision_settings() -> SupervisionSettings:
    """The rules in force: the latest the office set, or the defaults."""
    return SupervisionSettings.objects.first() or SupervisionSettings(set_at=clock.now())


@transaction.atomic
def supervision_settings_set(*, actor, report_frequency: str, report_due_days: int,
                             reminder_days: int) -> SupervisionSettings:
    require_perm(actor, Perm.SUPERVISION_MANAGE)
    problems = {}
    if report_frequency not in set(schedule.Frequency):
        problems["report_frequency"] = ["报送频次应为每月（monthly）或每季度（quarterly）"]
    if not 1 <= report_due_days <= 60:
        problems["report_due_days"] = ["报送期限应在报告期结束后1～60日内"]
    if not 0 <= reminder_days <= 60:
        problems["reminder_days"] = ["提前提醒天数应在0～60之间"]
    if problems:
        raise ValidationError(problems)
    before = supervision_settings()
    config = SupervisionSettings.objects.create(report_frequency=report_frequency, report_due_days=report_due_days,
                                                reminder_days=reminder_days, set_by=actor, set_at=clock.now())
    fields = ("report_frequency", "report_due_days", "reminder_days")
    audit_record(actor=actor, action="supervision.settings.set", obj=config,
                 before={f: getattr(before, f) for f in fields}, after={f: getattr(config, f) for f in fields})
    return config


def light_rules_text(config: SupervisionSettings | None = None) -> str:
    return rules.LIGHT_RULES.format(days=(config or supervision_settings()).reminder_days)


def report_schedule_text(config: SupervisionSettings | None = None) -> str:
    config = config or supervision_settings()
    label = schedule.FREQUENCY_LABELS[schedule.Frequency(config.report_frequency)]
    return (f"承办单位自交办起至办结，{label}报送一次进展，报告期结束后{config.report_due_days}日内报送；"
            "超过期限报送的记为迟报，超过期限仍未报送的记为逾期未报。")


# ---- reads ----

def work_item_list(*, user, task: KeyTask | None = None, state: str = "") -> QuerySet[WorkItem]:
    if has_perm(user, Perm.SUPERVISION_MANAGE):
        items = WorkItem.objects.all()
    elif has_perm(user, Perm.SUPERVISION_WORK):
        items = WorkItem.objects.filter(unit_id=user.organization_id).exclude(state=rules.State.DRAFT)
    else:
        raise PermissionDenied("无权查看督办工作事项")
    if task is not None:
        items = items.filter(task=task)
    if state:
        items = items.filter(state=state)
    return items.select_related("task", "unit")


def work_item_get(*, user, pk: int) -> WorkItem:
    return object_or_404(work_item_list(user=user), "工作事项不存在或无权查看", pk=pk)


def party_of(user, item: WorkItem) -> rules.Party | None:
    if has_perm(user, Perm.SUPERVISION_MANAGE):
        return rules.Party.OFFICE
    if has_perm(user, Perm.SUPERVISION_WORK) and user.organization_id == item.unit_id:
        return rules.Party.UNIT
    return None


# ---- writes ----

def unit_is_responsible(task: KeyTask, unit: Organization) -> bool:
    if task.assignments.filter(unit=unit).exists():
        return True
    return task.members_clause != MembersClause.NONE and task.plan.members.filter(pk=unit.pk).exists()


@transaction.atomic
def work_item_create(*, actor, task: KeyTask, unit: Organization, year: int, title: str, deadline: dt.date,
                     deliverable: str = "", indicators: list[Indicator] = ()) -> WorkItem:
    require_perm(actor, Perm.SUPERVISION_MANAGE)
    problems = {}
    if not unit_is_responsible(task, unit):
        problems["unit"] = [f"“{unit.name}”不是重点任务{task.number}的责任单位"]
    if not (task.plan.period_start.year <= year <= task.plan.period_end.year):
        problems["year"] = [f"年度应在试点期 {task.plan.period_start.year}～{task.plan.period_end.year} 内"]
    if not title.strip():
        problems["title"] = ["请填写工作事项"]
    if not (task.plan.period_start <= deadline <= task.plan.period_end):
        problems["deadline"] = ["完成时限应在试点期内"]
    if problems:
        raise ValidationError(problems)
    now = clock.now()
    item = WorkItem.objects.create(task=task, unit=unit, year=year, title=title.strip()[:200],
                                   deliverable=deliverable.strip()[:200], deadline=deadline, created_at=now, updated_at=now)
    item.indicators.set(indicators)
    audit_record(actor=actor, action="supervision.work_item.create", obj=item,
                 after={"task": task.number, "unit": unit.name, "year": year, "title": item.title, "deadline": deadline})
    return item


@transaction.atomic
def work_item_transition(*, actor, item: WorkItem, action: str, reason: str = "") -> WorkItem:
    party = party_of(actor, item)
    if party is None:
        raise PermissionDenied("只有领导小组办公室和承办单位可以办理该事项")

    def record_event(locked: WorkItem, transition) -> None:
        locked.updated_at = clock.now()
        WorkItemEvent.objects.create(work_item=locked, action=action, from_state=locked.state, to_state=transition.target,
                                     reason=reason.strip(), actor=actor, at=locked.updated_at)

    return workflow_step(item, workflow=rules.WORK_ITEM, action=action, actor=actor, parties={party}, reason=reason,
                         apply=record_event)


# A periodic report can be filed while the unit works on the item and while the office reviews it.
REPORTABLE = frozenset({rules.State.ACKNOWLEDGED, rules.State.IN_PROGRESS, rules.State.REPORTED,
                        rules.State.UNDER_REVIEW})


@transaction.atomic
def progress_report_submit(*, actor, item: WorkItem, period: str, text: str, figures: dict | None = None,
                           attachment=None, as_of: dt.date | None = None, request_review: bool = True,
                           config: SupervisionSettings | None = None) -> ProgressReport:
    """A unit's report on its item for a period of the schedule: stored, and figures for the item's indicators are
    reported as those indicators' values (the unit is their source). With `request_review` the report is the
    item's feedback (反馈) and the item moves on to the office's review; without, it is a periodic report only.
    `config`: the rules in force, when the caller filing many reports has already read them."""
    if party_of(actor, item) != rules.Party.UNIT:
        raise PermissionDenied("只有承办单位可以报送进展")
    item = WorkItem.objects.select_for_update(of=("self",)).select_related("task", "unit").get(pk=item.pk)
    state = rules.State(item.state)
    if state not in REPORTABLE:
        raise ValidationError(f"当前状态为“{rules.STATE_LABELS[state]}”，不能报送进展"
                              + ("（请先签收）" if state == rules.State.ASSIGNED else ""))
    if request_review:
        try:
            rules.WORK_ITEM.check(state, "report", parties={rules.Party.UNIT})
        except TransitionError as exc:
            raise ValidationError({"request_review": [f"{exc}；可只报送阶段进展，不提请复核"]}) from None
    problems = {}
    config = config or supervision_settings()
    try:
        label = schedule.parse_period(period, schedule.Frequency(config.report_frequency), config.report_due_days).label
    except ValueError as exc:
        problems["period"] = [str(exc)]
    if not text.strip():
        problems["text"] = ["请填写进展情况"]
    figures = figures or {}
    linked = {i.code: i for i in item.indicators.all()} if figures else {}
    unknown = [code for code in figures if code not in linked]
    if unknown:
        problems["figures"] = [f"这些指标不属于该事项：{'、'.join(unknown)}"]
    for code, value in figures.items():
        if code in linked:
            try:
                number = Decimal(str(value))
            except (InvalidOperation, ValueError):
                number = None
            problem = (f"“{linked[code].name}”的数值“{value}”不是有效数字" if number is None or not number.is_finite()
                       else value_problem(linked[code], number))
            if problem:
                problems.setdefault("figures", []).append(problem)
    if problems:
        raise ValidationError(problems)
    report = ProgressReport.objects.create(work_item=item, period=label, text=text.strip(),
                                           figures={k: str(v) for k, v in figures.items()}, attachment=attachment,
                                           submitted_by=actor, submitted_at=clock.now())
    for code, value in figures.items():
        indicator_value_report(indicator=linked[code], actor=actor, as_of=as_of or clock.today(), value=value,
                               source=f"{item.unit.name}进展报告（{report.period}）", attachment=attachment)
    audit_record(actor=actor, action="supervision.progress_report.submit", obj=item,
                 after={"period": report.period, "figures": report.figures, "request_review": request_review})
    if request_review:
        work_item_transition(actor=actor, item=item, action="report")
    return report


def report_standings(item: WorkItem, *, today: dt.date | None = None,
                     config: SupervisionSettings | None = None) -> list[schedule.PeriodStanding]:
    """The item's periodic reports against the schedule. Reads `history` and `reports`, so prefetch them for
    many items."""
    config = config or supervision_settings()
    events = sorted(item.history.all(), key=lambda e: (e.at, e.pk))
    assigned = next((e.at for e in events if e.action == "assign"), None)
    if assigned is None or item.state == rules.State.DRAFT:
        return []
    closed = next((e.at for e in reversed(events) if e.action == "close"), None) if item.state == rules.State.CLOSED \
        else None
    first_reports: dict[str, dt.date] = {}
    for report in sorted(item.reports.all(), key=lambda r: r.submitted_at):
        first_reports.setdefault(report.period, clock.localdate(report.submitted_at))
    return schedule.standings(assigned_on=clock.localdate(assigned), closed_on=clock.localdate(closed) if closed else None,
                              first_reports=first_reports, today=today or clock.today(),
                              frequency=schedule.Frequency(config.report_frequency), due_days=config.report_due_days)


def reminders_send(*, today: dt.date | None = None) -> dict[str, int]:
    """Send every reminder and chaser that is due and not yet sent. Safe to run as often as cron likes:
    a lapse gets one chaser, ever (a unique row per item, kind and deadline)."""
    today = today or clock.today()
    days_before = supervision_settings().reminder_days
    sent = {"reminder": 0, "chaser": 0}
    for item in WorkItem.objects.filter(state__in=[s.value for s in rules.OWING]).select_related("task", "unit"):
        kind = rules.reminder_due(rules.State(item.state), item.deadline, today, days_before)
        if kind is None:
            continue
        recipients = list(User.objects.filter(organization=item.unit, is_active=True).exclude(email="")
                          .values_list("email", flat=True))
        try:
            with transaction.atomic():
                Reminder.objects.create(work_item=item, kind=kind, deadline=item.deadline, sent_at=clock.now(),
                                        recipients=recipients)
                audit_record(actor=system_actor(), action=f"supervision.{kind}", obj=item,
                             after={"deadline": item.deadline, "recipients": recipients})
        except IntegrityError:
            continue  # already sent for this lapse
        sent[kind] += 1
        if recipients:
            word = "催办" if kind == "chaser" else "临近提醒"
            send_mail(f"【{word}】重点任务{item.task.number}：{item.title}",
                      f"{item.unit.name}：工作事项“{item.title}”的完成时限为 {item.deadline:%Y年%m月%d日}，"
                      f"当前状态为“{item.get_state_display()}”。请及时办理并在平台报送进展。",
                      None, recipients, fail_silently=True)
    return sent


@transaction.atomic
def extension_request(*, actor, item: WorkItem, requested_deadline: dt.date, reason: str) -> ExtensionRequest:
    if party_of(actor, item) != rules.Party.UNIT:
        raise PermissionDenied("只有承办单位可以申请延期")
    if not reason.strip():
        raise ValidationError({"reason": ["请填写延期理由"]})
    problem = rules.extension_problem(rules.State(item.state), item.deadline, requested_deadline,
                                      item.task.plan.period_end)
    if problem:
        raise ValidationError({"requested_deadline": [problem]})
    if item.extensions.filter(decision=ExtensionRequest.Decision.PENDING).exists():
        raise ValidationError("已有一项延期申请待审批")
    request = ExtensionRequest.objects.create(work_item=item, current_deadline=item.deadline,
                                              requested_deadline=requested_deadline, reason=reason.strip(),
                                              requested_by=actor, requested_at=clock.now())
    audit_record(actor=actor, action="supervision.extension.request", obj=item,
                 after={"from": item.deadline, "to": requested_deadline, "reason": request.reason})
    return request


@transaction.atomic
def extension_decide(*, actor, request: ExtensionRequest, approve: bool, note: str = "") -> ExtensionRequest:
    require_perm(actor, Perm.SUPERVISION_MANAGE)
    if request.decision != ExtensionRequest.Decision.PENDING:
        raise ValidationError("该申请已经审批")
    request.decision = ExtensionRequest.Decision.APPROVED if approve else ExtensionRequest.Decision.REJECTED
    request.decision_note, request.decided_by, request.decided_at = note.strip(), actor, clock.now()
    request.save()
    item = request.work_item
    if approve:
        before = item.deadline
        item.deadline = request.requested_deadline
        item.updated_at = clock.now()
        item.save(update_fields=["deadline", "updated_at"])
        audit_record(actor=actor, action="supervision.extension.approve", obj=item,
                     before={"deadline": before}, after={"deadline": item.deadline})
    else:
        audit_record(actor=actor, action="supervision.extension.reject", obj=item, after={"note": request.decision_note})
    return request


def item_light(item: WorkItem, today: dt.date | None = None, config: SupervisionSettings | None = None) -> str:
    return rules.light(rules.State(item.state), item.deadline, today or clock.today(),
                       (config or supervision_settings()).reminder_days)
