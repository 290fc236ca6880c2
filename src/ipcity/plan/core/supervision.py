"""Supervision of work items as an explicit state machine: 立项 → 交办 → 签收 → 办理 → 反馈 → 复核 → 办结,
with 退回 (return for rework) and 重新打开 (reopen). The allowed transitions are data; anything else is refused
with a reason. Deadlines and lapses are computed from the state and an injected date."""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


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


class Role(StrEnum):
    OFFICE = "office"  # the leading group office
    UNIT = "unit"  # the responsible unit the item is assigned to


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[State]
    target: State
    role: Role
    needs_reason: bool = False


TRANSITIONS = {t.action: t for t in (
    Transition("assign", "交办", frozenset({State.DRAFT}), State.ASSIGNED, Role.OFFICE),
    Transition("acknowledge", "签收", frozenset({State.ASSIGNED}), State.ACKNOWLEDGED, Role.UNIT),
    Transition("start", "开始办理", frozenset({State.ACKNOWLEDGED}), State.IN_PROGRESS, Role.UNIT),
    Transition("report", "反馈", frozenset({State.ACKNOWLEDGED, State.IN_PROGRESS}), State.REPORTED, Role.UNIT),
    Transition("review", "复核", frozenset({State.REPORTED}), State.UNDER_REVIEW, Role.OFFICE),
    Transition("return", "退回", frozenset({State.REPORTED, State.UNDER_REVIEW}), State.IN_PROGRESS, Role.OFFICE,
               needs_reason=True),
    Transition("close", "办结", frozenset({State.UNDER_REVIEW}), State.CLOSED, Role.OFFICE),
    Transition("reopen", "重新打开", frozenset({State.CLOSED}), State.IN_PROGRESS, Role.OFFICE, needs_reason=True),
)}

# States in which the unit still owes work: a deadline passing in one of them is a lapse.
OWING = frozenset({State.ASSIGNED, State.ACKNOWLEDGED, State.IN_PROGRESS})


class TransitionError(ValueError):
    pass


def next_state(state: State, action: str, role: Role, reason: str = "") -> State:
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionError(f"未知的操作：{action}")
    if role != transition.role:
        who = "领导小组办公室" if transition.role == Role.OFFICE else "承办单位"
        raise TransitionError(f"“{transition.label}”只能由{who}操作")
    if state not in transition.sources:
        allowed = "、".join(STATE_LABELS[s] for s in sorted(transition.sources, key=list(State).index))
        raise TransitionError(f"当前状态为“{STATE_LABELS[state]}”，不能{transition.label}（仅在{allowed}时可以）")
    if transition.needs_reason and not reason.strip():
        raise TransitionError(f"{transition.label}须填写理由")
    return transition.target


def available_actions(state: State, role: Role) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources and t.role == role]


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
