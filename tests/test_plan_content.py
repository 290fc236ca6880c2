"""The plan as loaded must carry every number, task and unit of 南开政发〔2024〕1号 exactly."""

import json
import re

from django.core.management import call_command

from ipcity.cli import main as ipcity_main
from tests.conftest import seed_plan_text

EXPECTED_INDICATORS = {
    # code: (target, unit, comparison, period type)
    "valid_patents": (26000, "件", "at_least", "end_state"),
    "valid_invention_patents": (14000, "件", "at_least", "end_state"),
    "valid_invention_patents_per_10k": (142, "件", "at_least", "end_state"),
    "high_value_invention_patents_per_10k": (81, "件", "at_least", "end_state"),
    "valid_trademarks": (30000, "件", "at_least", "end_state"),
    "madrid_filings": (5, "件", "at_least", "annual_average"),
    "patent_intensive_and_copyright_gdp_share": (None, "%", "increase", "per_year"),
    "navigation_projects_industry_planning": (3, "个", "at_least", "cumulative"),
    "navigation_projects_enterprise_operation": (3, "个", "at_least", "cumulative"),
    "high_value_portfolios": (3, "个", "at_least", "cumulative"),
    "operation_centers": (1, "个", "at_least", "cumulative"),
    "transfers_and_licences_growth": (5, "%", "growth_rate_at_least", "average_annual_growth"),
    "pledge_amount_growth": (10, "%", "growth_rate_at_least", "average_annual_growth"),
    "pledge_count_growth": (10, "%", "growth_rate_at_least", "average_annual_growth"),
    "patent_insurance_policies": (10, "单", "at_least", "cumulative"),
    "securitization_pilots": (1, "个", "at_least", "cumulative"),
    "protection_insurance_annual": (3, "件", "at_least", "per_year"),
    "patent_product_output_share": (None, "%", "increase", "per_year"),
    "city_standardized_markets": (5, "家", "at_least", "cumulative"),
    "national_standardized_markets": (1, "家", "at_least", "cumulative"),
    "patent_enforcement_cases": (5, "件", "at_least", "per_year"),
    "trademark_enforcement_cases": (40, "件", "at_least", "per_year"),
    "copyright_enforcement_cases": (5, "件", "at_least", "per_year"),
    "mediation_administrative_with_judicial_confirmation": (10, "件", "at_least", "per_year"),
    "mediation_people": (40, "件", "at_least", "per_year"),
    "mediation_association": (20, "件", "at_least", "per_year"),
    "mediation_workstation": (20, "件", "at_least", "per_year"),
    "certified_patent_enforcement_officers": (25, "人", "at_least", "end_state"),
    "trainings": (10, "次", "at_least", "per_year"),
    "training_person_times": (800, "人次", "at_least", "per_year"),
    "cluster_agencies": (30, "家", "at_least", "end_state"),
    "custody_smes": (150, "家", "at_least", "cumulative"),
}


def _export(capsys) -> dict:
    capsys.readouterr()
    assert ipcity_main(["plan", "export", "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_export_holds_every_quantified_indicator_with_the_seed_numbers(plan, capsys):
    exported = _export(capsys)
    got = {i["code"]: (i["target"], i["unit"], i["comparison"], i["period_type"]) for i in exported["indicators"]}
    assert got == EXPECTED_INDICATORS
    assert {i["deadline"] for i in exported["indicators"]} == {"2026-12-31"}
    assert (exported["period_start"], exported["period_end"]) == ("2024-01-01", "2026-12-31")


def test_every_indicator_quotes_a_sentence_that_is_in_the_seed(plan, capsys):
    seed = seed_plan_text()
    for indicator in _export(capsys)["indicators"]:
        assert indicator["source_sentence"] and indicator["source_sentence"] in seed, indicator["code"]


def test_ambiguous_readings_are_recorded_where_the_plan_is_unclear(plan, capsys):
    indicators = {i["code"]: i for i in _export(capsys)["indicators"]}
    assert "每年" in indicators["mediation_people"]["reading"]
    assert "累计" in indicators["patent_insurance_policies"]["reading"]


def _seed_tasks(seed: str) -> dict[int, tuple[str, str]]:
    """Task number -> (title, responsible units text), read straight from the seed text."""
    body = seed[seed.index("重点工作\n"):seed.index("三、保障措施")]
    heads = list(re.finditer(r"^\s*(\d{1,2})\.(\S+?)\s*$", body, re.M))
    tasks = {}
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(body)
        units = re.search(r"（责任单位：([^）]*)）", body[head.end():end]).group(1)
        tasks[int(head.group(1))] = (head.group(2), units)
    return tasks


def test_all_18_key_tasks_carry_their_units_exactly_as_written(plan, capsys):
    seed_tasks = _seed_tasks(seed_plan_text())
    exported = _export(capsys)
    names = {u["code"]: u["name"] for u in exported["units"]}
    tasks = {t["number"]: t for a in exported["actions"] for t in a["tasks"]}
    assert sorted(tasks) == list(range(1, 19)) == sorted(seed_tasks)
    for number, (title, units_text) in seed_tasks.items():
        task = tasks[number]
        assert task["title"] == title
        assert task["units_text"] == units_text
        named = "、".join(names[c] for c in task["units"])
        if task["members_clause"] == "all":
            assert task["units"] == [] and units_text == "区知识产权工作领导小组各成员单位按职责分工负责"
        elif task["members_clause"] == "others":
            assert units_text.startswith(named + "，其他")
        else:
            assert named == units_text, f"task {number}"


def test_the_first_named_unit_leads_each_task(plan, client):
    task7 = client.get("/api/v1/plan/tasks/7").json()
    assert [u["name"] for u in task7["units"]] == ["区市场监管局", "公安南开分局", "区文化和旅游局", "区法院", "区检察院", "区司法局"]
    assert [u["is_lead"] for u in task7["units"]] == [True, False, False, False, False, False]
    task17 = client.get("/api/v1/plan/tasks/17").json()
    assert task17["units"][0]["name"] == "区人社局" and task17["units"][0]["is_lead"]


def test_the_plan_names_fifteen_responsible_units_and_four_safeguards(plan, capsys):
    exported = _export(capsys)
    assert len(exported["units"]) == 15
    assert [s["title"] for s in exported["safeguards"]] == ["加强组织领导", "强化政策引导", "加大资金投入", "建立健全考核评价制度"]
    assert [g["name"] for g in exported["goals"]] == [
        "知识产权创造质量更高、结构更优", "知识产权运用市场更活、效益更高", "知识产权保护力度更强、形象更好",
        "知识产权管理谋划更深、措施更实", "知识产权服务范围更广、能力更强", "知识产权文化氛围更浓、环境更优"]
    assert all(g["qualitative"] for g in exported["goals"])


def test_home_page_shows_goals_indicators_tasks_and_safeguards_to_anonymous_visitors(plan, client):
    page = client.get("/").content.decode()
    for text in ["南开政发〔2024〕1号", "知识产权创造质量更高、结构更优", "有效发明专利数量", "不少于 14000 件",
                 "实施天开高教科创园核心区知识产权强基行动", "打造知识产权文化宣传矩阵", "区人社局（牵头）",
                 "建立健全考核评价制度"]:
        assert text in page, text
    assert page.count('data-task="') == 18
    assert page.count('data-indicator="') == 32


def test_export_without_a_plan_says_so(db, capsys):
    call_command("migrate", verbosity=0)
    assert ipcity_main(["plan", "export"]) == 1
    assert "尚未导入工作方案" in capsys.readouterr().err
