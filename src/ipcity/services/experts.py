"""The expert pool (专家库): the office adds experts (with or without an account), an expert with an account keeps
their own profile, consent to a public profile and declared conflicts; the office assigns experts to navigation
projects, mediations and assessments, never to one involving an organization the expert works for or declared a
conflict with, and never while they are unavailable."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404

from ipcity import clock
from ipcity.accounts.models import Organization, User
from ipcity.accounts.permissions import has_perm, require_perm, scoped
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.inputs import object_or_404
from ipcity.services.models import EXPERT_SPECIALTIES, Expert, ExpertAssignment, ExpertConflict
from ipcity.workflow.core import Workflow, step
from ipcity.workflow.services import workflow_step

Kind = ExpertAssignment.Kind


def public_experts(*, specialty: str = "", query: str = "") -> QuerySet[Expert]:
    """Only consenting, active experts; the public sees name, title, organization, specialties, fields and bio."""
    experts = Expert.objects.filter(public_consent=True, active=True)
    if query.strip():
        experts = experts.filter(Q(name__icontains=query.strip()) | Q(bio__icontains=query.strip())
                                 | Q(organization_name__icontains=query.strip()))
    if not specialty:
        return experts
    if specialty not in EXPERT_SPECIALTIES:
        return experts.none()
    # SQLite has no JSON containment lookup. A stored list holds known codes only (_check_profile), none of them
    # inside another's quotes, so the code in quotes found in the list's text is one of its items.
    return experts.alias(specialties_text=Cast("specialties", TextField())).filter(
        specialties_text__contains=f'"{specialty}"')


def expert_list(*, user) -> QuerySet[Expert]:
    require_perm(user, Perm.EXPERT_MANAGE)
    return Expert.objects.prefetch_related("conflicts__organization")


def expert_get(*, user, pk: int) -> Expert:
    """The office sees every expert; an expert their own record; the public a consenting expert's profile."""
    expert = object_or_404(Expert.objects, "专家不存在", pk=pk)
    own = user.is_authenticated and expert.user_id == user.pk
    if not (own or has_perm(user, Perm.EXPERT_MANAGE) or (expert.public_consent and expert.active)):
        raise Http404("专家不存在")
    return expert


def own_expert(user) -> Expert | None:
    return Expert.objects.filter(user=user).first() if user.is_authenticated else None


def _check_profile(name: str, title: str, organization_name: str, specialties: list[str]) -> None:
    problems: dict[str, list[str]] = {}
    if not name.strip():
        problems["name"] = ["请填写姓名"]
    if not title.strip():
        problems["title"] = ["请填写职称"]
    if not organization_name.strip():
        problems["organization_name"] = ["请填写工作单位"]
    if not specialties or set(specialties) - set(EXPERT_SPECIALTIES):
        problems["specialties"] = [f"请选择专业方向：{'、'.join(EXPERT_SPECIALTIES.values())}"]
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def expert_add(*, actor, name: str, title: str, organization_name: str, specialties: list[str],
               fields: list[str] = (), bio: str = "", user: User | None = None,
               organization: Organization | None = None) -> Expert:
    require_perm(actor, Perm.EXPERT_MANAGE)
    _check_profile(name, title, organization_name, specialties)
    if user is not None and (not has_perm(user, Perm.EXPERT_PROFILE) or Expert.objects.filter(user=user).exists()):
        raise ValidationError({"user": ["关联账号应为尚未入库的专家账号"]})
    expert = Expert.objects.create(user=user, name=name.strip()[:50], title=title.strip()[:100],
                                   organization_name=organization_name.strip()[:200],
                                   organization=organization or (user.organization if user else None),
                                   specialties=sorted(specialties), fields=[f.strip() for f in fields if f.strip()],
                                   bio=bio.strip(), created_at=clock.now())
    audit_record(actor=actor, action="services.expert.add", obj=expert, after={"name": expert.name})
    return expert


def _may_edit(actor, expert: Expert) -> None:
    own = has_perm(actor, Perm.EXPERT_PROFILE) and expert.user_id == actor.pk
    if not (own or has_perm(actor, Perm.EXPERT_MANAGE)):
        raise PermissionDenied("只有专家本人或办公室可以修改专家信息")


@transaction.atomic
def expert_update(*, actor, expert: Expert, title: str, organization_name: str, specialties: list[str],
                  fields: list[str], bio: str, available: bool, availability_note: str = "") -> Expert:
    _may_edit(actor, expert)
    _check_profile(expert.name, title, organization_name, specialties)
    if not available and not availability_note.strip():
        raise ValidationError({"availability_note": ["暂不接受指派时请说明原因或期限"]})
    expert.title, expert.organization_name = title.strip()[:100], organization_name.strip()[:200]
    expert.specialties, expert.fields = sorted(specialties), [f.strip() for f in fields if f.strip()]
    expert.bio, expert.available = bio.strip(), available
    expert.availability_note = "" if available else availability_note.strip()[:200]
    expert.save()
    audit_record(actor=actor, action="services.expert.update", obj=expert,
                 after={"available": available, "specialties": expert.specialties})
    return expert


@transaction.atomic
def consent_set(*, actor, expert: Expert, consent: bool) -> Expert:
    """Only the expert decides whether the public sees their profile."""
    if not (has_perm(actor, Perm.EXPERT_PROFILE) and expert.user_id == actor.pk):
        raise PermissionDenied("公开个人简介须由专家本人同意")
    expert.public_consent, expert.consent_changed_at = consent, clock.now()
    expert.save(update_fields=["public_consent", "consent_changed_at"])
    audit_record(actor=actor, action="services.expert.consent", obj=expert, after={"consent": consent})
    return expert


@transaction.atomic
def conflict_add(*, actor, expert: Expert, organization: Organization, reason: str) -> ExpertConflict:
    _may_edit(actor, expert)
    if not reason.strip():
        raise ValidationError({"reason": ["请填写回避理由"]})
    if ExpertConflict.objects.filter(expert=expert, organization=organization).exists():
        raise ValidationError({"organization": ["已声明对该单位回避"]})
    conflict = ExpertConflict.objects.create(expert=expert, organization=organization, reason=reason.strip()[:200],
                                             declared_at=clock.now())
    audit_record(actor=actor, action="services.expert.conflict", obj=expert, after={"organization": organization.name})
    return conflict


def conflicts_with(expert: Expert, parties: list[Organization]) -> list[str]:
    """Why the expert may not act for these parties: their own organization, or a declared conflict."""
    reasons = []
    declared = {c.organization_id: c.reason for c in expert.conflicts.all()}
    for party in parties:
        if party.pk == expert.organization_id:
            reasons.append(f"专家任职于{party.name}")
        elif party.pk in declared:
            reasons.append(f"专家已声明对{party.name}回避：{declared[party.pk]}")
    return reasons


def _parties(kind: str, navigation, mediation, parties: list[Organization]) -> tuple[str, list[Organization]]:
    if kind == Kind.NAVIGATION:
        if navigation is None:
            raise ValidationError({"navigation": ["请选择专利导航项目"]})
        involved = [o for o in (navigation.undertaker, navigation.client) if o is not None]
        return navigation.title, involved + list(parties)
    if kind == Kind.MEDIATION:
        if mediation is None:
            raise ValidationError({"mediation": ["请选择调解案件"]})
        return f"{mediation.applicant.name}与{mediation.respondent}纠纷调解", [mediation.applicant, mediation.body,
                                                                        *parties]
    if kind == Kind.ASSESSMENT:
        return "", list(parties)
    raise ValidationError({"kind": ["指派类型应为专利导航项目、纠纷调解或评审评估"]})


@transaction.atomic
def expert_assign(*, actor, expert: Expert, kind: str, subject: str = "", navigation=None, mediation=None,
                  parties: list[Organization] = ()) -> ExpertAssignment:
    require_perm(actor, Perm.EXPERT_MANAGE)
    derived, involved = _parties(kind, navigation, mediation, list(parties))
    subject = (subject or derived).strip()
    problems: list[str] = []
    if not expert.active:
        problems.append("该专家已出库")
    if not expert.available:
        problems.append(f"该专家暂不接受指派：{expert.availability_note}")
    if not subject:
        problems.append("请填写评审评估事项")
    problems += conflicts_with(expert, involved)
    if problems:
        raise ValidationError(problems)
    assignment = ExpertAssignment.objects.create(expert=expert, kind=kind, navigation=navigation, mediation=mediation,
                                                 subject=subject[:200], assigned_on=clock.today(), assigned_by=actor)
    assignment.parties.set({o.pk: o for o in involved}.values())
    audit_record(actor=actor, action="services.expert.assign", obj=assignment,
                 after={"expert": expert.name, "kind": kind, "subject": assignment.subject})
    return assignment


def assignments_for(*, user) -> QuerySet[ExpertAssignment]:
    return scoped(user, ExpertAssignment.objects.select_related("expert"), (
        (Perm.EXPERT_MANAGE, None), (Perm.EXPERT_PROFILE, lambda user: Q(expert__user=user))), what="专家任务")


Assignment = ExpertAssignment.State
ASSIGNMENT = Workflow(
    name="services.expert", label="专家指派", states=dict(Assignment.choices),
    parties={"expert": "被指派的专家", "office": "知识产权办公室"},
    transitions=(
        step("opinion", "提交专家意见", Assignment.ASSIGNED, Assignment.DONE, by="expert"),
        step("withdraw", "撤回指派", Assignment.ASSIGNED, Assignment.WITHDRAWN, by="office"),
    ))


@transaction.atomic
def assignment_close(*, actor, assignment: ExpertAssignment, opinion: str = "", withdraw: bool = False):
    """The expert records their opinion and completes it; the office may withdraw it instead."""
    if withdraw:
        require_perm(actor, Perm.EXPERT_MANAGE)
    elif not (has_perm(actor, Perm.EXPERT_PROFILE) and assignment.expert.user_id == actor.pk):
        raise PermissionDenied("只有被指派的专家可以提交意见")

    def apply(locked: ExpertAssignment, transition) -> None:
        if not withdraw and not opinion.strip():
            raise ValidationError({"opinion": ["请填写专家意见"]})
        if not withdraw:
            locked.opinion = opinion.strip()

    return workflow_step(assignment, workflow=ASSIGNMENT, action="withdraw" if withdraw else "opinion", actor=actor,
                         parties={"office" if withdraw else "expert"}, apply=apply)
