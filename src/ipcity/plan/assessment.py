"""Assessment of responsible units: reads the supervision records, scores with the year's scheme, ranks, and
writes the bulletin (通报) as .docx. The rules live in plan/core/assessment.py."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min, Q, QuerySet

from ipcity import clock
from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import has_perm, require_perm, scoped
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.inputs import object_or_404
from ipcity.plan.core import assessment as rules
from ipcity.plan.core.schedule import Standing
from ipcity.plan.core.schema import ORG_TYPES
from ipcity.plan.core.supervision import State
from ipcity.plan.models import AssessmentScheme, AssessmentScope, Interview, OfficeRating, WorkItem
from ipcity.plan.supervision import report_standings, require_supervision_reader, supervision_settings
from ipcity.stats.selectors import indicator_table
from ipcity.web.official_document import document_number_problem, organ_name
from ipcity.web.spreadsheets import DocxReport
from ipcity.workflow.core import Workflow, step
from ipcity.workflow.services import workflow_step


def weights_for(year: int) -> dict[str, float]:
    scheme = AssessmentScheme.objects.filter(year=year).first()
    return scheme.weights if scheme else dict(rules.DEFAULT_WEIGHTS)


@transaction.atomic
def assessment_scheme_set(*, actor, year: int, weights: dict) -> AssessmentScheme:
    require_perm(actor, Perm.SUPERVISION_MANAGE)
    try:
        clean = {k: float(v) for k, v in weights.items()}
    except (TypeError, ValueError):
        raise ValidationError("权重应为数字") from None
    problems = rules.check_weights(clean)
    if problems:
        raise ValidationError(problems)
    before = weights_for(year)
    scheme = AssessmentScheme.objects.create(year=year, weights=clean, set_by=actor, set_at=clock.now())
    audit_record(actor=actor, action="assessment.scheme.set", obj=scheme, before=before, after=clean)
    return scheme


@transaction.atomic
def office_rating_set(*, actor, unit, year: int, score, note: str = "") -> OfficeRating:
    require_perm(actor, Perm.SUPERVISION_MANAGE)
    try:
        value = Decimal(str(score))
    except InvalidOperation:
        raise ValidationError({"score": ["评分应为数字"]}) from None
    if not (0 <= value <= 100):
        raise ValidationError({"score": ["评分应在0到100之间"]})
    existing = OfficeRating.objects.filter(unit=unit, year=year).first()
    before = {"score": existing.score if existing else None}
    rating, _ = OfficeRating.objects.update_or_create(
        unit=unit, year=year, defaults={"score": value, "note": note.strip(), "rated_by": actor, "rated_at": clock.now()})
    audit_record(actor=actor, action="assessment.office_rating.set", obj=rating, before=before,
                 after={"unit": unit.name, "year": year, "score": value})
    return rating


# ---- which units are ranked: the office's setting ----

DEFAULT_UNRANKED_TYPES = ("court_procuratorate",)  # until the office decides otherwise: courts and procuratorates


def responsible_units() -> QuerySet[Organization]:
    """The units the assessment can concern: government units, courts and procuratorates."""
    return Organization.objects.filter(org_type__in=ORG_TYPES).order_by("pk")


def unranked_units() -> list[Organization]:
    """The units the office leaves out of the ranking: the latest setting, or courts and procuratorates before any."""
    scope = AssessmentScope.objects.first()
    if scope is None:
        return list(responsible_units().filter(org_type__in=DEFAULT_UNRANKED_TYPES))
    return list(scope.unranked_units.order_by("pk"))


def assessment_scope_records(*, user) -> QuerySet[AssessmentScope]:
    """Every setting of the units left out of the ranking, newest first."""
    require_supervision_reader(user)
    return AssessmentScope.objects.select_related("set_by").prefetch_related("unranked_units").order_by("-set_at", "-id")


@transaction.atomic
def assessment_scope_set(*, actor, unit_ids: list[int]) -> AssessmentScope:
    """The office names the units not ranked (an empty list ranks every unit). Each change is a new row."""
    require_perm(actor, Perm.SUPERVISION_MANAGE)
    wanted = list(dict.fromkeys(unit_ids))
    if len(wanted) > responsible_units().count():
        raise ValidationError({"unranked_units": ["所选单位多于全部责任单位"]})
    units = {u.pk: u for u in responsible_units().filter(pk__in=wanted)}
    unknown = [str(pk) for pk in wanted if pk not in units]
    if unknown:
        raise ValidationError({"unranked_units": [f"以下编号不是责任单位：{'、'.join(unknown)}"]})
    before = [u.name for u in unranked_units()]
    scope = AssessmentScope.objects.create(set_by=actor, set_at=clock.now())
    scope.unranked_units.set(units.values())
    audit_record(actor=actor, action="assessment.scope.set", obj=scope, before={"unranked_units": before},
                 after={"unranked_units": [units[pk].name for pk in wanted]})
    return scope


def unit_scores(*, user, plan, year: int, as_of: dt.date | None = None) -> list[rules.UnitScore]:
    """Every responsible unit: scored when it has something to assess in the year, ranked unless the office leaves
    it out."""
    require_supervision_reader(user)
    as_of = as_of or clock.today()
    statuses = {row["indicator"].pk: row["status"].value for row in indicator_table(plan=plan, as_of=as_of)}
    items = (WorkItem.objects.filter(task__plan=plan, year=year).exclude(state=State.DRAFT)
             .select_related("unit").prefetch_related("indicators", "history", "reports")
             .annotate(first_reported=Min("history__at", filter=Q(history__action="report"))))
    config = supervision_settings()
    by_unit: dict = {}
    for item in items:
        by_unit.setdefault(item.unit, []).append(item)
    ratings = {r.unit_id: float(r.score) for r in OfficeRating.objects.filter(year=year)}
    weights = weights_for(year)
    scores = []
    for unit, unit_items in by_unit.items():
        facts = [rules.ItemFacts(i.deadline, clock.localdate(i.first_reported) if i.first_reported else None,
                                 i.state == State.CLOSED, _periodic_on_time(i, as_of, config)) for i in unit_items]
        indicator_ids = {ind.pk for i in unit_items for ind in i.indicators.all()}
        score = rules.score_unit(unit=unit.name, items=facts, indicator_statuses=[statuses[i] for i in indicator_ids],
                                 office_rating=ratings.get(unit.pk), weights=weights, as_of=as_of)
        scores.append(score)
    scored = {unit.pk for unit in by_unit}
    scores += [rules.nothing_to_assess(unit.name) for unit in responsible_units() if unit.pk not in scored]
    return rules.rank(scores, left_out={unit.name for unit in unranked_units()})


def _periodic_on_time(item, as_of: dt.date, config) -> tuple[bool, ...]:
    return tuple(s.standing == Standing.ON_TIME for s in report_standings(item, today=as_of, config=config)
                 if s.standing != Standing.OPEN)


def bulletin_docx(*, user, plan, year: int, as_of: dt.date | None = None, document_number: str = "") -> bytes:
    """The 通报 as an official document (GB/T 9704-2012): the office's 版头 with its 文号 when given, the member
    units as recipients, the office's signature and today's date as its 成文日期."""
    require_perm(user, Perm.SUPERVISION_MANAGE)
    scores = unit_scores(user=user, plan=plan, year=year, as_of=as_of)
    problem = document_number_problem(document_number, latest_year=clock.today().year + 1)
    if problem:
        raise ValidationError({"document_number": [problem]})
    document = DocxReport(issuer=organ_name(plan.region, plan.leading_group_office.name),
                          document_number=document_number, written_on=clock.today(),
                          recipient="区知识产权工作领导小组各成员单位：")
    document.heading(f"关于{plan.region}知识产权强市建设试点工作{year}年度考核情况的通报", level=0, align="center")
    document.paragraph(
        f"根据{plan.title}（{plan.document_number}）和考核评价制度，领导小组办公室对各责任单位{year}年度重点任务"
        f"推进情况进行了考核（截至{(as_of or clock.today()):%Y年%m月%d日}）。现将结果通报如下。")
    document.table(["名次", "单位", *rules.COMPONENT_LABELS.values(), "总分"], (
        [str(score.rank) if score.ranked else score.not_ranked_label, score.unit]
        + ["—" if score.components[k] is None else f"{score.components[k] * 100:.0f}%" for k in rules.COMPONENT_LABELS]
        + ["—" if score.total is None else f"{score.total:g}"] for score in scores))
    lagging = [s for s in scores if s.lagging]
    document.paragraph(
        (f"以下单位得分低于{rules.LAGGING_BELOW}分，请于十个工作日内向领导小组办公室书面说明原因和整改措施：" + "、".join(s.unit for s in lagging) + "。")
        if lagging else f"各单位得分均不低于{rules.LAGGING_BELOW}分。请各单位对照通报查漏补缺，确保试点各项任务落实到位。")
    ranked = [s for s in scores if s.ranked]
    document.paragraph("总分：" + "；".join(f"{s.unit} {s.total:g}" for s in ranked) + "。" if ranked else "本年度尚无参与排名的单位。")
    left_out = [s.unit for s in scores if s.not_ranked == rules.LEFT_OUT]
    if left_out:
        document.paragraph("根据领导小组办公室设定，" + "、".join(left_out) + "不参与排名，得分仅供参考。")
    idle = [s.unit for s in scores if s.not_ranked == rules.NOTHING_TO_ASSESS]
    if idle:
        document.paragraph("本年度无考核事项、不参与排名的单位：" + "、".join(idle) + "。")
    return document.bytes()  # the signature and 成文日期 close it (DocxReport)


# ---- 约谈: formal talks with lagging units and their rectification ----

def interview_list(*, user) -> QuerySet[Interview]:
    return scoped(user, Interview.objects.select_related("unit"), (
        (Perm.SUPERVISION_MANAGE, None), (Perm.SUPERVISION_WORK, "unit")), what="约谈记录")


def interview_get(*, user, pk: int) -> Interview:
    return object_or_404(interview_list(user=user), "约谈记录不存在或无权查看", pk=pk)


@transaction.atomic
def interview_record(*, actor, unit, year: int, held_on: dt.date, interviewer: str, interviewees: str, reason: str,
                     content: str, requirements: str, rectification_deadline: dt.date) -> Interview:
    require_perm(actor, Perm.SUPERVISION_MANAGE)
    required = {"interviewer": (interviewer, "约谈人"), "interviewees": (interviewees, "被约谈人"),
                "reason": (reason, "约谈事由"), "content": (content, "约谈内容"), "requirements": (requirements, "整改要求")}
    problems = {field: [f"请填写{label}"] for field, (value, label) in required.items() if not value.strip()}
    if held_on > clock.today():
        problems["held_on"] = ["约谈日期不能晚于今天"]
    if rectification_deadline < held_on:
        problems["rectification_deadline"] = ["整改时限不能早于约谈日期"]
    if problems:
        raise ValidationError(problems)
    interview = Interview.objects.create(
        unit=unit, year=year, held_on=held_on, interviewer=interviewer.strip()[:100],
        interviewees=interviewees.strip()[:200], reason=reason.strip(), content=content.strip(),
        requirements=requirements.strip(), rectification_deadline=rectification_deadline, recorded_by=actor,
        recorded_at=clock.now())
    audit_record(actor=actor, action="assessment.interview.record", obj=interview,
                 after={"unit": unit.name, "year": year, "held_on": held_on, "deadline": rectification_deadline})
    return interview


Rectification = Interview.Rectification
INTERVIEW = Workflow(
    name="assessment.interview", label="约谈整改", states=dict(Rectification.choices),
    parties={"unit": "被约谈单位", "office": "领导小组办公室"},
    transitions=(
        step("rectification_report", "报送整改情况", Rectification.RECTIFYING, Rectification.REPORTED, by="unit"),
        step("accept", "确认整改完成", Rectification.REPORTED, Rectification.ACCEPTED, by="office"),
        step("return", "退回整改", Rectification.REPORTED, Rectification.RECTIFYING, by="office"),
    ))


@transaction.atomic
def interview_rectification_report(*, actor, interview: Interview, text: str) -> Interview:
    """The interviewed unit reports what it has rectified; the office then accepts it or sends it back."""
    if not (has_perm(actor, Perm.SUPERVISION_WORK) and actor.organization_id == interview.unit_id):
        raise PermissionDenied("只有被约谈单位可以报送整改情况")

    def apply(locked: Interview, transition) -> None:
        if not text.strip():
            raise ValidationError({"text": ["请填写整改情况"]})
        locked.rectification_report, locked.reported_at = text.strip(), clock.now()

    return workflow_step(interview, workflow=INTERVIEW, action="rectification_report", actor=actor, parties={"unit"},
                         apply=apply)


@transaction.atomic
def interview_rectification_decide(*, actor, interview: Interview, accept: bool, note: str = "") -> Interview:
    require_perm(actor, Perm.SUPERVISION_MANAGE)

    def apply(locked: Interview, transition) -> dict:
        if not accept and not note.strip():
            raise ValidationError({"note": ["退回整改须说明理由"]})
        locked.office_note = note.strip()
        return {"note": locked.office_note}

    return workflow_step(interview, workflow=INTERVIEW, action="accept" if accept else "return", actor=actor,
                         parties={"office"}, apply=apply)
