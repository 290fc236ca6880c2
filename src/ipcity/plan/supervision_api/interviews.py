"""Interviews (约谈) with lagging units and their rectification (整改)."""

import datetime as dt

from ninja import Router, Schema, Status

from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.bounds import Year
from ipcity.openapi import Rows, paginated
from ipcity.plan.assessment import (
    interview_get,
    interview_list,
    interview_record,
    interview_rectification_decide,
    interview_rectification_report,
)
from ipcity.plan.selectors import unit_by_code

router = Router()


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
@paginated
def interviews(request):
    return Rows(interview_list(user=request.user), _interview_out)


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
