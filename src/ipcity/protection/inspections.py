"""Random inspections (双随机、一公开): plans drafted by the office, published with their candidates, inspectors and
seed source frozen, drawn by the published algorithm, and shown to the public with everything needed to redo the
draw. Officers declare conflicts of interest; the office rates organizations' risk. Once every drawn subject's
inspection result is recorded (protection/inspection_results.py), the office publishes the results with the draw."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.permissions import has_perm, require_perm, users_with_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.protection.core import draw as rules
from ipcity.protection.enforcement import certified
from ipcity.protection.models import ConflictOfInterest, InspectionPlan, InspectionResult, RiskRating
from ipcity.workflow.core import Workflow, step
from ipcity.workflow.services import workflow_step

OFFICE = "office"
DRAWN_STATES = (InspectionPlan.State.DRAWN, InspectionPlan.State.RESULTS_PUBLISHED)


def _every_subject_has_a_result(plan: InspectionPlan) -> str | None:
    """Results are published all at once: every drawn subject's result is recorded first."""
    drawn = set(plan.results.get("subjects", []))
    if not drawn:
        return "本计划没有抽中的对象，没有检查结果可以公示"
    recorded = set(InspectionResult.objects.filter(plan=plan).values_list("subject_key", flat=True))
    missing = len(drawn - recorded)
    if missing:
        return f"还有 {missing} 个抽查对象未录入检查结果，全部录入后才能公示"
    return None


PLAN = Workflow(
    name="protection.inspection", label="双随机抽查计划", states=dict(InspectionPlan.State.choices),
    parties={OFFICE: "领导小组办公室"},
    transitions=(
        step("publish", "公布", InspectionPlan.State.DRAFT, InspectionPlan.State.PUBLISHED, by=OFFICE),
        step("draw", "抽取并公示", InspectionPlan.State.PUBLISHED, InspectionPlan.State.DRAWN, by=OFFICE),
        step("publish_results", "公示检查结果", InspectionPlan.State.DRAWN, InspectionPlan.State.RESULTS_PUBLISHED,
             by=OFFICE, guard=_every_subject_has_a_result),
    ))
INSPECTABLE_TYPES = (OrgType.ENTERPRISE, OrgType.SERVICE_AGENCY)
_CODE = re.compile(r"^[a-z0-9-]{3,40}\Z")


def subject_key(organization_id: int) -> str:
    return f"ORG-{organization_id:06d}"


def inspector_key(user_id: int) -> str:
    return f"OFFICER-{user_id:06d}"


@transaction.atomic
def risk_set(*, actor, organization: Organization, level: str, reason: str) -> RiskRating:
    require_perm(actor, Perm.INSPECTION_MANAGE)
    if level not in RiskRating.Level.values:
        raise ValidationError({"level": [f"风险等级应为：{'、'.join(RiskRating.Level.labels)}"]})
    if not reason.strip():
        raise ValidationError({"reason": ["请填写评定依据"]})
    rating, _ = RiskRating.objects.update_or_create(organization=organization, defaults={
        "level": level, "reason": reason.strip()[:300], "set_by": actor, "set_at": clock.now()})
    audit_record(actor=actor, action="protection.risk.set", obj=rating,
                 after={"organization": organization.name, "level": level})
    return rating


@transaction.atomic
def conflict_declare(*, actor, organization: Organization, reason: str) -> ConflictOfInterest:
    require_perm(actor, Perm.CONFLICT_DECLARE)
    if not reason.strip():
        raise ValidationError({"reason": ["请填写回避理由"]})
    conflict, _ = ConflictOfInterest.objects.update_or_create(
        officer=actor, organization=organization, defaults={"reason": reason.strip()[:300], "declared_at": clock.now()})
    audit_record(actor=actor, action="protection.conflict.declare", obj=conflict,
                 after={"organization": organization.name})
    return conflict


@transaction.atomic
def plan_create(*, actor, code: str, title: str, quotas: dict[str, int], inspectors_per_subject: int = 2,
                subject_types: list[str] = INSPECTABLE_TYPES) -> InspectionPlan:
    require_perm(actor, Perm.INSPECTION_MANAGE)
    problems: dict[str, list[str]] = {}
    if not _CODE.match(code):
        problems["code"] = ["计划编号用3～40个小写字母、数字或连字符，如 2026-q4-patent"]
    elif InspectionPlan.objects.filter(code=code).exists():
        problems["code"] = ["计划编号已被使用"]
    if not title.strip():
        problems["title"] = ["请填写计划名称"]
    if set(quotas) - set(rules.RISK_LEVELS) or any(not isinstance(v, int) or v < 0 for v in quotas.values()) \
            or not sum(quotas.values()):
        problems["quotas"] = ["各风险等级的抽取数量应为非负整数，且合计大于0"]
    if not 1 <= inspectors_per_subject <= 5:
        problems["inspectors_per_subject"] = ["每个对象的执法人员数应为1～5"]
    if not subject_types or set(subject_types) - set(OrgType.values):
        problems["subject_types"] = ["请选择抽查对象类型"]
    if problems:
        raise ValidationError(problems)
    plan = InspectionPlan.objects.create(code=code, title=title.strip()[:200], subject_types=list(subject_types),
                                         quotas={k: quotas.get(k, 0) for k in rules.RISK_LEVELS},
                                         inspectors_per_subject=inspectors_per_subject, created_by=actor,
                                         created_at=clock.now())
    audit_record(actor=actor, action="protection.inspection.create", obj=plan, after={"code": code})
    return plan


def _seed_source() -> str:
    """The evidence log's latest signed checkpoint: published, timestamped, and unknowable before it was sealed."""
    from ipcity.evidence.ledger import latest_checkpoint

    checkpoint = latest_checkpoint()
    if checkpoint is None:
        raise ValidationError("存证日志尚无检查点，无法取得公开的随机种子；请先有一笔存证登记")
    return checkpoint.note


@transaction.atomic
def plan_publish(*, actor, plan: InspectionPlan) -> InspectionPlan:
    """Freeze the candidates, the inspectors (with their conflicts) and the seed source, and publish them."""
    require_perm(actor, Perm.INSPECTION_MANAGE)

    def freeze(plan: InspectionPlan, transition) -> dict:
        risks = dict(RiskRating.objects.values_list("organization_id", "level"))
        organizations = Organization.objects.filter(org_type__in=plan.subject_types).order_by("pk")
        candidates = [{"key": subject_key(o.pk), "name": o.name, "risk": risks.get(o.pk, "low")} for o in organizations]
        conflicts: dict[int, list[str]] = {}
        for officer_id, organization_id in ConflictOfInterest.objects.values_list("officer_id", "organization_id"):
            conflicts.setdefault(officer_id, []).append(subject_key(organization_id))
        # Only officers holding a valid enforcement certificate may inspect (行政执法证).
        officers = [u for u in users_with_perm(Perm.CASE_HANDLE).order_by("pk") if certified(u, clock.today())]
        inspectors = [{"key": inspector_key(u.pk), "name": u.display_name, "conflicts": sorted(conflicts.get(u.pk, []))}
                      for u in officers]
        if not candidates or not inspectors:
            raise ValidationError("没有可抽取的对象或持有效执法证件的执法人员")
        source = _seed_source()
        plan.candidates, plan.inspectors, plan.seed_source = candidates, inspectors, source
        plan.seed = rules.seed_of(plan.code, source).hex()
        plan.published_at = clock.now()
        return {"candidates": len(candidates), "inspectors": len(inspectors), "seed": plan.seed}

    return workflow_step(plan, workflow=PLAN, action="publish", actor=actor, parties={OFFICE}, apply=freeze)


def redo(plan: InspectionPlan) -> rules.DrawResult:
    """The draw from the plan's published data alone (what anyone can redo)."""
    seed = rules.seed_of(plan.code, plan.seed_source)
    subjects = [rules.Subject(c["key"], c["risk"]) for c in plan.candidates]
    inspectors = [rules.Inspector(i["key"], frozenset(i["conflicts"])) for i in plan.inspectors]
    return rules.draw(seed, subjects, inspectors, plan.quotas, plan.inspectors_per_subject)


@transaction.atomic
def plan_draw(*, actor, plan: InspectionPlan) -> InspectionPlan:
    require_perm(actor, Perm.INSPECTION_MANAGE)

    def draw(plan: InspectionPlan, transition) -> dict:
        result = redo(plan)
        plan.results = {"subjects": result.subjects, "inspectors": result.inspectors, "shortfalls": result.shortfalls}
        plan.drawn_at = clock.now()
        return {"subjects": result.subjects, "shortfalls": result.shortfalls}

    return workflow_step(plan, workflow=PLAN, action="draw", actor=actor, parties={OFFICE}, apply=draw)


@transaction.atomic
def plan_results_publish(*, actor, plan: InspectionPlan) -> InspectionPlan:
    """一公开: publish every drawn subject's result beside the draw (only when all are recorded)."""
    require_perm(actor, Perm.INSPECTION_MANAGE)

    def publish(plan: InspectionPlan, transition) -> dict:
        plan.results_published_at = clock.now()
        return {"results": InspectionResult.objects.filter(plan=plan).count()}

    return workflow_step(plan, workflow=PLAN, action="publish_results", actor=actor, parties={OFFICE}, apply=publish)


def published_results(plan: InspectionPlan) -> list[dict]:
    """Each drawn subject's result as the public sees it, in the draw's order; nothing before the office publishes."""
    if plan.state != InspectionPlan.State.RESULTS_PUBLISHED:
        return []
    names = {c["key"]: c["name"] for c in plan.candidates}
    found = {r.subject_key: r for r in plan.inspection_results.all()}  # prefetched by the lists
    return [{"subject": key, "name": names.get(key, key), "outcome": found[key].outcome,
             "outcome_label": found[key].get_outcome_display(), "description": found[key].description,
             "inspected_on": found[key].inspected_on.isoformat(),
             "corrected": bool(found[key].corrections)}
            for key in plan.results.get("subjects", []) if key in found]


def public_record(plan: InspectionPlan) -> dict:
    """Everything the public page shows and the download carries: enough to redo the draw."""
    names = {c["key"]: c["name"] for c in plan.candidates} | {i["key"]: i["name"] for i in plan.inspectors}
    return {"format": "ipcity-inspection-draw/v1", "code": plan.code, "title": plan.title, "state": plan.state,
            "quotas": plan.quotas, "inspectors_per_subject": plan.inspectors_per_subject,
            "seed_source": plan.seed_source, "seed": plan.seed, "candidates": plan.candidates,
            "inspectors": plan.inspectors, "results": plan.results,
            "named_results": [{"subject": names[s], "inspectors": [names[i] for i in plan.results["inspectors"][s]]}
                              for s in plan.results.get("subjects", [])],
            "results_published_on": clock.localdate(plan.results_published_at).isoformat()
            if plan.results_published_at else None,
            "inspection_results": published_results(plan)}


def plans_visible(*, user) -> QuerySet[InspectionPlan]:
    """Published and drawn plans are public (一公开); drafts only to the office."""
    if user.is_authenticated and has_perm(user, Perm.INSPECTION_MANAGE):
        return InspectionPlan.objects.all()
    return InspectionPlan.objects.exclude(state=InspectionPlan.State.DRAFT)


def plan_visible(user, plan: InspectionPlan) -> bool:
    return plans_visible(user=user).filter(pk=plan.pk).exists()


def require_visible(user, plan: InspectionPlan) -> None:
    if not plan_visible(user, plan):
        raise Http404("计划不存在或尚未公布")
