"""Synthetic supervision records for the demo: work items for 2024–2026 on every task with named units, walked
through the workflow to plausible states (closed, returned, reported, overdue), so pages show a pilot in motion."""

import datetime as dt
import random

from ipcity import clock
from ipcity.accounts.models import User
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
    return created
