"""The one workflow mechanism: tables are well formed, documented as they are, and the only way a state changes."""

import ast
import re
from pathlib import Path

import pytest

from ipcity.workflow.catalog import all_workflows, render
from ipcity.workflow.core import TransitionError, Workflow, step

ROOT = Path(__file__).resolve().parents[1]


def test_the_documented_workflows_are_the_tables_themselves(db):
    doc = (ROOT / "docs" / "workflows.md").read_text(encoding="utf-8")
    assert doc == render(), "run: python -m ipcity.workflow.catalog > docs/workflows.md"


def test_every_workflow_names_its_states_actions_and_parties_in_chinese(db):
    for workflow in all_workflows():
        assert re.search(r"[\u4e00-\u9fff]", workflow.label), workflow.name
        for label in [*workflow.states.values(), *workflow.parties.values(), *workflow.action_labels.values()]:
            assert re.search(r"[\u4e00-\u9fff]", label), f"{workflow.name}: {label}"


TOY = Workflow(name="toy", label="玩具", states={"a": "甲", "b": "乙", "c": "丙"},
               parties={"x": "甲方", "y": "乙方"},
               transitions=(step("go", "前进", "a", "b", by="x"),
                            step("back", "退回", {"b", "c"}, "a", by={"x", "y"}, needs_reason=True),
                            step("on", "继续", "b", "c", by="y", guard=lambda r: None if r else "条件不满足")))


@pytest.mark.parametrize(("state", "action", "parties", "reason", "record", "message"), [
    ("a", "fly", {"x"}, "", None, "未知的操作：fly"),
    ("a", "go", {"y"}, "", None, "“前进”只能由甲方操作"),
    ("b", "go", {"x"}, "", None, "当前状态为“乙”，不能前进（仅在甲时可以）"),
    ("c", "back", {"y"}, " ", None, "退回须填写理由"),
    ("b", "on", {"y"}, "", 0, "条件不满足"),
])
def test_a_step_the_table_does_not_allow_is_refused_with_the_reason(state, action, parties, reason, record, message):
    with pytest.raises(TransitionError) as refused:
        TOY.check(state, action, parties=parties, reason=reason, record=record)
    assert str(refused.value) == message


def test_a_table_naming_an_unknown_state_or_party_or_a_repeated_action_does_not_load():
    with pytest.raises(ValueError):
        Workflow(name="bad", label="坏", states={"a": "甲"}, parties={"x": "甲方"},
                 transitions=(step("go", "前进", "a", "z", by="x"),))
    with pytest.raises(ValueError):
        Workflow(name="bad", label="坏", states={"a": "甲"}, parties={"x": "甲方"},
                 transitions=(step("go", "前进", "a", "a", by="q"),))
    with pytest.raises(ValueError):
        Workflow(name="bad", label="坏", states={"a": "甲"}, parties={"x": "甲方"},
                 transitions=(step("go", "前进", "a", "a", by="x"), step("go", "再进", "a", "a", by="x")))


def test_the_steps_offered_are_those_of_the_state_and_the_party():
    assert [t.action for t in TOY.available("b", {"y"})] == ["back", "on"]
    assert [t.action for t in TOY.available("b", {"x"})] == ["back"]
    assert TOY.actions == ("go", "back", "on") and TOY.choices[0] == ("a", "甲")


def _state_writes(tree: ast.AST):
    """Line numbers where code assigns a record's `state` (alone or in a tuple) or bulk-updates it."""
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else [])
        for target in targets:
            for element in (target.elts if isinstance(target, ast.Tuple) else [target]):
                if isinstance(element, ast.Attribute) and element.attr == "state":
                    yield node.lineno
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "update" and any(k.arg == "state" for k in node.keywords)):
            yield node.lineno


def test_no_record_changes_state_except_through_the_workflow_helper():
    source = ROOT / "src" / "ipcity"
    helper = source / "workflow" / "services.py"
    found = [f"{path.relative_to(source)}:{line}" for path in sorted(source.rglob("*.py")) if path != helper
             for line in _state_writes(ast.parse(path.read_text(encoding="utf-8")))]
    assert found == [], "a state changed outside workflow_step, unchecked and unaudited: " + ", ".join(found)


def test_the_state_check_sees_a_state_set_inside_a_tuple_or_a_bulk_update():
    sample = "a.state, a.note = 'x', ''\nqs.update(state='y')\nb.state_label = 'z'\n"
    assert list(_state_writes(ast.parse(sample))) == [1, 2]
