"""The policy system (task 11 强化知识产权政策体系建设, safeguard 二 强化政策引导): the library of district, city and
national IP policies with their measures, 政策兑现 (an enterprise applies under a measure of a policy in force, the
policy's responsible unit decides; the unit may also record awards in bulk from a spreadsheet), and the figures the
evaluation report states year by year: policies issued by level, enterprises supported, amounts granted.

The library and the figures are public (the figures are totals, no names); an enterprise sees its own applications
and awards, a responsible unit those under its own policies, the office everything."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.permissions import has_perm, scoped
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.bounds import NumberRefused, field_rule
from ipcity.inputs import object_or_404, text_problem
from ipcity.services.certification import years_later
from ipcity.services.models import Policy, PolicyApplication, PolicyAward, PolicyMeasure
from ipcity.stats.core import importer
from ipcity.stats.core.importer import Column, Problem, Spec
from ipcity.web.official_document import DOCUMENT_NUMBER
from ipcity.workflow.core import Workflow, step
from ipcity.workflow.services import workflow_step

LEVELS = dict(Policy.Level.choices)
KINDS = dict(PolicyMeasure.Kind.choices)
SUMMARY_MAX = 2000
STANDARD_MAX = 1000
DESCRIPTION_MAX = 500
REASON_MAX = 300
MEASURES_MAX = 30
EARLIEST_ISSUE = dt.date(1980, 1, 1)  # China joined WIPO in 1980 and passed its first IP law in 1982
LONGEST_LEAD_YEARS = 2  # laws and rules take effect months after 印发; a 施行 years later is a mistyped year
LONGEST_BACKDATING_YEARS = 1  # a measure issued in March may apply from 1 January of its year, never from years before
LONGEST_TERM_YEARS = 10  # normative documents run five years at most; one in force until repealed has no end date
ZERO = Decimal(0)
CENT = Decimal("0.01")


# ---------------------------------------------------------------- the library (public reads)

def in_force_q(day: dt.date) -> Q:
    return Q(effective_from__lte=day) & (Q(effective_until__isnull=True) | Q(effective_until__gte=day))


def is_in_force(policy: Policy, day: dt.date | None = None) -> bool:
    day = day or clock.today()
    return policy.effective_from <= day and (policy.effective_until is None or day <= policy.effective_until)


def force_label(policy: Policy, day: dt.date | None = None) -> str:
    """有效 / 尚未施行 / 已失效, from the dates and the injected day."""
    day = day or clock.today()
    if day < policy.effective_from:
        return "尚未施行"
    return "有效" if is_in_force(policy, day) else "已失效"


def policy_list(*, level: str | None = None, in_force: bool | None = None,
                day: dt.date | None = None) -> QuerySet[Policy]:
    """The public library, newest first; by level and whether in force on `day` (today)."""
    policies = Policy.objects.select_related("responsible_unit").prefetch_related("measures")
    if level:
        if level not in LEVELS:
            raise ValidationError({"level": [f"政策层级应为{'、'.join(LEVELS.values())}"]})
        policies = policies.filter(level=level)
    if in_force is not None:
        current = in_force_q(day or clock.today())
        policies = policies.filter(current) if in_force else policies.exclude(current)
    return policies


def policy_get(*, pk) -> Policy:
    return object_or_404(policy_list(), "政策不存在", pk=pk)


def policy_units() -> QuerySet[Organization]:
    """The units a policy may name as responsible: the current plan's units (the leading group's members and the
    units its key tasks name)."""
    from ipcity.plan.selectors import current_plan

    plan = current_plan()
    if plan is None:
        return Organization.objects.none()
    return Organization.objects.filter(
        Q(pk__in=plan.members.values("pk")) | Q(pk__in=plan.tasks.values("assignments__unit_id"))).order_by("pk")


def plan_task_numbers() -> list[int]:
    from ipcity.plan.selectors import current_plan

    plan = current_plan()
    return list(plan.tasks.order_by("number").values_list("number", flat=True)) if plan is not None else []


def can_create(user) -> bool:
    return has_perm(user, Perm.POLICY_MANAGE) or has_perm(user, Perm.POLICY_HANDLE)


def can_edit(user, policy: Policy) -> bool:
    """The office keeps every policy; a responsible unit its own."""
    return has_perm(user, Perm.POLICY_MANAGE) or (
        has_perm(user, Perm.POLICY_HANDLE) and user.organization_id == policy.responsible_unit_id)


def handles(user, policy: Policy) -> bool:
    """The policy's responsible unit decides its 兑现 and records its awards."""
    return has_perm(user, Perm.POLICY_HANDLE) and user.organization_id == policy.responsible_unit_id


# ---------------------------------------------------------------- checking what is sent

def _text(problems: dict, field: str, label: str, value, *, max_length: int, required: bool = True,
          multiline: bool = False) -> str:
    """The text as sent, stripped at its ends; a missing, over-long or control-character text is a problem named by
    its label (never cut short)."""
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if required and not value:
        problems.setdefault(field, []).append(f"请填写{label}")
    elif problem := text_problem(value, multiline=multiline, max_length=max_length):
        problems.setdefault(field, []).append(f"{label}{problem}")
    return value


def _amount(problems: dict, field: str, model, column: str, label: str, value) -> Decimal | None:
    """An amount in 元: within its column and the business bound (ipcity.bounds), and more than 0."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        amount = field_rule(model, column).check(value)
    except NumberRefused as refused:
        problems.setdefault(field, []).append(f"{label}：{refused}")
        return None
    if amount <= ZERO:
        problems.setdefault(field, []).append(f"{label}应大于0")
        return None
    return amount.quantize(CENT)


def yuan(amount: Decimal | None) -> str:
    """12000.50 -> "12,000.5元"."""
    if amount is None:
        return "—"
    text = f"{amount:,.2f}".rstrip("0").rstrip(".")
    return f"{text}元"


def _measures(problems: dict, measures) -> list[dict]:
    """Each measure: its kind (资助/奖励/服务), a name unique in the policy, its standard and, for money, an optional
    cap; every problem names the measure's place ("第2项措施")."""
    clean, names = [], set()
    if not isinstance(measures, list | tuple) or not measures:
        problems.setdefault("measures", []).append("请至少填写一项政策措施")
        return clean
    if len(measures) > MEASURES_MAX:
        problems.setdefault("measures", []).append(f"一项政策最多填写{MEASURES_MAX}项措施")
        return clean
    for n, raw in enumerate(measures, start=1):
        where = f"第{n}项措施"
        own: dict[str, list[str]] = {}
        kind = raw.get("kind")
        if kind not in KINDS:
            own.setdefault("measures", []).append(f"{where}的类别应为{'、'.join(KINDS.values())}")
        name = _text(own, "measures", f"{where}的名称", raw.get("name"), max_length=100)
        standard = _text(own, "measures", f"{where}的支持标准", raw.get("standard"), max_length=STANDARD_MAX,
                         multiline=True)
        cap = _amount(own, "measures", PolicyMeasure, "cap", f"{where}的单项上限", raw.get("cap"))
        if kind == PolicyMeasure.Kind.SERVICE and cap is not None:
            own.setdefault("measures", []).append(f"{where}为服务类措施，不设金额上限")
        if name and name in names:
            own.setdefault("measures", []).append(f"{where}的名称“{name}”与前面的措施重复")
        names.add(name)
        for field, messages in own.items():
            problems.setdefault(field, []).extend(messages)
        clean.append({"kind": kind, "name": name, "standard": standard, "cap": cap})
    return clean


def _policy_fields(problems: dict, *, level, issuer, document_number, title, summary, issued_on, effective_from,
                   effective_until, task_numbers) -> dict:
    if level not in LEVELS:
        problems.setdefault("level", []).append(f"政策层级应为{'、'.join(LEVELS.values())}")
    fields = {
        "level": level,
        "issuer": _text(problems, "issuer", "发文机关", issuer, max_length=100),
        "document_number": _text(problems, "document_number", "文号", document_number, max_length=64),
        "title": _text(problems, "title", "政策名称", title, max_length=200),
        "summary": _text(problems, "summary", "政策摘要", summary, max_length=SUMMARY_MAX, multiline=True),
        "issued_on": issued_on, "effective_from": effective_from, "effective_until": effective_until,
    }
    today = clock.today()
    if issued_on > today:
        problems.setdefault("issued_on", []).append("印发日期不能晚于今天")
    elif issued_on < EARLIEST_ISSUE:
        problems.setdefault("issued_on", []).append(f"印发日期不能早于 {EARLIEST_ISSUE.isoformat()}")
    latest_start = years_later(issued_on, LONGEST_LEAD_YEARS)
    earliest_start = years_later(issued_on, -LONGEST_BACKDATING_YEARS)
    if effective_from < earliest_start:
        problems.setdefault("effective_from", []).append(
            f"施行日期不能早于印发日期前 {LONGEST_BACKDATING_YEARS} 年（{earliest_start.isoformat()}）")
    elif effective_from > latest_start:
        problems.setdefault("effective_from", []).append(
            f"施行日期不能晚于印发日期后 {LONGEST_LEAD_YEARS} 年（{latest_start.isoformat()}）")
    latest_end = years_later(effective_from, LONGEST_TERM_YEARS)
    if effective_until is not None and effective_until < effective_from:
        problems.setdefault("effective_until", []).append("有效期至不能早于施行日期")
    elif effective_until is not None and effective_until > latest_end:
        problems.setdefault("effective_until", []).append(
            f"有效期至不能晚于施行日期后 {LONGEST_TERM_YEARS} 年（{latest_end.isoformat()}）；长期有效的政策不填有效期至")
    match = DOCUMENT_NUMBER.fullmatch(fields["document_number"])
    if match is not None and int(match["year"]) != issued_on.year:
        problems.setdefault("document_number", []).append(
            f"文号中的年份 {match['year']} 与印发日期（{issued_on.year}年）不一致")
    known = plan_task_numbers()
    numbers = []
    for number in task_numbers or []:
        if isinstance(number, bool) or not isinstance(number, int) or number not in known:
            problems.setdefault("task_numbers", []).append(
                f"服务的重点任务应为工作方案的任务序号（1～{max(known) if known else 0}）")
            break
        if number not in numbers:
            numbers.append(number)
    if not numbers and "task_numbers" not in problems:
        problems.setdefault("task_numbers", []).append("请选择政策服务的重点任务（工作方案的任务序号）")
    fields["task_numbers"] = sorted(numbers)
    return fields


def _responsible(actor, unit: Organization | None) -> Organization:
    """The office names any of the plan's units; a unit registers its own policies."""
    if has_perm(actor, Perm.POLICY_MANAGE):
        if unit is None:
            raise ValidationError({"responsible_unit": ["请选择责任单位"]})
    elif has_perm(actor, Perm.POLICY_HANDLE):
        unit = unit or actor.organization
        if unit.pk != actor.organization_id:
            raise PermissionDenied("责任单位只能登记、修改本单位负责的政策")
    else:
        raise PermissionDenied("只有知识产权办公室或政策的责任单位可以维护政策库")
    if not policy_units().filter(pk=unit.pk).exists():
        raise ValidationError({"responsible_unit": ["责任单位应为工作方案的责任单位"]})
    return unit


def _duplicate_number(problems: dict, document_number: str, policy: Policy | None) -> None:
    if not document_number:
        return
    same = Policy.objects.filter(document_number=document_number)
    if policy is not None:
        same = same.exclude(pk=policy.pk)
    if same.exists():
        problems.setdefault("document_number", []).append("该文号的政策已在政策库中")


def _snapshot(policy: Policy) -> dict:
    return {"level": policy.level, "issuer": policy.issuer, "document_number": policy.document_number,
            "title": policy.title, "summary": policy.summary, "issued_on": policy.issued_on,
            "effective_from": policy.effective_from, "effective_until": policy.effective_until,
            "responsible_unit": policy.responsible_unit.name, "task_numbers": policy.task_numbers,
            "measures": [{"kind": m.kind, "name": m.name, "standard": m.standard,
                          "cap": None if m.cap is None else str(m.cap)} for m in policy.measures.order_by("position")]}


# ---------------------------------------------------------------- the library (writes)

@transaction.atomic
def policy_create(*, actor, level: str, issuer: str, document_number: str, title: str, summary: str,
                  issued_on: dt.date, effective_from: dt.date, effective_until: dt.date | None = None,
                  responsible_unit: Organization | None = None, task_numbers: list[int], measures: list[dict],
                  is_synthetic: bool = False) -> Policy:
    """The office adds a policy for any of the plan's units; a unit adds its own."""
    unit = _responsible(actor, responsible_unit)
    problems: dict[str, list[str]] = {}
    fields = _policy_fields(problems, level=level, issuer=issuer, document_number=document_number, title=title,
                            summary=summary, issued_on=issued_on, effective_from=effective_from,
                            effective_until=effective_until, task_numbers=task_numbers)
    clean = _measures(problems, measures)
    _duplicate_number(problems, fields["document_number"], None)
    if problems:
        raise ValidationError(problems)
    now = clock.now()
    policy = Policy.objects.create(**fields, responsible_unit=unit, is_synthetic=is_synthetic, created_by=actor,
                                   created_at=now, updated_at=now)
    PolicyMeasure.objects.bulk_create(PolicyMeasure(policy=policy, position=n, **m) for n, m in enumerate(clean))
    audit_record(actor=actor, action="services.policy.create", obj=policy, after=_snapshot(policy))
    return policy


@transaction.atomic
def policy_update(*, actor, policy: Policy, level: str, issuer: str, document_number: str, title: str, summary: str,
                  issued_on: dt.date, effective_from: dt.date, effective_until: dt.date | None = None,
                  responsible_unit: Organization | None = None, task_numbers: list[int],
                  measures: list[dict]) -> Policy:
    """Measures are matched by name: a named one is updated, a new one added, one left out removed. A measure that
    already has applications or awards keeps its kind and cannot be removed (what was granted under it stays
    readable)."""
    if not can_edit(actor, policy):
        raise PermissionDenied("只有知识产权办公室或该政策的责任单位可以修改政策")
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    unit = _responsible(actor, responsible_unit or policy.responsible_unit)
    problems: dict[str, list[str]] = {}
    fields = _policy_fields(problems, level=level, issuer=issuer, document_number=document_number, title=title,
                            summary=summary, issued_on=issued_on, effective_from=effective_from,
                            effective_until=effective_until, task_numbers=task_numbers)
    clean = _measures(problems, measures)
    _duplicate_number(problems, fields["document_number"], policy)
    existing = {m.name: m for m in policy.measures.annotate(
        used=Count("applications", distinct=True) + Count("awards", distinct=True))}
    wanted = {m["name"] for m in clean}
    for name, measure in existing.items():
        if measure.used and name not in wanted:
            problems.setdefault("measures", []).append(f"措施“{name}”已有兑现申请或兑现记录，不能删除")
    for m in clean:
        measure = existing.get(m["name"])
        if measure is not None and measure.used and measure.kind != m["kind"]:
            problems.setdefault("measures", []).append(f"措施“{m['name']}”已有兑现申请或兑现记录，不能改变类别")
    if problems:
        raise ValidationError(problems)
    before = _snapshot(policy)
    for name, measure in existing.items():
        if name not in wanted:
            measure.delete()
    for n, m in enumerate(clean):
        measure = existing.get(m["name"])
        if measure is None:
            PolicyMeasure.objects.create(policy=policy, position=n, **m)
        else:
            measure.position, measure.kind, measure.standard, measure.cap = n, m["kind"], m["standard"], m["cap"]
            measure.save(update_fields=["position", "kind", "standard", "cap"])
    for field, value in fields.items():
        setattr(policy, field, value)
    policy.responsible_unit = unit
    policy.updated_at = clock.now()
    policy.save()
    after = _snapshot(policy)
    changed = [key for key in after if after[key] != before[key]]
    audit_record(actor=actor, action="services.policy.update", obj=policy,
                 before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return policy


# ---------------------------------------------------------------- 政策兑现: applications and their workflow

State = PolicyApplication.State
POLICY_APPLICATION = Workflow(
    name="services.policy_application", label="政策兑现申请", states=dict(State.choices),
    parties={"unit": "政策的责任单位", "applicant": "申请企业"},
    transitions=(
        step("approve", "准予兑现", State.SUBMITTED, State.APPROVED, by="unit"),
        step("reject", "不予兑现", State.SUBMITTED, State.REJECTED, by="unit", needs_reason=True),
        step("withdraw", "撤回申请", State.SUBMITTED, State.WITHDRAWN, by="applicant"),
    ))


def policy_application_list(*, user) -> QuerySet[PolicyApplication]:
    """The office sees every application; a responsible unit those under its policies; an enterprise its own."""
    return scoped(user, PolicyApplication.objects.select_related(
        "policy", "policy__responsible_unit", "measure", "enterprise"), (
        (Perm.POLICY_MANAGE, None),
        (Perm.POLICY_HANDLE, lambda user: Q(policy__responsible_unit_id=user.organization_id)),
        (Perm.POLICY_APPLY, "enterprise")), what="政策兑现申请")


def policy_application_get(*, user, pk) -> PolicyApplication:
    return object_or_404(policy_application_list(user=user), "政策兑现申请不存在或无权查看", pk=pk)


def policy_award_list(*, user) -> QuerySet[PolicyAward]:
    """The same scope for what was granted."""
    return scoped(user, PolicyAward.objects.select_related("policy", "measure", "enterprise"), (
        (Perm.POLICY_MANAGE, None),
        (Perm.POLICY_HANDLE, lambda user: Q(policy__responsible_unit_id=user.organization_id)),
        (Perm.POLICY_APPLY, "enterprise")), what="政策兑现记录")


def application_parties(user, application: PolicyApplication) -> set[str]:
    return ({"unit"} if handles(user, application.policy) else set()) | (
        {"applicant"} if has_perm(user, Perm.POLICY_APPLY) and user.organization_id == application.enterprise_id
        else set())


def measure_choices(policy: Policy) -> QuerySet[PolicyMeasure]:
    return policy.measures.order_by("position")


@transaction.atomic
def policy_apply(*, actor, measure: PolicyMeasure, description: str,
                 amount_requested: Decimal | None = None) -> PolicyApplication:
    """An enterprise applies under a measure of a policy in force: for money, an amount up to the measure's cap; a
    service measure takes no amount. One open application per enterprise and measure."""
    if not has_perm(actor, Perm.POLICY_APPLY) or actor.organization.org_type != OrgType.ENTERPRISE:
        raise PermissionDenied("只有企业可以申请政策兑现")
    policy = measure.policy
    problems: dict[str, list[str]] = {}
    today = clock.today()
    if not is_in_force(policy, today):
        until = f"至{policy.effective_until:%Y-%m-%d}" if policy.effective_until else "起"
        problems.setdefault("measure", []).append(
            f"政策措施：该政策{force_label(policy, today)}（{policy.effective_from:%Y-%m-%d}{until}有效），不能申请兑现")
    amount = _amount(problems, "amount_requested", PolicyApplication, "amount_requested", "申请金额（元）",
                     amount_requested)
    if measure.pays:
        if amount is None and "amount_requested" not in problems:
            problems.setdefault("amount_requested", []).append(f"申请金额（元）：{measure.get_kind_display()}类措施请填写申请金额")
        elif amount is not None and measure.cap is not None and amount > measure.cap:
            problems.setdefault("amount_requested", []).append(
                f"申请金额（元）不能超过该措施的单项上限 {yuan(measure.cap)}")
    elif amount is not None or "amount_requested" in problems:
        problems["amount_requested"] = ["申请金额（元）：服务类措施不涉及金额，请留空"]
    text = _text(problems, "description", "申请说明", description, max_length=DESCRIPTION_MAX, multiline=True)
    if PolicyApplication.objects.filter(measure=measure, enterprise_id=actor.organization_id,
                                        state=State.SUBMITTED).exists():
        problems.setdefault("measure", []).append("政策措施：本企业在该措施下已有待审核的申请")
    if problems:
        raise ValidationError(problems)
    application = PolicyApplication.objects.create(
        policy=policy, measure=measure, enterprise=actor.organization, submitted_by=actor, description=text,
        amount_requested=amount, created_at=clock.now())
    audit_record(actor=actor, action="services.policy_application.submit", obj=application,
                 after={"policy": policy.document_number, "measure": measure.name,
                        "amount_requested": None if amount is None else str(amount)})
    return application


@transaction.atomic
def policy_application_step(*, actor, application: PolicyApplication, action: str,
                            amount_granted: Decimal | None = None, reason: str = "") -> PolicyApplication:
    """The responsible unit approves (with the amount granted, up to what was asked) or rejects (with the reason);
    the enterprise may withdraw while it waits. An approval records the award."""
    transition = POLICY_APPLICATION.by_action.get(action)
    if transition is None:
        raise ValidationError({"action": [f"操作应为：{'、'.join(POLICY_APPLICATION.action_labels.values())}"]})
    if not transition.parties & application_parties(actor, application):
        raise PermissionDenied(f"只有{'、'.join(POLICY_APPLICATION.parties[p] for p in transition.parties)}"
                               f"可以{transition.label}")

    def apply(locked: PolicyApplication, transition) -> dict:
        problems: dict[str, list[str]] = {}
        text = _text(problems, "reason", "不予兑现理由", reason, max_length=REASON_MAX, required=False,
                     multiline=True)
        today = clock.today()
        extra: dict = {}
        if action == "approve":
            measure = locked.measure
            amount = _amount(problems, "amount_granted", PolicyAward, "amount", "核定金额（元）", amount_granted)
            if measure.pays:
                if amount is None and "amount_granted" not in problems:
                    problems["amount_granted"] = ["核定金额（元）：准予兑现须填写核定金额"]
                elif amount is not None and locked.amount_requested is not None and amount > locked.amount_requested:
                    problems["amount_granted"] = [f"核定金额（元）不能超过申请金额 {yuan(locked.amount_requested)}"]
                elif amount is not None and measure.cap is not None and amount > measure.cap:
                    problems["amount_granted"] = [f"核定金额（元）不能超过该措施的单项上限 {yuan(measure.cap)}"]
            elif amount is not None or "amount_granted" in problems:
                problems["amount_granted"] = ["核定金额（元）：服务类措施不涉及金额，请留空"]
            if problems:
                raise ValidationError(problems)
            PolicyAward.objects.create(policy=locked.policy, measure=measure, enterprise=locked.enterprise,
                                       amount=amount, granted_on=today, source=PolicyAward.Source.APPLICATION,
                                       application=locked, recorded_by=actor, created_at=clock.now())
            extra["amount_granted"] = None if amount is None else str(amount)
        if problems:
            raise ValidationError(problems)
        if action in ("approve", "reject"):
            locked.decided_on, locked.decided_by = today, actor
        if action == "reject":
            locked.reason = text
        return extra

    return workflow_step(application, workflow=POLICY_APPLICATION, action=action, actor=actor,
                         parties=lambda locked: application_parties(actor, locked), reason=reason, apply=apply)


def granted(application: PolicyApplication) -> PolicyAward | None:
    try:
        return application.award
    except PolicyAward.DoesNotExist:
        return None


# ---------------------------------------------------------------- awards recorded in bulk from a spreadsheet

class AwardsRejected(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _award_amount(value: str) -> Decimal | None:
    value = value.strip().replace(",", "").replace("，", "")
    if not value:
        return None
    try:
        amount = field_rule(PolicyAward, "amount").check(value)
    except NumberRefused as refused:
        raise importer.CellError(str(refused)) from None
    if amount <= ZERO:
        raise importer.CellError("兑现金额应大于0")
    return amount.quantize(CENT)


AWARDS = Spec("policy_awards", "政策兑现记录", (
    Column("measure", ("措施", "措施名称", "政策措施"), importer.text, required=True),
    Column("enterprise", ("企业名称", "受益企业"), importer.text, required=True),
    Column("credit_code", ("统一社会信用代码", "信用代码"), importer.text),
    Column("amount", ("兑现金额（元）", "兑现金额", "金额（元）"), _award_amount),
    Column("granted_on", ("兑现日期", "日期"), importer.date, required=True),
    Column("note", ("说明", "备注"), importer.text),
), key=("measure", "enterprise", "granted_on"))
AWARD_HEADERS = [column.headers[0] for column in AWARDS.columns]


def _award_problems(policy: Policy, rows: list[dict], today: dt.date) -> list[Problem]:
    measures = {m.name: m for m in policy.measures.all()}
    names = {row["enterprise"] for row in rows}
    enterprises = {o.name: o for o in Organization.objects.filter(org_type=OrgType.ENTERPRISE, name__in=names)}
    recorded = set(PolicyAward.objects.filter(policy=policy).values_list("measure__name", "enterprise__name",
                                                                          "granted_on"))
    problems = []
    for row in rows:
        number, measure, enterprise = row["_row"], measures.get(row["measure"]), enterprises.get(row["enterprise"])
        if measure is None:
            problems.append(Problem(number, "措施", row["measure"], f"本政策没有该措施（可用：{'、'.join(measures)}）"))
        if enterprise is None:
            problems.append(Problem(number, "企业名称", row["enterprise"], "平台上没有这家企业（请核对企业全称）"))
        elif row["credit_code"] and enterprise.credit_code and row["credit_code"] != enterprise.credit_code:
            problems.append(Problem(number, "统一社会信用代码", row["credit_code"], "与该企业登记的统一社会信用代码不一致"))
        if measure is not None and measure.pays:
            if row["amount"] is None:
                problems.append(Problem(number, "兑现金额（元）", "", f"{measure.get_kind_display()}类措施须填写兑现金额"))
            elif measure.cap is not None and row["amount"] > measure.cap:
                problems.append(Problem(number, "兑现金额（元）", str(row["amount"]),
                                        f"超过该措施的单项上限 {yuan(measure.cap)}"))
        elif measure is not None and row["amount"] is not None:
            problems.append(Problem(number, "兑现金额（元）", str(row["amount"]), "服务类措施不涉及金额，请留空"))
        day = row["granted_on"]
        if day > today:
            problems.append(Problem(number, "兑现日期", day.isoformat(), "兑现日期不能晚于今天"))
        elif day < policy.effective_from or (policy.effective_until is not None and day > policy.effective_until):
            until = f"{policy.effective_until:%Y-%m-%d}" if policy.effective_until else "今"
            problems.append(Problem(number, "兑现日期", day.isoformat(),
                                    f"不在政策有效期内（{policy.effective_from:%Y-%m-%d}至{until}）"))
        if (row["measure"], row["enterprise"], day) in recorded:
            problems.append(Problem(number, "企业名称", row["enterprise"], "该企业在该措施下同一日期的兑现已登记"))
        if len(row["note"]) > 200:
            problems.append(Problem(number, "说明", row["note"][:20] + "…", "超过200字的上限"))
    return problems


@transaction.atomic
def policy_awards_import(*, actor, policy: Policy, data: bytes, filename: str) -> dict:
    """The responsible unit records what it granted under its policy from a .xlsx (or .csv): the file is checked
    whole, every problem named by row and column, and nothing is recorded unless every row is right."""
    if not handles(actor, policy):
        raise PermissionDenied("只有该政策的责任单位可以登记兑现记录")
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    parsed = importer.parse(AWARDS, data, filename)
    problems = list(parsed.problems)
    if not parsed.rows and not problems:
        problems.append(Problem(None, "", "", "文件中没有兑现记录"))
    problems += _award_problems(policy, parsed.rows, clock.today())
    if problems:
        raise AwardsRejected(sorted(problems, key=lambda p: (p.row or 0)))
    measures = {m.name: m for m in policy.measures.all()}
    enterprises = {o.name: o for o in Organization.objects.filter(
        org_type=OrgType.ENTERPRISE, name__in={row["enterprise"] for row in parsed.rows})}
    now = clock.now()
    awards = PolicyAward.objects.bulk_create(
        PolicyAward(policy=policy, measure=measures[row["measure"]], enterprise=enterprises[row["enterprise"]],
                    amount=row["amount"], granted_on=row["granted_on"], source=PolicyAward.Source.IMPORT,
                    note=row["note"], recorded_by=actor, created_at=now) for row in parsed.rows)
    total = sum((a.amount or ZERO for a in awards), ZERO).quantize(CENT)
    audit_record(actor=actor, action="services.policy.awards_import", obj=policy,
                 after={"file": filename[:100], "recorded": len(awards), "amount": str(total),
                        "enterprises": len({a.enterprise_id for a in awards})})
    return {"recorded": len(awards), "amount": total, "enterprises": len({a.enterprise_id for a in awards})}


# ---------------------------------------------------------------- the figures

def policy_figures(*, years: list[int], as_of: dt.date | None = None) -> list[dict]:
    """Per year: policies issued (by level), enterprises supported (distinct, by award), amounts granted. Totals
    only, so they are public; read as of `as_of` (today)."""
    as_of = as_of or clock.today()
    years = sorted(set(years))
    issued = {(row["issued_on__year"], row["level"]): row["n"] for row in Policy.objects.filter(
        issued_on__year__in=years, issued_on__lte=as_of).values("issued_on__year", "level").annotate(n=Count("id"))}
    awards = {row["granted_on__year"]: row for row in PolicyAward.objects.filter(
        granted_on__year__in=years, granted_on__lte=as_of).values("granted_on__year").annotate(
        awards=Count("id"), enterprises=Count("enterprise", distinct=True), amount=Sum("amount"))}
    figures = []
    for year in years:
        by_level = {level: issued.get((year, level), 0) for level in LEVELS}
        row = awards.get(year, {})
        figures.append({"year": year, "issued": by_level, "issued_total": sum(by_level.values()),
                        "awards": row.get("awards", 0), "enterprises": row.get("enterprises", 0),
                        "amount": (row.get("amount") or ZERO).quantize(CENT)})
    return figures
