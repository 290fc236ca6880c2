"""Mediation through the plan's four channels: a party applies, a mediator of the channel's body accepts (the
mediation must end within 30 days of acceptance unless both parties agree otherwise), records sessions, and closes
with an agreement or without; administrative mediation then asks the court for judicial confirmation. Successful
mediations count, per channel and per year, toward the plan's 10, 40, 20 and 20."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType, User
from ipcity.accounts.permissions import has_perm, require_perm, scoped, users_with_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.inputs import object_or_404
from ipcity.protection.models import MediationCase
from ipcity.stats.core.records import Activity
from ipcity.workflow.core import Transition, Workflow, step
from ipcity.workflow.services import workflow_step

State = MediationCase.State
Channel = MediationCase.Channel
MEDIATION_DAYS = 30
MEDIATOR = "mediator"


def _administrative_only(case: MediationCase) -> str | None:
    return None if case.channel == Channel.ADMINISTRATIVE else "只有行政调解协议需要申请司法确认"


MEDIATION = Workflow(
    name="protection.mediation", label="调解案件", states=dict(State.choices),
    parties={MEDIATOR: "受理机构的调解员"},
    transitions=(
        step("accept", "受理", State.APPLIED, State.ACCEPTED, by=MEDIATOR),
        step("session", "记录调解", {State.ACCEPTED, State.IN_SESSION}, State.IN_SESSION, by=MEDIATOR),
        step("agree", "达成协议", State.IN_SESSION, State.AGREED, by=MEDIATOR),
        step("fail", "调解不成", {State.ACCEPTED, State.IN_SESSION}, State.FAILED, by=MEDIATOR),
        step("request_confirmation", "申请司法确认", State.AGREED, State.CONFIRMATION_REQUESTED, by=MEDIATOR,
             guard=_administrative_only),
        step("confirmed", "司法确认有效", State.CONFIRMATION_REQUESTED, State.CONFIRMED, by=MEDIATOR),
        step("not_confirmed", "司法确认未通过", State.CONFIRMATION_REQUESTED, State.NOT_CONFIRMED, by=MEDIATOR),
    ))
BODY_TYPES = {Channel.ADMINISTRATIVE: (OrgType.GOVERNMENT_UNIT,)}  # the others: mediation bodies


def mediation_list(*, user) -> QuerySet[MediationCase]:
    return scoped(user, MediationCase.objects.select_related("body", "applicant", "mediator"), (
        (Perm.PROTECTION_READ_ALL, None), (Perm.MEDIATION_HANDLE, "body"), (Perm.MEDIATION_APPLY, "applicant")),
        what="调解案件")


def mediation_get(*, user, pk: int) -> MediationCase:
    return object_or_404(mediation_list(user=user), "调解案件不存在或无权查看", pk=pk)


def mediators_of(body: Organization) -> QuerySet[User]:
    return users_with_perm(Perm.MEDIATION_HANDLE, organization=body)


def parties_of(user, case: MediationCase) -> set[str]:
    """The mediation parties `user` holds for `case`: a mediator of the body it was filed with, or none."""
    return {MEDIATOR} if has_perm(user, Perm.MEDIATION_HANDLE) and user.organization_id == case.body_id else set()


def mediation_actions(*, user, case: MediationCase) -> list[Transition]:
    """The steps `user` may take on `case` now (a step its guard refuses, such as judicial confirmation of a
    non-administrative mediation, is not offered)."""
    return [t for t in MEDIATION.available(case.state, parties_of(user, case))
            if t.guard is None or t.guard(case) is None]


@transaction.atomic
def mediation_apply(*, actor, channel: str, body: Organization, respondent: str, right_type: str,
                    claim: str) -> MediationCase:
    require_perm(actor, Perm.MEDIATION_APPLY)
    problems: dict[str, list[str]] = {}
    if channel not in Channel.values:
        problems["channel"] = [f"未知的调解渠道：{channel}"]
    elif body.org_type not in BODY_TYPES.get(channel, (OrgType.MEDIATION_BODY,)):
        problems["body"] = ["所选机构不受理这一渠道的调解"]
    if not respondent.strip():
        problems["respondent"] = ["请填写被申请人"]
    if right_type not in ("patent", "trademark", "copyright", "other"):
        problems["right_type"] = ["请选择权利类型"]
    if not claim.strip():
        problems["claim"] = ["请写明纠纷与请求"]
    if problems:
        raise ValidationError(problems)
    case = MediationCase.objects.create(channel=channel, body=body, applicant=actor.organization,
                                        respondent=respondent.strip()[:200], right_type=right_type,
                                        claim=claim.strip(), applied_by=actor, applied_at=clock.now())
    audit_record(actor=actor, action="protection.mediation.apply", obj=case, after={"channel": channel})
    return case


@transaction.atomic
def mediation_step(*, actor, case: MediationCase, action: str, day: dt.date | None = None, text: str = "",
                   mediator: User | None = None, court: str = "") -> MediationCase:
    if not parties_of(actor, case):
        raise PermissionDenied("只有受理机构的调解员可以办理")
    day = day or clock.today()

    def apply(case: MediationCase, transition: Transition) -> None:
        problems: dict[str, list[str]] = {}
        if day > clock.today():
            problems["day"] = ["日期不能晚于今天"]
        earliest = max(d for d in (clock.localdate(case.applied_at), case.accepted_on, case.concluded_on) if d)
        if day < earliest:
            problems["day"] = [f"日期不能早于{earliest}（申请、受理或结案之日）"]
        assigned = mediator or actor
        if action == "accept" and not (assigned.organization_id == case.body_id
                                       and has_perm(assigned, Perm.MEDIATION_HANDLE)):
            problems["mediator"] = ["请指派本机构的调解员"]
        if action in ("session", "agree") and not text.strip():
            problems["text"] = ["请填写调解记录" if action == "session" else "请填写调解协议内容"]
        if action == "request_confirmation" and not court.strip():
            problems["court"] = ["请填写受理司法确认的法院"]
        if problems:
            raise ValidationError(problems)
        if action == "accept":
            case.mediator, case.accepted_on, case.deadline = assigned, day, day + dt.timedelta(days=MEDIATION_DAYS)
        elif action == "session":
            case.sessions = [*case.sessions, {"held_on": day.isoformat(), "summary": text.strip()}]
        elif action in ("agree", "fail"):
            case.agreement, case.concluded_on = text.strip(), day
        elif action == "request_confirmation":
            case.court = court.strip()[:100]
        elif action in ("confirmed", "not_confirmed"):
            case.confirmed_on = day

    return workflow_step(case, workflow=MEDIATION, action=action, actor=actor, parties=parties_of(actor, case),
                         apply=apply)


def overdue(case: MediationCase, today: dt.date | None = None) -> bool:
    return case.state in (State.ACCEPTED, State.IN_SESSION) and case.deadline is not None \
        and (today or clock.today()) > case.deadline


def outcomes() -> list[tuple[str, int, int]]:
    """Per channel: cases and successful ones."""
    rows = []
    for channel, label in Channel.choices:
        cases = MediationCase.objects.filter(channel=channel)
        success = State.CONFIRMED if channel == Channel.ADMINISTRATIVE else State.AGREED
        rows.append((label, cases.count(), cases.filter(state=success).count()))
    return rows


# ---- what the indicator engine counts: successful mediations per channel and year ----

def activity_records() -> list[Activity]:
    done = [Activity(f"mediation_{c.channel}", f"MED-{c.pk}", c.concluded_on)
            for c in MediationCase.objects.filter(state=State.AGREED).exclude(channel=Channel.ADMINISTRATIVE)]
    return done + [Activity("mediation_administrative", f"MED-{c.pk}", c.confirmed_on)
                   for c in MediationCase.objects.filter(state=State.CONFIRMED)]


def activity_rows(keys: list[str]) -> list[list]:
    cases = {f"MED-{c.pk}": c for c in MediationCase.objects.select_related("applicant", "body").filter(
        pk__in=[int(k[4:]) for k in keys])}
    # Lineage is public and mediation is confidential: no applicant or respondent.
    return [[k, cases[k].get_channel_display(), cases[k].body.name, cases[k].confirmed_on or cases[k].concluded_on]
            for k in keys]
