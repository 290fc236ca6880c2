"""The pilot's evaluation report (终期评估报告, or a year's 年度评估报告), in the structure assessors use:

一、基本情况 (the office's text, drafted from the plan: period, leading group, units)
二、目标完成情况 (every indicator for every pilot year of the report: the official value as of 31 December, the
    target, 完成 / 未完成 with the reason, 待核定 where a unit's figure is not yet confirmed, 无数据 with the reason)
三、重点任务完成情况 (every key task: its work items, and the records of the modules that carry it, year by year)
四、保障措施落实情况 (the plan's four safeguards: leading group meetings and decisions, policy, funds, assessment)
五、特色亮点与典型案例, 六、存在问题, 七、下一步打算 (the office's text, drafted from the figures)

The figures are read fresh from the data whenever the report is shown or downloaded: an annual report for year Y
reads every value as of Y-12-31 (ipcity.stats.by_year), a final report the whole pilot. The office edits the texts
and the document's 发文机关, 文号 and 成文日期 while the report is a draft; released, it is frozen. Written as .docx and
PDF in the official document layout (GB/T 9704-2012, ipcity.web.official_document), from the same blocks.

A report never says 推进中: a year still running when the report is drafted is judged on the value so far (未完成,
with the date), since a report is the statement of that moment.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q, Sum

from ipcity import clock
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.inputs import object_or_404, text_problem
from ipcity.plan.core.schema import Comparison
from ipcity.plan.core.supervision import State
from ipcity.plan.models import (
    BudgetLine,
    Disbursement,
    EvaluationReport,
    FundUse,
    Interview,
    LeadingGroupMeeting,
    MeetingDecision,
    WorkItem,
)
from ipcity.plan.task_modules import task_modules
from ipcity.stats.by_year import indicator_years, pilot_years
from ipcity.stats.reports import DOCX_TYPE
from ipcity.web.official_document import OfficialDocument, chinese_date, document_number_problem, organ_name
from ipcity.web.uploads import attachment_store, upload_path

TEXTS = ("overview", "highlights", "problems", "next_steps")  # the office's sections
FIELDS = ("document_number", "issuer", "written_on")  # the document's own particulars
EDITABLE = TEXTS + FIELDS
LABELS = {"overview": "基本情况", "highlights": "特色亮点与典型案例", "problems": "存在问题", "next_steps": "下一步打算",
          "document_number": "文号", "issuer": "发文机关", "written_on": "成文日期"}
WRITTEN_ON_AHEAD_DAYS = 60  # a document may be dated a little ahead of today (signed on a planned day), no further
LAGGING_RATE = 60  # a task whose work items are closed below this share is named in the drafted problems

VERDICT_MET, VERDICT_NOT_MET, VERDICT_PENDING, VERDICT_NO_DATA, VERDICT_NO_TARGET = (
    "完成", "未完成", "待核定", "无数据", "不设年度目标")


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _amount(value: Decimal | None) -> str:
    """Yuan as 万元 with two decimals, the way a report states money."""
    return f"{(value or Decimal(0)) / Decimal(10000):.2f}万元"


# ---------------------------------------------------------------- 二、目标完成情况

@dataclass(frozen=True)
class Attainment:
    """One indicator in one year as the report states it."""

    year: int
    target: str  # e.g. ≥ 10件, 高于上年, 不设年度目标
    value: str  # the official value with its unit, 待核定 or 无数据
    verdict: str  # 完成 | 未完成 | 待核定 | 无数据 | 不设年度目标
    reason: str  # why not completed, why pending, why no data; empty when completed
    bucket: str  # met | not_met | pending | no_target (无数据 counts as not_met)


def _target_text(indicator, yv) -> str:
    if indicator.comparison == Comparison.INCREASE:
        return "高于上年"
    if yv.target is None:
        return VERDICT_NO_TARGET
    return f"≥{_number(yv.target)}{indicator.unit}"


def attainment(indicator, yv, previous=None) -> Attainment:
    """The report's statement of a YearValue (ipcity.stats.by_year): never 推进中, never a silent 暂无数据."""
    unit = indicator.unit
    target = _target_text(indicator, yv)
    value = f"{_number(yv.official)}{unit}" if yv.official is not None else (
        VERDICT_PENDING if yv.pending else VERDICT_NO_DATA)
    code = yv.status_code
    running = yv.as_of > clock.today()
    so_far = f"截至{chinese_date(clock.today())}" if running else ""
    if code == "met":
        reason = f"较上年增加{_number(yv.official - previous.official)}{unit}" if (
            indicator.comparison == Comparison.INCREASE and previous is not None and previous.official is not None) else ""
        return Attainment(yv.year, target, value, VERDICT_MET, reason, "met")
    if code in ("not_met", "in_progress"):
        if indicator.comparison == Comparison.INCREASE:
            base = previous.official if previous is not None else None
            reason = f"{so_far}未高于上年（上年{_number(base)}{unit}）" if base is not None else f"{so_far}未高于上年"
        else:
            gap = yv.target - yv.official if yv.target is not None else None
            reason = (f"{so_far}{value}，低于目标{_number(yv.target)}{unit}"
                      + (f"，差{_number(gap)}{unit}" if gap is not None else ""))
        return Attainment(yv.year, target, value, VERDICT_NOT_MET, reason, "not_met")
    if code == "pending" or yv.pending:
        reported = yv.reported
        who = reported.reporting_unit.name if reported is not None and reported.reporting_unit_id else "责任单位"
        reason = f"{who}报送{_number(reported.value)}{unit}，尚待领导小组办公室核定" if reported is not None else \
            "尚待领导小组办公室核定"
        if yv.computed is not None:
            reason += f"；登记记录计算值{_number(yv.computed)}{unit}"
        return Attainment(yv.year, target, value, VERDICT_PENDING, reason, "pending")
    if code == "no_annual_target":
        return Attainment(yv.year, target, value, VERDICT_NO_TARGET,
                          f"方案目标为{indicator.deadline.year}年{indicator.target_display.replace(' ', '')}", "no_target")
    if code == "no_baseline":
        if previous is not None and previous.pending:
            return Attainment(yv.year, target, value, VERDICT_PENDING, "上年数值尚待核定，无法比较", "pending")
        return Attainment(yv.year, target, value, VERDICT_NOT_MET, "上年无核定数值，无法判断是否高于上年", "not_met")
    # no value at all
    reason = yv.computed_note or ("登记记录未覆盖该期间，且无责任单位报送" if not yv.covered else "无登记记录，且无责任单位报送")
    if not yv.covered and "报送" not in reason:
        reason += "；责任单位未报送"
    return Attainment(yv.year, target, value, VERDICT_NO_DATA, reason, "not_met")


def _indicator_rows(report: EvaluationReport, years: list[int]) -> list[dict]:
    rows = []
    for row in indicator_years(plan=report.plan, years=years):
        indicator, by_year = row["indicator"], row["years"]
        stated, previous = [], None
        for year in years:
            yv = by_year.get(year)
            if yv is None:
                continue
            stated.append(attainment(indicator, yv, previous))
            previous = yv
        judged_year = min(max(indicator.deadline.year, years[0]), years[-1]) if report.kind == "final" else years[-1]
        judged = next((a for a in stated if a.year == judged_year), stated[-1] if stated else None)
        rows.append({"indicator": indicator, "years": stated, "judged": judged})
    return rows


def _counts(rows: list[dict]) -> dict[str, int]:
    counts = {"met": 0, "not_met": 0, "pending": 0, "no_target": 0, "no_data": 0, "total": len(rows)}
    for row in rows:
        judged = row["judged"]
        counts[judged.bucket if judged else "not_met"] += 1
        if judged is None or judged.verdict == VERDICT_NO_DATA:
            counts["no_data"] += 1
    return counts


# ---------------------------------------------------------------- 三、重点任务完成情况

def _task_rows(report: EvaluationReport, years: list[int], as_of: dt.date) -> list[dict]:
    plan = report.plan
    items = (WorkItem.objects.filter(task__plan=plan, year__in=years).exclude(state=State.DRAFT)
             .values("task_id", "year")
             .annotate(total=Count("id", distinct=True),
                       closed=Count("id", distinct=True, filter=Q(state=State.CLOSED, history__action="close",
                                                                 history__at__date__lte=as_of))))
    by_task: dict[int, dict[int, tuple[int, int]]] = {}
    for entry in items:
        by_task.setdefault(entry["task_id"], {})[entry["year"]] = (entry["closed"], entry["total"])
    modules = task_modules(plan=plan, years=years)
    rows = []
    for task in plan.tasks.order_by("number"):
        work = {year: by_task.get(task.pk, {}).get(year, (0, 0)) for year in years}
        closed, total = sum(c for c, _ in work.values()), sum(t for _, t in work.values())
        rows.append({"task": task, "work": work, "closed": closed, "total": total,
                     "rate": round(closed * 100 / total, 1) if total else None,
                     "modules": modules.get(task.number, [])})
    return rows


def _overall_goal_facts(years: list[int]) -> list[str]:
    """The overall goals' figures that are not indicators: 知识产权保护社会满意度 from the platform's surveys and 南开's
    rank in 国家高新技术企业数量 among the central districts, each year of the report."""
    from ipcity.plan.ranking import high_tech_sentence
    from ipcity.plan.survey import satisfaction_sentence

    return [satisfaction_sentence(years), high_tech_sentence(years)]


# ---------------------------------------------------------------- 四、保障措施落实情况

def _organization(plan, years, as_of) -> list[str]:
    meetings = LeadingGroupMeeting.objects.filter(plan=plan, held_on__year__in=years, held_on__lte=as_of)
    decisions = MeetingDecision.objects.filter(meeting__in=meetings)
    per_year = []
    for year in years:
        in_year = meetings.filter(held_on__year=year)
        kinds = {row["kind"]: row["n"] for row in in_year.values("kind").annotate(n=Count("id"))}
        described = "、".join(f"{label}{kinds[kind]}次" for kind, label in LeadingGroupMeeting.Kind.choices if kinds.get(kind))
        per_year.append(f"{year}年{in_year.count()}次" + (f"（{described}）" if described else ""))
    assigned = decisions.filter(work_item__isnull=False)
    done = assigned.filter(work_item__state=State.CLOSED).count()
    return [f"召开区知识产权工作领导小组会议{meetings.count()}次：{'；'.join(per_year)}。"
            f"会议形成议定事项{decisions.count()}项，其中转为督办事项{assigned.count()}项、已办结{done}项。"]


def _policy(plan, years, as_of) -> list[str]:
    subsidies = Disbursement.objects.filter(line__use=FundUse.SPECIAL_SUBSIDIES, paid_on__year__in=years,
                                            paid_on__lte=as_of)
    per_year = []
    for year in years:
        in_year = subsidies.filter(paid_on__year=year).aggregate(n=Count("id"), total=Sum("amount"))
        per_year.append(f"{year}年{in_year['n']}笔、{_amount(in_year['total'])}")
    # the public service catalogue: the policies units can apply for
    from ipcity.services.models import ServiceItem

    items = ServiceItem.objects.filter(created_at__date__lte=as_of)
    # the policy library and 政策兑现 (ipcity.services.policies): policies issued by level, enterprises supported
    from ipcity.services.policies import LEVELS, policy_figures

    figures = policy_figures(years=years, as_of=as_of)
    issued = "；".join(f"{f['year']}年{f['issued_total']}项（"
                      + "、".join(f"{label}{f['issued'][level]}项" for level, label in LEVELS.items()) + "）"
                      for f in figures)
    supported = "；".join(f"{f['year']}年支持企业{f['enterprises']}家、兑现{f['awards']}笔、金额{_amount(f['amount'])}"
                          for f in figures)
    return [f"兑现知识产权专项资助政策：{'；'.join(per_year)}。"
            f"知识产权公共服务事项清单共{items.count()}项，均公开办事指南、网上可办{items.filter(online=True).count()}项。",
            f"政策库收录当年印发的知识产权政策：{issued}。政策兑现：{supported}。"]


def _funding(plan, years, as_of) -> list[str]:
    sentences = []
    for year in years:
        budget = BudgetLine.objects.filter(year=year).aggregate(total=Sum("amount"))["total"] or Decimal(0)
        paid = Disbursement.objects.filter(line__year=year, paid_on__lte=as_of)
        disbursed = paid.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        by_use = {row["line__use"]: row["total"] for row in paid.values("line__use").annotate(total=Sum("amount"))}
        uses = "、".join(f"{label}{_amount(by_use[use])}" for use, label in FundUse.choices if by_use.get(use))
        rate = f"，执行率{disbursed / budget * 100:.1f}%" if budget else ""
        sentences.append(f"{year}年安排知识产权专项资金预算{_amount(budget)}，已拨付{_amount(disbursed)}{rate}"
                         + (f"，用于{uses}" if uses else ""))
    return ["；".join(sentences) + "。"]


def _assessment(plan, years, as_of, user) -> list[str]:
    from ipcity.plan.assessment import unit_scores

    sentences = []
    for year in years:
        if dt.date(year, 1, 1) > as_of:
            continue
        scores = unit_scores(user=user, plan=plan, year=year, as_of=min(dt.date(year, 12, 31), as_of))
        assessed = [s for s in scores if s.total is not None]
        lagging = [s for s in assessed if getattr(s, "lagging", s.total < 60)]
        interviews = Interview.objects.filter(year=year, held_on__lte=as_of)
        accepted = interviews.filter(state=Interview.Rectification.ACCEPTED).count()
        sentences.append(f"{year}年度考核责任单位{len(assessed)}家，得分偏低的{len(lagging)}家；"
                         f"约谈{interviews.count()}次，整改完成{accepted}次")
    return ["按年度对责任单位重点任务推进情况进行考核并通报，对得分偏低的单位约谈督促整改：" + "；".join(sentences) + "。"]


SAFEGUARD_FACTS = {"organization": _organization, "policy": _policy, "funding": _funding, "assessment": _assessment}


def _safeguard_rows(report: EvaluationReport, years: list[int], as_of: dt.date, user) -> list[dict]:
    rows = []
    for safeguard in report.plan.safeguards.order_by("number"):
        facts = SAFEGUARD_FACTS.get(safeguard.code)
        if facts is None:
            paragraphs = ["平台未记录本项措施的落实数据。"]
        elif facts is _assessment:
            paragraphs = facts(report.plan, years, as_of, user or report.created_by)
        else:
            paragraphs = facts(report.plan, years, as_of)
        rows.append({"safeguard": safeguard, "paragraphs": paragraphs})
    return rows


# ---------------------------------------------------------------- the content

def report_years(report: EvaluationReport) -> list[int]:
    years = pilot_years(report.plan)
    if report.kind == EvaluationReport.Kind.ANNUAL:
        return [y for y in years if y <= report.year]
    return years


def report_as_of(plan, kind: str, year: int | None) -> dt.date:
    """An annual report reads its year's values as of 31 December; a final report the whole pilot. Neither reads
    beyond today."""
    end = dt.date(year, 12, 31) if kind == EvaluationReport.Kind.ANNUAL else plan.period_end
    return min(end, clock.today())


def report_content(report: EvaluationReport, *, user=None) -> dict:
    """The figures of the report, read fresh from the data as of the report's date."""
    years = report_years(report)
    as_of = report.as_of
    indicators = _indicator_rows(report, years)
    tasks = _task_rows(report, years, as_of)
    return {"years": years, "as_of": as_of, "judged_year": years[-1], "indicators": indicators,
            "counts": _counts(indicators), "overall_goals": _overall_goal_facts(years), "tasks": tasks,
            "safeguards": _safeguard_rows(report, years, as_of, user)}


def report_counts(report: EvaluationReport) -> dict[str, int]:
    """How many indicators the report finds met, not met, pending (and without a target that year); a released
    report's as they were released."""
    if report.released_counts is not None:
        return report.released_counts
    return _counts(_indicator_rows(report, report_years(report)))


def indicator_summary(report, content) -> str:
    c = content["counts"]
    scope = "试点期末" if report.kind == EvaluationReport.Kind.FINAL else f"{report.year}年度"
    text = (f"方案设定量化指标{c['total']}项。按{scope}核定数值（截至{chinese_date(content['as_of'])}），"
            f"完成{c['met']}项，未完成{c['not_met']}项" + (f"（其中无数据{c['no_data']}项）" if c["no_data"] else "")
            + f"，待核定{c['pending']}项")
    if c["no_target"]:
        text += f"，本年度不设年度目标{c['no_target']}项"
    return text + f"，合计{c['total']}项。各指标逐年情况见下表。"


def task_summary(content) -> str:
    total = sum(t["total"] for t in content["tasks"])
    closed = sum(t["closed"] for t in content["tasks"])
    return (f"方案部署重点任务{len(content['tasks'])}项。领导小组办公室分解交办工作事项{total}项，已办结{closed}项；"
            "各项任务依托平台相应业务模块开展工作，逐年工作量见下表（交办事项栏为已办结/交办数）。")


def _draft_texts(report: EvaluationReport, content: dict) -> dict:
    plan = report.plan
    members = plan.members.count()
    units = {a.unit_id for task in plan.tasks.all() for a in task.assignments.all()}
    issued = f"于{chinese_date(plan.issued_on)}" if plan.issued_on else ""
    overview = (
        f"{plan.issuer or plan.region}{issued}印发《{plan.title}》" + (f"（{plan.document_number}）" if plan.document_number else "")
        + f"，试点期为{plan.period_start.year}年{plan.period_start.month}月至{plan.period_end.year}年{plan.period_end.month}月。"
        f"成立{plan.leading_group_name}，办公室设在{plan.office_host.name}，成员单位{members}家。"
        f"方案设定{plan.goals.count()}个方面量化指标{plan.indicators.count()}项、重点任务{plan.tasks.count()}项、"
        f"保障措施{plan.safeguards.count()}项，明确责任单位{len(units)}家。")
    rows, counts = content["indicators"], content["counts"]
    met = [r["indicator"].name for r in rows if r["judged"] and r["judged"].bucket == "met"]
    not_met = [r["indicator"].name + (f"（{r['judged'].reason}）" if r["judged"] and r["judged"].verdict == VERDICT_NOT_MET
                                      else "（无数据）") for r in rows
               if r["judged"] is None or r["judged"].bucket == "not_met"]
    pending = [r["indicator"].name for r in rows if r["judged"] and r["judged"].bucket == "pending"]
    busiest = sorted(((sum(m.counts.values()), m.label, m.unit_label) for t in content["tasks"] for m in t["modules"]),
                     reverse=True)
    seen, leading = set(), []
    for count, label, unit in busiest:
        if count and label not in seen:
            seen.add(label)
            leading.append(f"{label}{count}{unit}")
        if len(leading) == 5:
            break
    lagging = [f"{t['task'].number}.{t['task'].title}" for t in content["tasks"]
               if t["rate"] is not None and t["rate"] < LAGGING_RATE]
    return {
        "overview": overview,
        "highlights": (f"完成指标{counts['met']}项：{'、'.join(met) or '无'}。"
                       + (f"依托平台开展的主要工作：{'、'.join(leading)}。" if leading else "")),
        "problems": (f"未完成指标{counts['not_met']}项：{'；'.join(not_met) or '无'}。"
                     + (f"待核定指标{counts['pending']}项：{'、'.join(pending)}。" if pending else "")
                     + (f"交办事项办结率低于{LAGGING_RATE}%的重点任务：{'、'.join(lagging)}。" if lagging else "")),
        "next_steps": "针对未完成指标和进度滞后的重点任务，逐项明确责任单位和完成时限，纳入督办；"
                      "对待核定指标，督促责任单位补充佐证材料，由领导小组办公室逐项核定。",
    }


def default_issuer(plan) -> str:
    """The leading group office's full name (天津市南开区知识产权工作领导小组办公室)."""
    return organ_name(plan.region, plan.leading_group_office.name)


# ---------------------------------------------------------------- reads (the office prepares the reports)

def evaluation_report_list(*, user, plan):
    require_perm(user, Perm.SUPERVISION_MANAGE)
    return EvaluationReport.objects.filter(plan=plan).select_related("plan")


def evaluation_report_get(*, user, pk) -> EvaluationReport:
    require_perm(user, Perm.SUPERVISION_MANAGE)
    return object_or_404(EvaluationReport.objects.select_related("plan"), "没有这份评估报告", pk=pk)


# ---------------------------------------------------------------- services

@transaction.atomic
def evaluation_draft(*, actor, plan, kind: str, year: int | None = None) -> EvaluationReport:
    require_perm(actor, Perm.SUPERVISION_MANAGE)
    if kind not in EvaluationReport.Kind.values:
        raise ValidationError({"kind": ["报告类型应为终期评估报告或年度评估报告"]})
    if kind == EvaluationReport.Kind.ANNUAL and (year is None or not plan.period_start.year <= year <= plan.period_end.year):
        raise ValidationError({"year": [f"年度报告须指定试点期内的年度（{plan.period_start.year}～{plan.period_end.year}）"]})
    if kind == EvaluationReport.Kind.ANNUAL and dt.date(year, 1, 1) > clock.today():
        raise ValidationError({"year": [f"{year}年尚未开始，不能生成该年度报告"]})
    report = EvaluationReport(plan=plan, kind=kind, year=year if kind == EvaluationReport.Kind.ANNUAL else None,
                              as_of=report_as_of(plan, kind, year), issuer=default_issuer(plan)[:100],
                              created_by=actor, created_at=clock.now())
    for field, text in _draft_texts(report, report_content(report, user=actor)).items():
        setattr(report, field, text)
    report.save()
    audit_record(actor=actor, action="evaluation.draft", obj=report, after={"kind": kind, "year": year, "as_of": report.as_of})
    return report


def _clean(report: EvaluationReport, changes: dict) -> dict:
    """The changes as stored values, or a ValidationError naming each field that is wrong (nothing is written)."""
    problems: dict[str, list[str]] = {}
    clean: dict = {}
    for field, value in changes.items():
        label = LABELS[field]
        if field == "written_on":
            if value in (None, ""):
                clean[field] = None
                continue
            if not isinstance(value, dt.date):
                problems[field] = [f"{label}应为有效日期（如 2026-12-20）"]
                continue
            earliest, latest = report.as_of, clock.today() + dt.timedelta(days=WRITTEN_ON_AHEAD_DAYS)
            if not earliest <= value <= latest:
                problems[field] = [f"{label}应在数据截至日（{earliest:%Y-%m-%d}）之后、"
                                   f"今天起{WRITTEN_ON_AHEAD_DAYS}天以内（{latest:%Y-%m-%d}）"]
                continue
            clean[field] = value
            continue
        if not isinstance(value, str):
            problems[field] = [f"{label}应为文字"]
            continue
        text = value.strip()
        if field in TEXTS:
            problem = text_problem(text)
        else:
            limit = EvaluationReport._meta.get_field(field).max_length
            problem = text_problem(text, multiline=False, max_length=limit)
        if problem:
            problems[field] = [f"{label}{problem}"]
            continue
        if field == "document_number":
            problem = document_number_problem(text, latest_year=clock.today().year + 1)
            if problem:
                problems[field] = [problem]
                continue
        clean[field] = text
    if problems:
        raise ValidationError(problems)
    return clean


@transaction.atomic
def evaluation_update(*, actor, report: EvaluationReport, **changes) -> EvaluationReport:
    """The office's texts (基本情况, 特色亮点与典型案例, 存在问题, 下一步打算) and the document's 文号, 发文机关 and
    成文日期, while the report is a draft."""
    require_perm(actor, Perm.SUPERVISION_MANAGE)
    report = EvaluationReport.objects.select_for_update().get(pk=report.pk)
    if report.released_at is not None:
        raise ValidationError("报告已发布，不能再修改；如需修改请重新生成草稿")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"不可修改的部分：{'、'.join(sorted(unknown))}")
    clean = _clean(report, changes)
    before = {k: getattr(report, k) for k in clean}
    for field, value in clean.items():
        setattr(report, field, value)
    if clean:
        report.save(update_fields=list(clean))
        audit_record(actor=actor, action="evaluation.update", obj=report, before=before, after=clean)
    return report


@transaction.atomic
def evaluation_release(*, actor, report: EvaluationReport) -> EvaluationReport:
    require_perm(actor, Perm.SUPERVISION_MANAGE)
    report = EvaluationReport.objects.select_for_update().get(pk=report.pk)
    if report.released_at is not None:
        raise ValidationError("报告已发布")
    report.released_at = clock.now()
    report.released_docx = _stored(evaluation_docx(report, user=actor), f"{report.title}.docx", actor)
    report.released_pdf = _stored(evaluation_pdf(report, user=actor), f"{report.title}.pdf", actor)
    report.released_counts = report_counts(report)
    report.save(update_fields=["released_at", "released_docx", "released_pdf", "released_counts"])
    audit_record(actor=actor, action="evaluation.release", obj=report,
                 after={"docx_sha256": report.released_docx.sha256, "pdf_sha256": report.released_pdf.sha256})
    return report


def _stored(body: bytes, name: str, actor):
    return attachment_store(uploaded_file=ContentFile(body, name=name), actor=actor, counts_to_quota=False)


# ---------------------------------------------------------------- the document

def _indicator_table(content) -> list[list]:
    rows = []
    for number, row in enumerate(content["indicators"], start=1):
        indicator = row["indicator"]
        for i, a in enumerate(row["years"]):
            rows.append([str(number) if i == 0 else None, indicator.name if i == 0 else None, f"{a.year}年",
                         a.target, a.value, a.verdict, a.reason])
    return rows


def _task_table(content) -> list[list]:
    years = content["years"]
    rows = []
    for t in content["tasks"]:
        name = f"{t['task'].number}.{t['task'].title}"
        rows.append([name, "交办事项（已办结/交办，项）", *(f"{t['work'][y][0]}/{t['work'][y][1]}" for y in years),
                     f"{t['closed']}/{t['total']}"])
        for m in t["modules"]:
            rows.append([None, f"{m.label}（{m.unit_label}）", *(str(m.counts.get(y, 0)) for y in years),
                         str(sum(m.counts.get(y, 0) for y in years))])
    return rows


def evaluation_document(report: EvaluationReport, *, user=None, content: dict | None = None) -> OfficialDocument:
    """The report as an official document's blocks; .docx() and .pdf() write the same blocks."""
    content = content or report_content(report, user=user)
    plan = report.plan
    years = content["years"]
    doc = OfficialDocument(title=report.title, issuer=report.issuer, document_number=report.document_number,
                           written_on=report.written_on, draft=report.released_at is None)
    period = (f"{report.year}年度" if report.kind == EvaluationReport.Kind.ANNUAL else
              f"{plan.period_start.year}年{plan.period_start.month}月至{plan.period_end.year}年{plan.period_end.month}月试点期间")
    doc.paragraph(f"根据《{plan.title}》" + (f"（{plan.document_number}）" if plan.document_number else "")
                  + f"，领导小组办公室对照方案确定的目标任务，依据平台登记记录和各责任单位报送并经核定的数据，"
                  f"对{period}知识产权强市建设试点工作进行了评估，数据截至{chinese_date(content['as_of'])}。现将有关情况报告如下。")
    doc.heading("一、基本情况", 1)
    doc.paragraph(report.overview or "无。")
    doc.heading("二、目标完成情况", 1)
    doc.paragraph(indicator_summary(report, content))
    doc.table(["序号", "指标", "年度", "目标", "核定值", "完成情况", "说明"], _indicator_table(content),
              widths=[22, 80, 50, 62, 50, 56, 122], size=10.5)
    for text in content.get("overall_goals", ()):
        doc.paragraph(text)
    doc.heading("三、重点任务完成情况", 1)
    doc.paragraph(task_summary(content))
    doc.table(["重点任务", "工作内容", *(f"{y}年" for y in years), "合计"], _task_table(content),
              widths=[92, 150, *(50 for _ in years), 50], size=10.5)
    doc.heading("四、保障措施落实情况", 1)
    for entry in content["safeguards"]:
        doc.heading(f"（{entry['safeguard'].numeral}）{entry['safeguard'].title}", 2)
        for text in entry["paragraphs"]:
            doc.paragraph(text)
    for number, field in (("五", "highlights"), ("六", "problems"), ("七", "next_steps")):
        doc.heading(f"{number}、{LABELS[field]}", 1)
        doc.paragraph(getattr(report, field) or "无。")
    return doc


def evaluation_docx(report: EvaluationReport, *, user=None) -> bytes:
    return evaluation_document(report, user=user).docx()


def evaluation_pdf(report: EvaluationReport, *, user=None) -> bytes:
    return evaluation_document(report, user=user).pdf()


DOCUMENT_TYPES = {"docx": DOCX_TYPE, "pdf": "application/pdf"}


def evaluation_file(report: EvaluationReport, fmt: str, *, user) -> tuple[bytes, str]:
    """The report as a file: a released report's documents as they were released, a draft's made from the data now."""
    if fmt not in DOCUMENT_TYPES:
        raise ValidationError("文件格式应为 Word（docx）或 PDF（pdf）")
    released = report.released_docx if fmt == "docx" else report.released_pdf
    if released is not None:
        return upload_path(released.stored_name).read_bytes(), DOCUMENT_TYPES[fmt]
    body = evaluation_docx(report, user=user) if fmt == "docx" else evaluation_pdf(report, user=user)
    return body, DOCUMENT_TYPES[fmt]
