import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from ipcity import clock
from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.bounds import Id, bounded_decimal, bounded_int
from ipcity.inputs import object_or_404
from ipcity.operations.brands import (
    brand_holders,
    geographical_indications,
    ip_profile,
    watch_add,
    watch_list,
    watch_remove,
)
from ipcity.operations.bulk import OffersRejected, offers_import
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
from ipcity.operations.models import (
    Deal,
    FinancingApplication,
    InsuranceClaim,
    Interest,
    MatchmakingEvent,
    PatentProduct,
    TechNeed,
    WatchListEntry,
)
from ipcity.operations.navigation import (
    establishment_problems,
    landscape_of,
    navigation_complete,
    navigation_create,
    navigation_project_get,
    navigation_project_list,
    navigation_report_docx,
    portfolio_create,
    portfolio_establish,
    portfolio_get,
    portfolio_milestone_done,
    portfolios_visible,
)
from ipcity.operations.selectors import (
    interests_for,
    need_get,
    need_matches,
    needs_visible,
    offer_get,
    offer_matches,
    offers_public,
)
from ipcity.operations.services import (
    ADVANCE_ACTIONS,
    deal_record,
    interest_advance,
    interest_express,
    need_create,
    need_renew,
    need_review,
    need_state,
    offer_create,
    offer_withdraw,
)
from ipcity.stats.reports import DOCX_TYPE

router = Router(tags=["运营中心"])


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
def offers(request):
    return [_offer_out(o) for o in offers_public()]


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
def needs(request):
    return [_need_out(n, request.user) for n in needs_visible(user=request.user)]


@router.post("/needs", response={201: NeedOut}, summary="发布技术需求（提交后由知识产权办公室审核）")
def need_create_api(request, payload: NeedIn):
    return Status(201, _need_out(need_create(actor=request.user, **payload.dict()), request.user))


class ReviewIn(Schema):
    approve: bool
    note: str = ""


@router.post("/needs/{need_id}/review", response=NeedOut, summary="审核需求（知识产权办公室）")
def need_review_api(request, need_id: int, payload: ReviewIn):
    need = object_or_404(TechNeed, pk=need_id)
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
def interests(request):
    return [_interest_out(i) for i in interests_for(user=request.user)]


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


# ---- patent navigation and high-value portfolios ----

class NavigationIn(Schema):
    kind: str
    title: str
    industry: str
    started_on: dt.date
    undertaker: Id | None = None  # organization id; the caller's own when omitted (only the office names another)
    client: Id | None = None
    scope_ipc: str = ""
    scope_keywords: str = ""
    deliverables: str = ""


class NavigationOut(Schema):
    id: int
    kind: str
    title: str
    undertaker: str
    client: str | None
    industry: str
    scope_ipc: str
    scope_keywords: str
    state: str
    started_on: dt.date
    completed_on: dt.date | None


def _navigation_out(p) -> dict:
    return {"id": p.pk, "kind": p.kind, "title": p.title, "undertaker": p.undertaker.name,
            "client": p.client.name if p.client else None, "industry": p.industry, "scope_ipc": p.scope_ipc,
            "scope_keywords": p.scope_keywords, "state": p.state, "started_on": p.started_on,
            "completed_on": p.completed_on}


@router.get("/navigation", auth=None, response=list[NavigationOut], summary="专利导航项目（公开）")
def navigation_projects(request):
    return [_navigation_out(p) for p in navigation_project_list()]


@router.post("/navigation", response={201: NavigationOut}, summary="导航项目立项（办公室或服务机构）")
def navigation_new(request, payload: NavigationIn):
    data = payload.dict()
    data["undertaker"] = object_or_404(Organization, pk=data["undertaker"]) if data["undertaker"] else None
    data["client"] = object_or_404(Organization, pk=data["client"]) if data["client"] else None
    return Status(201, _navigation_out(navigation_create(actor=request.user, **data)))


class CompleteIn(Schema):
    completed_on: dt.date


@router.post("/navigation/{project_id}/complete", response=NavigationOut, summary="导航项目验收（计入指标）")
def navigation_done(request, project_id: int, payload: CompleteIn):
    project = navigation_project_get(pk=project_id)
    return _navigation_out(navigation_complete(actor=request.user, project=project, completed_on=payload.completed_on))


@router.get("/navigation/{project_id}/landscape", auth=None, summary="导航项目的专利态势分析（公开）")
def navigation_landscape(request, project_id: int):
    result = landscape_of(navigation_project_get(pk=project_id))
    return {"total": result.total, "by_year": result.by_year, "top_applicants": result.top_applicants,
            "ipc": result.ipc, "status": result.status, "local": result.local,
            "local_applicants": result.local_applicants}


@router.get("/navigation/{project_id}/report.docx", auth=None, summary="导航分析报告（Word）")
def navigation_report(request, project_id: int):
    project = navigation_project_get(pk=project_id)
    response = HttpResponse(navigation_report_docx(project), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="navigation-{project.pk}.docx"'
    return response


class MilestoneIn(Schema):
    name: str
    due: dt.date


class PortfolioIn(Schema):
    name: str
    industry: str
    patent_numbers: list[str]
    milestones: list[MilestoneIn]


class PortfolioOut(Schema):
    id: int
    name: str
    organization: str
    industry: str
    patents: list[str]
    milestones: list[dict]
    state: str
    established_on: dt.date | None
    problems: list[str]


def _portfolio_out(p) -> dict:
    return {"id": p.pk, "name": p.name, "organization": p.organization.name, "industry": p.industry,
            "patents": [x.application_number for x in p.patents.all()], "milestones": p.milestones, "state": p.state,
            "established_on": p.established_on,
            "problems": establishment_problems(p, clock.today()) if p.state == "cultivating" else []}


@router.get("/portfolios", response=list[PortfolioOut], summary="高价值专利组合（企业看本企业，办公室看全部）")
def portfolios(request):
    if not (has_perm(request.user, Perm.OPERATIONS_MANAGE) or has_perm(request.user, Perm.TECH_OFFER)):
        raise PermissionDenied("缺少权限：operations")
    return [_portfolio_out(p) for p in portfolios_visible(user=request.user)]


@router.post("/portfolios", response={201: PortfolioOut}, summary="登记培育中的高价值专利组合（企业）")
def portfolio_new(request, payload: PortfolioIn):
    steps = [{"name": m.name, "due": m.due.isoformat()} for m in payload.milestones]
    return Status(201, _portfolio_out(portfolio_create(actor=request.user, name=payload.name, industry=payload.industry,
                                                       patent_numbers=payload.patent_numbers, milestones=steps)))


class MilestoneDoneIn(Schema):
    done_on: dt.date


@router.post("/portfolios/{portfolio_id}/milestones/{index}", response=PortfolioOut, summary="填报培育节点完成（企业）")
def portfolio_milestone(request, portfolio_id: int, index: bounded_int(label="节点序号", minimum=0, maximum=1000),
                        payload: MilestoneDoneIn):
    portfolio = portfolio_get(user=request.user, pk=portfolio_id)
    portfolio_milestone_done(actor=request.user, portfolio=portfolio, index=index, done_on=payload.done_on)
    return _portfolio_out(portfolio)


class EstablishIn(Schema):
    established_on: dt.date


@router.post("/portfolios/{portfolio_id}/establish", response=PortfolioOut, summary="认定高价值专利组合（办公室，计入指标）")
def portfolio_confirm(request, portfolio_id: int, payload: EstablishIn):
    portfolio = portfolio_get(user=request.user, pk=portfolio_id)
    return _portfolio_out(portfolio_establish(actor=request.user, portfolio=portfolio,
                                              established_on=payload.established_on))


# ---- matchmaking events, the alliance, patent products ----

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
def events_list(request):
    return [_event_out(e) for e in event_list()]


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


class AllianceMemberOut(Schema):
    id: int
    organization: str
    role: str
    joined_on: dt.date
    left_on: dt.date | None
    activity: dict


def _member_out(m) -> dict:
    return {"id": m.pk, "organization": m.organization.name, "role": m.role, "joined_on": m.joined_on,
            "left_on": m.left_on, "activity": alliance_activity(m)}


@router.get("/alliance", auth=None, response=list[AllianceMemberOut], summary="产学研联盟成员及其活动（公开）")
def alliance_members(request):
    return [_member_out(m) for m in alliance_member_list()]


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
def products_list(request):
    return [_product_out(p) for p in product_list()]


@router.post("/products", response={201: ProductOut}, summary="专利产品备案（专利权人）")
def product_new(request, payload: ProductIn):
    return Status(201, _product_out(product_record(actor=request.user, **payload.dict())))


# ---- IP finance ----

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
def financing(request):
    return [_financing_out(a) for a in financing_list(user=request.user)]


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
def claims(request):
    return [_claim_out(c) for c in claims_list(user=request.user)]


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


# ---- brands ----

@router.get("/brands", auth=None, summary="驰名商标与老字号注册人及其商标组合、地理标志（公开）")
def brands(request):
    return {"holders": brand_holders(),
            "geographical_indications": [{"name": g.name, "kind": g.kind, "product": g.product, "holder": g.holder,
                                          "registered_on": g.registered_on} for g in geographical_indications()]}


class WatchIn(Schema):
    organization: Id
    reason: str
    added_on: dt.date


class WatchOut(Schema):
    id: int
    organization: str
    reason: str
    added_on: dt.date
    removed_on: dt.date | None
    profile: dict


def _watch_out(e) -> dict:
    return {"id": e.pk, "organization": e.organization.name, "reason": e.reason, "added_on": e.added_on,
            "removed_on": e.removed_on, "profile": ip_profile(e.organization)}


@router.get("/watch-list", response=list[WatchOut], summary="重点企业关注名录及各企业知识产权概况（办公室）")
def watch(request):
    return [_watch_out(e) for e in watch_list(user=request.user)]


@router.post("/watch-list", response={201: WatchOut}, summary="列入关注名录（办公室）")
def watch_new(request, payload: WatchIn):
    organization = object_or_404(Organization, pk=payload.organization)
    return Status(201, _watch_out(watch_add(actor=request.user, organization=organization, reason=payload.reason,
                                            added_on=payload.added_on)))


class UnwatchIn(Schema):
    removed_on: dt.date


@router.post("/watch-list/{entry_id}/remove", response=WatchOut, summary="移出关注名录（办公室）")
def watch_drop(request, entry_id: int, payload: UnwatchIn):
    entry = object_or_404(WatchListEntry, pk=entry_id)
    return _watch_out(watch_remove(actor=request.user, entry=entry, removed_on=payload.removed_on))
