"""Registry coverage in the engine: a value is computed only for a period its records are complete for, a covered
period with no records counts 0, and every record-based indicator of the plan has a rule."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from ipcity.stats.core.engine import COVERAGE_LABELS, DEFINITIONS, PERIODS, evaluate, period_start
from ipcity.stats.core.records import Activity, EventType, LegalEvent, Patent, PatentType, Registry

D = dt.date
HERE = "天津市南开区"
PLAN_FIXTURE = Path(__file__).parents[2] / "src/ipcity/plan/fixtures/nankai-2024.json"


def cases(*days):
    return [Activity("case_patent", f"CASE-{i}", day) for i, day in enumerate(days)]


def test_yearly_cases_recorded_only_from_2025_leave_2024_to_the_reported_value():
    reg = Registry(district=HERE, activities=cases(D(2025, 2, 3), D(2025, 5, 6), D(2026, 1, 9)))
    at_2024 = evaluate(reg, D(2024, 12, 31))["patent_enforcement_cases"]
    assert (at_2024.value, at_2024.covered) == (None, False)
    assert "专利行政查处案件记录自2025年1月1日起完整" in at_2024.note and "未覆盖该期间" in at_2024.note
    assert evaluate(reg, D(2025, 12, 31))["patent_enforcement_cases"].value == 2
    assert evaluate(reg, D(2026, 12, 31))["patent_enforcement_cases"].value == 1


def test_a_kind_covered_by_the_office_with_no_records_counts_zero_instead_of_no_data():
    reg = Registry(district=HERE, coverage={"activity:market_national": D(2024, 1, 1)})
    result = evaluate(reg, D(2025, 12, 31))["national_standardized_markets"]
    assert (result.value, result.covered) == (0, True)


def test_the_recorded_coverage_decides_even_when_records_reach_further_back():
    reg = Registry(district=HERE, activities=cases(D(2024, 5, 1), D(2025, 5, 1)),
                   coverage={"activity:case_patent": D(2025, 3, 1)})
    result = evaluate(reg, D(2025, 12, 31))["patent_enforcement_cases"]
    assert not result.covered and "2025年3月1日" in result.note and "按最早一条记录推定" not in result.note
    assert evaluate(reg, D(2026, 6, 30))["patent_enforcement_cases"].value == 0


def test_a_cumulative_count_needs_records_complete_from_the_pilot_start():
    centers = [Activity("operation_center", "OC-1", D(2025, 4, 1))]
    late = Registry(district=HERE, activities=centers, coverage={"activity:operation_center": D(2025, 1, 1)})
    assert not evaluate(late, D(2025, 12, 31))["operation_centers"].covered
    whole = Registry(district=HERE, activities=centers, coverage={"activity:operation_center": D(2024, 1, 1)})
    assert evaluate(whole, D(2025, 3, 31))["operation_centers"].value == 0
    assert evaluate(whole, D(2025, 12, 31))["operation_centers"].value == 1


def test_operation_centers_count_by_recognition_date_within_the_pilot():
    centers = [Activity("operation_center", "OC-0", D(2023, 6, 1)), Activity("operation_center", "OC-1", D(2024, 9, 1)),
               Activity("operation_center", "OC-2", D(2026, 3, 1))]
    reg = Registry(district=HERE, activities=centers, coverage={"activity:operation_center": D(2020, 1, 1)})
    result = evaluate(reg, D(2026, 2, 28))["operation_centers"]
    assert (result.value, tuple(result.records)) == (1, ("OC-1",))
    assert evaluate(reg, D(2026, 12, 31))["operation_centers"].value == 2


def test_a_growth_rate_needs_records_complete_from_the_base_year():
    patents = [Patent("P", PatentType.INVENTION, D(2015, 1, 1), D(2017, 1, 1), (), HERE)]
    events = [LegalEvent("P", EventType.LICENCE, D(2023, 3, 1)), LegalEvent("P", EventType.LICENCE, D(2024, 3, 1))]
    reg = Registry(district=HERE, patents=patents, events=events, coverage={"events": D(2024, 1, 1)})
    assert not evaluate(reg, D(2024, 12, 31))["transfers_and_licences_growth"].covered
    reg.coverage["events"] = D(2023, 1, 1)
    assert evaluate(reg, D(2024, 12, 31))["transfers_and_licences_growth"].value == Decimal("0.00")


def test_a_stock_is_known_on_a_day_only_when_its_records_are_complete_from_that_day_or_before():
    certificates = [Activity("officer_certificate", "C-1", D(2025, 7, 1), until=D(2030, 6, 30))]
    reg = Registry(district=HERE, activities=certificates, coverage={"activity:officer_certificate": D(2025, 6, 1)})
    assert not evaluate(reg, D(2025, 5, 31))["certified_patent_enforcement_officers"].covered
    assert evaluate(reg, D(2025, 6, 1))["certified_patent_enforcement_officers"].value == 0
    assert evaluate(reg, D(2025, 7, 1))["certified_patent_enforcement_officers"].value == 1


def test_without_records_or_recorded_coverage_the_value_is_left_to_the_unit_and_says_why():
    result = evaluate(Registry(district=HERE), D(2025, 12, 31))["national_standardized_markets"]
    assert (result.value, result.covered) == (None, False)
    assert "尚无国家级规范化市场认定记录" in result.note


def test_coverage_inferred_from_the_earliest_record_says_it_was_inferred():
    reg = Registry(district=HERE, activities=cases(D(2025, 3, 5)))
    note = evaluate(reg, D(2024, 12, 31))["patent_enforcement_cases"].note
    assert "2025年1月1日" in note and "按最早一条记录推定" in note


@pytest.mark.parametrize(("code", "start"), [
    ("valid_patents", D(2025, 8, 15)), ("patent_enforcement_cases", D(2025, 1, 1)),
    ("custody_smes", D(2024, 1, 1)), ("madrid_filings", D(2024, 1, 1)), ("pledge_count_growth", D(2023, 1, 1)),
])
def test_each_kind_of_indicator_counts_from_its_own_period_start(code, start):
    assert period_start(code, D(2025, 8, 15)) == start


def test_every_definition_has_a_period_and_its_records_a_chinese_label():
    assert set(PERIODS) >= set(DEFINITIONS)
    assert {needs for _, needs in DEFINITIONS.values()} <= set(COVERAGE_LABELS)


def test_every_indicator_the_plan_counts_from_records_has_an_engine_rule():
    plan = json.loads(PLAN_FIXTURE.read_text(encoding="utf-8"))
    from_records = {i["code"] for i in plan["indicators"] if i["data_source"] == "records"}
    assert from_records - set(DEFINITIONS) == set()
