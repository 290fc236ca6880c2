"""Supervision of work items as an explicit state machine: 立项 → 交办 → 签收 → 办理 → 反馈 → 复核 → 办结,
with 退回 (return for rework) and 重新打开 (reopen). The allowed transitions are data; anything else is refused
with a reason. Deadlines and lapses are computed from the state and an injected date."""

import datetime as dt
from enum import StrEnum

from ipcity.workflow.core import Workflow, step


class State(StrEnum):
    DRAFT = "draft"  # 立项
    ASSIGNED = "assigned"  # 交办
    ACKNOWLEDGED = "acknowledged"  # 签收
    IN_PROGRESS = "in_progress"  # 办理
    REPORTED = "reported"  # 反馈
    UNDER_REVIEW = "under_review"  # 复核
    CLOSED = "closed"  # 办结


STATE_LABELS = {State.DRAFT: "立项", State.ASSIGNED: "已交办", State.ACKNOWLEDGED: "已签收", State.IN_PROGRESS: "办理中",
                State.REPORTED: "已反馈", State.UNDER_REVIEW: "复核中", State.CLOSED: "已办结"}


class Party(StrEnum):
    OFFICE = "office"  # the leading group office
    UNIT = "unit"  # the responsible unit the item is assigned to


WORK_ITEM = Workflow(
    name="supervision.work_item", label="工作事项", states=STATE_LABELS,
    parties={Party.OFFICE: "领导小组办公室", Party.UNIT: "承办单位"},
    transitions=(
        step("assign", "交办", State.DRAFT, State.ASSIGNED, by=Party.OFFICE),
        step("acknowledge", "签收", State.ASSIGNED, State.ACKNOWLEDGED, by=Party.UNIT),
        step("start", "开始办理", State.ACKNOWLEDGED, State.IN_PROGRESS, by=Party.UNIT),
        step("report", "反馈", {State.ACKNOWLEDGED, State.IN_PROGRESS}, State.REPORTED, by=Party.UNIT),
        step("review", "复核", State.REPORTED, State.UNDER_REVIEW, by=Party.OFFICE),
        step("return", "退回", {State.REPORTED, State.UNDER_REVIEW}, State.IN_PROGRESS, by=Party.OFFICE,
             needs_reason=True),
        step("close", "办结", State.UNDER_REVIEW, State.CLOSED, by=Party.OFFICE),
        step("reopen", "重新打开", State.CLOSED, State.IN_PROGRESS, by=Party.OFFICE, needs_reason=True),
    ))

# States in which the unit still owes work: a deadline passing in one of them is a lapse.
OWING = frozenset({State.ASSIGNED, State.ACKNOWLEDGED, State.IN_PROGRESS})


def is_overdue(state: State, deadline: dt.date, today: dt.date) -> bool:
    return state in OWING and today > deadline


def reminder_due(state: State, deadline: dt.date, today: dt.date, days_before: int) -> str | None:
    """'reminder' (临近提醒) within `days_before` of the deadline, 'chaser' (到期催办) after it, else None."""
    if state not in OWING:
        return None
    if today > deadline:
        return "chaser"
    if (deadline - today).days <= days_before:
        return "reminder"
    return None


LIGHT_LABELS = {"green": "正常", "yellow": "临近", "red": "逾期"}
LIGHT_RULES = ("红灯：未反馈且已过完成时限；黄灯：未反馈且距完成时限不超过{days}天；绿灯：其余（已反馈、复核中、已办结或时间充裕）。"
               "任务和单位取其事项中最差的一盏。")


def light(state: State, deadline: dt.date, today: dt.date, yellow_days: int) -> str:
    if state in OWING and today > deadline:
        return "red"
    if state in OWING and (deadline - today).days <= yellow_days:
        return "yellow"
    return "green"


def worst(lights: list[str]) -> str:
    for colour in ("red", "yellow"):
        if colour in lights:
            return colour
    return "green"


def extension_problem(state: State, deadline: dt.date, requested: dt.date, period_end: dt.date) -> str | None:
    if state not in OWING:
        return f"当前状态为“{STATE_LABELS[state]}”，不能申请延期"
    if requested <= deadline:
        return "申请的新时限应晚于现有完成时限"
    if requested > period_end:
        return "申请的新时限不能晚于试点期结束"
    return None
