"""IP finance: pledge financing applications routed to a partner bank (accepted, approved or declined, then the
pledge registered and written to the pledge registry, which the financing indicators count), and claims under the
registry's patent insurance policies, decided by the insurer."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.permissions import has_perm, require_perm, scoped
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.inputs import object_or_404
from ipcity.operations.models import FinancingApplication, InsuranceClaim
from ipcity.stats.holders import holdings
from ipcity.stats.models import CopyrightRegistration, InsurancePolicy, Patent, Pledge, Trademark
from ipcity.stats.services import registry_write
from ipcity.web.spreadsheets import interchange_csv
from ipcity.workflow.core import Workflow, step
from ipcity.workflow.services import workflow_step

State = FinancingApplication.State
FINANCING = Workflow(
    name="operations.financing", label="质押融资申请", states=dict(State.choices), parties={"bank": "受理银行"},
    transitions=(
        step("accept", "受理", State.SUBMITTED, State.ACCEPTED, by="bank"),
        step("approve", "审批同意", State.ACCEPTED, State.APPROVED, by="bank"),
        step("decline", "不予批准", {State.SUBMITTED, State.ACCEPTED}, State.DECLINED, by="bank"),
        step("register", "办理质押登记", State.APPROVED, State.REGISTERED, by="bank"),
        step("release", "解除质押", State.REGISTERED, State.RELEASED, by="bank"),
    ))
Claim = InsuranceClaim.State
CLAIM = Workflow(
    name="operations.claim", label="专利保险理赔", states=dict(Claim.choices), parties={"insurer": "承保保险公司"},
    transitions=(
        step("pay", "赔付", Claim.FILED, Claim.PAID, by="insurer"),
        step("reject", "拒赔", Claim.FILED, Claim.REJECTED, by="insurer"),
    ))


def financing_list(*, user) -> QuerySet[FinancingApplication]:
    return scoped(user, FinancingApplication.objects.select_related("organization", "bank"), (
        (Perm.OPERATIONS_MANAGE, None), (Perm.FINANCING_HANDLE, "bank"), (Perm.FINANCING_APPLY, "organization")),
        what="质押融资申请")


def financing_get(*, user, pk: int) -> FinancingApplication:
    return object_or_404(financing_list(user=user), "融资申请不存在或无权查看", pk=pk)


@transaction.atomic
def financing_apply(*, actor, bank: Organization, amount_requested: Decimal, purpose: str,
                    patents: list[str] = (), trademarks: list[str] = (),
                    copyrights: list[str] = ()) -> FinancingApplication:
    """A pledge of a bundle: the applicant's granted patents, registered trademarks and registered copyrights."""
    require_perm(actor, Perm.FINANCING_APPLY)
    problems: dict[str, list[str]] = {}
    if bank.org_type != OrgType.FINANCIAL_INSTITUTION:
        problems["bank"] = ["请选择合作银行"]
    if amount_requested <= 0:
        problems["amount_requested"] = ["申请金额应大于0"]
    if not purpose.strip():
        problems["purpose"] = ["请填写资金用途"]
    if not patents and not trademarks and not copyrights:
        problems["patents"] = ["请填写出质的专利、商标或著作权"]
    if bad := _patents_not_pledgeable(actor.organization, patents):
        problems.setdefault("patents", []).append(f"不是本企业已授权的专利：{'、'.join(bad)}")
    marks = {t.registration_number: t for t in Trademark.objects.filter(registration_number__in=trademarks)}
    bad_marks = [n for n in trademarks if n not in marks or marks[n].holder != actor.organization.name]
    if bad_marks:
        problems["trademarks"] = [f"不是本企业的注册商标：{'、'.join(bad_marks)}"]
    works = {c.registration_number: c for c in CopyrightRegistration.objects.filter(registration_number__in=copyrights)}
    bad_works = [n for n in copyrights if n not in works or works[n].owner != actor.organization.name]
    if bad_works:
        problems["copyrights"] = [f"不是本企业登记的著作权：{'、'.join(bad_works)}"]
    if problems:
        raise ValidationError(problems)
    now = clock.now()
    application = FinancingApplication.objects.create(
        organization=actor.organization, bank=bank, amount_requested=amount_requested, purpose=purpose.strip()[:300],
        patents=list(patents), trademarks=list(trademarks), copyrights=list(copyrights), created_by=actor,
        created_at=now, updated_at=now)
    audit_record(actor=actor, action="operations.financing.apply", obj=application,
                 after={"bank": bank.name, "amount": amount_requested})
    return application


def _patents_not_pledgeable(organization, numbers) -> list[str]:
    """The numbers among `numbers` the organization may not pledge: unknown, not granted, or not held by it now (the
    registry's patentee after every recorded transfer), each with the current patentee when someone else holds it."""
    found = {p.application_number: p for p in Patent.objects.filter(application_number__in=numbers)}
    held = holdings(found.values())
    bad = []
    for number in numbers:
        patent = found.get(number)
        if patent is None or patent.grant_date is None:
            bad.append(number)
        elif not held[patent.pk].held_by(organization):
            bad.append(f"{number}（当前专利权人：{held[patent.pk].label or '登记库未写明'}）")
    return bad


@transaction.atomic
def financing_step(*, actor, application: FinancingApplication, action: str, note: str = "",
                   approved_amount: Decimal | None = None, pledge_reference: str = "",
                   registered_on: dt.date | None = None, released_on: dt.date | None = None) -> FinancingApplication:
    """The bank's step, checked against the application as stored now (locked), not as the caller last read it."""
    if not (has_perm(actor, Perm.FINANCING_HANDLE) and actor.organization_id == application.bank_id):
        raise PermissionDenied("只有受理的银行可以办理")

    def apply(locked: FinancingApplication, transition) -> dict:
        problems: dict[str, list[str]] = {}
        if action == "approve" and (approved_amount is None or approved_amount <= 0):
            problems["approved_amount"] = ["请填写批准金额"]
        if action == "decline" and not note.strip():
            problems["note"] = ["请说明不予批准的理由"]
        if action == "register":
            if not pledge_reference.strip():
                problems["pledge_reference"] = ["请填写质押登记号"]
            elif len(pledge_reference.strip()) > Pledge._meta.get_field("reference").max_length:
                problems["pledge_reference"] = ["质押登记号过长（最多64个字符）"]
            elif Pledge.objects.filter(reference=pledge_reference.strip()).exists():
                problems["pledge_reference"] = [f"质押登记号“{pledge_reference.strip()}”已在质押登记库中，不能重复登记，"
                                                "也不能改写已有的质押记录；请核对登记号"]
            if registered_on is None or registered_on > clock.today():
                problems["registered_on"] = ["请填写不晚于今天的质押登记日"]
            if sold := _patents_not_pledgeable(locked.organization, locked.patents):
                problems["patents"] = [f"出质人已不是这些专利的专利权人，不能办理质押登记：{'、'.join(sold)}"]
        if action == "release" and (released_on is None or not locked.registered_on <= released_on <= clock.today()):
            problems["released_on"] = ["解除日应在质押登记日之后、不晚于今天"]
        if problems:
            raise ValidationError(problems)
        locked.updated_at = clock.now()
        locked.bank_note = note.strip()[:300] or locked.bank_note
        if approved_amount is not None:
            locked.approved_amount = approved_amount
        if action == "register":
            locked.pledge_reference, locked.registered_on = pledge_reference.strip(), registered_on
        if action == "release":
            locked.released_on = released_on
        if action in ("register", "release"):
            _write_pledge(locked)
        return {"note": locked.bank_note}

    return workflow_step(application, workflow=FINANCING, action=action, actor=actor, parties={"bank"}, apply=apply)


def _write_pledge(application: FinancingApplication) -> None:
    """Write the pledge through an import batch, like every registry write, as this application's own record: the
    registration creates it, the release changes only it; a pledge this application did not register is refused."""
    data = interchange_csv(
        ["质押登记号", "出质人", "出质人地址", "质权人", "质押金额（万元）", "登记日", "注销日", "涉及专利", "涉及商标"],
        [[application.pledge_reference, application.organization.name, application.organization.address,
          application.bank.name, str(application.approved_amount), application.registered_on.isoformat(),
          application.released_on.isoformat() if application.released_on else "",
          ";".join(application.patents), ";".join(application.trademarks)]])
    registry_write(kind="pledges", data=data, origin=f"operations.financing:{application.pk}",
                   filename="运营中心质押融资登记.csv", note="运营中心")


# ---- insurance claims ----

def claims_list(*, user) -> QuerySet[InsuranceClaim]:
    return scoped(user, InsuranceClaim.objects.select_related("organization", "insurer"), (
        (Perm.OPERATIONS_MANAGE, None), (Perm.FINANCING_HANDLE, "insurer"), (Perm.FINANCING_APPLY, "organization")),
        what="保险理赔")


@transaction.atomic
def claim_file(*, actor, policy_number: str, amount_claimed: Decimal, reason: str) -> InsuranceClaim:
    require_perm(actor, Perm.FINANCING_APPLY)
    policy = InsurancePolicy.objects.filter(policy_number=policy_number.strip()).first()
    problems: dict[str, list[str]] = {}
    if policy is None:
        problems["policy_number"] = [f"保单库中没有保单号“{policy_number}”"]
    elif policy.insured != actor.organization.name:
        problems["policy_number"] = ["投保人不是本企业"]
    insurer = Organization.objects.filter(name=policy.insurer, org_type=OrgType.FINANCIAL_INSTITUTION).first() \
        if policy else None
    if policy is not None and insurer is None:
        problems.setdefault("policy_number", []).append(f"保险公司“{policy.insurer}”尚未入驻平台，请线下报案")
    if amount_claimed <= 0:
        problems["amount_claimed"] = ["索赔金额应大于0"]
    if not reason.strip():
        problems["reason"] = ["请填写出险经过"]
    if problems:
        raise ValidationError(problems)
    now = clock.now()
    claim = InsuranceClaim.objects.create(policy_number=policy.policy_number, organization=actor.organization,
                                          insurer=insurer, amount_claimed=amount_claimed, reason=reason.strip(),
                                          created_by=actor, created_at=now, updated_at=now)
    audit_record(actor=actor, action="operations.claim.file", obj=claim,
                 after={"policy": claim.policy_number, "amount": amount_claimed})
    return claim


@transaction.atomic
def claim_decide(*, actor, claim: InsuranceClaim, pay: bool, amount_paid: Decimal | None = None,
                 note: str = "") -> InsuranceClaim:
    if not (has_perm(actor, Perm.FINANCING_HANDLE) and actor.organization_id == claim.insurer_id):
        raise PermissionDenied("只有承保的保险公司可以处理理赔")

    def apply(locked: InsuranceClaim, transition) -> dict:
        if pay and (amount_paid is None or not 0 < amount_paid <= locked.amount_claimed):
            raise ValidationError({"amount_paid": ["赔付金额应大于0且不超过索赔金额"]})
        if not pay and not note.strip():
            raise ValidationError({"note": ["拒赔须说明理由"]})
        locked.amount_paid, locked.insurer_note, locked.updated_at = amount_paid if pay else None, note.strip()[:300], \
            clock.now()
        return {"amount_paid": locked.amount_paid}

    return workflow_step(claim, workflow=CLAIM, action="pay" if pay else "reject", actor=actor, parties={"insurer"},
                         apply=apply)
