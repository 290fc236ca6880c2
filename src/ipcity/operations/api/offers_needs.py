"""Patent offers (技术供给) and technology needs (技术需求): publishing, review, renewal and their matches."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from ipcity.bounds import bounded_decimal
from ipcity.openapi import Rows, paginated
from ipcity.operations.bulk import OffersRejected, offers_import
from ipcity.operations.models import TechNeed
from ipcity.operations.selectors import (
    need_get,
    need_matches,
    needs_visible,
    offer_get,
    offer_matches,
    offers_public,
)
from ipcity.operations.services import (
    need_create,
    need_renew,
    need_review,
    need_state,
    offer_create,
    offer_withdraw,
)

router = Router()


class OfferOut(Schema):
    id: int
    patent: str
    title: str
    patentee: str
    organization: str
    mode: str
    price_terms: str
    field: str
    maturity: str
    state: str
    refusal_reasons: list[str]


def _offer_out(o) -> dict:
    return {"id": o.pk, "patent": o.patent.application_number, "title": o.patent.title, "patentee": o.patent.patentee,
            "organization": o.organization.name, "mode": o.mode, "price_terms": o.price_terms, "field": o.field,
            "maturity": o.maturity, "state": o.state, "refusal_reasons": o.refusal_reasons}


class DeclarationIn(Schema):
    fee_method: str
    fee_standard: str
    term_until: dt.date | None = None
    pledgee_consents: bool = False
    evaluation_report: str = ""
    patent_number: str = ""
    patentee: str = ""


class OfferIn(Schema):
    patent_number: str
    mode: str
    price_terms: str
    field: str
    maturity: str
    scenarios: str = ""
    declaration: DeclarationIn | None = None


@router.get("/offers", auth=None, response=list[OfferOut], summary="发布中的专利供给（公开）")
@paginated
def offers(request):
    return Rows(offers_public(), _offer_out)


@router.post("/offers", response={201: OfferOut}, summary="发布专利供给；开放许可逐项审查，不符合的以 refused 状态返回理由")
def offer_create_api(request, payload: OfferIn):
    data = payload.dict()
    offer = offer_create(actor=request.user, **data)
    return Status(201, _offer_out(offer))


class OfferImportOut(Schema):
    published: int
    refused: int


@router.post("/offers/import", response=OfferImportOut, summary="批量发布专利供给（.xlsx/.csv；有错则整表不导入，逐行说明）")
def offers_import_api(request, file: File[UploadedFile]):
    try:
        return offers_import(actor=request.user, data=file.read(), filename=file.name or "offers.csv")
    except OffersRejected as rejected:
        raise ValidationError([str(p) for p in rejected.problems]) from None


@router.post("/offers/{offer_id}/withdraw", response=OfferOut, summary="撤回供给（此前的许可继续有效）")
def offer_withdraw_api(request, offer_id: int):
    return _offer_out(offer_withdraw(actor=request.user, offer=offer_get(user=request.user, pk=offer_id)))


class MatchOut(Schema):
    key: str
    score: float
    reason: str
    shared_terms: list[str]
    shared_ipc: list[str]
    title: str
    offer: int | None


@router.get("/offers/{offer_id}/matches", response=list[MatchOut], summary="与供给匹配的需求（发布机构）")
def offer_matches_api(request, offer_id: int):
    offer = offer_get(user=request.user, pk=offer_id)
    return [{"key": m.key, "score": m.score, "reason": m.reason, "shared_terms": m.shared_terms,
             "shared_ipc": m.shared_ipc, "title": n.title, "offer": None} for m, n in offer_matches(offer, user=request.user)]


class NeedOut(Schema):
    id: int
    title: str
    problem: str
    field: str
    organization: str
    budget: Decimal | None
    deadline: dt.date
    state: str
    review_note: str


def _need_out(n, user) -> dict:
    own = user.is_authenticated and n.organization_id == user.organization_id
    return {"id": n.pk, "title": n.title, "problem": n.problem, "field": n.field, "budget": n.budget,
            "organization": n.organization.name if own or not n.confidential else "（企业名称保密）",
            "deadline": n.deadline, "state": need_state(n), "review_note": n.review_note}


class NeedIn(Schema):
    title: str
    problem: str
    field: str
    deadline: dt.date
    ipc: str = ""
    budget: bounded_decimal(TechNeed, "budget") | None = None
    confidential: bool = False


@router.get("/needs", auth=None, response=list[NeedOut], summary="技术需求（公开的已发布需求；本企业和办公室另见待审核的）")
@paginated
def needs(request):
    return Rows(needs_visible(user=request.user), lambda n: _need_out(n, request.user))


@router.post("/needs", response={201: NeedOut}, summary="发布技术需求（提交后由知识产权办公室审核）")
def need_create_api(request, payload: NeedIn):
    return Status(201, _need_out(need_create(actor=request.user, **payload.dict()), request.user))


class ReviewIn(Schema):
    approve: bool
    note: str = ""


@router.post("/needs/{need_id}/review", response=NeedOut, summary="审核需求（知识产权办公室）")
def need_review_api(request, need_id: int, payload: ReviewIn):
    need = need_get(user=request.user, pk=need_id)  # another organization's pending need: not found, as everywhere
    return _need_out(need_review(actor=request.user, need=need, **payload.dict()), request.user)


class RenewIn(Schema):
    deadline: dt.date


@router.post("/needs/{need_id}/renew", response=NeedOut, summary="需求续期（发布企业）")
def need_renew_api(request, need_id: int, payload: RenewIn):
    need = need_get(user=request.user, pk=need_id)
    return _need_out(need_renew(actor=request.user, need=need, deadline=payload.deadline), request.user)


@router.get("/needs/{need_id}/matches", response=list[MatchOut], summary="为需求匹配的专利与供给，附匹配理由")
def need_matches_api(request, need_id: int):
    need = need_get(user=request.user, pk=need_id)
    return [{"key": m.key, "score": m.score, "reason": m.reason, "shared_terms": m.shared_terms,
             "shared_ipc": m.shared_ipc, "title": item.patent.title if hasattr(item, "patent") else item.title,
             "offer": item.pk if hasattr(item, "patent") else None} for m, item in need_matches(need, user=request.user)]
