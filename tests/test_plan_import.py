"""`ipcity plan import` loads a plan of the same shape and rejects a malformed one with the exact reason."""

import json

import pytest

from ipcity.cli import main as ipcity_main
from ipcity.plan.core.schema import PlanFormatError, parse_plan
from ipcity.plan.models import Indicator, KeyTask, WorkPlan
from tests.conftest import bundled_plan_bytes


def _plan_dict() -> dict:
    return json.loads(bundled_plan_bytes())


def _write(tmp_path, data) -> str:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, ensure_ascii=False) if isinstance(data, dict) else data, encoding="utf-8")
    return str(path)


def test_a_next_version_imports_and_becomes_current(plan, tmp_path, capsys):
    data = _plan_dict()
    data["version"] = 2
    data["indicators"][0]["target"] = 27000
    assert ipcity_main(["plan", "import", _write(tmp_path, data)]) == 0
    assert "第 2 版" in capsys.readouterr().out
    current = WorkPlan.objects.get(is_current=True)
    assert current.version == 2
    assert current.indicators.get(code="valid_patents").target == 27000
    assert WorkPlan.objects.get(version=1).indicators.get(code="valid_patents").target == 26000


def test_another_district_plan_imports_beside_the_first(plan, tmp_path):
    data = _plan_dict()
    data["code"] = "other-district-2025"
    data["region"] = "示例区"
    assert ipcity_main(["plan", "import", _write(tmp_path, data)]) == 0
    assert WorkPlan.objects.filter(code="other-district-2025", is_current=True).exists()


def test_reimporting_the_same_version_is_refused(plan, tmp_path, capsys):
    assert ipcity_main(["plan", "import", _write(tmp_path, _plan_dict())]) == 2
    assert "已导入" in capsys.readouterr().err
    assert WorkPlan.objects.count() == 1


def _mutate(path_fn):
    data = _plan_dict()
    data["version"] = 9
    path_fn(data)
    return data


MALFORMED = [
    ("unknown unit in a task", lambda d: d["actions"][2]["tasks"][0]["units"].append("no_such_unit"),
     "actions[2].tasks[0].units[6]: 未知的责任单位代码 'no_such_unit'"),
    ("duplicate indicator code", lambda d: d["indicators"].append(dict(d["indicators"][0])),
     "indicators: 指标代码 'valid_patents' 重复"),
    ("target missing for an at-least indicator", lambda d: d["indicators"][1].update(target=None),
     "indicators[1]: 比较方式为 at_least 时必须给出目标值 target"),
    ("unknown comparison", lambda d: d["indicators"][3].update(comparison="about"),
     "indicators[3].comparison: Input should be 'at_least', 'growth_rate_at_least' or 'increase'"),
    ("deadline outside the pilot", lambda d: d["indicators"][4].update(deadline="2028-12-31"),
     "indicators[4].deadline: 2028-12-31 不在试点期"),
    ("an indicator pointing to a missing task", lambda d: d["indicators"][5].update(key_tasks=[19]),
     "indicators[5].key_tasks[0]: 不存在编号为 19 的重点任务"),
    ("unexpected field", lambda d: d["goals"][0].update(colour="red"), "goals[0].colour: Extra inputs are not permitted"),
    ("bad date", lambda d: d.update(period_start="2024-13-01"), "period_start: Input should be a valid date"),
    ("wrong format marker", lambda d: d.update(format="something/2"), "format: 应为 'ipcity.workplan/1'"),
]


@pytest.mark.parametrize(("case", "mutation", "reason"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_malformed_plan_is_rejected_with_the_exact_reason_and_nothing_changes(plan, tmp_path, capsys, case, mutation,
                                                                                  reason):
    before = (WorkPlan.objects.count(), Indicator.objects.count(), KeyTask.objects.count())
    assert ipcity_main(["plan", "import", _write(tmp_path, _mutate(mutation))]) == 2
    assert reason in capsys.readouterr().err
    assert (WorkPlan.objects.count(), Indicator.objects.count(), KeyTask.objects.count()) == before


def test_a_file_that_is_not_json_is_rejected(db, tmp_path, capsys):
    assert ipcity_main(["plan", "import", _write(tmp_path, "{not json")]) == 2
    assert "不是有效的 JSON" in capsys.readouterr().err


def test_a_missing_file_is_named(db, capsys):
    assert ipcity_main(["plan", "import", "/nonexistent/plan.json"]) == 2
    assert "找不到文件：/nonexistent/plan.json" in capsys.readouterr().err


def test_every_problem_is_listed_not_only_the_first():
    data = _plan_dict()
    data["actions"][0]["tasks"][0]["units"] = ["nope1"]
    data["safeguards"][0]["units"] = ["nope2"]
    with pytest.raises(PlanFormatError) as raised:
        parse_plan(json.dumps(data))
    assert len(raised.value.problems) == 2


def test_the_api_imports_a_plan_for_the_office_and_rejects_bad_ones_with_reasons(client_for):
    office = client_for("office_admin")
    bad = _mutate(lambda d: d["indicators"][0].update(unit=""))
    response = office.post("/api/v1/plan/import", json.dumps(bad), content_type="application/json")
    assert response.status_code == 422
    assert any(p.startswith("indicators[0].unit") for p in response.json()["detail"])
    good = _mutate(lambda d: None)
    response = office.post("/api/v1/plan/import", json.dumps(good), content_type="application/json")
    assert response.status_code == 201 and response.json()["version"] == 9
