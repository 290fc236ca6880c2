"""The supervision dashboard's data, the same the page draws."""

import datetime as dt
from typing import Literal

from ninja import Router, Schema

from ipcity.plan.dashboard import supervision_dashboard
from ipcity.plan.selectors import current_plan_or_404

router = Router()


class DashboardItemOut(Schema):
    id: int
    task: int
    unit: str
    title: str
    deadline: dt.date
    state: str
    state_label: str


class DashboardOverdueOut(DashboardItemOut):
    days_overdue: int


class DashboardDueSoonOut(DashboardItemOut):
    days_left: int


class DashboardReportOwedOut(DashboardItemOut):
    period: str  # 2026-10 or 2026Q3
    due: dt.date
    standing: str
    standing_label: str


class DashboardActionOut(Schema):
    action: str
    counts: dict[str, int]  # state -> work items


class DashboardUnitOut(Schema):
    unit: str
    counts: dict[str, int]  # state -> work items
    missing_reports: int
    late_reports: int
    light: str  # green / yellow / red: the worst of the unit's items


class DashboardAttainmentOut(Schema):
    name: str
    code: str
    status: str
    attainment: float | None  # the latest value as a % of the target; None without a value or a target


class DashboardOut(Schema):
    scope: Literal["office", "unit"]  # the office sees every unit, a unit its own items
    as_of: dt.date
    state_labels: dict[str, str]  # state -> label, in the order the charts use
    counts: dict[str, int]  # state -> work items
    by_action: list[DashboardActionOut]
    by_unit: list[DashboardUnitOut]
    overdue: list[DashboardOverdueOut]
    due_soon: list[DashboardDueSoonOut]
    reports_owed: list[DashboardReportOwedOut]
    attainment: list[DashboardAttainmentOut]


@router.get("/dashboard", response=DashboardOut, summary="督办看板数据：办公室看全局，责任单位看本单位（与页面图表同源）")
def dashboard(request, as_of: dt.date | None = None):
    return supervision_dashboard(user=request.user, plan=current_plan_or_404(), today=as_of)
