"""Every code the platform stores reaches a person as its Chinese label: audit actions, workflow steps and states, the
changed fields of an audit row and their values, the figures of a progress report, the kinds of an import. A code
nobody labelled (a row an older version wrote) reads as a neutral 其他, never as the code and never as an error. The
browser walk over every page (tests/e2e/test_chinese_only.py) holds the whole UI; these hold the label tables."""

import ast
import re
from pathlib import Path

from ipcity.audit.labels import UNKNOWN_ACTION, action_label, all_action_labels, changes
from ipcity.audit.models import AuditEntry
from ipcity.audit.services import audit_record
from ipcity.plan.models import WorkItem, WorkItemEvent
from ipcity.workflow.catalog import all_workflows
from tests.helpers import post_json, started_work_item

SRC = Path(__file__).resolve().parents[1] / "src" / "ipcity"
# Actions recorded under a name built at run time, spelled out.
BUILT_ACTIONS = {"supervision.{kind}": {"supervision.reminder", "supervision.chaser"},
                 "{workflow.name}.{action}": set()}  # workflow steps: labelled from their tables


def _visible(html: str) -> str:
    """The page's text as a person reads it (no tags, attributes, scripts or form values)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _recorded_actions() -> set[str]:
    """Every audit action the code records: `action="…"` / `audit_action="…"` arguments holding a dotted name."""
    found = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.keyword) or node.arg not in ("action", "audit_action"):
                continue
            for part in ast.walk(node.value):
                if isinstance(part, ast.JoinedStr):
                    found |= BUILT_ACTIONS[ast.unparse(part)[2:-1]]
                    break
                if isinstance(part, ast.Constant) and isinstance(part.value, str) and "." in part.value:
                    found.add(part.value)
    return found


def test_every_audit_action_the_code_records_has_a_chinese_label():
    recorded = _recorded_actions()
    assert len(recorded) > 100
    assert sorted(a for a in recorded if a not in all_action_labels()) == []


def test_every_workflow_step_reads_as_its_workflow_and_step():
    for workflow in all_workflows():
        for transition in workflow.transitions:
            assert action_label(f"{workflow.name}.{transition.action}") == f"{workflow.label}：{transition.label}"


def _work_item(client_for):
    office, unit = client_for("office_admin"), client_for("unit_staff")
    return started_work_item(office, unit), office, unit


def test_a_work_item_shows_its_steps_states_and_figures_in_chinese_and_so_does_the_audit_trail(
        client_for, people, frozen_clock):
    item, office, unit = _work_item(client_for)
    assert post_json(unit, f"/api/v1/supervision/items/{item}/reports", {
        "period": "2026-10", "text": "完成导航项目", "figures": {"navigation_projects_industry_planning": 2},
        "request_review": False}).status_code in (200, 201)
    page = _visible(office.get(f"/supervision/items/{item}/").content.decode())
    assert "交办" in page and "立项 → 已交办" in page and "已签收 → 办理中" in page
    assert "产业规划类专利导航项目：2" in page
    for code in ("assign", "draft", "assigned", "navigation_projects_industry_planning"):
        assert not re.search(rf"\b{code}\b", page), code

    trail = _visible(office.get("/audit/", {"action": "supervision.work_item.assign"}).content.decode())
    assert "工作事项：交办" in trail and "状态：立项" in trail and "状态：已交办" in trail
    assert "supervision.work_item.assign" not in trail and "'state'" not in trail
    report = _visible(office.get("/audit/", {"action": "supervision.progress_report.submit"}).content.decode())
    assert "数据：产业规划类专利导航项目：2" in report and "提请复核：否" in report


def test_a_code_nobody_labelled_reads_as_a_neutral_word_and_the_page_still_opens(client_for, people, frozen_clock):
    item, office, _ = _work_item(client_for)
    work_item = WorkItem.objects.get(pk=item)
    WorkItemEvent.objects.create(work_item=work_item, action="teleport", from_state="in_progress", to_state="limbo",
                                 actor=people["office_admin"], at=frozen_clock.now)
    audit_record(actor=people["office_admin"], action="legacy.thing_done", obj=work_item,
                 before={"state": "limbo", "old_field": "some_code"}, after=[{"nested_key": "x"}, "plain"])
    page = _visible(office.get(f"/supervision/items/{item}/").content.decode())
    assert "其他" in page and "teleport" not in page and "limbo" not in page
    trail = office.get("/audit/", {"action": "legacy.thing_done"})
    assert trail.status_code == 200
    text = _visible(trail.content.decode())
    # an unknown state reads 其他; a key nobody labelled reads 其他 with its value as stored (it may be a person's
    # text, so it is not hidden)
    assert UNKNOWN_ACTION in text and "状态：其他" in text and "其他：some_code" in text
    for code in ("legacy.thing_done", "old_field", "limbo", "nested_key"):
        assert code not in text, code
    assert [r["field"] for r in changes(AuditEntry.objects.get(action="legacy.thing_done"))] == ["状态", "其他", "内容"]


def test_an_audit_row_reads_times_in_beijing_time_and_choices_by_their_labels(people, frozen_clock):
    entry = audit_record(actor=people["office_admin"], action="supervision.work_item.create",
                         obj=people["office_admin"], after={"role": "unit_staff", "at": "2026-11-02T09:00:00+00:00",
                                                            "unknown_role": "unit_staff"})
    rows = {r["field"]: r["after"] for r in changes(entry)}
    assert rows["角色"] == "责任单位工作人员"  # the user's role field, by its choices
    assert rows["其他"] in ("unit_staff", "2026-11-02 17:00")  # a key nobody labelled keeps its (plain) value
    entry = audit_record(actor=people["office_admin"], action="plan.indicator.update", obj=people["office_admin"],
                         after={"opened_at": "2026-11-02T09:00:00+00:00"})
    assert changes(entry) == [{"field": "开始时间", "before": "", "after": "2026-11-02 17:00"}]


def test_the_registry_page_names_each_import_by_its_kind_and_its_headers_without_a_file_path(client_for, people):
    from ipcity.stats.services import import_batch_run, import_batch_start

    batch = import_batch_start(kind="population", filename="人口.csv", actor=people["office_admin"])
    import_batch_run(batch=batch, data="年份,年末常住人口（万人）,来源\n2025,89.3,区统计局".encode())
    page = _visible(client_for("office_admin").get("/registries/").content.decode())
    assert "常住人口" in page and "申请号、专利申请号" in page and "office_admin姓名" in page  # who, by name
    assert not re.search(r"\bpopulation\b", page) and "docs/" not in page
