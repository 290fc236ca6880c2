"""Leading group meetings (领导小组会议) and their decisions; a decision that assigns work becomes a work item,
so what the group decided is supervised like everything else."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from ipcity import clock
from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.plan.models import KeyTask, LeadingGroupMeeting, MeetingDecision, WorkItem, WorkPlan
from ipcity.plan.supervision import require_supervision_reader, work_item_create


def meeting_list(*, user) -> QuerySet[LeadingGroupMeeting]:
    """Minutes go to the member units: the office and every unit's staff read them."""
    require_supervision_reader(user)
    return LeadingGroupMeeting.objects.prefetch_related("attendees", "decisions__task", "decisions__unit",
                                                        "decisions__work_item")


@transaction.atomic
def meeting_record(*, actor, plan: WorkPlan, title: str, held_on: dt.date, chaired_by: str, summary: str,
                   kind: str = LeadingGroupMeeting.Kind.PLENARY, place: str = "",
                   attendees: list[Organization] = (), decisions: list[dict] = ()) -> LeadingGroupMeeting:
    """Record a meeting with its decisions, each {"text", and optionally "task", "unit", "deadline"}."""
    require_perm(actor, Perm.SUPERVISION_MANAGE)
    problems = {}
    if not title.strip():
        problems["title"] = ["请填写会议名称"]
    if not chaired_by.strip():
        problems["chaired_by"] = ["请填写主持人"]
    if not summary.strip():
        problems["summary"] = ["请填写会议纪要"]
    if kind not in LeadingGroupMeeting.Kind.values:
        problems["kind"] = [f"未知的会议类型：{kind}"]
    if held_on > clock.today():
        problems["held_on"] = ["召开日期不能晚于今天：会议召开后再记录"]
    for number, decision in enumerate(decisions, start=1):
        problem = _decision_problem(decision, plan)
        if problem:
            problems.setdefault("decisions", []).append(f"第{number}项议定事项：{problem}")
    if problems:
        raise ValidationError(problems)
    meeting = LeadingGroupMeeting.objects.create(
        plan=plan, title=title.strip()[:200], kind=kind, held_on=held_on, place=place.strip()[:200],
        chaired_by=chaired_by.strip()[:100], summary=summary.strip(), recorded_by=actor, recorded_at=clock.now())
    meeting.attendees.set(attendees)
    for number, decision in enumerate(decisions, start=1):
        MeetingDecision.objects.create(meeting=meeting, number=number, text=decision["text"].strip(),
                                       task=decision.get("task"), unit=decision.get("unit"),
                                       deadline=decision.get("deadline"))
    audit_record(actor=actor, action="supervision.meeting.record", obj=meeting,
                 after={"title": meeting.title, "held_on": held_on, "decisions": len(decisions),
                        "attendees": [u.name for u in attendees]})
    return meeting


def _decision_problem(decision: dict, plan: WorkPlan) -> str | None:
    if not str(decision.get("text", "")).strip():
        return "请填写内容"
    task = decision.get("task")
    if task is not None and task.plan_id != plan.pk:
        return "关联的重点任务不属于本方案"
    deadline = decision.get("deadline")
    if deadline is not None and not (plan.period_start <= deadline <= plan.period_end):
        return "完成时限应在试点期内"
    return None


@transaction.atomic
def decision_to_work_item(*, actor, decision: MeetingDecision, task: KeyTask | None = None,
                          unit: Organization | None = None, deadline: dt.date | None = None,
                          title: str = "") -> WorkItem:
    """Turn a decision into a work item (立项) for the unit it names; the decision keeps the link, once."""
    require_perm(actor, Perm.SUPERVISION_MANAGE)
    decision = MeetingDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.work_item_id is not None:
        raise ValidationError("该议定事项已转为工作事项")
    task, unit, deadline = task or decision.task, unit or decision.unit, deadline or decision.deadline
    problems = {}
    if task is None:
        problems["task"] = ["请选择该事项所属的重点任务"]
    if unit is None:
        problems["unit"] = ["请选择承办单位"]
    if deadline is None:
        problems["deadline"] = ["请填写完成时限"]
    if problems:
        raise ValidationError(problems)
    meeting = decision.meeting
    item = work_item_create(actor=actor, task=task, unit=unit, year=deadline.year, deadline=deadline,
                            title=(title.strip() or decision.text.strip())[:200],
                            deliverable=f"落实{meeting.title}议定事项第{decision.number}项"[:200],
                            indicators=list(task.indicators.all()))
    decision.task, decision.unit, decision.deadline, decision.work_item = task, unit, deadline, item
    decision.save(update_fields=["task", "unit", "deadline", "work_item"])
    audit_record(actor=actor, action="supervision.meeting.decision_to_item", obj=decision,
                 after={"meeting": meeting.title, "number": decision.number, "work_item": item.pk})
    return item
