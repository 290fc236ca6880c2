import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from ninja import Router, Schema, Status
from pydantic import BaseModel, ConfigDict

from ipcity.accounts.models import Organization, User
from ipcity.accounts.permissions import has_perm, require_perm
from ipcity.accounts.roles import Perm
from ipcity.bounds import QUOTA_MAX, Id, bounded_decimal, bounded_int
from ipcity.inputs import object_or_404
from ipcity.openapi import Rows, file_response, paginated
from ipcity.protection.agency_conduct import (
    conduct_get,
    conduct_list,
    conduct_publication_set,
    conduct_record,
    conduct_row,
    published_in_force,
)
from ipcity.protection.assistance import (
    ASSISTANCE,
    assistance_get,
    assistance_list,
    assistance_request,
    assistance_step,
    cooperation_record,
    market_check,
    market_create,
    market_recognition_record,
)
from ipcity.protection.core.credit import Penalty
from ipcity.protection.core.trade_secret import QUESTIONS
from ipcity.protection.credit import (
    commitment_sign,
    export,
    listing_create,
    listings_for,
    public_entry,
    public_query,
    public_row,
    repair_apply,
    repair_decide,
)
from ipcity.protection.enforcement import (
    CASE,
    case_assign,
    case_get,
    case_list,
    case_refer,
    case_register,
    case_step,
    certificate_record,
    overdue,
    personal_data,
    referral_receipt,
)
from ipcity.protection.inspection_results import result_correct, result_record, result_rows
from ipcity.protection.inspections import (
    conflict_declare,
    plan_create,
    plan_draw,
    plan_publish,
    plan_results_publish,
    plans_visible,
    public_record,
    risk_set,
)
from ipcity.protection.mediation import (
    MEDIATION,
    mediation_apply,
    mediation_get,
    mediation_list,
    mediation_step,
    mediators_of,
)
from ipcity.protection.models import (
    EnforcementCase,
    EnforcementCertificate,
    InspectionPlan,
    InspectionResult,
)
from ipcity.protection.selectors import (
    cooperation_record_list,
    inspection_plan_get,
    market_get,
    market_list,
    referral_of,
)
from ipcity.protection.trade_secrets import assessment_submit, assessments_for

router = Router(tags=["保护"])


class InspectionQuotasOut(Schema):
    high: int
    medium: int
    low: int


class InspectionCandidateOut(Schema):
    key: str  # ORG-000012
    name: str
    risk: str  # high | medium | low


class InspectionInspectorOut(Schema):
    key: str  # OFFICER-000034
    name: str
    conflicts: list[str]  # candidate keys the inspector declared a conflict with


class InspectionDrawOut(Schema):
    subjects: list[str]  # candidate keys drawn
    inspectors: dict[str, list[str]]  # candidate key -> inspector keys
    shortfalls: list[str]


class InspectionNotDrawnOut(BaseModel):
    """A plan not drawn yet has no results: an empty object."""

    model_config = ConfigDict(extra="forbid")


class InspectionNamedResultOut(Schema):
    subject: str
    inspectors: list[str]


class InspectionPublishedResultOut(Schema):
    """One drawn subject's inspection result as published (一公开)."""

    subject: str  # the candidate key drawn, ORG-000012
    name: str
    outcome: str  # no_problem | problem | rectify | case_filed
    outcome_label: str  # 未发现问题 / 发现问题 / 责令整改 / 立案查处
    description: str
    inspected_on: dt.date
    corrected: bool  # the office corrected it after it was recorded


class InspectionPlanOut(Schema):
    """Everything the public page shows and the download carries: enough to redo the draw, and the inspection
    results once the office has published them."""

    format: str  # ipcity-inspection-draw/v1
    code: str
    title: str
    state: str
    quotas: InspectionQuotasOut
    inspectors_per_subject: int
    seed_source: str  # empty until published
    seed: str
    candidates: list[InspectionCandidateOut]  # empty until published
    inspectors: list[InspectionInspectorOut]
    results: InspectionDrawOut | InspectionNotDrawnOut
    named_results: list[InspectionNamedResultOut]
    results_published_on: dt.date | None  # None until the office publishes the inspection results
    inspection_results: list[InspectionPublishedResultOut]  # empty until then


@router.get("/inspections", auth=None, response=list[InspectionPlanOut], summary="已公布的双随机抽查计划及结果（公开）")
@paginated
def inspections(request):
    return Rows(plans_visible(user=request.user).prefetch_related("inspection_results"), public_record)


class PlanIn(Schema):
    code: str
    title: str
    quotas: dict[str, bounded_int(label="抽取数量", minimum=0, maximum=QUOTA_MAX)]  # {"high": 2, "medium": 2, "low": 1}
    inspectors_per_subject: bounded_int(InspectionPlan, "inspectors_per_subject") = 2


@router.post("/inspections", response={201: InspectionPlanOut}, summary="草拟抽查计划（办公室）")
def inspection_new(request, payload: PlanIn):
    return Status(201, public_record(plan_create(actor=request.user, **payload.dict())))


@router.get("/inspections/{plan_id}", auth=None, response=InspectionPlanOut, summary="抽查计划的公示数据（可据此复算）")
def inspection(request, plan_id: int):
    return public_record(inspection_plan_get(user=request.user, pk=plan_id))


@router.post("/inspections/{plan_id}/publish", response=InspectionPlanOut, summary="公布计划：冻结名录和随机种子（办公室）")
def inspection_publish(request, plan_id: int):
    return public_record(plan_publish(actor=request.user, plan=inspection_plan_get(user=request.user, pk=plan_id)))


@router.post("/inspections/{plan_id}/draw", response=InspectionPlanOut, summary="按公布的种子抽取并公示（办公室）")
def inspection_draw(request, plan_id: int):
    return public_record(plan_draw(actor=request.user, plan=inspection_plan_get(user=request.user, pk=plan_id)))


@router.post("/inspections/{plan_id}/publish-results", response=InspectionPlanOut,
             summary="公示检查结果：每个抽中对象均已录入后（办公室）")
def inspection_results_publish(request, plan_id: int):
    return public_record(plan_results_publish(actor=request.user,
                                              plan=inspection_plan_get(user=request.user, pk=plan_id)))


class InspectionResultOut(Schema):
    """A drawn subject's inspection result: in full for the office and the subject's drawn inspectors; once
    published, everyone else sees it without the linked case."""

    id: int
    subject: str  # ORG-000012
    name: str
    outcome: str  # no_problem | problem | rectify | case_filed
    outcome_label: str
    description: str
    inspected_on: dt.date
    case: int | None  # the enforcement case opened (立案查处); None for the public
    corrected_on: dt.date | None  # the last correction by the office


class InspectionResultIn(Schema):
    subject: str  # the drawn candidate key, ORG-000012
    outcome: str  # no_problem | problem | rectify | case_filed
    description: str
    inspected_on: dt.date
    case: Id | None = None  # required for case_filed: a case against the subject the recorder handles (office: any)


class InspectionResultCorrectionIn(InspectionResultIn):
    reason: str  # why the office corrects it (kept on the result, audited)


def _result_out(user, plan, subject: str) -> dict:
    return next(row for row in result_rows(user=user, plan=plan) if row["subject"] == subject)


@router.get("/inspections/{plan_id}/results", auth=None, response=list[InspectionResultOut],
            summary="抽查对象的检查结果（公示后公开；办公室和抽中的执法人员可看未公示的）")
@paginated
def inspection_results(request, plan_id: int):
    return result_rows(user=request.user, plan=inspection_plan_get(user=request.user, pk=plan_id))


@router.post("/inspections/{plan_id}/results", response={201: InspectionResultOut},
             summary="录入抽中对象的检查结果（抽中该对象的执法人员或办公室，只录入一次）")
def inspection_result_record(request, plan_id: int, payload: InspectionResultIn):
    plan = inspection_plan_get(user=request.user, pk=plan_id)
    data = payload.dict()
    result = result_record(actor=request.user, plan=plan, subject=data["subject"], outcome=data["outcome"],
                           description=data["description"], inspected_on=data["inspected_on"], case_id=data["case"])
    return Status(201, _result_out(request.user, result.plan, result.subject_key))


@router.put("/inspections/{plan_id}/results", response=InspectionResultOut,
            summary="更正已录入的检查结果（办公室，须说明理由，留痕）")
def inspection_result_correct(request, plan_id: int, payload: InspectionResultCorrectionIn):
    plan = inspection_plan_get(user=request.user, pk=plan_id)
    data = payload.dict()
    if not has_perm(request.user, Perm.INSPECTION_MANAGE):
        raise PermissionDenied("检查结果录入后只能由办公室更正")
    found = object_or_404(InspectionResult.objects.filter(plan=plan), "该对象尚无检查结果", subject_key=data["subject"])
    result = result_correct(actor=request.user, result=found, outcome=data["outcome"],
                            description=data["description"], inspected_on=data["inspected_on"],
                            case_id=data["case"], reason=data["reason"])
    return _result_out(request.user, result.plan, result.subject_key)


class RiskIn(Schema):
    level: str
    reason: str


class RiskRatingOut(Schema):
    organization: str
    level: str
    reason: str


@router.put("/risk/{organization_id}", response=RiskRatingOut, summary="设置机构的信用风险等级（办公室）")
def risk(request, organization_id: int, payload: RiskIn):
    rating = risk_set(actor=request.user, organization=object_or_404(Organization, pk=organization_id),
                      **payload.dict())
    return {"organization": rating.organization.name, "level": rating.level, "reason": rating.reason}


class EnforcementConflictIn(Schema):
    organization: Id
    reason: str


class EnforcementConflictOut(Schema):
    organization: str
    reason: str


@router.post("/conflicts", response={201: EnforcementConflictOut}, summary="声明回避（执法人员）")
def conflict(request, payload: EnforcementConflictIn):
    made = conflict_declare(actor=request.user, organization=object_or_404(Organization, pk=payload.organization),
                            reason=payload.reason)
    return Status(201, {"organization": made.organization.name, "reason": made.reason})


# ---- credit supervision ----

class DishonestyEntryOut(Schema):
    """What may be published of a listing: never the penalty references, statements or notes."""

    credit_code: str
    name: str
    grounds: list[str]
    basis: list[str]
    listed_on: dt.date
    ends_on: dt.date
    state: str
    measures: list[str]


class CreditExportOut(Schema):
    format: str  # ipcity-credit-export/v1
    generated_on: dt.date
    entries: list[DishonestyEntryOut]


@router.get("/credit", auth=None, response=list[DishonestyEntryOut], summary="失信名单公开查询（仅可公开的字段）")
@paginated
def credit_query(request, q: str = ""):
    return Rows(public_query(q), public_row)


@router.get("/credit/export", auth=None, response=CreditExportOut, openapi_extra=file_response("text/csv"),
            summary="失信名单导出（csv 或 json，供市信用平台归集）")
def credit_export(request, format: str = "json"):  # noqa: A002 (the query parameter's public name)
    if format not in ("csv", "json"):
        raise ValidationError({"format": ["导出格式为 csv 或 json"]})
    body, content_type = export(format)
    return HttpResponse(body, content_type=content_type)


class PenaltyIn(Schema):
    reference: str
    decided_on: dt.date
    infringement: bool
    intentional: bool = False
    serious: bool = False


class ListingIn(Schema):
    organization: Id
    listed_on: dt.date
    penalties: list[PenaltyIn]


class DishonestyListingOut(DishonestyEntryOut):
    """The whole listing, for the office and the listed organization."""

    id: int
    penalties: list[str]  # the penalty decisions' references, never published
    repair_statement: str
    repair_decision_note: str


def _listing_out(listing) -> dict:
    return {"id": listing.pk, **public_entry(listing), "penalties": [p for g in listing.grounds for p in g["penalties"]],
            "repair_statement": listing.repair_statement, "repair_decision_note": listing.repair_decision_note}


@router.post("/credit/listings", response={201: DishonestyListingOut}, summary="按规则判定并列入失信名单（办公室）")
def listing_new(request, payload: ListingIn):
    organization = object_or_404(Organization, pk=payload.organization)
    penalties = [Penalty(**p.dict()) for p in payload.penalties]
    return Status(201, _listing_out(listing_create(actor=request.user, organization=organization, penalties=penalties,
                                                   listed_on=payload.listed_on)))


@router.get("/credit/listings", response=list[DishonestyListingOut], summary="列入记录（办公室看全部，机构看本机构，含不公开的处罚文号）")
@paginated
def listings(request):
    return Rows(listings_for(user=request.user), _listing_out)


class RepairIn(Schema):
    statement: str


@router.post("/credit/listings/{listing_id}/repair", response=DishonestyListingOut, summary="申请信用修复（被列入的主体）")
def repair(request, listing_id: int, payload: RepairIn):
    listing = object_or_404(listings_for(user=request.user), pk=listing_id)
    return _listing_out(repair_apply(actor=request.user, listing=listing, statement=payload.statement))


class RepairDecisionIn(Schema):
    grant: bool
    penalties_fulfilled: bool = False
    new_violations: bool = False
    note: str = ""


@router.post("/credit/listings/{listing_id}/decision", response=DishonestyListingOut, summary="审核信用修复（办公室）")
def repair_decision(request, listing_id: int, payload: RepairDecisionIn):
    listing = object_or_404(listings_for(user=request.user), pk=listing_id)
    return _listing_out(repair_decide(actor=request.user, listing=listing, **payload.dict()))


class CommitmentIn(Schema):
    text: str
    signed_on: dt.date


class CreditCommitmentOut(Schema):
    organization: str
    signed_on: dt.date


@router.post("/credit/commitments", response={201: CreditCommitmentOut}, summary="作出信用承诺（机构）")
def commitment(request, payload: CommitmentIn):
    made = commitment_sign(actor=request.user, **payload.dict())
    return Status(201, {"organization": made.organization.name, "signed_on": made.signed_on})


# ---- trade secret self-assessment ----

class TradeSecretQuestionOut(Schema):
    code: str
    area: str
    text: str
    weight: int


@router.get("/trade-secrets/questions", auth=None, response=list[TradeSecretQuestionOut], summary="商业秘密保护自评问卷（公开）")
def secret_questions(request):
    return [{"code": q.code, "area": q.area, "text": q.text, "weight": q.weight} for q in QUESTIONS]


class AssessmentIn(Schema):
    answers: dict[str, bool]


class TradeSecretGuidanceOut(Schema):
    area: str
    advice: str


class TradeSecretResultOut(Schema):
    id: int
    score: int  # 0-100
    grade: str  # 良好 / 一般 / 薄弱
    by_area: dict[str, int]  # area -> score 0-100
    guidance: list[TradeSecretGuidanceOut]  # one for each question answered no
    evidence_link: str  # where to register the evidence of the measures


class TradeSecretAssessmentOut(Schema):
    id: int
    score: int
    grade: str
    assessed_at: dt.datetime


@router.post("/trade-secrets/assessments", response={201: TradeSecretResultOut}, summary="提交自评，得到得分和改进建议（企业）")
def secret_assess(request, payload: AssessmentIn):
    record, result = assessment_submit(actor=request.user, answers=payload.answers)
    return Status(201, {"id": record.pk, "score": result.score, "grade": result.grade, "by_area": result.by_area,
                        "guidance": [{"area": a, "advice": g} for a, g in result.guidance],
                        "evidence_link": "/evidence/new/trade_secret/"})


@router.get("/trade-secrets/assessments", response=list[TradeSecretAssessmentOut], summary="本企业的历次自评")
@paginated
def secret_history(request):
    return Rows(assessments_for(user=request.user),
                lambda a: {"id": a.pk, "score": a.score, "grade": a.grade, "assessed_at": a.assessed_at})


# ---- mediation ----

class MediationIn(Schema):
    channel: str
    body: Id
    respondent: str
    right_type: str
    claim: str


class MediationSessionOut(Schema):
    held_on: dt.date
    summary: str


class MediationCaseOut(Schema):
    id: int
    channel: str
    body: str
    applicant: str
    respondent: str
    state: str
    state_label: str
    mediator: str | None  # None until the body assigns one
    deadline: dt.date | None  # set on acceptance
    sessions: list[MediationSessionOut]
    agreement: str
    court: str  # the court confirming the agreement (administrative mediation)
    confirmed_on: dt.date | None


def _mediation_out(c) -> dict:
    return {"id": c.pk, "channel": c.channel, "body": c.body.name, "applicant": c.applicant.name,
            "respondent": c.respondent, "state": c.state, "state_label": c.get_state_display(),
            "mediator": c.mediator.display_name if c.mediator else None, "deadline": c.deadline,
            "sessions": c.sessions, "agreement": c.agreement, "court": c.court, "confirmed_on": c.confirmed_on}


@router.get("/mediations", response=list[MediationCaseOut], summary="调解案件（申请人看本机构，调解机构看受理的，办公室看全部）")
@paginated
def mediations(request):
    return Rows(mediation_list(user=request.user), _mediation_out)


@router.post("/mediations", response={201: MediationCaseOut}, summary="申请调解（当事企业）")
def mediation_new(request, payload: MediationIn):
    data = payload.dict()
    data["body"] = object_or_404(Organization, pk=data["body"])
    return Status(201, _mediation_out(mediation_apply(actor=request.user, **data)))


class MediationStepIn(Schema):
    action: Literal[MEDIATION.actions]
    day: dt.date | None = None
    text: str = ""
    mediator: Id | None = None
    court: str = ""


@router.post("/mediations/{case_id}/steps", response=MediationCaseOut, summary="调解机构办理")
def mediation_act(request, case_id: int, payload: MediationStepIn):
    case = mediation_get(user=request.user, pk=case_id)
    mediator = object_or_404(mediators_of(case.body), pk=payload.mediator) if payload.mediator else None
    return _mediation_out(mediation_step(actor=request.user, case=case, action=payload.action, day=payload.day,
                                         text=payload.text, mediator=mediator, court=payload.court))


# ---- enforcement cases ----

class CaseIn(Schema):
    kind: str
    source: str
    party: str
    facts: str
    received_on: dt.date
    party_credit_code: str = ""
    party_id_number: str = ""
    party_phone: str = ""
    complainant: str = ""
    complainant_phone: str = ""


class CasePersonalDataOut(Schema):
    """Whole for the officers handling the case (the view is audited), masked for everyone else; empty when
    not recorded."""

    party_id_number: str
    party_phone: str
    complainant_phone: str


class CaseReferralOut(Schema):
    police: str
    referred_on: dt.date
    receipt_number: str  # empty until the police's receipt is recorded


class EnforcementCaseOut(Schema):
    id: int
    kind: str
    source: str
    unit: str  # the handling unit (copyright cases: 区文化和旅游局)
    party: str
    state: str
    state_label: str
    received_on: dt.date
    filed_on: dt.date | None
    decision_number: str
    fine: Decimal | None
    closed_on: dt.date | None
    officers: list[str]
    overdue: list[str]  # the deadlines the case has passed
    personal: CasePersonalDataOut
    referral: CaseReferralOut | None  # None: not referred to the police


class EnforcementCaseRowOut(Schema):
    id: int
    kind: str
    party: str
    state: str
    received_on: dt.date


def _case_out(case, user) -> dict:
    referral = referral_of(case)
    return {"id": case.pk, "kind": case.kind, "source": case.source, "unit": case.unit.name, "party": case.party,
            "state": case.state,
            "state_label": case.get_state_display(), "received_on": case.received_on, "filed_on": case.filed_on,
            "decision_number": case.decision_number, "fine": case.fine, "closed_on": case.closed_on,
            "officers": [o.display_name for o in case.officers.all()], "overdue": overdue(case),
            "personal": personal_data(user=user, case=case),
            "referral": {"police": referral.police, "referred_on": referral.referred_on,
                         "receipt_number": referral.receipt_number} if referral else None}


@router.get("/cases", response=list[EnforcementCaseRowOut], summary="执法案件（执法人员看本单位，办公室看全部）")
@paginated
def cases(request):
    return Rows(case_list(user=request.user),
                lambda c: {"id": c.pk, "kind": c.kind, "party": c.party, "state": c.state,
                           "received_on": c.received_on})


@router.post("/cases", response={201: EnforcementCaseOut}, summary="登记案件（执法人员）")
def case_new(request, payload: CaseIn):
    return Status(201, _case_out(case_register(actor=request.user, **payload.dict()), request.user))


@router.get("/cases/{case_id}", response=EnforcementCaseOut, summary="案件详情（当事人身份证号、电话仅对承办人员完整显示，查看留痕）")
def case_detail(request, case_id: int):
    return _case_out(case_get(user=request.user, pk=case_id), request.user)


class CaseStepIn(Schema):
    action: Literal[CASE.actions]
    day: dt.date | None = None
    note: str = ""
    decision_number: str = ""
    fine: bounded_decimal(EnforcementCase, "fine") | None = None


@router.post("/cases/{case_id}/steps", response=EnforcementCaseOut, summary="办理：立案、调查、告知、处罚决定、执行、结案")
def case_act(request, case_id: int, payload: CaseStepIn):
    case = case_step(actor=request.user, case=case_get(user=request.user, pk=case_id), **payload.dict())
    return _case_out(case, request.user)


class OfficersIn(Schema):
    officers: list[Id]


@router.post("/cases/{case_id}/officers", response=EnforcementCaseOut, summary="指派承办人员")
def case_officers(request, case_id: int, payload: OfficersIn):
    case = case_get(user=request.user, pk=case_id)
    officers = list(User.objects.filter(pk__in=payload.officers))
    return _case_out(case_assign(actor=request.user, case=case, officers=officers), request.user)


class ReferIn(Schema):
    police: str
    referred_on: dt.date
    reason: str


@router.post("/cases/{case_id}/referral", response=EnforcementCaseOut, summary="移送公安机关（行刑衔接）")
def case_referral(request, case_id: int, payload: ReferIn):
    case = case_get(user=request.user, pk=case_id)
    case_refer(actor=request.user, case=case, **payload.dict())
    return _case_out(case, request.user)


class ReceiptIn(Schema):
    receipt_number: str
    receipt_on: dt.date


@router.post("/cases/{case_id}/receipt", response=EnforcementCaseOut, summary="登记公安机关回执")
def case_receipt(request, case_id: int, payload: ReceiptIn):
    case = case_get(user=request.user, pk=case_id)
    referral_receipt(actor=request.user, case=case, **payload.dict())
    return _case_out(case, request.user)


class CertificateIn(Schema):
    officer: Id
    number: str
    issued_on: dt.date
    valid_until: dt.date
    field: Literal[tuple(EnforcementCertificate.Field.values)] = EnforcementCertificate.Field.PATENT  # 执法领域


class EnforcementCertificateOut(Schema):
    id: int
    number: str
    valid_until: dt.date


@router.post("/certificates", response={201: EnforcementCertificateOut}, summary="登记执法证件（办公室；计入持证人员指标）")
def certificate(request, payload: CertificateIn):
    data = payload.dict()
    data["officer"] = object_or_404(User, pk=data["officer"])
    made = certificate_record(actor=request.user, **data)
    return Status(201, {"id": made.pk, "number": made.number, "valid_until": made.valid_until})


# ---- rights assistance, cooperation, standardized markets ----

class AssistanceIn(Schema):
    topic: str
    description: str
    overseas: bool = False
    country: str = ""


class AssistanceRecordOut(Schema):
    day: dt.date
    text: str
    by: str


class RightsAssistanceOut(Schema):
    id: int
    organization: str
    topic: str
    overseas: bool
    country: str
    category: str  # empty until triaged
    state: str
    records: list[AssistanceRecordOut]  # guidance and referral notes


def _assistance_out(a) -> dict:
    return {"id": a.pk, "organization": a.organization.name, "topic": a.topic, "overseas": a.overseas,
            "country": a.country, "category": a.category, "state": a.state, "records": a.records}


@router.get("/assistance", response=list[RightsAssistanceOut], summary="维权援助申请（企业看本企业，办公室看全部）")
@paginated
def assistance(request):
    return Rows(assistance_list(user=request.user), _assistance_out)


@router.post("/assistance", response={201: RightsAssistanceOut}, summary="申请维权援助（企业）")
def assistance_new(request, payload: AssistanceIn):
    return Status(201, _assistance_out(assistance_request(actor=request.user, **payload.dict())))


class AssistanceStepIn(Schema):
    action: Literal[ASSISTANCE.actions]
    text: str = ""
    category: str = ""


@router.post("/assistance/{request_id}/steps", response=RightsAssistanceOut, summary="办理援助：分类、指导、转市保护中心、办结（办公室）")
def assistance_act(request, request_id: int, payload: AssistanceStepIn):
    item = assistance_get(user=request.user, pk=request_id)
    return _assistance_out(assistance_step(actor=request.user, request=item, **payload.dict()))


class CooperationIn(Schema):
    kind: str
    title: str
    partners: str
    started_on: dt.date
    ended_on: dt.date | None = None
    units: list[Id] = []
    cases: list[Id] = []
    summary: str = ""


class CooperationRecordOut(Schema):
    id: int
    kind: str
    title: str
    partners: str
    started_on: dt.date
    ended_on: dt.date | None
    units: list[str]


class CooperationRecordedOut(Schema):
    id: int
    title: str


@router.get("/cooperation", auth=None, response=list[CooperationRecordOut], summary="京津冀协作与联合执法（公开）")
@paginated
def cooperation(request):
    return Rows(cooperation_record_list(),
                lambda r: {"id": r.pk, "kind": r.kind, "title": r.title, "partners": r.partners,
                           "started_on": r.started_on, "ended_on": r.ended_on,
                           "units": [u.name for u in r.units.all()]})


@router.post("/cooperation", response={201: CooperationRecordedOut}, summary="记录协作或联合执法（办公室）")
def cooperation_new(request, payload: CooperationIn):
    data = payload.dict()
    data["units"] = list(Organization.objects.filter(pk__in=data["units"]))
    data["cases"] = list(EnforcementCase.objects.filter(pk__in=data["cases"]))
    made = cooperation_record(actor=request.user, **data)
    return Status(201, {"id": made.pk, "title": made.title})


class MarketIn(Schema):
    name: str
    level: str


class StandardizedMarketOut(Schema):
    id: int
    name: str
    level: str
    checklist: dict[str, bool]  # checklist item code -> met (the construction's self-assessment)
    recognized_on: dt.date | None  # None until the city or national authority recognizes it
    authority: str  # the recognizing authority (天津市知识产权局 / 国家知识产权局), as recorded
    document_number: str  # the recognition's document number


def _market_out(m) -> dict:
    return {"id": m.pk, "name": m.name, "level": m.level, "checklist": m.checklist, "recognized_on": m.approved_on,
            "authority": m.authority, "document_number": m.document_number}


@router.get("/markets", auth=None, response=list[StandardizedMarketOut], summary="规范化市场及评价指标（公开）")
@paginated
def markets(request):
    return Rows(market_list(), _market_out)


@router.post("/markets", response={201: StandardizedMarketOut}, summary="登记创建中的规范化市场（办公室）")
def market_new(request, payload: MarketIn):
    return Status(201, _market_out(market_create(actor=request.user, **payload.dict())))


class ChecklistIn(Schema):
    items: dict[str, bool]


@router.put("/markets/{market_id}/checklist", response=StandardizedMarketOut, summary="更新评价指标（办公室）")
def market_checklist(request, market_id: int, payload: ChecklistIn):
    market = market_get(pk=market_id)
    return _market_out(market_check(actor=request.user, market=market, items=payload.items))


class MarketRecognitionIn(Schema):
    authority: str  # 天津市知识产权局 (市级) or 国家知识产权局 (国家级)
    document_number: str
    recognized_on: dt.date


@router.post("/markets/{market_id}/recognition", response=StandardizedMarketOut,
             summary="登记市级或国家级主管部门对规范化市场的认定（认定机关、文号、日期；办公室登记，计入指标）")
def market_recognition(request, market_id: int, payload: MarketRecognitionIn):
    market = market_get(pk=market_id)
    return _market_out(market_recognition_record(actor=request.user, market=market, **payload.dict()))


# ---- agency conduct supervision (规范专利、商标代理行业执业行为) ----

class AgencyConductIn(Schema):
    agency: Id  # a service agency
    source: str  # inspection | complaint | monitoring
    occurred_on: dt.date
    finding: str
    measure: str  # none | talk | rectify | warning | dishonest
    basis: str = ""
    document_number: str = ""  # required for warning and dishonest
    valid_until: dt.date | None = None  # required for warning and dishonest
    publish_in_directory: bool = False  # show the measure in the agency directory while in force


class AgencyConductOut(Schema):
    id: int
    agency_id: int
    agency: str
    source: str
    source_label: str
    occurred_on: dt.date
    finding: str
    measure: str
    measure_label: str  # 未发现违规 / 约谈提醒 / 责令整改 / 警示 / 列入失信名单
    basis: str
    document_number: str
    valid_until: dt.date | None
    in_force: bool  # a warning or dishonesty measure within its validity today
    publish_in_directory: bool


class AgencyConductPublicationIn(Schema):
    record: Id
    publish_in_directory: bool


class AgencyConductMarkOut(Schema):
    """A measure in force the office publishes in the agency directory."""

    agency_id: int
    agency: str
    measure: str  # warning | dishonest
    measure_label: str
    occurred_on: dt.date
    valid_until: dt.date


@router.get("/agency-conduct", response=list[AgencyConductOut], summary="代理机构执业监管记录（办公室）")
@paginated
def agency_conduct(request):
    return Rows(conduct_list(user=request.user), conduct_row)


@router.post("/agency-conduct", response={201: AgencyConductOut}, summary="记录代理机构执业检查或处理措施（办公室）")
def agency_conduct_new(request, payload: AgencyConductIn):
    require_perm(request.user, Perm.AGENCY_CONDUCT_MANAGE)
    data = payload.dict()
    data["agency"] = object_or_404(Organization, "服务机构不存在", pk=data["agency"])
    return Status(201, conduct_row(conduct_record(actor=request.user, **data)))


@router.post("/agency-conduct/publication", response=AgencyConductOut,
             summary="决定处理措施是否在服务机构名录中公示（办公室）")
def agency_conduct_publication(request, payload: AgencyConductPublicationIn):
    record = conduct_get(user=request.user, pk=payload.record)
    return conduct_row(conduct_publication_set(actor=request.user, record=record,
                                               publish=payload.publish_in_directory))


@router.get("/agency-conduct/published", auth=None, response=list[AgencyConductMarkOut],
            summary="在服务机构名录中公示的、有效期内的警示和失信措施（公开）")
@paginated
def agency_conduct_published(request):
    return Rows(published_in_force().order_by("agency__name", "-occurred_on", "-id"),
                lambda r: {"agency_id": r.agency_id, "agency": r.agency.name, "measure": r.measure,
                           "measure_label": r.get_measure_display(), "occurred_on": r.occurred_on,
                           "valid_until": r.valid_until})
