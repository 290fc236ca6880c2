"""Rights assistance and overseas disputes (维权援助), Beijing–Tianjin–Hebei cooperation and joint operations, and the
standardized markets: their construction followed against the assessment checklist, and the recognition by the city
or national authority recorded (the district office records it; it does not grant it)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from ipcity import clock
from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import has_perm, require_perm, scoped
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.inputs import object_or_404, text_problem
from ipcity.protection.models import AssistanceRequest, CooperationRecord, EnforcementCase, StandardizedMarket
from ipcity.workflow.core import Transition, Workflow, step
from ipcity.workflow.services import workflow_step

State = AssistanceRequest.State
OFFICE = "office"
ASSISTANCE = Workflow(
    name="protection.assistance", label="维权援助申请", states=dict(State.choices),
    parties={OFFICE: "领导小组办公室"},
    transitions=(
        step("triage", "分类受理", State.SUBMITTED, State.TRIAGED, by=OFFICE),
        step("guide", "记录指导", {State.TRIAGED, State.GUIDED}, State.GUIDED, by=OFFICE),
        step("refer", "转市保护中心", {State.TRIAGED, State.GUIDED}, State.REFERRED, by=OFFICE),
        step("close", "办结", {State.TRIAGED, State.GUIDED, State.REFERRED}, State.CLOSED, by=OFFICE),
    ))
CATEGORIES = ("专利", "商标", "著作权", "商业秘密", "海外展会", "海外诉讼", "其他")
# The assessment checklist for IP protection standardized markets (知识产权保护规范化市场).
CHECKLIST = {
    "rules": "建立市场知识产权保护管理制度并公示",
    "commitment": "场内经营者签署知识产权保护承诺书",
    "patrol": "建立日常巡查和商品来源查验机制",
    "complaint": "设立投诉受理点，及时处理侵权投诉",
    "training": "定期开展知识产权宣传培训",
    "credit": "建立经营者信用档案，落实失信惩戒",
    "cooperation": "与执法部门建立协作和线索移送机制",
    "evaluation": "开展年度自评并持续改进",
}


def assistance_list(*, user) -> QuerySet[AssistanceRequest]:
    return scoped(user, AssistanceRequest.objects.select_related("organization"), (
        (Perm.PROTECTION_READ_ALL, None), (Perm.ASSISTANCE_APPLY, "organization")), what="维权援助申请")


def assistance_get(*, user, pk: int) -> AssistanceRequest:
    return object_or_404(assistance_list(user=user), "援助申请不存在或无权查看", pk=pk)


def assistance_actions(*, user, request: AssistanceRequest) -> list[Transition]:
    return ASSISTANCE.available(request.state, {OFFICE}) if has_perm(user, Perm.ASSISTANCE_HANDLE) else []


@transaction.atomic
def assistance_request(*, actor, topic: str, description: str, overseas: bool = False,
                       country: str = "") -> AssistanceRequest:
    require_perm(actor, Perm.ASSISTANCE_APPLY)
    problems = {}
    if not topic.strip():
        problems["topic"] = ["请填写事项"]
    if not description.strip():
        problems["description"] = ["请说明情况"]
    if overseas and not country.strip():
        problems["country"] = ["海外纠纷请填写国家或地区"]
    if problems:
        raise ValidationError(problems)
    request = AssistanceRequest.objects.create(organization=actor.organization, overseas=overseas,
                                               country=country.strip()[:50], topic=topic.strip()[:200],
                                               description=description.strip(), submitted_by=actor,
                                               submitted_at=clock.now())
    audit_record(actor=actor, action="protection.assistance.request", obj=request, after={"topic": request.topic})
    return request


@transaction.atomic
def assistance_step(*, actor, request: AssistanceRequest, action: str, text: str = "",
                    category: str = "") -> AssistanceRequest:
    require_perm(actor, Perm.ASSISTANCE_HANDLE)

    def apply(request: AssistanceRequest, transition: Transition) -> None:
        if (action == "triage" or category) and category not in CATEGORIES:
            raise ValidationError({"category": [f"分类应为：{'、'.join(CATEGORIES)}"]})
        if action in ("guide", "refer") and not text.strip():
            raise ValidationError({"text": ["请填写指导意见或转办说明"]})
        if category:
            request.category = category
        if text.strip():
            request.records = [*request.records, {"day": clock.today().isoformat(), "text": text.strip(),
                                                  "by": actor.display_name}]

    return workflow_step(request, workflow=ASSISTANCE, action=action, actor=actor, parties={OFFICE}, apply=apply)


@transaction.atomic
def cooperation_record(*, actor, kind: str, title: str, partners: str, started_on: dt.date,
                       ended_on: dt.date | None = None, units: list[Organization] = (),
                       cases: list[EnforcementCase] = (), summary: str = "") -> CooperationRecord:
    require_perm(actor, Perm.MARKET_MANAGE)
    problems = {}
    if kind not in CooperationRecord.Kind.values:
        problems["kind"] = ["请选择类型"]
    if not title.strip() or not partners.strip():
        problems["title"] = ["请填写名称和协作方"]
    if ended_on is not None and ended_on < started_on:
        problems["ended_on"] = ["结束日期不能早于开始日期"]
    if kind == CooperationRecord.Kind.JOINT_OPERATION and len(units) < 2:
        problems["units"] = ["联合执法行动须有两个以上参加单位"]
    if problems:
        raise ValidationError(problems)
    record = CooperationRecord.objects.create(kind=kind, title=title.strip()[:200], partners=partners.strip()[:300],
                                              started_on=started_on, ended_on=ended_on, summary=summary.strip(),
                                              recorded_by=actor)
    record.units.set(units)
    record.cases.set(cases)
    audit_record(actor=actor, action="protection.cooperation.record", obj=record, after={"title": record.title})
    return record


@transaction.atomic
def market_create(*, actor, name: str, level: str) -> StandardizedMarket:
    require_perm(actor, Perm.MARKET_MANAGE)
    if not name.strip() or level not in StandardizedMarket.Level.values:
        raise ValidationError({"name": ["请填写市场名称并选择级别"]})
    market = StandardizedMarket.objects.create(name=name.strip()[:200], level=level,
                                               checklist=dict.fromkeys(CHECKLIST, False), created_at=clock.now())
    audit_record(actor=actor, action="protection.market.create", obj=market, after={"name": market.name})
    return market


@transaction.atomic
def market_check(*, actor, market: StandardizedMarket, items: dict[str, bool]) -> StandardizedMarket:
    require_perm(actor, Perm.MARKET_MANAGE)
    unknown = set(items) - set(CHECKLIST)
    if unknown:
        raise ValidationError({"items": [f"未知的评价指标：{'、'.join(sorted(unknown))}"]})
    market.checklist = {**market.checklist, **{k: bool(v) for k, v in items.items()}}
    market.save(update_fields=["checklist"])
    audit_record(actor=actor, action="protection.market.check", obj=market, after=market.checklist)
    return market


# Who recognizes a standardized market: the city's IP office for a city-level one, CNIPA for a national one.
AUTHORITIES = {StandardizedMarket.Level.CITY: "天津市知识产权局", StandardizedMarket.Level.NATIONAL: "国家知识产权局"}
_AUTHORITY_MARKS = {StandardizedMarket.Level.CITY: "天津市", StandardizedMarket.Level.NATIONAL: "国家"}
EARLIEST = dt.date(2000, 1, 1)


def _text(problems: dict, field: str, value: str, label: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        problems[field] = [f"请填写{label}"]
    elif problem := text_problem(value, multiline=False, max_length=max_length):
        problems[field] = [f"{label}{problem}"]
    return value


@transaction.atomic
def market_recognition_record(*, actor, market: StandardizedMarket, authority: str, document_number: str,
                              recognized_on: dt.date) -> StandardizedMarket:
    """Record the recognition the city (天津市知识产权局) or national authority (国家知识产权局) made: the district
    office does not recognize a market itself. Counted against the plan's 5 city and 1 national markets by the
    recognition's date."""
    require_perm(actor, Perm.MARKET_MANAGE)
    market = StandardizedMarket.objects.select_for_update().get(pk=market.pk)
    if market.approved_on is not None:
        raise ValidationError(f"该市场已登记认定：{market.authority or '认定机关未登记'}"
                              f"{market.document_number}（{market.approved_on.isoformat()}）")
    problems: dict[str, list[str]] = {}
    authority = _text(problems, "authority", authority, "认定机关", 200)
    document_number = _text(problems, "document_number", document_number, "认定文号", 100)
    level_label = market.get_level_display()
    if "authority" not in problems and _AUTHORITY_MARKS[market.level] not in authority:
        problems["authority"] = [f"{level_label}规范化市场由{AUTHORITIES[market.level]}认定，认定机关应为"
                                 f"{'天津市的知识产权管理部门' if market.level == StandardizedMarket.Level.CITY else '国家知识产权局'}"
                                 f"（区知识产权办公室只登记认定结果）"]
    today = clock.today()
    if not isinstance(recognized_on, dt.date) or not EARLIEST <= recognized_on <= today:
        problems["recognized_on"] = [f"认定日期应在 {EARLIEST.isoformat()} 至今天（{today.isoformat()}）之间"]
    if problems:
        raise ValidationError(problems)
    market.approved_on, market.authority, market.document_number = recognized_on, authority, document_number
    market.recorded_by, market.recorded_at = actor, clock.now()
    market.save(update_fields=["approved_on", "authority", "document_number", "recorded_by", "recorded_at"])
    audit_record(actor=actor, action="protection.market.recognition", obj=market,
                 after={"authority": authority, "document_number": document_number, "recognized_on": recognized_on})
    return market
