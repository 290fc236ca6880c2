"""The supervision state machine and its deadline rules, alone."""

import datetime as dt

import pytest

from ipcity.plan.core.supervision import (
    Role,
    State,
    TransitionError,
    available_actions,
    is_overdue,
    next_state,
    reminder_due,
)


def test_a_whole_cycle_with_one_return():
    state = State.DRAFT
    for action, role in [("assign", Role.OFFICE), ("acknowledge", Role.UNIT), ("start", Role.UNIT),
                         ("report", Role.UNIT), ("review", Role.OFFICE)]:
        state = next_state(state, action, role)
    state = next_state(state, "return", Role.OFFICE, reason="缺少佐证材料")
    assert state == State.IN_PROGRESS
    for action, role in [("report", Role.UNIT), ("review", Role.OFFICE), ("close", Role.OFFICE)]:
        state = next_state(state, action, role)
    assert state == State.CLOSED


@pytest.mark.parametrize(("state", "action", "role", "message"), [
    (State.DRAFT, "acknowledge", Role.UNIT, "当前状态为“立项”，不能签收（仅在已交办时可以）"),
    (State.ASSIGNED, "assign", Role.UNIT, "“交办”只能由领导小组办公室操作"),
    (State.REPORTED, "close", Role.OFFICE, "当前状态为“已反馈”，不能办结（仅在复核中时可以）"),
    (State.UNDER_REVIEW, "return", Role.OFFICE, "退回须填写理由"),
    (State.IN_PROGRESS, "report", Role.OFFICE, "“反馈”只能由承办单位操作"),
    (State.CLOSED, "fly", Role.OFFICE, "未知的操作：fly"),
])
def test_a_transition_that_is_not_allowed_says_why(state, action, role, message):
    with pytest.raises(TransitionError) as refused:
        next_state(state, action, role)
    assert str(refused.value) == message


def test_the_actions_offered_depend_on_state_and_role():
    assert [t.action for t in available_actions(State.UNDER_REVIEW, Role.OFFICE)] == ["return", "close"]
    assert [t.action for t in available_actions(State.ACKNOWLEDGED, Role.UNIT)] == ["start", "report"]
    assert available_actions(State.UNDER_REVIEW, Role.UNIT) == []


def test_overdue_and_reminders_follow_the_deadline_and_the_state():
    deadline = dt.date(2026, 6, 30)
    assert reminder_due(State.ASSIGNED, deadline, dt.date(2026, 6, 22), 7) is None
    assert reminder_due(State.ASSIGNED, deadline, dt.date(2026, 6, 23), 7) == "reminder"
    assert reminder_due(State.IN_PROGRESS, deadline, dt.date(2026, 6, 30), 7) == "reminder"
    assert reminder_due(State.IN_PROGRESS, deadline, dt.date(2026, 7, 1), 7) == "chaser"
    assert reminder_due(State.REPORTED, deadline, dt.date(2026, 7, 1), 7) is None
    assert is_overdue(State.ACKNOWLEDGED, deadline, dt.date(2026, 7, 1))
    assert not is_overdue(State.CLOSED, deadline, dt.date(2026, 7, 1))
