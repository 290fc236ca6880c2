"""Matchmaking events (产学研对接活动), the alliance (产学研联盟) and patent products (专利产品备案)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from ninja import Router, Schema, Status

from ipcity.accounts.models import Organization
from ipcity.bounds import Id, bounded_decimal
from ipcity.inputs import object_or_404
from ipcity.openapi import Rows, paginated
from ipcity.operations.community import (
    alliance_activity,
    alliance_join,
    alliance_leave,
    alliance_member_get,
    alliance_member_list,
    event_list,
    event_record,
    product_list,
    product_record,
)
from ipcity.operations.models import PatentProduct

router = Router()


class MatchmakingEventIn(Schema):
    kind: str = "industry_university"  # or bank_enterprise (银企对接)
    title: str
    held_on: dt.date
    attendees: list[Id]
    organizer: Id | None = None  # the caller's own organization, the only one it may name
    place: str = ""
    summary: str = ""


class EventOut(Schema):
    id: int
    kind: str
    title: str
    held_on: dt.date
    organizer: str
    attendees: list[str]
    interests: int


def _event_out(e) -> dict:
    return {"id": e.pk, "kind": e.kind, "title": e.title, "held_on": e.held_on, "organizer": e.organizer.name,
            "attendees": [a.name for a in e.attendees.all()], "interests": e.interests.count()}


@router.get("/events", auth=None, response=list[EventOut], summary="产学研对接活动（公开）")
@paginated
def events_list(request):
    return Rows(event_list(), _event_out)


@router.post("/events", response={201: EventOut}, summary="记录对接活动及参加机构（办公室或服务机构）")
def event_new(request, payload: MatchmakingEventIn):
    data = payload.dict()
    data["organizer"] = object_or_404(Organization, pk=data["organizer"]) if data["organizer"] else None
    data["attendees"] = list(Organization.objects.filter(pk__in=data["attendees"]))
    if missing := sorted(set(payload.attendees) - {o.pk for o in data["attendees"]}):
        raise ValidationError({"attendees": [f"没有这些机构：{'、'.join(map(str, missing))}"]})
    return Status(201, _event_out(event_record(actor=request.user, **data)))


class AllianceMemberIn(Schema):
    organization: Id
    joined_on: dt.date
    role: str = "member"


class AllianceActivityOut(Schema):
    """What a member did through the center."""

    events: int
    offers: int
    needs: int
    interests: int
    deals: int


class AllianceMemberOut(Schema):
    id: int
    organization: str
    role: str
    joined_on: dt.date
    left_on: dt.date | None
    activity: AllianceActivityOut


def _member_out(m) -> dict:
    return {"id": m.pk, "organization": m.organization.name, "role": m.role, "joined_on": m.joined_on,
            "left_on": m.left_on, "activity": alliance_activity(m)}


@router.get("/alliance", auth=None, response=list[AllianceMemberOut], summary="产学研联盟成员及其活动（公开）")
@paginated
def alliance_members(request):
    return Rows(alliance_member_list(), _member_out)


@router.post("/alliance", response={201: AllianceMemberOut}, summary="登记加入联盟（办公室）")
def alliance_add(request, payload: AllianceMemberIn):
    organization = object_or_404(Organization, pk=payload.organization)
    return Status(201, _member_out(alliance_join(actor=request.user, organization=organization,
                                                 joined_on=payload.joined_on, role=payload.role)))


class LeaveIn(Schema):
    left_on: dt.date


@router.post("/alliance/{member_id}/leave", response=AllianceMemberOut, summary="登记退出联盟（办公室）")
def alliance_remove(request, member_id: int, payload: LeaveIn):
    member = alliance_member_get(pk=member_id)
    return _member_out(alliance_leave(actor=request.user, member=member, left_on=payload.left_on))


class ProductIn(Schema):
    name: str
    patent_numbers: list[str]
    recorded_on: dt.date
    model_number: str = ""
    record_number: str = ""
    annual_sales: bounded_decimal(PatentProduct, "annual_sales") | None = None


class ProductOut(Schema):
    id: int
    name: str
    organization: str
    patents: list[str]
    recorded_on: dt.date
    annual_sales: Decimal | None


def _product_out(p) -> dict:
    return {"id": p.pk, "name": p.name, "organization": p.organization.name,
            "patents": [x.application_number for x in p.patents.all()], "recorded_on": p.recorded_on,
            "annual_sales": p.annual_sales}


@router.get("/products", auth=None, response=list[ProductOut], summary="专利产品备案（公开）")
@paginated
def products_list(request):
    return Rows(product_list(), _product_out)


@router.post("/products", response={201: ProductOut}, summary="专利产品备案（专利权人）")
def product_new(request, payload: ProductIn):
    return Status(201, _product_out(product_record(actor=request.user, **payload.dict())))
