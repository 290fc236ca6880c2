"""Synthetic supervision records for the demo: work items for 2024–2026 on every task with named units, walked
through the workflow to plausible states (closed, returned, reported, overdue), so pages show a pilot in motion."""

import datetime as dt
import random

from ipcity import clock
from ipcity.accounts.models import User
from ipcity.plan.fund import budget_line_create, disbursement_record
from ipcity.plan.models import KeyTask, WorkPlan
from ipcity.plan.supervision import (
    progress_report_submit,
    reminders_send,
    work_item_create,
    work_item_transition,
)

MILESTONES = ["制定年度工作方案", "完成阶段性任务并形成总结", "报送年度工作成效与典型案例"]


def build_supervision(*, plan: WorkPlan, office: User, unit_users: dict[int, User], seed: int) -> int:
    """`unit_users` maps a unit's organization id to a (synthetic) staff member who acts for it."""
    rng = random.Random(seed)
    today = clock.today()
    created = 0
    for task in KeyTask.objects.filter(plan=plan).prefetch_related("assignments__unit", "indicators"):
        for assignment in task.assignments.all():
            actor = unit_users.get(assignment.unit_id)
            if actor is None:
                continue
            for year in range(plan.period_start.year, plan.period_end.year + 1):
                deadline = dt.date(year, rng.choice([6, 9, 12]), rng.choice([15, 30]) if year < 2026 else 15)
                item = work_item_create(actor=office, task=task, unit=assignment.unit, year=year,
                                        title=f"{year}年：{rng.choice(MILESTONES)}", deliverable="工作总结",
                                        deadline=deadline, indicators=list(task.indicators.all())[:2])
                created += 1
                work_item_transition(actor=office, item=item, action="assign")
                if deadline > today and rng.random() < 0.5:
                    continue  # assigned, not yet acknowledged
                work_item_transition(actor=actor, item=item, action="acknowledge")
                if deadline < today and rng.random() < 0.12:
                    continue  # lapsed: the chaser below will find it
                progress_report_submit(actor=actor, item=item, period=f"{year}", text="按计划推进，已完成阶段目标（演示数据）")
                if deadline < today:
                    work_item_transition(actor=office, item=item, action="review")
                    if rng.random() < 0.15:
                        work_item_transition(actor=office, item=item, action="return", reason="请补充佐证材料（演示）")
                    else:
                        work_item_transition(actor=office, item=item, action="close")
    reminders_send(today=today)
    _fund(plan, office, rng, today)
    return created


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
