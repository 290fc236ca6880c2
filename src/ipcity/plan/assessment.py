"""Assessment of responsible units: reads the supervision records, scores with the year's scheme, ranks, and
writes the bulletin (通报) as .docx. The rules live in plan/core/assessment.py."""

import datetime as dt
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min, Q
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from ipcity import clock
from ipcity.accounts.permissions import has_perm, require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.plan.core import assessment as rules
from ipcity.plan.core.supervision import State
from ipcity.plan.models import AssessmentScheme, OfficeRating, WorkItem
from ipcity.stats.selectors import indicator_table


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


def unit_scores(*, user, plan, year: int, as_of: dt.date | None = None) -> list[rules.UnitScore]:
    if not (has_perm(user, Perm.SUPERVISION_MANAGE) or has_perm(user, Perm.SUPERVISION_WORK)):
        raise PermissionDenied("缺少权限：plan.supervision")
    as_of = as_of or clock.today()
    statuses = {row["indicator"].pk: row["status"].value for row in indicator_table(plan=plan, as_of=as_of)}
    items = (WorkItem.objects.filter(task__plan=plan, year=year).exclude(state=State.DRAFT)
             .select_related("unit").prefetch_related("indicators")
             .annotate(first_reported=Min("history__at", filter=Q(history__action="report"))))
    by_unit: dict = {}
    for item in items:
        by_unit.setdefault(item.unit, []).append(item)
    ratings = {r.unit_id: float(r.score) for r in OfficeRating.objects.filter(year=year)}
    weights = weights_for(year)
    scores = []
    for unit, unit_items in by_unit.items():
        facts = [rules.ItemFacts(i.deadline, clock.localdate(i.first_reported) if i.first_reported else None,
                                 i.state == State.CLOSED) for i in unit_items]
        indicator_ids = {ind.pk for i in unit_items for ind in i.indicators.all()}
        score = rules.score_unit(unit=unit.name, items=facts, indicator_statuses=[statuses[i] for i in indicator_ids],
                                 office_rating=ratings.get(unit.pk), weights=weights, as_of=as_of)
        scores.append(score)
    return rules.rank(scores)


def bulletin_docx(*, user, plan, year: int, as_of: dt.date | None = None) -> bytes:
    require_perm(user, Perm.SUPERVISION_MANAGE)
    scores = unit_scores(user=user, plan=plan, year=year, as_of=as_of)
    document = Document()
    heading = document.add_heading(f"关于{plan.region}知识产权强市建设试点工作{year}年度考核情况的通报", level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("区知识产权工作领导小组各成员单位：")
    document.add_paragraph(
        f"根据{plan.title}（{plan.document_number}）和考核评价制度，领导小组办公室对各责任单位{year}年度重点任务"
        f"推进情况进行了考核（截至{(as_of or clock.today()):%Y年%m月%d日}）。现将结果通报如下。")
    table = document.add_table(rows=1, cols=2 + len(rules.COMPONENT_LABELS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["名次", "单位", *rules.COMPONENT_LABELS.values()], strict=False):
        cell.text = text
    for score in scores:
        cells = table.add_row().cells
        values = [str(score.rank), score.unit] + [
            "—" if score.components[k] is None else f"{score.components[k] * 100:.0f}%" for k in rules.COMPONENT_LABELS]
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    lagging = [s for s in scores if s.total < 60]
    document.add_paragraph(
        ("以下单位得分低于60分，请于十个工作日内向领导小组办公室书面说明原因和整改措施：" + "、".join(s.unit for s in lagging) + "。")
        if lagging else "各单位得分均不低于60分。请各单位对照通报查漏补缺，确保试点各项任务落实到位。")
    document.add_paragraph("总分：" + "；".join(f"{s.unit} {s.total:g}" for s in scores) + "。" if scores else "本年度尚无交办事项。")
    document.add_paragraph("区知识产权工作领导小组办公室").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
