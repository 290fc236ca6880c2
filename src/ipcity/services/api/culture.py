"""IP culture: education and publicity events, pilot schools, demonstration units and IP talent."""

import datetime as dt
from typing import Literal

from ninja import Router, Schema, Status
from pydantic import Field

from ipcity.bounds import Id, Year, bounded_int
from ipcity.inputs import object_or_404
from ipcity.openapi import Rows, paginated
from ipcity.services.api.schemas import (
    CultureEventOut,
    DemonstrationUnitOut,
    PilotSchoolCreatedOut,
    PilotSchoolOut,
    TalentCountsOut,
    TalentRecordCreatedOut,
    TalentRecordOut,
)
from ipcity.services.culture import (
    calendar,
    demonstration_decide,
    demonstration_nominate,
    event_experts,
    event_record,
    event_report,
    school_add,
    talent_counts,
    talent_list,
    talent_record,
)
from ipcity.services.models import DemonstrationUnit, Expert, PilotSchool, PublicityEvent

router = Router()


def _event_out(e) -> dict:
    return {"id": e.pk, "kind": e.kind, "title": e.title, "held_on": e.held_on, "place": e.place,
            "organizer": e.organizer.name, "school": e.school.name if e.school else None,
            "experts": event_experts(e), "stream_url": e.stream_url, "participants": e.participants,
            "summary": e.summary}


@router.get("/culture/events", auth=None, response=list[CultureEventOut], summary="知识产权教育与宣传活动日历（公开）")
@paginated
def culture_events(request, year: Year | None = None, kind: str = ""):
    return Rows(calendar(year=year, kind=kind), _event_out)


class CultureEventIn(Schema):
    kind: str
    title: str
    held_on: dt.date
    place: str
    school: Id | None = None
    experts: list[Id] = []
    stream_url: str = ""
    participants: bounded_int(PublicityEvent, "participants") | None = None
    summary: str = ""


@router.post("/culture/events", response={201: CultureEventOut}, summary="登记活动（办公室、责任单位）")
def culture_event_new(request, payload: CultureEventIn):
    data = payload.dict()
    data["school"] = object_or_404(PilotSchool, pk=data["school"]) if data["school"] else None
    data["experts"] = list(Expert.objects.filter(pk__in=data["experts"], active=True))
    return Status(201, _event_out(event_record(actor=request.user, **data)))


class EventReportIn(Schema):
    participants: bounded_int(PublicityEvent, "participants")
    summary: str


@router.post("/culture/events/{event_id}/report", response=CultureEventOut, summary="填报活动参与人数和情况（主办单位）")
def culture_event_report(request, event_id: int, payload: EventReportIn):
    event = object_or_404(PublicityEvent, pk=event_id)
    return _event_out(event_report(actor=request.user, event=event, **payload.dict()))


@router.get("/culture/schools", auth=None, response=list[PilotSchoolOut], summary="中小学知识产权教育试点学校（公开）")
@paginated
def culture_schools(request):
    return Rows(PilotSchool.objects.all(),
                lambda s: {"id": s.pk, "name": s.name, "level": s.level, "street": s.street,
                           "joined_on": s.joined_on})


class SchoolIn(Schema):
    name: str
    level: str
    joined_on: dt.date
    street: str = ""


@router.post("/culture/schools", response={201: PilotSchoolCreatedOut}, summary="登记试点学校（办公室、责任单位）")
def culture_school_new(request, payload: SchoolIn):
    school = school_add(actor=request.user, **payload.dict())
    return Status(201, {"id": school.pk, "name": school.name})


def _unit_out(u) -> dict:
    return {"id": u.pk, "program": u.program, "name": u.name, "kind": u.kind, "year": u.year, "state": u.state,
            "decision_note": u.decision_note}


@router.get("/culture/demonstration-units", auth=None, response=list[DemonstrationUnitOut],
            summary="入选的知识产权教育示范单位和版权示范单位（公开）")
@paginated
def culture_units(request):
    return Rows(DemonstrationUnit.objects.filter(state=DemonstrationUnit.State.SELECTED), _unit_out)


class NominationIn(Schema):
    name: str
    kind: str
    year: bounded_int(DemonstrationUnit, "year")
    reason: str
    program: Literal[tuple(DemonstrationUnit.Program.values)] = Field(  # type: ignore[valid-type]
        DemonstrationUnit.Program.EDUCATION, title="示范类别",
        description="；".join(f"{v}：{label}" for v, label in DemonstrationUnit.Program.choices))


@router.post("/culture/demonstration-units", response={201: DemonstrationUnitOut},
             summary="推荐教育示范单位（办公室、责任单位）")
def culture_nominate(request, payload: NominationIn):
    return Status(201, _unit_out(demonstration_nominate(actor=request.user, **payload.dict())))


class CultureUnitDecisionIn(Schema):
    selected: bool
    note: str


@router.post("/culture/demonstration-units/{unit_id}/decision", response=DemonstrationUnitOut,
             summary="评审教育示范单位（办公室）")
def culture_decide(request, unit_id: int, payload: CultureUnitDecisionIn):
    unit = object_or_404(DemonstrationUnit, pk=unit_id)
    return _unit_out(demonstration_decide(actor=request.user, unit=unit, **payload.dict()))


@router.get("/culture/talent", auth=None, response=TalentCountsOut, by_alias=True,
            summary="知识产权人才各类别人数（公开）")
def culture_talent(request):
    return dict(talent_counts())


@router.get("/culture/talent/records", response=list[TalentRecordOut], summary="知识产权人才名单（办公室、责任单位）")
@paginated
def culture_talent_records(request):
    return Rows(talent_list(user=request.user),
                lambda r: {"name": r.name, "organization_name": r.organization_name, "category": r.category,
                           "credential": r.credential, "recorded_on": r.recorded_on})


class TalentIn(Schema):
    name: str
    organization_name: str
    category: str
    credential: str = ""


@router.post("/culture/talent", response={201: TalentRecordCreatedOut}, summary="登记人才信息（办公室、责任单位）")
def culture_talent_new(request, payload: TalentIn):
    record = talent_record(actor=request.user, **payload.dict())
    return Status(201, {"id": record.pk, "category": record.category})
