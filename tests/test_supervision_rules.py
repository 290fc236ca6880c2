"""The supervision state machine and its deadline rules, alone."""

import datetime as dt

import pytest

from ipcity.plan.core.supervision import WORK_ITEM, Party, State, is_overdue, reminder_due
from ipcity.workflow.core import TransitionError


def next_state(state, action, party, reason=""):
    return WORK_ITEM.check(state, action, parties={party}, reason=reason).target


def available_actions(state, party):
    return WORK_ITEM.available(state, {party})


def test_a_whole_cycle_with_one_return():
    state = State.DRAFT
    for action, party in [("assign", Party.OFFICE), ("acknowledge", Party.UNIT), ("start", Party.UNIT),
                         ("report", Party.UNIT), ("review", Party.OFFICE)]:
        state = next_state(state, action, party)
    state = next_state(state, "return", Party.OFFICE, reason="缺少佐证材料")
    assert state == State.IN_PROGRESS
    for action, party in [("report", Party.UNIT), ("review", Party.OFFICE), ("close", Party.OFFICE)]:
        state = next_state(state, action, party)
    assert state == State.CLOSED


@pytest.mark.parametrize(("state", "action", "party", "message"), [
    (State.DRAFT, "acknowledge", Party.UNIT, "当前状态为“立项”，不能签收（仅在已交办时可以）"),
    (State.ASSIGNED, "assign", Party.UNIT, "“交办”只能由领导小组办公室操作"),
    (State.REPORTED, "close", Party.OFFICE, "当前状态为“已反馈”，不能办结（仅在复核中时可以）"),
    (State.UNDER_REVIEW, "return", Party.OFFICE, "退回须填写理由"),
    (State.IN_PROGRESS, "report", Party.OFFICE, "“反馈”只能由承办单位操作"),
    (State.CLOSED, "fly", Party.OFFICE, "未知的操作：fly"),
])
def test_a_transition_that_is_not_allowed_says_why(state, action, party, message):
    with pytest.raises(TransitionError) as refused:
        next_state(state, action, party)
    assert str(refused.value) == message


def test_the_actions_offered_depend_on_state_and_role():
    assert [t.action for t in available_actions(State.UNDER_REVIEW, Party.OFFICE)] == ["return", "close"]
    assert [t.action for t in available_actions(State.ACKNOWLEDGED, Party.UNIT)] == ["start", "report"]
    assert available_actions(State.UNDER_REVIEW, Party.UNIT) == []


def test_overdue_and_reminders_follow_the_deadline_and_the_state():
    deadline = dt.date(2026, 6, 30)
    assert reminder_due(State.ASSIGNED, deadline, dt.date(2026, 6, 22), 7) is None
    assert reminder_due(State.ASSIGNED, deadline, dt.date(2026, 6, 23), 7) == "reminder"
    assert reminder_due(State.IN_PROGRESS, deadline, dt.date(2026, 6, 30), 7) == "reminder"
    assert reminder_due(State.IN_PROGRESS, deadline, dt.date(2026, 7, 1), 7) == "chaser"
    assert reminder_due(State.REPORTED, deadline, dt.date(2026, 7, 1), 7) is None
    assert is_overdue(State.ACKNOWLEDGED, deadline, dt.date(2026, 7, 1))
    assert not is_overdue(State.CLOSED, deadline, dt.date(2026, 7, 1))
