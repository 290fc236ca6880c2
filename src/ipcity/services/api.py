import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from ipcity.accounts.models import Organization, User
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.bounds import Id, Year, bounded_decimal, bounded_int
from ipcity.inputs import object_or_404
from ipcity.services.agencies import (
    agency_get,
    agency_list,
    agency_rate,
    agency_rating,
    brand_designate,
    cluster_count,
    cluster_join,
    cluster_leave,
    custody_answer,
    custody_get,
    custody_list,
    custody_record,
    custody_terminate,
    profile_save,
)
from ipcity.services.applications import (
    APPLICATION,
    application_get,
    application_list,
    application_rate,
    application_step,
    application_submit,
    overdue,
    satisfaction,
)
from ipcity.services.catalogue import guide_get, guide_publish, item_create, item_get, item_list
from ipcity.services.certification import (
    certification_get,
    certification_list,
    certification_record,
    certification_state,
    expiry_reminders_run,
    guidance_advance,
    guidance_list,
    guidance_start,
)
from ipcity.services.certification import status as certification_status
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
from ipcity.services.experts import (
    assignment_close,
    assignments_for,
    conflict_add,
    consent_set,
    expert_add,
    expert_assign,
    expert_get,
    expert_list,
    expert_update,
    public_experts,
)
from ipcity.services.models import (
    AgencyProfile,
    CustodyContract,
    DemonstrationUnit,
    Expert,
    PilotSchool,
    PublicityEvent,
    ServiceApplication,
    ServiceGuide,
    Training,
)
from ipcity.services.open_data import DATASETS, as_records, csv_response, dataset_get
from ipcity.services.training import (
    AttendeesRejected,
    attendees_import,
    attendees_of,
    manages,
    sign_in,
    sign_in_close,
    training_create,
    training_get,
    training_list,
)

router = Router(tags=["服务"])


def _item_out(item, guide=None) -> dict:
    guide = guide or item.guide
    return {"code": item.code, "name": item.name, "item_type": item.item_type, "unit": item.unit.name,
            "online": item.online, "version": guide.version, "published_at": guide.published_at,
            "change_note": guide.change_note, "guide": guide.content}


@router.get("/items", auth=None, summary="公共服务事项清单（公开）")
def items(request, q: str = ""):
    return [_item_out(i) for i in item_list(query=q)]


@router.get("/items/{code}", auth=None, summary="办事指南；version 取历史版本（公开）")
def item(request, code: str, version: bounded_int(ServiceGuide, "version", label="版本") | None = None):
    found = item_get(code=code)
    return _item_out(found, guide_get(item=found, version=version))


class ItemIn(Schema):
    code: str
    name: str
    item_type: str
    unit: Id
    online: bool = True
    guide: dict


@router.post("/items", response={201: dict}, summary="新增服务事项及第1版办事指南（办公室）")
def item_new(request, payload: ItemIn):
    data = payload.dict()
    data["unit"] = object_or_404(Organization, pk=data["unit"])
    return Status(201, _item_out(item_create(actor=request.user, **data)))


class GuideIn(Schema):
    guide: dict
    change_note: str


@router.post("/items/{code}/guides", response={201: dict}, summary="发布办事指南新版本（办公室）")
def guide_new(request, code: str, payload: GuideIn):
    found = item_get(code=code)
    published = guide_publish(actor=request.user, item=found, guide=payload.guide, change_note=payload.change_note)
    return Status(201, _item_out(found, published))


def _application_out(a) -> dict:
    return {"id": a.pk, "item": a.item.code, "item_name": a.item.name, "guide_version": a.guide.version,
            "applicant": a.applicant.name, "unit": a.item.unit.name, "state": a.state, "description": a.description,
            "submitted_on": a.submitted_on, "accept_due": a.accept_due, "accepted_on": a.accepted_on,
            "decide_due": a.decide_due, "decided_on": a.decided_on, "overdue": overdue(a), "history": a.history,
            "materials": [m.original_name for m in a.materials.order_by("uploaded_at", "pk")],
            "rating": a.rating, "rating_comment": a.rating_comment}


@router.get("/applications", summary="办件（申请人看本机构的，实施单位看本单位事项的，办公室看全部）")
def applications(request):
    return [_application_out(a) for a in application_list(user=request.user).select_related("guide")]


@router.post("/applications", response={201: dict}, summary="在线申请（multipart：事项编码、申请事由、材料文件）")
def application_new(request, item: Form[str], description: Form[str], files: File[list[UploadedFile]] = None):
    made = application_submit(actor=request.user, item=item_get(code=item), description=description,
                              files=files or [])
    return Status(201, _application_out(made))


@router.get("/applications/{application_id}", summary="办件详情")
def application(request, application_id: int):
    return _application_out(application_get(user=request.user, pk=application_id))


@router.post("/applications/{application_id}/steps",
             summary="办理：accept、supplement、not_accept、approve、refuse（实施单位）；resubmit、withdraw（申请人）")
def application_act(request, application_id: int, action: Form[Literal[APPLICATION.actions]], note: Form[str] = "",
                    files: File[list[UploadedFile]] = None):
    found = application_get(user=request.user, pk=application_id)
    return _application_out(application_step(actor=request.user, application=found, action=action, note=note,
                                              files=files or []))


class ServiceRatingIn(Schema):
    rating: bounded_int(ServiceApplication, "rating")
    comment: str = ""


@router.post("/applications/{application_id}/rating", summary="办结后评价（申请人，1～5星）")
def application_rating(request, application_id: int, payload: ServiceRatingIn):
    found = application_get(user=request.user, pk=application_id)
    return _application_out(application_rate(actor=request.user, application=found, **payload.dict()))


@router.get("/satisfaction", auth=None, summary="办件满意度（公开）")
def satisfaction_api(request):
    return satisfaction()


def _training_out(t) -> dict:
    return {"id": t.pk, "title": t.title, "audience": t.audience, "held_on": t.held_on, "hours": t.hours,
            "place": t.place, "organizer": t.organizer.name, "capacity": t.capacity, "attendees": t.attendees,
            "sign_in_open": t.sign_in_open}


@router.get("/trainings", auth=None, summary="培训日历与人次（公开，不含签到名单）")
def trainings(request, year: Year | None = None):
    found = training_list()
    if year:
        found = found.filter(held_on__year=year)
    return [_training_out(t) for t in found]


class TrainingIn(Schema):
    title: str
    audience: str
    held_on: dt.date
    hours: bounded_decimal(Training, "hours")
    place: str
    capacity: bounded_int(Training, "capacity") | None = None


@router.post("/trainings", response={201: dict}, summary="登记培训（办公室、责任单位）")
def training_new(request, payload: TrainingIn):
    made = training_create(actor=request.user, **payload.dict())
    return Status(201, _training_out(training_get(pk=made.pk)))


@router.get("/trainings/{training_id}", auth=None, summary="培训详情（公开）")
def training(request, training_id: int):
    return _training_out(training_get(pk=training_id))


@router.get("/trainings/{training_id}/attendees", summary="签到名单（手机号脱敏）和现场签到码（主办单位）")
def training_attendees(request, training_id: int):
    found = training_get(pk=training_id)
    return {"sign_in_token": found.sign_in_token if manages(request.user, found) else None,
            "attendees": attendees_of(user=request.user, training=found)}


class SignInIn(Schema):
    token: str
    name: str
    organization_name: str
    phone: str


@router.post("/trainings/{training_id}/sign-in", auth=None, response={201: dict},
             summary="扫码签到（无需登录，凭现场二维码中的签到码）")
def training_sign_in(request, training_id: int, payload: SignInIn):
    found = training_get(pk=training_id)
    sign_in(training=found, **payload.dict())
    return Status(201, {"training": found.pk, "attendees": training_get(pk=training_id).attendees})


@router.post("/trainings/{training_id}/attendees/import", summary="导入签到名单（.xlsx/.csv：姓名、单位、手机号）")
def training_import(request, training_id: int, file: File[UploadedFile]):
    found = training_get(pk=training_id)
    if not manages(request.user, found):
        raise PermissionDenied("只有主办单位可以导入签到名单")
    try:
        return attendees_import(actor=request.user, training=found, data=file.read(), filename=file.name or "")
    except AttendeesRejected as rejected:
        raise ValidationError([str(p) for p in rejected.problems]) from None


@router.post("/trainings/{training_id}/close", summary="结束扫码签到（主办单位）")
def training_close(request, training_id: int):
    closed = sign_in_close(actor=request.user, training=training_get(pk=training_id))
    return _training_out(training_get(pk=closed.pk))


# ---- agencies, the cluster, custody ----

def _agency_out(a) -> dict:
    profile = getattr(a, "agency_profile", None)
    return {"id": a.pk, "name": a.name, "services": profile.services if profile else [],
            "qualifications": profile.qualifications if profile else [], "staff": profile.staff if profile else 0,
            "attorneys": profile.attorneys if profile else 0, "description": profile.description if profile else "",
            "contact_phone": profile.contact_phone if profile else "",
            "brand_years": list(a.brand_designations.order_by("year").values_list("year", flat=True)),
            "cluster": [{"place": m.place, "joined_on": m.joined_on, "left_on": m.left_on}
                        for m in a.cluster_memberships.order_by("joined_on")],
            "rating": agency_rating(a)}


@router.get("/agencies", auth=None, summary="服务机构名录（公开）；service 按服务类型，cluster=true 仅看聚集区内")
def agencies(request, q: str = "", service: str = "", cluster: bool = False):
    return {"in_cluster": cluster_count(),
            "agencies": [_agency_out(a) for a in agency_list(query=q, service=service, cluster_only=cluster)]}


@router.get("/agencies/{agency_id}", auth=None, summary="服务机构详情（公开）")
def agency(request, agency_id: int):
    return _agency_out(agency_get(user=request.user, pk=agency_id))


class ProfileIn(Schema):
    services: list[str]
    qualifications: list[dict] = []
    staff: bounded_int(AgencyProfile, "staff")
    attorneys: bounded_int(AgencyProfile, "attorneys")
    description: str = ""
    contact_phone: str = ""
    listed: bool = True


@router.put("/agency-profile", summary="维护本机构名录信息（服务机构）")
def agency_profile(request, payload: ProfileIn):
    profile = profile_save(actor=request.user, **payload.dict())
    return _agency_out(profile.organization)


class ClusterIn(Schema):
    action: str  # join | leave
    day: dt.date
    place: str = ""


@router.post("/agencies/{agency_id}/cluster", summary="登记入驻或迁出聚集区（办公室；计入指标）")
def agency_cluster(request, agency_id: int, payload: ClusterIn):
    found = agency_get(user=request.user, pk=agency_id)
    if payload.action == "join":
        cluster_join(actor=request.user, agency=found, place=payload.place, joined_on=payload.day)
    elif payload.action == "leave":
        cluster_leave(actor=request.user, agency=found, left_on=payload.day)
    else:
        raise ValidationError({"action": ["应为 join 或 leave"]})
    return _agency_out(found)


class BrandIn(Schema):
    designated_on: dt.date
    reason: str


@router.post("/agencies/{agency_id}/brand", response={201: dict}, summary="认定知识产权服务品牌机构（办公室）")
def agency_brand(request, agency_id: int, payload: BrandIn):
    found = agency_get(user=request.user, pk=agency_id)
    brand_designate(actor=request.user, agency=found, year=payload.designated_on.year, **payload.dict())
    return Status(201, _agency_out(found))


@router.post("/agencies/{agency_id}/rating", summary="评价托管服务机构（接受过其托管服务的企业）")
def agency_rating_api(request, agency_id: int, payload: ServiceRatingIn):
    found = agency_get(user=request.user, pk=agency_id)
    agency_rate(actor=request.user, agency=found, **payload.dict())
    return _agency_out(found)


def _custody_out(c) -> dict:
    return {"id": c.pk, "agency": c.agency.name, "enterprise": c.enterprise.name, "enterprise_id": c.enterprise_id,
            "enterprise_size": c.enterprise_size, "scope": c.scope, "starts_on": c.starts_on, "ends_on": c.ends_on,
            "fee": c.fee, "renewal_of": c.renewal_of_id, "state": c.state, "confirmed_on": c.confirmed_on,
            "terminated_on": c.terminated_on, "note": c.note}


@router.get("/custody", summary="托管合同（机构看本机构的，企业看本企业的，办公室看全部）")
def custody(request):
    return [_custody_out(c) for c in custody_list(user=request.user)]


class CustodyIn(Schema):
    enterprise: Id
    enterprise_size: str
    scope: list[str]
    starts_on: dt.date
    ends_on: dt.date
    fee: bounded_decimal(CustodyContract, "fee") | None = None
    renewal_of: Id | None = None
    note: str = ""


@router.post("/custody", response={201: dict}, summary="登记托管合同（服务机构；企业确认后计入）")
def custody_new(request, payload: CustodyIn):
    data = payload.dict()
    data["enterprise"] = object_or_404(Organization, pk=data["enterprise"])
    data["renewal_of"] = custody_get(user=request.user, pk=data["renewal_of"]) if data["renewal_of"] else None
    return Status(201, _custody_out(custody_record(actor=request.user, **data)))


class CustodyAnswerIn(Schema):
    confirm: bool
    note: str = ""


@router.post("/custody/{contract_id}/answer", summary="企业确认或不认可托管合同")
def custody_answer_api(request, contract_id: int, payload: CustodyAnswerIn):
    found = custody_get(user=request.user, pk=contract_id)
    return _custody_out(custody_answer(actor=request.user, contract=found, **payload.dict()))


class TerminateIn(Schema):
    terminated_on: dt.date
    note: str


@router.post("/custody/{contract_id}/terminate", summary="提前终止托管合同（合同双方）")
def custody_terminate_api(request, contract_id: int, payload: TerminateIn):
    found = custody_get(user=request.user, pk=contract_id)
    return _custody_out(custody_terminate(actor=request.user, contract=found, **payload.dict()))


# ---- the expert pool ----

def _expert_public(e) -> dict:
    return {"id": e.pk, "name": e.name, "title": e.title, "organization_name": e.organization_name,
            "specialties": e.specialties, "fields": e.fields, "bio": e.bio}


def _expert_full(e) -> dict:
    return {**_expert_public(e), "user": e.user.username if e.user else None, "available": e.available,
            "availability_note": e.availability_note, "public_consent": e.public_consent, "active": e.active,
            "conflicts": [{"organization": c.organization.name, "reason": c.reason} for c in e.conflicts.all()]}


def _expert_out(request, e) -> dict:
    """The full record for the expert and the office; the public profile for everyone else."""
    full = (request.user.is_authenticated and e.user_id == request.user.pk) or has_perm(request.user,
                                                                                          Perm.EXPERT_MANAGE)
    return _expert_full(e) if full else _expert_public(e)


@router.get("/experts", auth=None, summary="专家库：公开的专家简介（仅本人同意公开的）")
def experts(request, specialty: str = "", q: str = ""):
    return [_expert_public(e) for e in public_experts(specialty=specialty, query=q)]


@router.get("/experts/pool", summary="专家库全部专家（办公室）")
def expert_pool(request):
    return [_expert_full(e) for e in expert_list(user=request.user)]


class ExpertIn(Schema):
    name: str
    title: str
    organization_name: str
    specialties: list[str]
    fields: list[str] = []
    bio: str = ""
    user: str | None = None  # username of an expert account


@router.post("/experts", response={201: dict}, summary="专家入库（办公室）")
def expert_new(request, payload: ExpertIn):
    data = payload.dict()
    data["user"] = object_or_404(User, username=data["user"]) if data["user"] else None
    return Status(201, _expert_full(expert_add(actor=request.user, **data)))


@router.get("/experts/{expert_id}", auth=None, summary="专家简介（公开的）；本人和办公室可见完整信息")
def expert_detail(request, expert_id: int):
    return _expert_out(request, expert_get(user=request.user, pk=expert_id))


class ExpertUpdateIn(Schema):
    title: str
    organization_name: str
    specialties: list[str]
    fields: list[str] = []
    bio: str = ""
    available: bool = True
    availability_note: str = ""


@router.put("/experts/{expert_id}", summary="维护专家信息（专家本人或办公室）")
def expert_edit(request, expert_id: int, payload: ExpertUpdateIn):
    found = expert_get(user=request.user, pk=expert_id)
    return _expert_full(expert_update(actor=request.user, expert=found, **payload.dict()))


class ConsentIn(Schema):
    consent: bool


@router.post("/experts/{expert_id}/consent", summary="同意或撤回公开个人简介（专家本人）")
def expert_consent(request, expert_id: int, payload: ConsentIn):
    found = expert_get(user=request.user, pk=expert_id)
    return _expert_full(consent_set(actor=request.user, expert=found, consent=payload.consent))


class ExpertConflictIn(Schema):
    organization: Id
    reason: str


@router.post("/experts/{expert_id}/conflicts", response={201: dict}, summary="声明回避（专家本人或办公室）")
def expert_conflict(request, expert_id: int, payload: ExpertConflictIn):
    found = expert_get(user=request.user, pk=expert_id)
    organization = object_or_404(Organization, pk=payload.organization)
    conflict_add(actor=request.user, expert=found, organization=organization, reason=payload.reason)
    return Status(201, _expert_full(found))


class AssignIn(Schema):
    kind: str
    subject: str = ""
    navigation: Id | None = None
    mediation: Id | None = None
    parties: list[Id] = []


def _assignment_out(a) -> dict:
    return {"id": a.pk, "expert": a.expert.name, "kind": a.kind, "subject": a.subject, "state": a.state,
            "opinion": a.opinion, "assigned_on": a.assigned_on, "parties": [o.name for o in a.parties.all()]}


@router.post("/experts/{expert_id}/assignments", response={201: dict},
             summary="指派专家：navigation、mediation 或 assessment（办公室；回避审查）")
def expert_assign_api(request, expert_id: int, payload: AssignIn):
    from ipcity.operations.models import NavigationProject
    from ipcity.protection.models import MediationCase

    found = expert_get(user=request.user, pk=expert_id)
    made = expert_assign(
        actor=request.user, expert=found, kind=payload.kind, subject=payload.subject,
        navigation=object_or_404(NavigationProject, pk=payload.navigation) if payload.navigation else None,
        mediation=object_or_404(MediationCase, pk=payload.mediation) if payload.mediation else None,
        parties=list(Organization.objects.filter(pk__in=payload.parties)))
    return Status(201, _assignment_out(made))


@router.get("/expert-assignments", summary="指派任务（专家看本人的，办公室看全部）")
def expert_assignments(request):
    return [_assignment_out(a) for a in assignments_for(user=request.user)]


class CloseIn(Schema):
    opinion: str = ""
    withdraw: bool = False


@router.post("/expert-assignments/{assignment_id}/close", summary="提交专家意见（本人）或撤回指派（办公室）")
def expert_assignment_close(request, assignment_id: int, payload: CloseIn):
    found = object_or_404(assignments_for(user=request.user), pk=assignment_id)
    return _assignment_out(assignment_close(actor=request.user, assignment=found, **payload.dict()))


# ---- open data ----

@router.get("/open-data", auth=None, summary="开放数据集目录（公开）")
def open_data_index(request):
    return [{"code": d.code, "title": d.title, "description": d.description, "headers": list(d.headers)}
            for d in DATASETS.values()]


@router.get("/open-data/{code}", auth=None, summary="开放数据集；format=csv 下载 CSV（公开）")
def open_data_get(request, code: str, format: str = "json"):
    dataset = dataset_get(code)
    if format == "csv":
        return csv_response(dataset)
    return {"dataset": code, "title": dataset.title, "records": as_records(dataset)}


# ---- compliance certification ----

def _certification_out(c) -> dict:
    return {"id": c.pk, "enterprise": c.enterprise.name, "standard": c.standard, "certifier": c.certifier,
            "certificate_number": c.certificate_number, "scope": c.scope, "issued_on": c.issued_on,
            "valid_until": c.valid_until, "guiding_agency": c.guiding_agency.name if c.guiding_agency else None,
            "state": c.state, "status": certification_status(c)}


@router.get("/certifications", summary="贯标认证证书（企业看本企业的，辅导机构看其辅导的，办公室看全部）")
def certifications(request):
    return [_certification_out(c) for c in certification_list(user=request.user)]


class CertificationIn(Schema):
    enterprise: Id
    certifier: str
    certificate_number: str
    scope: str
    issued_on: dt.date
    valid_until: dt.date
    guiding_agency: Id | None = None


@router.post("/certifications", response={201: dict}, summary="登记贯标认证证书（企业本身或其辅导机构）")
def certification_new(request, payload: CertificationIn):
    data = payload.dict()
    data["enterprise"] = object_or_404(Organization, pk=data["enterprise"])
    data["guiding_agency"] = object_or_404(Organization, pk=data["guiding_agency"]) if data["guiding_agency"] \
        else None
    return Status(201, _certification_out(certification_record(actor=request.user, **data)))


class CertificationStateIn(Schema):
    state: str


@router.post("/certifications/{certification_id}/state", summary="变更证书状态：valid、suspended、withdrawn")
def certification_state_api(request, certification_id: int, payload: CertificationStateIn):
    found = certification_get(user=request.user, pk=certification_id)
    return _certification_out(certification_state(actor=request.user, certification=found, state=payload.state))


def _guidance_out(g) -> dict:
    return {"id": g.pk, "agency": g.agency.name, "enterprise": g.enterprise.name, "started_on": g.started_on,
            "stage": g.stage, "history": g.history}


@router.get("/certification-guidance", summary="贯标辅导（机构看本机构的，企业看本企业的，办公室看全部）")
def guidance(request):
    return [_guidance_out(g) for g in guidance_list(user=request.user)]


class GuidanceIn(Schema):
    enterprise: Id
    started_on: dt.date


@router.post("/certification-guidance", response={201: dict}, summary="登记贯标辅导（服务机构）")
def guidance_new(request, payload: GuidanceIn):
    enterprise = object_or_404(Organization, pk=payload.enterprise)
    return Status(201, _guidance_out(guidance_start(actor=request.user, enterprise=enterprise,
                                                    started_on=payload.started_on)))


class AdvanceIn(Schema):
    note: str = ""


@router.post("/certification-guidance/{guidance_id}/advance", summary="辅导进入下一阶段（辅导机构）")
def guidance_next(request, guidance_id: int, payload: AdvanceIn):
    found = object_or_404(guidance_list(user=request.user), pk=guidance_id)
    return _guidance_out(guidance_advance(actor=request.user, guidance=found, note=payload.note))


@router.post("/certifications/reminders/run", summary="发送贯标证书到期提醒（办公室；也可由 ipcity remind 定时执行）")
def certification_reminders(request):
    return {"sent": expiry_reminders_run(actor=request.user)}


# ---- IP culture: events, pilot schools, demonstration units, talent ----

def _event_out(e) -> dict:
    return {"id": e.pk, "kind": e.kind, "title": e.title, "held_on": e.held_on, "place": e.place,
            "organizer": e.organizer.name, "school": e.school.name if e.school else None,
            "experts": event_experts(e), "stream_url": e.stream_url, "participants": e.participants,
            "summary": e.summary}


@router.get("/culture/events", auth=None, summary="知识产权教育与宣传活动日历（公开）")
def culture_events(request, year: Year | None = None, kind: str = ""):
    return [_event_out(e) for e in calendar(year=year, kind=kind)]


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


@router.post("/culture/events", response={201: dict}, summary="登记活动（办公室、责任单位）")
def culture_event_new(request, payload: CultureEventIn):
    data = payload.dict()
    data["school"] = object_or_404(PilotSchool, pk=data["school"]) if data["school"] else None
    data["experts"] = list(Expert.objects.filter(pk__in=data["experts"], active=True))
    return Status(201, _event_out(event_record(actor=request.user, **data)))


class EventReportIn(Schema):
    participants: bounded_int(PublicityEvent, "participants")
    summary: str


@router.post("/culture/events/{event_id}/report", summary="填报活动参与人数和情况（主办单位）")
def culture_event_report(request, event_id: int, payload: EventReportIn):
    event = object_or_404(PublicityEvent, pk=event_id)
    return _event_out(event_report(actor=request.user, event=event, **payload.dict()))


@router.get("/culture/schools", auth=None, summary="中小学知识产权教育试点学校（公开）")
def culture_schools(request):
    return [{"id": s.pk, "name": s.name, "level": s.level, "street": s.street, "joined_on": s.joined_on}
            for s in PilotSchool.objects.all()]


class SchoolIn(Schema):
    name: str
    level: str
    joined_on: dt.date
    street: str = ""


@router.post("/culture/schools", response={201: dict}, summary="登记试点学校（办公室、责任单位）")
def culture_school_new(request, payload: SchoolIn):
    school = school_add(actor=request.user, **payload.dict())
    return Status(201, {"id": school.pk, "name": school.name})


def _unit_out(u) -> dict:
    return {"id": u.pk, "name": u.name, "kind": u.kind, "year": u.year, "state": u.state,
            "decision_note": u.decision_note}


@router.get("/culture/demonstration-units", auth=None, summary="入选的知识产权教育示范单位（公开）")
def culture_units(request):
    return [_unit_out(u) for u in DemonstrationUnit.objects.filter(state=DemonstrationUnit.State.SELECTED)]


class NominationIn(Schema):
    name: str
    kind: str
    year: bounded_int(DemonstrationUnit, "year")
    reason: str


@router.post("/culture/demonstration-units", response={201: dict}, summary="推荐教育示范单位（办公室、责任单位）")
def culture_nominate(request, payload: NominationIn):
    return Status(201, _unit_out(demonstration_nominate(actor=request.user, **payload.dict())))


class CultureUnitDecisionIn(Schema):
    selected: bool
    note: str


@router.post("/culture/demonstration-units/{unit_id}/decision", summary="评审教育示范单位（办公室）")
def culture_decide(request, unit_id: int, payload: CultureUnitDecisionIn):
    unit = object_or_404(DemonstrationUnit, pk=unit_id)
    return _unit_out(demonstration_decide(actor=request.user, unit=unit, **payload.dict()))


@router.get("/culture/talent", auth=None, summary="知识产权人才各类别人数（公开）")
def culture_talent(request):
    return dict(talent_counts())


@router.get("/culture/talent/records", summary="知识产权人才名单（办公室、责任单位）")
def culture_talent_records(request):
    return [{"name": r.name, "organization_name": r.organization_name, "category": r.category,
             "credential": r.credential, "recorded_on": r.recorded_on} for r in talent_list(user=request.user)]


class TalentIn(Schema):
    name: str
    organization_name: str
    category: str
    credential: str = ""


@router.post("/culture/talent", response={201: dict}, summary="登记人才信息（办公室、责任单位）")
def culture_talent_new(request, payload: TalentIn):
    record = talent_record(actor=request.user, **payload.dict())
    return Status(201, {"id": record.pk, "category": record.category})
