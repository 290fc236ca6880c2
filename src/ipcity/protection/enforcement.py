"""Administrative enforcement cases: intake → 立案 → 调查 → 告知/听证 → 处罚决定 → 执行 → 结案, with the statutory
deadlines (whether to file within 15 working days of intake; a decision within 90 days of filing), at least two
certified officers on a case (《行政处罚法》第四十二条), criminal referral to the police (行刑衔接) with its receipt,
and parties' personal data shown only to the officers handling the case, every unmasked view audited."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from ipcity import clock
from ipcity.accounts.masking import mask_id_number, mask_phone
from ipcity.accounts.models import Organization, User
from ipcity.accounts.permissions import has_perm, require_perm, scoped, users_with_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.inputs import object_or_404
from ipcity.protection.models import (
    CriminalReferral,
    EnforcementCase,
    EnforcementCertificate,
    StandardizedMarket,
)
from ipcity.stats.core.records import Activity
from ipcity.workflow.core import Transition, Workflow, step
from ipcity.workflow.services import workflow_step

State = EnforcementCase.State
FILING_WORKING_DAYS = 15
DECISION_DAYS = 90
OFFICER = "officer"
CASE = Workflow(
    name="protection.case", label="执法案件", states=dict(State.choices),
    parties={OFFICER: "承办该案的执法人员"},
    transitions=(
        step("file", "立案", State.INTAKE, State.FILED, by=OFFICER),
        step("reject", "不予立案", State.INTAKE, State.NOT_FILED, by=OFFICER, needs_reason=True),
        step("investigate", "开始调查", State.FILED, State.INVESTIGATING, by=OFFICER),
        step("notify", "告知（听证）", State.INVESTIGATING, State.NOTIFIED, by=OFFICER),
        step("decide", "作出处罚决定", State.NOTIFIED, State.DECIDED, by=OFFICER),
        step("execute", "执行", State.DECIDED, State.EXECUTING, by=OFFICER),
        # Closing before a decision needs the police's receipt of a criminal referral (checked when taken).
        step("close", "结案", {State.INVESTIGATING, State.NOTIFIED, State.DECIDED, State.EXECUTING}, State.CLOSED,
             by=OFFICER),
    ))
# What the case's history calls each entry: the table's steps and the entries that change no state.
HISTORY_LABELS = {**CASE.action_labels, "register": "登记", "refer": "移送公安机关", "receipt": "登记公安机关回执"}
# Which unit handles a case of each kind. The plan names 区文化和旅游局 (whose 文化市场综合执法 enforces copyright) beside
# the market regulator for enforcement (key task 7: 区市场监管局、公安南开分局、区文化和旅游局…): copyright cases go to
# it, whoever registers them; every other kind stays with the registering officer's own unit.
UNIT_BY_KIND = {EnforcementCase.Kind.COPYRIGHT: "culture_tourism"}
UNIT_LABELS = {"culture_tourism": "区文化和旅游局（文化市场综合执法）"}
MAX_FINE = Decimal("1000000000000")  # the column holds 12 digits before the point
DECISION_NUMBER_MAX = EnforcementCase._meta.get_field("decision_number").max_length


def deadlines(case: EnforcementCase) -> dict[str, dt.date]:
    due = {"filing": clock.add_working_days(case.received_on, FILING_WORKING_DAYS)}
    if case.filed_on:
        due["decision"] = case.filed_on + dt.timedelta(days=DECISION_DAYS)
    return due


def overdue(case: EnforcementCase, today: dt.date | None = None) -> list[str]:
    today, due = today or clock.today(), deadlines(case)
    late = []
    if case.state == State.INTAKE and today > due["filing"]:
        late.append(f"超过立案核查期限（{due['filing']:%Y-%m-%d}）")
    if case.state in (State.FILED, State.INVESTIGATING, State.NOTIFIED) and "decision" in due and today > due["decision"]:
        late.append(f"超过处理期限（{due['decision']:%Y-%m-%d}）")
    return late


def certified(officer: User, day: dt.date) -> bool:
    return EnforcementCertificate.objects.filter(officer=officer, issued_on__lte=day, valid_until__gte=day).exists()


def case_list(*, user) -> QuerySet[EnforcementCase]:
    return scoped(user, EnforcementCase.objects.select_related("unit"), (
        (Perm.PROTECTION_READ_ALL, None), (Perm.CASE_HANDLE, "unit")), what="执法案件")


def case_get(*, user, pk: int) -> EnforcementCase:
    return object_or_404(case_list(user=user), "案件不存在或无权查看", pk=pk)


def handling_unit(kind: str, actor) -> Organization:
    """The unit a new case of this kind goes to (UNIT_BY_KIND), else the registering officer's own."""
    code = UNIT_BY_KIND.get(kind)
    if code is None:
        return actor.organization
    unit = Organization.objects.filter(code=code).first()
    if unit is None:
        raise ValidationError({"kind": [f"{EnforcementCase.Kind(kind).label}案件由{UNIT_LABELS[code]}承办，"
                                        "平台上尚未登记该单位，请先由办公室导入工作方案中的责任单位"]})
    return unit


def takes_up(user, case: EnforcementCase) -> bool:
    """An officer of the case's unit may take up a case routed to the unit that no officer handles yet."""
    return (has_perm(user, Perm.CASE_HANDLE) and user.organization_id == case.unit_id
            and not case.officers.exists())


def handles(user, case: EnforcementCase) -> bool:
    """An officer assigned to the case who still holds the officer's permission."""
    return has_perm(user, Perm.CASE_HANDLE) and case.officers.filter(pk=user.pk).exists()


def officers_of(unit_id: int) -> QuerySet[User]:
    """The enforcement officers a case of this unit may be assigned to."""
    return users_with_perm(Perm.CASE_HANDLE).filter(organization_id=unit_id)


def case_actions(*, user, case: EnforcementCase) -> list[Transition]:
    return CASE.available(case.state, {OFFICER}) if handles(user, case) else []


def personal_data(*, user, case: EnforcementCase) -> dict:
    """The parties' ID numbers and phones: whole for the officers handling the case (the view is audited),
    masked for everyone else."""
    raw = {"party_id_number": case.party_id_number, "party_phone": case.party_phone,
           "complainant_phone": case.complainant_phone}
    if handles(user, case):
        if any(raw.values()):
            audit_record(actor=user, action="protection.case.personal_data_view", obj=case,
                         after={"fields": [k for k, v in raw.items() if v]})
        return raw
    return {"party_id_number": mask_id_number(raw["party_id_number"]) if raw["party_id_number"] else "",
            "party_phone": mask_phone(raw["party_phone"]) if raw["party_phone"] else "",
            "complainant_phone": mask_phone(raw["complainant_phone"]) if raw["complainant_phone"] else ""}


def _lock(case: EnforcementCase) -> None:
    """Lock the case's row and bring the caller's copy up to date, so that a step taken meanwhile by a colleague is
    checked against and kept in the history this step adds to (steps through workflow_step lock the same way)."""
    case.refresh_from_db(from_queryset=EnforcementCase.objects.select_for_update())


def _log(case: EnforcementCase, actor, action: str, day: dt.date, note: str = "") -> None:
    case.history = [*case.history, {"action": action, "day": day.isoformat(), "note": note, "by": actor.display_name}]


@transaction.atomic
def case_register(*, actor, kind: str, source: str, party: str, facts: str, received_on: dt.date,
                  party_credit_code: str = "", party_id_number: str = "", party_phone: str = "",
                  complainant: str = "", complainant_phone: str = "") -> EnforcementCase:
    if not has_perm(actor, Perm.CASE_HANDLE):
        raise PermissionDenied("由执法人员登记案件")
    problems: dict[str, list[str]] = {}
    if kind not in EnforcementCase.Kind.values:
        problems["kind"] = ["请选择案件类型"]
    if source not in EnforcementCase.Source.values:
        problems["source"] = ["请选择案件来源"]
    if not party.strip():
        problems["party"] = ["请填写当事人"]
    if not facts.strip():
        problems["facts"] = ["请填写案情"]
    if received_on > clock.today():
        problems["received_on"] = ["登记日期不能晚于今天"]
    if problems:
        raise ValidationError(problems)
    unit = handling_unit(kind, actor)
    case = EnforcementCase.objects.create(
        kind=kind, source=source, unit=unit, party=party.strip()[:200],
        party_credit_code=party_credit_code.strip()[:18], party_id_number=party_id_number.strip()[:18],
        party_phone=party_phone.strip()[:20], complainant=complainant.strip()[:200],
        complainant_phone=complainant_phone.strip()[:20], facts=facts.strip(), received_on=received_on,
        created_by=actor)
    routed = unit.pk != actor.organization_id
    if not routed:
        case.officers.add(actor)
    _log(case, actor, "register", received_on, f"转{unit.name}承办" if routed else "")
    case.save(update_fields=["history"])
    audit_record(actor=actor, action="protection.case.register", obj=case,
                 after={"kind": kind, "party": case.party, "unit": unit.name})
    return case


@transaction.atomic
def case_assign(*, actor, case: EnforcementCase, officers: list[User]) -> EnforcementCase:
    if not handles(actor, case) and not takes_up(actor, case) and not has_perm(actor, Perm.CASE_SUPERVISE):
        raise PermissionDenied("只有承办人员、承办单位的执法人员（尚无承办人员时）或办公室可以指派")
    eligible = set(officers_of(case.unit_id).values_list("pk", flat=True))
    wrong = [o.display_name for o in officers if o.pk not in eligible]
    if wrong:
        raise ValidationError({"officers": [f"不是本案承办单位的执法人员：{'、'.join(wrong)}"]})
    if not officers:
        raise ValidationError({"officers": ["请至少指派一名执法人员"]})
    case.officers.set(officers)
    audit_record(actor=actor, action="protection.case.assign", obj=case, after={"officers": [o.pk for o in officers]})
    return case


@transaction.atomic
def case_step(*, actor, case: EnforcementCase, action: str, day: dt.date | None = None, note: str = "",
              decision_number: str = "", fine: Decimal | None = None) -> EnforcementCase:
    if not handles(actor, case):
        raise PermissionDenied("只有承办该案的执法人员可以办理")
    day = day or clock.today()

    def apply(case: EnforcementCase, transition: Transition) -> dict:
        problems: list[str] = []
        if day > clock.today():
            problems.append("日期不能晚于今天")
        last_step = max((dt.date.fromisoformat(h["day"]) for h in case.history), default=case.received_on)
        if day < last_step:
            problems.append(f"日期不能早于上一步（{last_step}）")
        if action == "file":
            holders = [o for o in case.officers.all() if certified(o, day)]
            if len(holders) < 2:
                problems.append(f"立案须有两名以上持有有效执法证件的执法人员承办（《行政处罚法》第四十二条），现有 {len(holders)} 名")
        if action == "decide" and (not decision_number.strip() or fine is None or not fine.is_finite()
                                   or not 0 <= fine < MAX_FINE):
            problems.append("请填写处罚决定书文号和罚没款金额（元，0 至 1 万亿以内）")
        if action == "decide" and len(decision_number.strip()) > DECISION_NUMBER_MAX:
            problems.append(f"处罚决定书文号不能超过 {DECISION_NUMBER_MAX} 个字符")
        referral = CriminalReferral.objects.filter(case=case).first()
        if action == "close" and case.state in (State.INVESTIGATING, State.NOTIFIED) \
                and not (referral and referral.receipt_number):
            problems.append("未作出处罚决定的案件，只有移送公安机关并收到回执后才能结案")
        if problems:
            raise ValidationError(problems)
        if action == "file":
            case.filed_on = day
        elif action == "decide":
            case.decision_number, case.fine, case.decided_on = decision_number.strip(), fine, day
        elif action in ("close", "reject"):
            case.closed_on = day
        _log(case, actor, action, day, note.strip())
        return {"note": note.strip()}

    return workflow_step(case, workflow=CASE, action=action, actor=actor, parties={OFFICER},
                         reason=note if action == "reject" else "", apply=apply)


@transaction.atomic
def case_refer(*, actor, case: EnforcementCase, police: str, referred_on: dt.date, reason: str) -> CriminalReferral:
    """行刑衔接: refer a case suspected of crime to the police."""
    _lock(case)
    if not handles(actor, case):
        raise PermissionDenied("只有承办该案的执法人员可以移送")
    if case.state not in (State.FILED, State.INVESTIGATING, State.NOTIFIED):
        raise ValidationError(f"当前状态为“{case.get_state_display()}”，不能移送")
    if CriminalReferral.objects.filter(case=case).exists():
        raise ValidationError("该案已移送")
    if not police.strip() or not reason.strip():
        raise ValidationError("请填写移送的公安机关和涉嫌犯罪的理由")
    if not case.received_on <= referred_on <= clock.today():
        raise ValidationError("移送日期应在案件登记之后、今天之前")
    referral = CriminalReferral.objects.create(case=case, police=police.strip()[:100], referred_on=referred_on,
                                               reason=reason.strip())
    _log(case, actor, "refer", referred_on, f"移送{referral.police}")
    case.save(update_fields=["history"])
    audit_record(actor=actor, action="protection.case.refer", obj=case, after={"police": referral.police})
    return referral


@transaction.atomic
def referral_receipt(*, actor, case: EnforcementCase, receipt_number: str, receipt_on: dt.date) -> CriminalReferral:
    _lock(case)
    if not handles(actor, case):
        raise PermissionDenied("只有承办该案的执法人员可以登记回执")
    referral = CriminalReferral.objects.filter(case=case).first()
    if referral is None:
        raise ValidationError("该案尚未移送")
    if referral.receipt_number:
        raise ValidationError("回执已登记")
    if not receipt_number.strip() or not referral.referred_on <= receipt_on <= clock.today():
        raise ValidationError("请填写回执编号；回执日期应在移送之后、今天之前")
    referral.receipt_number, referral.receipt_on = receipt_number.strip()[:64], receipt_on
    referral.save(update_fields=["receipt_number", "receipt_on"])
    _log(case, actor, "receipt", receipt_on, f"回执{referral.receipt_number}")
    case.save(update_fields=["history"])
    audit_record(actor=actor, action="protection.case.receipt", obj=case, after={"receipt": referral.receipt_number})
    return referral


@transaction.atomic
def certificate_record(*, actor, officer: User, number: str, issued_on: dt.date, valid_until: dt.date,
                       field: str = EnforcementCertificate.Field.PATENT) -> EnforcementCertificate:
    require_perm(actor, Perm.CASE_SUPERVISE)
    if field not in EnforcementCertificate.Field.values:
        raise ValidationError({"field": [f"执法领域应为：{'、'.join(EnforcementCertificate.Field.labels)}"]})
    if not has_perm(officer, Perm.CASE_HANDLE):
        raise ValidationError({"officer": ["只为执法人员登记执法证件"]})
    if valid_until <= issued_on or not number.strip():
        raise ValidationError({"number": ["请填写证号；有效期应晚于发证日期"]})
    if EnforcementCertificate.objects.filter(number=number.strip()[:64]).exists():
        raise ValidationError({"number": ["该证号已登记"]})
    # An officer is counted once: a renewal starts when the previous certificate ends.
    overlapping = EnforcementCertificate.objects.filter(officer=officer, issued_on__lte=valid_until,
                                                        valid_until__gte=issued_on).first()
    if overlapping is not None:
        raise ValidationError({"issued_on": [f"该执法人员已有证件 {overlapping.number}，有效期至 "
                                             f"{overlapping.valid_until}；换发证件应从其失效后开始"]})
    certificate = EnforcementCertificate.objects.create(officer=officer, number=number.strip()[:64], field=field,
                                                        issued_on=issued_on, valid_until=valid_until)
    audit_record(actor=actor, action="protection.certificate.record", obj=certificate,
                 after={"number": number, "field": certificate.get_field_display()})
    return certificate


# ---- what the indicator engine counts ----

def activity_records() -> list[Activity]:
    counted = {EnforcementCase.Kind.PATENT, EnforcementCase.Kind.TRADEMARK, EnforcementCase.Kind.COPYRIGHT}
    records = [Activity(f"case_{c.kind}", f"CASE-{c.pk}", c.filed_on)
               for c in EnforcementCase.objects.filter(filed_on__isnull=False, kind__in=counted)]
    # Only patent enforcement certificates count toward the plan's 25 certified patent enforcement officers.
    records += [Activity("officer_certificate", f"CERT-{c.pk}", c.issued_on, c.valid_until)
                for c in EnforcementCertificate.objects.filter(field=EnforcementCertificate.Field.PATENT)]
    return records + [Activity(f"market_{m.level}", f"MKT-{m.pk}", m.approved_on)
                      for m in StandardizedMarket.objects.filter(approved_on__isnull=False)]


def activity_rows(keys: list[str]) -> list[list]:
    prefix = keys[0].split("-")[0] if keys else ""
    ids = [int(k.split("-")[1]) for k in keys]
    if prefix == "CASE":
        found = {f"CASE-{c.pk}": c for c in EnforcementCase.objects.select_related("unit").filter(pk__in=ids)}
        # Lineage is public; a case's party is not (it may be a private person, or under investigation). The
        # decision's document number is: an administrative penalty decision is published with it.
        return [[k, found[k].get_kind_display(), f"{found[k].get_kind_display()}案件", found[k].unit.name,
                 found[k].decision_number, found[k].filed_on] for k in keys]
    if prefix == "CERT":
        found = {f"CERT-{c.pk}": c for c in EnforcementCertificate.objects.select_related("officer").filter(pk__in=ids)}
        return [[k, "执法证件", found[k].officer.display_name, found[k].number, "", found[k].valid_until] for k in keys]
    found = {f"MKT-{m.pk}": m for m in StandardizedMarket.objects.filter(pk__in=ids)}
    return [[k, f"{found[k].get_level_display()}规范化市场", found[k].name, found[k].authority,
             found[k].document_number, found[k].approved_on] for k in keys]


def activity_rows_unmasked(keys: list[str]) -> list[list]:
    """The case lineage as the office sees it: the party beside the handling unit and the decision's document
    number (audited by the caller, stats.selectors.lineage_unmask_audit)."""
    ids = [int(k.split("-")[1]) for k in keys if k.startswith("CASE-")]
    found = {f"CASE-{c.pk}": c for c in EnforcementCase.objects.select_related("unit").filter(pk__in=ids)}
    return [[k, found[k].get_kind_display(), found[k].party, found[k].unit.name, found[k].decision_number,
             found[k].filed_on] for k in keys]
