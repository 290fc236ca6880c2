"""The pilot's evaluation report: every indicator's target, actual and status, each key task's completion, and the
office's highlights, problems and next steps (drafted from the data, edited before release), as .docx and PDF."""

import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ipcity import clock
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.plan.core.supervision import State
from ipcity.plan.models import EvaluationReport, WorkItem
from ipcity.plan.selectors import task_list
from ipcity.stats.selectors import indicator_table
from ipcity.web.spreadsheets import DocxReport, paragraph_markup

CJK_FONT = "STSong-Light"  # one of reportlab's built-in CID fonts: Chinese renders with no font file
pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
EDITABLE = ("highlights", "problems", "next_steps")


def _period(report) -> tuple[dt.date, dt.date]:
    if report.kind == EvaluationReport.Kind.ANNUAL:
        return dt.date(report.year, 1, 1), dt.date(report.year, 12, 31)
    return report.plan.period_start, report.plan.period_end


def report_content(report: EvaluationReport) -> dict:
    """The figures of the report, always read fresh from the data as of the report's date."""
    start, end = _period(report)
    rows = indicator_table(plan=report.plan, as_of=report.as_of)
    tasks = []
    for task in task_list(plan=report.plan):
        items = WorkItem.objects.filter(task=task, deadline__range=(start, end)).exclude(state=State.DRAFT)
        total, closed = items.count(), items.filter(state=State.CLOSED).count()
        tasks.append({"task": task, "total": total, "closed": closed,
                      "rate": round(closed * 100 / total, 1) if total else None})
    return {"indicators": rows, "tasks": tasks}


def _draft_texts(content: dict) -> dict:
    met = [r["indicator"].name for r in content["indicators"] if r["status"].value == "met"]
    behind = [r["indicator"].name for r in content["indicators"] if r["status"].value in ("not_met", "in_progress")]
    no_data = [r["indicator"].name for r in content["indicators"] if r["status"].value == "no_data"]
    lagging = [f"{t['task'].number}.{t['task'].title}" for t in content["tasks"] if t["rate"] is not None and t["rate"] < 60]
    return {
        "highlights": f"已达标指标{len(met)}项：{'、'.join(met) or '无'}。",
        "problems": (f"尚未达标指标{len(behind)}项：{'、'.join(behind) or '无'}。"
                     + (f"暂无数据指标{len(no_data)}项：{'、'.join(no_data)}。" if no_data else "")
                     + (f"事项办结率低于60%的重点任务：{'、'.join(lagging)}。" if lagging else "")),
        "next_steps": "针对未达标指标和进度滞后的重点任务，逐项明确责任单位和完成时限，纳入督办。",
    }


@transaction.atomic
def evaluation_draft(*, actor, plan, kind: str, year: int | None = None, as_of: dt.date | None = None) -> EvaluationReport:
    require_perm(actor, Perm.SUPERVISION_MANAGE)
    if kind not in EvaluationReport.Kind.values:
        raise ValidationError({"kind": ["应为 final 或 annual"]})
    if kind == EvaluationReport.Kind.ANNUAL and (year is None or not plan.period_start.year <= year <= plan.period_end.year):
        raise ValidationError({"year": [f"年度报告须指定试点期内的年度（{plan.period_start.year}～{plan.period_end.year}）"]})
    report = EvaluationReport(plan=plan, kind=kind, year=year if kind == EvaluationReport.Kind.ANNUAL else None,
                              as_of=min(as_of or clock.today(), clock.today()), created_by=actor, created_at=clock.now())
    for field, text in _draft_texts(report_content(report)).items():
        setattr(report, field, text)
    report.save()
    audit_record(actor=actor, action="evaluation.draft", obj=report, after={"kind": kind, "year": year, "as_of": report.as_of})
    return report


@transaction.atomic
def evaluation_update(*, actor, report: EvaluationReport, **texts) -> EvaluationReport:
    require_perm(actor, Perm.SUPERVISION_MANAGE)
    if report.released_at is not None:
        raise ValidationError("报告已发布，不能再修改；如需修改请重新生成草稿")
    unknown = set(texts) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"不可修改的部分：{'、'.join(sorted(unknown))}")
    before = {k: getattr(report, k) for k in texts}
    for field, text in texts.items():
        setattr(report, field, text.strip())
    report.save(update_fields=list(texts))
    audit_record(actor=actor, action="evaluation.update", obj=report, before=before, after=texts)
    return report


@transaction.atomic
def evaluation_release(*, actor, report: EvaluationReport) -> EvaluationReport:
    require_perm(actor, Perm.SUPERVISION_MANAGE)
    if report.released_at is not None:
        raise ValidationError("报告已发布")
    report.released_at = clock.now()
    report.save(update_fields=["released_at"])
    audit_record(actor=actor, action="evaluation.release", obj=report)
    return report


def _indicator_rows(content) -> list[list[str]]:
    rows = []
    for row in content["indicators"]:
        latest = row["latest"]
        value = "暂无数据" if latest is None else format(latest.value.normalize(), "f")
        rows.append([row["indicator"].name, row["indicator"].target_display, value, row["status"].label])
    return rows


def _task_rows(content) -> list[list[str]]:
    return [[f"{t['task'].number}.{t['task'].title}", str(t["total"]), str(t["closed"]),
             "—" if t["rate"] is None else f"{t['rate']}%"] for t in content["tasks"]]


def evaluation_docx(report: EvaluationReport) -> bytes:
    content = report_content(report)
    document = DocxReport()
    document.heading(report.title, level=0, align="center")
    document.paragraph(f"依据：{report.plan.title}（{report.plan.document_number}）    数据截至：{report.as_of:%Y年%m月%d日}"
                           + ("" if report.released_at else "    【草稿】"))
    for heading, header, rows in (("一、指标完成情况", ["指标", "目标", "实际", "状态"], _indicator_rows(content)),
                                  ("二、重点任务完成情况", ["重点任务", "事项数", "已办结", "办结率"], _task_rows(content))):
        document.heading(heading, level=1)
        document.table(header, rows)
    for heading, text in (("三、主要成效", report.highlights), ("四、存在问题", report.problems),
                          ("五、下一步工作", report.next_steps)):
        document.heading(heading, level=1)
        document.paragraph(text or "—")
    return document.bytes()


def evaluation_pdf(report: EvaluationReport) -> bytes:
    content = report_content(report)
    title = ParagraphStyle("title", fontName=CJK_FONT, fontSize=16, leading=22, alignment=1, wordWrap="CJK")
    heading = ParagraphStyle("heading", fontName=CJK_FONT, fontSize=12, leading=18, spaceBefore=8, wordWrap="CJK")
    body = ParagraphStyle("body", fontName=CJK_FONT, fontSize=9.5, leading=14, wordWrap="CJK")
    story = [Paragraph(paragraph_markup(report.title), title), Spacer(1, 4 * mm),
             Paragraph(paragraph_markup(f"依据：{report.plan.title}（{report.plan.document_number}）　数据截至：{report.as_of:%Y年%m月%d日}"
                       + ("" if report.released_at else "　【草稿】")), body)]
    for text, header, rows, widths in (
            ("一、指标完成情况", ["指标", "目标", "实际", "状态"], _indicator_rows(content), [70, 45, 30, 25]),
            ("二、重点任务完成情况", ["重点任务", "事项数", "已办结", "办结率"], _task_rows(content), [110, 20, 20, 20])):
        story.append(Paragraph(paragraph_markup(text), heading))
        table = Table([[Paragraph(paragraph_markup(c), body) for c in r] for r in [header, *rows]], colWidths=[w * mm for w in widths],
                      repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef0f3")),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(table)
    for text, value in (("三、主要成效", report.highlights), ("四、存在问题", report.problems), ("五、下一步工作", report.next_steps)):
        story += [Paragraph(paragraph_markup(text), heading), Paragraph(paragraph_markup(value or "—").replace("\n", "<br/>"), body)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=report.title, leftMargin=18 * mm, rightMargin=18 * mm).build(story)
    return buffer.getvalue()
