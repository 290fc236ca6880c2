"""Matchmaking (供需对接) on an offer: an interest, its steps and the deal it ends in."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Router, Schema, Status

from ipcity.bounds import Id, bounded_decimal
from ipcity.inputs import object_or_404
from ipcity.openapi import Rows, paginated
from ipcity.operations.models import Deal, Interest, MatchmakingEvent
from ipcity.operations.selectors import interests_for, need_get, offers_public
from ipcity.operations.services import ADVANCE_ACTIONS, deal_record, interest_advance, interest_express

router = Router()


class InterestIn(Schema):
    offer: Id
    need: Id | None = None
    event: Id | None = None  # the matchmaking event where the interest arose
    message: str = ""


class InterestOut(Schema):
    id: int
    offer: int
    need: int | None
    organization: str
    state: str
    meeting_on: dt.date | None


def _interest_out(i) -> dict:
    return {"id": i.pk, "offer": i.offer_id, "need": i.need_id, "organization": i.organization.name, "state": i.state,
            "meeting_on": i.meeting_on}


@router.get("/interests", response=list[InterestOut], summary="本机构参与的对接（办公室看全部）")
@paginated
def interests(request):
    return Rows(interests_for(user=request.user), _interest_out)


@router.post("/interests", response={201: InterestOut}, summary="对供给表达意向（企业）")
def interest_create(request, payload: InterestIn):
    offer = object_or_404(offers_public(), pk=payload.offer)
    need = need_get(user=request.user, pk=payload.need) if payload.need else None
    event = object_or_404(MatchmakingEvent, pk=payload.event) if payload.event else None
    return Status(201, _interest_out(interest_express(actor=request.user, offer=offer, need=need, event=event,
                                                      message=payload.message)))


class StepIn(Schema):
    action: Literal[ADVANCE_ACTIONS]
    meeting_on: dt.date | None = None


def _interest(request, interest_id: int) -> Interest:
    return object_or_404(interests_for(user=request.user), pk=interest_id)


@router.post("/interests/{interest_id}/steps", response=InterestOut, summary="推进对接：约见洽谈、谈判、结束")
def interest_step(request, interest_id: int, payload: StepIn):
    return _interest_out(interest_advance(actor=request.user, interest=_interest(request, interest_id),
                                          action=payload.action, meeting_on=payload.meeting_on))


class DealIn(Schema):
    kind: str
    amount: bounded_decimal(Deal, "amount")
    contract_date: dt.date
    recordal_date: dt.date
    term_until: dt.date | None = None


class DealOut(Schema):
    id: int
    kind: str
    amount: Decimal
    recordal_date: dt.date


@router.post("/interests/{interest_id}/deal", response={201: DealOut}, summary="登记成交（专利权人）；记入专利法律事件")
def deal(request, interest_id: int, payload: DealIn):
    made = deal_record(actor=request.user, interest=_interest(request, interest_id), **payload.dict())
    return Status(201, {"id": made.pk, "kind": made.kind, "amount": made.amount, "recordal_date": made.recordal_date})
