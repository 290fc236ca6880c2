"""Compliance certification (贯标, GB/T 29490-2023): enterprises' certificates and their status, agencies' guidance
stage by stage, and expiry reminders sent once per certificate and lead time."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType, User
from ipcity.accounts.permissions import has_perm, require_perm, scoped
from ipcity.accounts.roles import Perm
from ipcity.accounts.system import system_actor
from ipcity.audit.services import audit_record
from ipcity.inputs import object_or_404
from ipcity.services.models import CertificationGuidance, CertificationReminder, ComplianceCertification
from ipcity.workflow.core import Workflow, step
from ipcity.workflow.services import workflow_step

REMINDER_LEAD_DAYS = (90, 30)  # before expiry: time to schedule the recertification audit
STAGES = list(CertificationGuidance.Stage.values)


def years_later(day: dt.date, years: int) -> dt.date:
    """The same date `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def status(certification: ComplianceCertification, today: dt.date | None = None) -> str:
    """有效 / 即将到期 / 已过期 / 暂停 / 撤销, from the state and the injected date."""
    today = today or clock.today()
    if certification.state != ComplianceCertification.State.VALID:
        return certification.get_state_display()
    if today > certification.valid_until:
        return "已过期"
    if (certification.valid_until - today).days <= REMINDER_LEAD_DAYS[0]:
        return "即将到期"
    return "有效"


def certified_count(certifications: QuerySet[ComplianceCertification], today: dt.date | None = None) -> int:
    """How many enterprises hold a certificate `status` calls 有效 or 即将到期 (valid, not past its date)."""
    return certifications.filter(state=ComplianceCertification.State.VALID, valid_until__gte=today or clock.today()) \
        .values("enterprise_id").distinct().count()


def certification_list(*, user) -> QuerySet[ComplianceCertification]:
    return scoped(user, ComplianceCertification.objects.select_related("enterprise", "guiding_agency"), (
        (Perm.SERVICE_SUPERVISE, None),
        (Perm.CERTIFICATION_RECORD, lambda user: Q(enterprise_id=user.organization_id)
         | Q(guiding_agency_id=user.organization_id))), what="贯标认证记录")


def guidance_list(*, user) -> QuerySet[CertificationGuidance]:
    guidance = CertificationGuidance.objects.select_related("agency", "enterprise")
    if has_perm(user, Perm.SERVICE_SUPERVISE):
        return guidance
    if has_perm(user, Perm.CERTIFICATION_RECORD):
        return guidance.filter(Q(enterprise_id=user.organization_id) | Q(agency_id=user.organization_id))
    raise PermissionDenied("无权查看贯标指导记录")


def certification_parties(*, user) -> tuple[QuerySet[Organization], QuerySet[Organization]]:
    """Whom the user may record a certificate for, and which agencies it may name as having guided it: an
    enterprise itself and the agencies that guide it; an agency the enterprises it guides and itself. The form offers
    only these, so no one is shown the platform's other enterprises or unlisted agencies."""
    require_perm(user, Perm.CERTIFICATION_RECORD)
    guided = CertificationGuidance.objects.filter(Q(enterprise_id=user.organization_id)
                                                  | Q(agency_id=user.organization_id))
    enterprises = Organization.objects.filter(
        Q(pk=user.organization_id) | Q(pk__in=guided.values("enterprise_id")), org_type=OrgType.ENTERPRISE)
    agencies = Organization.objects.filter(
        Q(pk=user.organization_id) | Q(pk__in=guided.values("agency_id")), org_type=OrgType.SERVICE_AGENCY)
    return enterprises.order_by("name"), agencies.order_by("name")


def _guides(agency_id: int, enterprise: Organization) -> bool:
    return CertificationGuidance.objects.filter(agency_id=agency_id, enterprise=enterprise).exists()


@transaction.atomic
def certification_record(*, actor, enterprise: Organization, certifier: str, certificate_number: str, scope: str,
                         issued_on: dt.date, valid_until: dt.date,
                         guiding_agency: Organization | None = None) -> ComplianceCertification:
    """The enterprise records its own certificate, or the agency that guided it does."""
    require_perm(actor, Perm.CERTIFICATION_RECORD)
    own = actor.organization_id == enterprise.pk
    if not own and not (actor.organization_id == getattr(guiding_agency, "pk", None)
                        and _guides(actor.organization_id, enterprise)):
        raise PermissionDenied("只能登记本企业的证书，或本机构辅导的企业的证书")
    problems: dict[str, list[str]] = {}
    if enterprise.org_type != OrgType.ENTERPRISE:
        problems["enterprise"] = ["贯标认证的对象应为企业"]
    if not certifier.strip() or not scope.strip():
        problems["certifier"] = ["请填写认证机构和认证范围"]
    if not certificate_number.strip() or len(certificate_number.strip()) > 64:
        problems["certificate_number"] = ["请填写证书编号（不超过64个字符）"]
    elif ComplianceCertification.objects.filter(certificate_number=certificate_number.strip()).exists():
        problems["certificate_number"] = ["该证书编号已登记"]
    if valid_until <= issued_on or issued_on > clock.today():
        problems["valid_until"] = ["发证日期不能晚于今天，有效期应晚于发证日期"]
    elif valid_until > years_later(issued_on, 3):
        problems["valid_until"] = ["认证证书有效期不超过3年"]
    if guiding_agency is not None and not _guides(guiding_agency.pk, enterprise):
        problems["guiding_agency"] = ["该机构没有登记对本企业的贯标辅导"]
    if problems:
        raise ValidationError(problems)
    certification = ComplianceCertification.objects.create(
        enterprise=enterprise, certifier=certifier.strip()[:200], certificate_number=certificate_number.strip()[:64],
        scope=scope.strip()[:300], issued_on=issued_on, valid_until=valid_until, guiding_agency=guiding_agency,
        recorded_by=actor, created_at=clock.now())
    audit_record(actor=actor, action="services.certification.record", obj=certification,
                 after={"number": certification.certificate_number, "valid_until": valid_until})
    return certification


Cert = ComplianceCertification.State
CERTIFICATION = Workflow(
    name="services.certification", label="贯标认证证书", states=dict(Cert.choices),
    parties={"office": "知识产权办公室", "enterprise": "获证企业"},
    transitions=(
        step("suspend", "暂停", Cert.VALID, Cert.SUSPENDED, by={"office", "enterprise"}),
        step("withdraw", "撤销", {Cert.VALID, Cert.SUSPENDED}, Cert.WITHDRAWN, by={"office", "enterprise"}),
        step("reinstate", "恢复有效", Cert.SUSPENDED, Cert.VALID, by="office"),
    ))
# the state a step reaches -> the step (the certifier's notice names the state the certificate is in now)
STEP_TO = {t.target: t.action for t in CERTIFICATION.transitions}


def certificate_parties(user, certification: ComplianceCertification) -> set[str]:
    """Who the user is for this certificate's status: the office, the certified enterprise, or neither."""
    return ({"office"} if has_perm(user, Perm.SERVICE_SUPERVISE) else set()) | (
        {"enterprise"} if has_perm(user, Perm.CERTIFICATION_RECORD)
        and user.organization_id == certification.enterprise_id else set())


@transaction.atomic
def certification_state(*, actor, certification: ComplianceCertification, state: str) -> ComplianceCertification:
    """The certifier suspended or withdrew it: the enterprise or the office records that. Only the office reinstates
    a suspended certificate (on the certifier's notice); a withdrawal is final."""
    parties = certificate_parties(actor, certification)
    if not parties:
        raise PermissionDenied("只有企业本身或办公室可以变更证书状态")
    if state not in STEP_TO:
        raise ValidationError({"state": ["状态应为有效、暂停或撤销"]})
    if state == certification.state:  # the notice confirms the status recorded: nothing changes
        return certification
    action = STEP_TO[state]
    if not CERTIFICATION.by_action[action].parties & parties:
        raise PermissionDenied("恢复证书有效须由办公室根据认证机构的通知登记")
    return workflow_step(certification, workflow=CERTIFICATION, action=action, actor=actor, parties=parties,
                         audit_action="services.certification.state")


@transaction.atomic
def guidance_start(*, actor, enterprise: Organization, started_on: dt.date) -> CertificationGuidance:
    require_perm(actor, Perm.CERTIFICATION_RECORD)
    if actor.organization is None or actor.organization.org_type != OrgType.SERVICE_AGENCY:
        raise PermissionDenied("由服务机构登记贯标辅导")
    if enterprise.org_type != OrgType.ENTERPRISE:
        raise ValidationError({"enterprise": ["辅导对象应为企业"]})
    if started_on > clock.today():
        raise ValidationError({"started_on": ["开始日期不能晚于今天"]})
    if CertificationGuidance.objects.filter(agency=actor.organization, enterprise=enterprise).exclude(
            stage=CertificationGuidance.Stage.DONE).exists():
        raise ValidationError({"enterprise": ["本机构对该企业的辅导尚未完成"]})
    guidance = CertificationGuidance.objects.create(agency=actor.organization, enterprise=enterprise,
                                                    started_on=started_on, created_at=clock.now(),
                                                    history=[{"day": started_on.isoformat(), "stage": "diagnosis",
                                                              "note": "开始辅导"}])
    audit_record(actor=actor, action="services.guidance.start", obj=guidance, after={"enterprise": enterprise.name})
    return guidance


@transaction.atomic
def guidance_advance(*, actor, guidance: CertificationGuidance, note: str = "") -> CertificationGuidance:
    """One stage forward; stages are never skipped, so the record shows the system was really built."""
    if not (has_perm(actor, Perm.CERTIFICATION_RECORD) and actor.organization_id == guidance.agency_id):
        raise PermissionDenied("只有辅导机构可以推进辅导阶段")
    guidance = CertificationGuidance.objects.select_for_update().get(pk=guidance.pk)
    if guidance.stage == CertificationGuidance.Stage.DONE:
        raise ValidationError("辅导已完成")
    before = guidance.stage
    guidance.stage = STAGES[STAGES.index(guidance.stage) + 1]
    guidance.history = [*guidance.history, {"day": clock.today().isoformat(), "stage": guidance.stage,
                                            "note": note.strip()[:200]}]
    guidance.save(update_fields=["stage", "history"])
    audit_record(actor=actor, action="services.guidance.advance", obj=guidance, before={"stage": before},
                 after={"stage": guidance.stage})
    return guidance


def certification_get(*, user, pk: int) -> ComplianceCertification:
    return object_or_404(certification_list(user=user), "证书不存在或无权查看", pk=pk)


def expiry_reminders_run(*, actor) -> int:
    """The office sends the due reminders now (cron sends them through `ipcity remind` without anyone)."""
    require_perm(actor, Perm.SERVICE_SUPERVISE)
    return expiry_reminders_send()


def expiry_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind the enterprise (and its guiding agency) 90 and 30 days before a valid certificate expires, once each.
    Safe to run from cron as often as wanted."""
    today = today or clock.today()
    sent = 0
    horizon = today + dt.timedelta(days=max(REMINDER_LEAD_DAYS))
    due = ComplianceCertification.objects.filter(state=ComplianceCertification.State.VALID, valid_until__gte=today,
                                                 valid_until__lte=horizon).select_related("enterprise")
    for certification in due:
        days_left = (certification.valid_until - today).days
        lead = min(d for d in REMINDER_LEAD_DAYS if days_left <= d)
        organizations = [certification.enterprise_id] + ([certification.guiding_agency_id]
                                                         if certification.guiding_agency_id else [])
        recipients = list(User.objects.filter(organization_id__in=organizations, is_active=True).exclude(email="")
                          .values_list("email", flat=True))
        try:
            with transaction.atomic():
                CertificationReminder.objects.create(certification=certification, lead_days=lead,
                                                     sent_at=clock.now(), recipients=recipients)
                audit_record(actor=system_actor(), action="services.certification.reminder", obj=certification,
                             after={"lead_days": lead, "recipients": recipients})
        except IntegrityError:
            continue
        sent += 1
        if recipients:
            send_mail(f"【贯标证书到期提醒】{certification.enterprise.name}",
                      f"贯标认证证书 {certification.certificate_number}（{certification.standard}）将于 "
                      f"{certification.valid_until:%Y年%m月%d日} 到期，请及时安排再认证审核。", None, recipients,
                      fail_silently=True)
    return sent
