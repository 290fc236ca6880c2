"""What the supervision dashboards show, as plain data for the page's charts and for the API alike: for the
leading group, indicator attainment, work items by state per action and per unit, the overdue list and the
reports missing; for a unit, its own items, what is due soon and the reports it owes."""

import datetime as dt

from ipcity import clock, versions
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.plan.core import supervision as rules
from ipcity.plan.core.schedule import STANDING_LABELS, Standing
from ipcity.plan.models import WorkPlan
from ipcity.plan.supervision import item_light, report_standings, supervision_settings, work_item_list
from ipcity.stats.selectors import indicator_table

STATES = [s for s in rules.State if s != rules.State.DRAFT]
STATE_KEYS = [s.value for s in STATES]


def indicator_attainment(*, plan: WorkPlan, as_of: dt.date, with_forecast: bool = False) -> tuple[list, list]:
    """The indicator table and, per indicator, the latest value as a percentage of its target (None when there is
    no value yet or no target to divide by)."""
    rows = indicator_table(plan=plan, as_of=as_of, with_forecast=with_forecast)
    chart = [{"name": r["indicator"].name, "code": r["indicator"].code, "status": r["status"].value,
              "attainment": (round(float(r["latest"].value / r["indicator"].target * 100), 1)
                             if r["latest"] and r["indicator"].target else None)}
             for r in rows]
    return rows, chart


def _item_row(item, **extra) -> dict:
    return {"id": item.pk, "task": item.task.number, "unit": item.unit.name, "title": item.title,
            "deadline": item.deadline, "state": item.state, "state_label": item.get_state_display(), **extra}


def supervision_dashboard(*, user, plan: WorkPlan, today: dt.date | None = None) -> dict:
    """The dashboard's work-item part is computed once per change of the work items, their reports or the rules (and
    per day), for the office and for each unit, and shared by every worker; the indicators come from their own cache."""
    today = today or clock.today()
    items = work_item_list(user=user)  # refuses whoever may not see the dashboard
    office = has_perm(user, Perm.SUPERVISION_MANAGE)
    work = versions.cached("supervision-dashboard",
                           (versions.current("supervision"), today, "office" if office else user.organization_id),
                           lambda: _work_item_standings(items, today))
    _, attainment = indicator_attainment(plan=plan, as_of=today)
    return {"scope": "office" if office else "unit", "as_of": today,
            "state_labels": {s.value: rules.STATE_LABELS[s] for s in STATES}, **work, "attainment": attainment}


def _work_item_standings(items, today: dt.date) -> dict:
    config = supervision_settings()
    items = list(items.select_related("task__action").prefetch_related("history", "reports").order_by("deadline", "id"))
    by_action: dict = {}
    by_unit: dict = {}
    overdue, due_soon, reports_owed = [], [], []
    for item in items:
        state = rules.State(item.state)
        light = item_light(item, today, config)
        action = by_action.setdefault(item.task.action.number, {"action": str(item.task.action),
                                                                "counts": dict.fromkeys(STATE_KEYS, 0)})
        unit = by_unit.setdefault(item.unit_id, {"unit": item.unit.name, "counts": dict.fromkeys(STATE_KEYS, 0),
                                                 "lights": [], "missing_reports": 0, "late_reports": 0})
        if state != rules.State.DRAFT:
            action["counts"][state.value] += 1
            unit["counts"][state.value] += 1
        unit["lights"].append(light)
        if rules.is_overdue(state, item.deadline, today):
            overdue.append(_item_row(item, days_overdue=(today - item.deadline).days))
        elif state in rules.OWING and (item.deadline - today).days <= config.reminder_days:
            due_soon.append(_item_row(item, days_left=(item.deadline - today).days))
        for standing in report_standings(item, today=today, config=config):
            unit["missing_reports"] += standing.standing == Standing.MISSING
            unit["late_reports"] += standing.standing == Standing.LATE
            owed = standing.standing == Standing.MISSING or (
                standing.standing == Standing.OPEN and standing.period.end <= today)
            if owed:
                reports_owed.append(_item_row(item, period=standing.period.label, due=standing.period.due,
                                              standing=standing.standing.value,
                                              standing_label=STANDING_LABELS[standing.standing]))
    for unit in by_unit.values():
        unit["light"] = rules.worst(unit.pop("lights"))
    return {
        "counts": {s.value: sum(1 for i in items if i.state == s) for s in STATES},
        "by_action": [by_action[k] for k in sorted(by_action)],
        "by_unit": sorted(by_unit.values(), key=lambda u: u["unit"]),
        "overdue": overdue, "due_soon": due_soon,
        "reports_owed": sorted(reports_owed, key=lambda r: (r["due"], r["id"])),
    }
