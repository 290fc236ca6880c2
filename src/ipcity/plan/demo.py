"""Synthetic supervision records for the demo: work items for 2024–2026 on every task with named units, walked
through the workflow to plausible states (closed, returned, reported, overdue), so pages show a pilot in motion."""

import datetime as dt
import random

from ipcity import clock
from ipcity.accounts.models import User
from ipcity.plan.assessment import (
    interview_record,
    interview_rectification_decide,
    interview_rectification_report,
)
from ipcity.plan.core import schedule
from ipcity.plan.fund import budget_line_create, disbursement_record
from ipcity.plan.holidays import OFFICIAL, calendar_import, official_file
from ipcity.plan.meetings import decision_to_work_item, meeting_record
from ipcity.plan.models import CentralDistrict, KeyTask, SupervisionSettings, WorkPlan
from ipcity.plan.ranking import high_tech_record
from ipcity.plan.supervision import (
    progress_report_submit,
    reminders_send,
    supervision_settings,
    work_item_create,
    work_item_transition,
)
from ipcity.plan.survey import Kind, QuestionIn, survey_answer, survey_create, survey_transition

MILESTONES = ["制定年度工作方案", "完成阶段性任务并形成总结", "报送年度工作成效与典型案例"]
MEETING_DECISIONS = [
    (2, "science_technology", "围绕重点产业链启动产业规划类专利导航项目"),
    (7, "market_supervision", "组织开展知识产权执法“铁拳”专项行动"),
    (16, "market_supervision", "推动知识产权服务业集聚区引进品牌服务机构"),
]


# When each year's notice was imported: soon after the State Council published it.
HOLIDAY_IMPORTS = {2024: dt.date(2024, 1, 2), 2025: dt.date(2024, 11, 15), 2026: dt.date(2025, 11, 6)}


def build_holidays(*, office: User) -> int:
    """The official 2024–2026 calendars (real public dates from the State Council's notices, not synthetic; each
    import names its notice), imported before anything counts a time limit."""
    today = clock.today()
    for year, day in HOLIDAY_IMPORTS.items():
        with clock.on_day(min(day, today)):
            calendar_import(actor=office, data=official_file(year), filename=f"holidays-{year}.csv",
                            source=OFFICIAL[year])
    return len(HOLIDAY_IMPORTS)


def build_supervision(*, plan: WorkPlan, office: User, unit_users: dict[int, User], seed: int) -> int:
    """`unit_users` maps a unit's organization id to a (synthetic) staff member who acts for it."""
    rng = random.Random(seed)
    today = clock.today()
    created = 0
    config = supervision_settings()
    for task in KeyTask.objects.filter(plan=plan).prefetch_related("assignments__unit", "indicators"):
        for assignment in task.assignments.all():
            actor = unit_users.get(assignment.unit_id)
            if actor is None:
                continue
            for year in range(plan.period_start.year, plan.period_end.year + 1):
                assigned_on = dt.date(year, 1, rng.randrange(8, 20))
                if assigned_on > today:
                    continue
                deadline = dt.date(year, rng.choice([6, 9, 12]), rng.choice([15, 30]) if year < 2026 else 15)
                with clock.on_day(assigned_on):
                    item = work_item_create(actor=office, task=task, unit=assignment.unit, year=year,
                                            title=f"{year}年：{rng.choice(MILESTONES)}", deliverable="工作总结",
                                            deadline=deadline, indicators=list(task.indicators.all())[:2])
                    work_item_transition(actor=office, item=item, action="assign")
                created += 1
                _walk(item, actor, office, rng, assigned_on, today, config)
    reminders_send(today=today)
    _meetings(plan, office, unit_users, rng, today, config)
    _fund(plan, office, rng, today)
    _satisfaction_surveys(plan, office, random.Random(seed + 1), today)
    _high_tech(office, random.Random(seed + 2), today)
    return created


def _walk(item, actor: User, office: User, rng: random.Random, assigned_on: dt.date, today: dt.date,
          config: SupervisionSettings) -> None:
    """Acknowledge, report monthly (mostly on time, some late, a few missed), give feedback by the deadline (or
    lapse), and let the office review, then close or return."""
    if item.deadline > today and rng.random() < 0.1:
        return  # assigned, not yet acknowledged
    with clock.on_day(assigned_on + dt.timedelta(days=rng.randrange(1, 5))):
        work_item_transition(actor=actor, item=item, action="acknowledge")
    # Only recent deadlines lapse: an item left unreported for years would not survive a real office's chasers.
    lapses = today - dt.timedelta(days=120) < item.deadline < today and rng.random() < 0.3
    frequency = schedule.Frequency(config.report_frequency)
    last_month = item.deadline if not lapses else today
    for period in schedule.periods_between(assigned_on, min(last_month, today), frequency, config.report_due_days):
        roll = rng.random()
        if roll < 0.05:
            continue  # missed
        filed = period.due + dt.timedelta(days=rng.randrange(1, 12)) if roll < 0.15 else \
            period.due - dt.timedelta(days=rng.randrange(0, 6))
        if filed > today or filed > item.deadline:
            continue
        with clock.on_day(filed):
            progress_report_submit(actor=actor, item=item, period=period.label, request_review=False,
                                   text=f"{period.label}：按计划推进（演示数据）", config=config)
    if lapses or item.deadline >= today:
        return  # lapsed: the chaser below will find it
    feedback_on = item.deadline - dt.timedelta(days=rng.randrange(0, 10))
    with clock.on_day(feedback_on, hour=15):
        progress_report_submit(actor=actor, item=item,
                               period=schedule.period_of(feedback_on, frequency, config.report_due_days).label,
                               text="已完成阶段目标，提请复核（演示数据）", config=config)
    reviewed_on = min(item.deadline + dt.timedelta(days=rng.randrange(2, 12)), today)
    with clock.on_day(reviewed_on, hour=16):
        work_item_transition(actor=office, item=item, action="review")
        if rng.random() >= 0.15:
            work_item_transition(actor=office, item=item, action="close")
            return
        work_item_transition(actor=office, item=item, action="return", reason="请补充佐证材料（演示）")
    again_on = reviewed_on + dt.timedelta(days=rng.randrange(5, 20))
    if again_on + dt.timedelta(days=10) > today:
        return  # returned recently: the unit is still at it
    with clock.on_day(again_on, hour=15):
        progress_report_submit(actor=actor, item=item,
                               period=schedule.period_of(again_on, frequency, config.report_due_days).label,
                               text="已补充佐证材料（演示数据）", config=config)
    with clock.on_day(again_on + dt.timedelta(days=rng.randrange(2, 10)), hour=16):
        work_item_transition(actor=office, item=item, action="review")
        work_item_transition(actor=office, item=item, action="close")


def _meetings(plan: WorkPlan, office: User, unit_users: dict[int, User], rng: random.Random, today: dt.date,
              config: SupervisionSettings) -> None:
    """A plenary meeting each year whose decisions become work items, and one interview with a lagging unit."""
    units = {u.code: u for u in plan.members.all()}
    tasks = {t.number: t for t in KeyTask.objects.filter(plan=plan)}
    walks = []
    for year in range(plan.period_start.year, today.year + 1):
        held_on = dt.date(year, 2, 20 + rng.randrange(0, 6))
        if held_on > today:
            continue
        with clock.on_day(held_on, hour=17):
            meeting = meeting_record(
                actor=office, plan=plan, title=f"{year}年区知识产权工作领导小组全体会议（演示）", held_on=held_on,
                place="区政府第一会议室", chaired_by="区长（演示）", attendees=list(units.values()),
                summary=f"会议听取{year - 1}年试点工作情况汇报，研究部署{year}年重点工作。（演示数据）",
                decisions=[{"text": f"{text}（{year}年）", "task": tasks[number], "unit": units.get(code),
                            "deadline": dt.date(year, 11, 30)} for number, code, text in MEETING_DECISIONS])
            for decision in list(meeting.decisions.all())[:2]:
                if decision.unit is not None and decision.unit_id in unit_users:
                    item = decision_to_work_item(actor=office, decision=decision)
                    work_item_transition(actor=office, item=item, action="assign")
                    walks.append((item, unit_users[decision.unit_id], held_on))
    for item, actor, assigned_on in walks:
        _walk(item, actor, office, rng, assigned_on, today, config)
    lagging_year = today.year - 1
    if lagging_year >= plan.period_start.year and "culture_tourism" in units:
        with clock.on_day(dt.date(lagging_year + 1, 1, 25)):
            interview = interview_record(
                actor=office, unit=units["culture_tourism"], year=lagging_year, held_on=clock.today(),
                interviewer="区知识产权工作领导小组办公室主任（演示）", interviewees="分管负责同志（演示）",
                reason=f"{lagging_year}年度进展报告多次迟报、漏报（演示数据）", content="通报考核情况，听取原因说明。",
                requirements="十个工作日内补报进展，建立月度报送台账。", rectification_deadline=clock.today() + dt.timedelta(days=14))
        staff = unit_users.get(units["culture_tourism"].pk)
        if staff is not None:
            with clock.on_day(dt.date(lagging_year + 1, 2, 5)):
                interview_rectification_report(actor=staff, interview=interview, text="已补报全部进展并建立月度台账。（演示）")
            with clock.on_day(dt.date(lagging_year + 1, 2, 8)):
                interview_rectification_decide(actor=office, interview=interview, accept=True, note="同意销号")


def _fund(plan: WorkPlan, office: User, rng: random.Random, today: dt.date) -> None:
    host = plan.office_host
    tasks = {t.number: t for t in KeyTask.objects.filter(plan=plan)}
    for year in range(plan.period_start.year, today.year + 1):
        for use, name, amount, task in [("strategy_research", "知识产权战略研究", 300000, 11),
                                        ("publicity_training", "宣传周与专业培训", 500000, 18),
                                        ("enforcement_protection", "执法保护与维权援助", 400000, 7),
                                        ("special_subsidies", "专利导航与高价值专利培育资助", 1500000, 2),
                                        ("platform_building", "全链条服务平台建设", 800000, 9)]:
            line = budget_line_create(actor=office, year=year, use=use, name=f"{year}年{name}", amount=amount,
                                      managing_unit=host)
            share = 0.9 if year < today.year else min(0.85, (today.timetuple().tm_yday / 365) * rng.uniform(0.6, 1.1))
            for part in (0.5, 0.5):
                paid_on = min(dt.date(year, rng.randrange(3, 12), 15), today)
                disbursement_record(actor=office, line=line, amount=round(amount * share * part, 2), paid_on=paid_on,
                                    recipient="演示受款单位（演示）", purpose=f"{name}（演示数据）", task=tasks[task])


SURVEY_QUESTIONS = [
    QuestionIn(Kind.SCALE, "您对南开区知识产权保护工作的总体评价"),
    QuestionIn(Kind.SCALE, "您对侵犯知识产权和假冒伪劣行为查处力度的评价"),
    QuestionIn(Kind.SCALE, "您对知识产权纠纷调解和维权援助服务的评价"),
    QuestionIn(Kind.SCALE, "您对知识产权保护宣传普及工作的评价"),
    QuestionIn(Kind.CHOICE, "您的身份", ("企业经营管理人员", "企业员工", "高校院所人员", "个体工商户", "其他社会公众")),
    QuestionIn(Kind.CHOICE, "您是否了解知识产权维权援助渠道", ("了解", "听说过但不清楚", "不了解")),
]


def _satisfaction_surveys(plan: WorkPlan, office: User, rng: random.Random, today: dt.date) -> None:
    """One 知识产权保护社会满意度 survey per pilot year (September to October), answered by synthetic members of the
    public whose satisfaction rises a little each year."""
    for step, year in enumerate(range(plan.period_start.year, plan.period_end.year + 1)):
        opened_on, closed_on = dt.date(year, 9, 10), dt.date(year, 10, 31)
        if opened_on > today:
            continue
        with clock.on_day(dt.date(year, 9, 1)):
            survey = survey_create(actor=office, year=year, title=f"{year}年南开区知识产权保护社会满意度调查（演示）",
                                   questions=SURVEY_QUESTIONS, is_synthetic=True)
        with clock.on_day(opened_on):
            survey_transition(actor=office, survey=survey, action="open")
        weights = [2, 4, 12 - 2 * step, 42 + step, 40 + step]  # scores 1–5: more 4s and 5s each year
        phones = rng.sample(range(10_000_000, 99_999_999), 50 + 8 * step)
        for number, phone in enumerate(phones):
            day = opened_on + dt.timedelta(days=number * (closed_on - opened_on).days // len(phones))
            if day > today:
                break
            answers = {n: rng.choices(range(1, 6), weights)[0] for n in range(1, 5)}
            answers[5] = rng.choices(range(1, 6), [30, 35, 10, 10, 15])[0]
            answers[6] = rng.choices(range(1, 4), [45 + 5 * step, 35, 20 - 5 * step])[0]
            with clock.on_day(day, hour=9 + number % 9):
                survey_answer(token=survey.token, phone=f"139{phone}", answers=answers)
        if closed_on <= today:
            with clock.on_day(closed_on, hour=18):
                survey_transition(actor=office, survey=survey, action="close")


HIGH_TECH_BASE = {  # a plausible 2023 count per central district; 河西 leads 2023, 南开 then overtakes
    CentralDistrict.NANKAI: 1010, CentralDistrict.HEXI: 1040, CentralDistrict.HEPING: 430,
    CentralDistrict.HEDONG: 390, CentralDistrict.HEBEI: 560, CentralDistrict.HONGQIAO: 220,
}
HIGH_TECH_GROWTH = {CentralDistrict.NANKAI: 0.12, CentralDistrict.HEXI: 0.05}  # the others about 6 % a year


def _high_tech(office: User, rng: random.Random, today: dt.date) -> None:
    """The central districts' national high-tech enterprise counts 2023–2026, marked synthetic, source 演示数据."""
    for year in range(2023, min(2026, today.year) + 1):
        recorded_on = min(dt.date(year + 1, 3, 20), today)
        with clock.on_day(recorded_on):
            for district, base in HIGH_TECH_BASE.items():
                growth = HIGH_TECH_GROWTH.get(district, 0.06) + rng.uniform(-0.015, 0.015)
                count = round(base * (1 + growth) ** (year - 2023))
                high_tech_record(actor=office, year=year, district=district, count=count, source="演示数据",
                                 is_synthetic=True)
