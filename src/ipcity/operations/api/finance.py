"""IP finance: pledge financing (质押融资) and patent insurance claims (专利保险理赔)."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Router, Schema, Status

from ipcity.accounts.models import Organization
from ipcity.bounds import Id, bounded_decimal
from ipcity.inputs import object_or_404
from ipcity.openapi import Rows, paginated
from ipcity.operations.finance import (
    FINANCING,
    claim_decide,
    claim_file,
    claims_list,
    financing_apply,
    financing_get,
    financing_list,
    financing_step,
)
from ipcity.operations.models import FinancingApplication, InsuranceClaim

router = Router()


class FinancingIn(Schema):
    bank: Id
    amount_requested: bounded_decimal(FinancingApplication, "amount_requested")
    purpose: str
    patents: list[str] = []
    trademarks: list[str] = []
    copyrights: list[str] = []


class FinancingOut(Schema):
    id: int
    organization: str
    bank: str
    amount_requested: Decimal
    state: str
    approved_amount: Decimal | None
    pledge_reference: str
    bank_note: str


def _financing_out(a) -> dict:
    return {"id": a.pk, "organization": a.organization.name, "bank": a.bank.name,
            "amount_requested": a.amount_requested, "state": a.state, "approved_amount": a.approved_amount,
            "pledge_reference": a.pledge_reference, "bank_note": a.bank_note}


@router.get("/financing", response=list[FinancingOut], summary="质押融资申请（企业看本企业，银行看收到的，办公室看全部）")
@paginated
def financing(request):
    return Rows(financing_list(user=request.user), _financing_out)


@router.post("/financing", response={201: FinancingOut}, summary="申请知识产权质押融资（企业）")
def financing_new(request, payload: FinancingIn):
    data = payload.dict()
    data["bank"] = object_or_404(Organization, pk=data["bank"])
    return Status(201, _financing_out(financing_apply(actor=request.user, **data)))


class FinancingStepIn(Schema):
    action: Literal[FINANCING.actions]
    note: str = ""
    approved_amount: bounded_decimal(FinancingApplication, "approved_amount") | None = None
    pledge_reference: str = ""
    registered_on: dt.date | None = None
    released_on: dt.date | None = None


@router.post("/financing/{application_id}/steps", response=FinancingOut, summary="银行办理：受理、审批、不予批准、质押登记、解除质押")
def financing_act(request, application_id: int, payload: FinancingStepIn):
    application = financing_get(user=request.user, pk=application_id)
    return _financing_out(financing_step(actor=request.user, application=application, **payload.dict()))


class ClaimIn(Schema):
    policy_number: str
    amount_claimed: bounded_decimal(InsuranceClaim, "amount_claimed")
    reason: str


class ClaimOut(Schema):
    id: int
    policy_number: str
    organization: str
    insurer: str
    amount_claimed: Decimal
    state: str
    amount_paid: Decimal | None


def _claim_out(c) -> dict:
    return {"id": c.pk, "policy_number": c.policy_number, "organization": c.organization.name,
            "insurer": c.insurer.name, "amount_claimed": c.amount_claimed, "state": c.state, "amount_paid": c.amount_paid}


@router.get("/claims", response=list[ClaimOut], summary="专利保险理赔")
@paginated
def claims(request):
    return Rows(claims_list(user=request.user), _claim_out)


@router.post("/claims", response={201: ClaimOut}, summary="报案（投保企业）")
def claim_new(request, payload: ClaimIn):
    return Status(201, _claim_out(claim_file(actor=request.user, **payload.dict())))


class ClaimDecisionIn(Schema):
    pay: bool
    amount_paid: bounded_decimal(InsuranceClaim, "amount_paid") | None = None
    note: str = ""


@router.post("/claims/{claim_id}/decision", response=ClaimOut, summary="理赔决定（保险公司）")
def claim_decision(request, claim_id: int, payload: ClaimDecisionIn):
    claim = object_or_404(claims_list(user=request.user), pk=claim_id)
    return _claim_out(claim_decide(actor=request.user, claim=claim, **payload.dict()))
