"""Leading group meetings (领导小组会议) and their decisions (议定事项), which may become work items."""

import datetime as dt

from django.http import Http404
from ninja import Router, Schema, Status

from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.bounds import bounded_int
from ipcity.inputs import object_or_404
from ipcity.openapi import Rows, paginated
from ipcity.plan.meetings import decision_to_work_item, meeting_list, meeting_record
from ipcity.plan.models import KeyTask, MeetingDecision
from ipcity.plan.selectors import current_plan_or_404, task_get, unit_by_code
from ipcity.plan.supervision_api.items import TaskNumber, WorkItemOut, work_item_out

router = Router()


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
@paginated
def meetings(request):
    return Rows(meeting_list(user=request.user), _meeting_out)


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
    return Status(201, work_item_out(item))
