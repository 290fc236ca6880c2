"""The expert pool (专家库): public profiles of consenting experts, the office's pool, conflicts (回避) and
assignments to navigation projects, mediations and assessments."""

from ninja import Router, Schema, Status

from ipcity.accounts.models import Organization, User
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.bounds import Id
from ipcity.inputs import object_or_404
from ipcity.openapi import Rows, paginated
from ipcity.services.api.schemas import ExpertAssignmentOut, ExpertDetailOut, ExpertOut, ExpertPublicOut
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

router = Router()


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


@router.get("/experts", auth=None, response=list[ExpertPublicOut], summary="专家库：公开的专家简介（仅本人同意公开的）")
@paginated
def experts(request, specialty: str = "", q: str = ""):
    return Rows(public_experts(specialty=specialty, query=q), _expert_public)


@router.get("/experts/pool", response=list[ExpertOut], summary="专家库全部专家（办公室）")
@paginated
def expert_pool(request):
    return Rows(expert_list(user=request.user), _expert_full)


class ExpertIn(Schema):
    name: str
    title: str
    organization_name: str
    specialties: list[str]
    fields: list[str] = []
    bio: str = ""
    user: str | None = None  # username of an expert account


@router.post("/experts", response={201: ExpertOut}, summary="专家入库（办公室）")
def expert_new(request, payload: ExpertIn):
    data = payload.dict()
    data["user"] = object_or_404(User, username=data["user"]) if data["user"] else None
    return Status(201, _expert_full(expert_add(actor=request.user, **data)))


@router.get("/experts/{expert_id}", auth=None, response=ExpertDetailOut,
            summary="专家简介（公开的）；本人和办公室可见完整信息")
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


@router.put("/experts/{expert_id}", response=ExpertOut, summary="维护专家信息（专家本人或办公室）")
def expert_edit(request, expert_id: int, payload: ExpertUpdateIn):
    found = expert_get(user=request.user, pk=expert_id)
    return _expert_full(expert_update(actor=request.user, expert=found, **payload.dict()))


class ConsentIn(Schema):
    consent: bool


@router.post("/experts/{expert_id}/consent", response=ExpertOut, summary="同意或撤回公开个人简介（专家本人）")
def expert_consent(request, expert_id: int, payload: ConsentIn):
    found = expert_get(user=request.user, pk=expert_id)
    return _expert_full(consent_set(actor=request.user, expert=found, consent=payload.consent))


class ExpertConflictIn(Schema):
    organization: Id
    reason: str


@router.post("/experts/{expert_id}/conflicts", response={201: ExpertOut}, summary="声明回避（专家本人或办公室）")
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


@router.post("/experts/{expert_id}/assignments", response={201: ExpertAssignmentOut},
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


@router.get("/expert-assignments", response=list[ExpertAssignmentOut], summary="指派任务（专家看本人的，办公室看全部）")
@paginated
def expert_assignments(request):
    return Rows(assignments_for(user=request.user), _assignment_out)


class CloseIn(Schema):
    opinion: str = ""
    withdraw: bool = False


@router.post("/expert-assignments/{assignment_id}/close", response=ExpertAssignmentOut,
             summary="提交专家意见（本人）或撤回指派（办公室）")
def expert_assignment_close(request, assignment_id: int, payload: CloseIn):
    found = object_or_404(assignments_for(user=request.user), pk=assignment_id)
    return _assignment_out(assignment_close(actor=request.user, assignment=found, **payload.dict()))
