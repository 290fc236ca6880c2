"""Patent navigation projects (with a landscape analysis and a .docx report) and high-value portfolios: both count
toward the plan's indicators once completed or confirmed, with the records behind the number."""

import datetime as dt
import io
import json

import pytest
from docx import Document

from ipcity.operations.core.landscape import analyse
from ipcity.stats.core.records import EventType, LegalEvent, Patent, PatentType
from ipcity.stats.services import import_batch_run, import_batch_start
from tests.helpers import post_json
from tests.operations.helpers import PATENTS


@pytest.fixture
def registry(people):
    batch = import_batch_start(kind="patents", filename="patents.csv", actor=None)
    import_batch_run(batch=batch, data=PATENTS)


def _count(client, code):
    response = client.get(f"/api/v1/indicators/{code}/records", {"as_of": "2026-11-02"})
    return response.json()["count"] if response.status_code == 200 else None


def test_the_landscape_counts_a_fields_patents_by_year_holder_class_status_and_place():
    day = dt.date
    patents = [
        Patent("A1", PatentType.INVENTION, day(2021, 1, 1), day(2023, 1, 1), ("H01M10/48",), "南开区", title="电池估计", patentee="甲大学"),
        Patent("A2", PatentType.INVENTION, day(2022, 1, 1), None, ("H01M4/00",), "西青区", title="正极材料", patentee="乙公司"),
        Patent("A3", PatentType.UTILITY_MODEL, day(2022, 5, 1), day(2022, 9, 1), ("B60L53/30",), "南开区", title="电池充电桩", patentee="甲大学"),
        Patent("A4", PatentType.INVENTION, day(2020, 1, 1), day(2021, 6, 1), ("G06V10/82",), None, title="图像识别", patentee="丙公司"),
    ]
    events = [LegalEvent("A3", EventType.FEE_TERMINATION, day(2024, 9, 1))]
    result = analyse(patents, events, as_of=day(2026, 11, 2), district="南开区", ipc_prefixes=("H01M",), keywords=("电池",))
    assert result.total == 3 and result.by_year == {2021: 1, 2022: 2}
    assert result.top_applicants[0] == ("甲大学", 2)
    assert result.status == {"有效": 1, "审中": 1, "失效": 1}
    assert result.local == {"本区": 2, "区外": 1} and result.local_applicants == [("甲大学", 2)]
    assert dict(result.ipc) == {"H01M": 2, "B60L": 1}


def test_a_completed_navigation_project_counts_and_its_report_downloads(client_for, people, registry,
                                                                        covered_registries, frozen_clock):
    office = client_for("office_admin")
    agency = client_for("agency_user")
    undertaker = people["agency_user"].organization
    created = post_json(agency, "/api/v1/operations/navigation", {
        "kind": "industry_planning", "title": "南开区新能源电池产业专利导航", "undertaker": undertaker.pk,
        "industry": "新能源", "started_on": "2025-03-01", "scope_ipc": "H01M,B60L", "scope_keywords": "电池"})
    assert created.status_code == 201, created.content
    project = created.json()["id"]
    landscape = client_for(None).get(f"/api/v1/operations/navigation/{project}/landscape").json()
    assert landscape["total"] == 2 and landscape["local"] == {"本区": 2}
    assert _count(office, "navigation_projects_industry_planning") == 0  # nothing completed yet
    assert post_json(office, f"/api/v1/operations/navigation/{project}/complete", {"completed_on": "2026-10-20"}).json()[
        "state"] == "completed"
    assert _count(office, "navigation_projects_industry_planning") == 1
    records = office.get("/api/v1/indicators/navigation_projects_industry_planning/records",
                         {"as_of": "2026-11-02"}).json()
    assert records["rows"][0][1] == "南开区新能源电池产业专利导航"
    report = client_for(None).get(f"/api/v1/operations/navigation/{project}/report.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(report.content)).paragraphs)
    assert "专利导航分析报告" in text and "共检索到专利 2 件" in text
    micro = post_json(agency, "/api/v1/operations/navigation", {
        "kind": "enterprise_operation", "title": "微导航", "undertaker": undertaker.pk, "industry": "新能源",
        "started_on": "2025-03-01"})
    assert micro.status_code == 422
    assert all(w in json.dumps(micro.json(), ensure_ascii=False) for w in ("须写明服务的企业", "至少给出一个IPC前缀或关键词"))


def test_a_portfolio_is_confirmed_only_when_its_milestones_are_done_and_it_holds_enough_inventions(
        client_for, registry, frozen_clock):
    university, office = client_for("university_user"), client_for("office_admin")
    created = post_json(university, "/api/v1/operations/portfolios", {
        "name": "动力电池健康管理专利组合", "industry": "新能源",
        "patent_numbers": ["202110011111.1", "202120022222.2", "202110033333.3"],
        "milestones": [{"name": "完成专利布局规划", "due": "2025-06-30"}]}).json()
    confirm = post_json(office, f"/api/v1/operations/portfolios/{created['id']}/establish", {"established_on": "2026-10-30"})
    problems = json.dumps(confirm.json(), ensure_ascii=False)
    assert confirm.status_code == 422 and "尚未完成" in problems and "至少需要 5 件" in problems
    post_json(university, f"/api/v1/operations/portfolios/{created['id']}/milestones/0", {"done_on": "2025-06-20"})
    again = office.get("/api/v1/operations/portfolios").json()[0]
    assert again["problems"] == ["有效发明专利 2 件，形成高价值组合至少需要 5 件"]
    foreign = post_json(university, "/api/v1/operations/portfolios", {
        "name": "x", "industry": "新能源", "patent_numbers": ["202110044444.4"], "milestones": []})
    assert foreign.status_code == 422 and "不是本机构的专利" in json.dumps(foreign.json(), ensure_ascii=False)
    assert client_for("enterprise_user").get(f"/operations/portfolios/{created['id']}/").status_code == 404


def test_two_milestones_marked_from_copies_read_before_either_both_stay_marked(client_for, people, registry,
                                                                              frozen_clock):
    from ipcity.operations.models import HighValuePortfolio
    from ipcity.operations.navigation import portfolio_milestone_done

    created = post_json(client_for("university_user"), "/api/v1/operations/portfolios", {
        "name": "动力电池健康管理专利组合", "industry": "新能源", "patent_numbers": ["202110011111.1"],
        "milestones": [{"name": "完成专利布局规划", "due": "2025-06-30"}, {"name": "完成海外布局", "due": "2026-06-30"}]}).json()
    first, second = (HighValuePortfolio.objects.get(pk=created["id"]) for _ in range(2))
    portfolio_milestone_done(actor=people["university_user"], portfolio=first, index=0, done_on=dt.date(2025, 6, 20))
    portfolio_milestone_done(actor=people["university_user"], portfolio=second, index=1, done_on=dt.date(2026, 6, 1))
    stored = HighValuePortfolio.objects.get(pk=created["id"]).milestones
    assert [m.get("done_on") for m in stored] == ["2025-06-20", "2026-06-01"]


def test_a_confirmed_portfolio_counts(client_for, people, covered_registries, frozen_clock):
    rows = "".join(f"2021100555{i:02d}.{i},2021-03-01,发明,电池专利{i},,测试大学,天津市南开区,H01M10/48,2023-05-09\n"
                   for i in range(5))
    batch = import_batch_start(kind="patents", filename="p.csv", actor=None)
    import_batch_run(batch=batch, data=(PATENTS.decode().splitlines()[0] + "\n" + rows).encode())
    university, office = client_for("university_user"), client_for("office_admin")
    created = post_json(university, "/api/v1/operations/portfolios", {
        "name": "电池组合", "industry": "新能源", "patent_numbers": [f"2021100555{i:02d}.{i}" for i in range(5)],
        "milestones": []}).json()
    assert created["problems"] == []
    confirmed = post_json(office, f"/api/v1/operations/portfolios/{created['id']}/establish", {"established_on": "2026-10-30"})
    assert confirmed.json()["state"] == "established"
    assert _count(office, "high_value_portfolios") == 1


def test_the_same_patents_cannot_make_a_second_portfolio_and_be_counted_twice(client_for, people, frozen_clock):
    rows = "".join(f"2021100666{i:02d}.{i},2021-03-01,发明,储能专利{i},,测试大学,天津市南开区,H01M10/48,2023-05-09\n"
                   for i in range(5))
    batch = import_batch_start(kind="patents", filename="p.csv", actor=None)
    import_batch_run(batch=batch, data=(PATENTS.decode().splitlines()[0] + "\n" + rows).encode())
    university = client_for("university_user")
    body = {"name": "储能组合", "industry": "新能源", "patent_numbers": [f"2021100666{i:02d}.{i}" for i in range(5)],
            "milestones": []}
    assert post_json(university, "/api/v1/operations/portfolios", body).status_code in (200, 201)
    again = post_json(university, "/api/v1/operations/portfolios", {**body, "name": "储能组合（二）"})
    assert again.status_code == 422 and "已在其他高价值专利组合中" in json.dumps(again.json(), ensure_ascii=False)
    assert len(client_for("office_admin").get("/api/v1/operations/portfolios").json()) == 1
