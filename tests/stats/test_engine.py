"""The indicator engine on small registries whose answers were worked out by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from ipcity.stats.core.engine import DEFINITIONS, compound_growth, evaluate
from ipcity.stats.core.records import (
    EventType,
    InsurancePolicy,
    LegalEvent,
    Patent,
    PatentType,
    Pledge,
    PopulationFigure,
    Registry,
    Securitization,
    SeiIpcTable,
    Trademark,
)

D = dt.date
HERE = "天津市南开区"
ELSEWHERE = "北京市海淀区"


def invention(number, filed, granted, ipc=("G06F 16/00",), district=HERE):
    return Patent(number, PatentType.INVENTION, filed, granted, ipc, district)


def event(number, kind, day, **kw):
    return LegalEvent(number, kind, day, **kw)


def registry(**kw):
    base = {"district": HERE, "population": [PopulationFigure(2023, Decimal("80"), "区统计局（测试）")]}
    base.update(kw)
    return Registry(**base)


def value(reg, code, as_of):
    return evaluate(reg, as_of)[code].value


def test_a_patent_is_no_longer_valid_on_the_day_its_term_ends():
    reg = registry(patents=[invention("A", D(2006, 11, 28), D(2009, 5, 1))])
    assert value(reg, "valid_patents", D(2026, 11, 27)) == 1
    assert value(reg, "valid_patents", D(2026, 11, 28)) == 0


def test_an_ungranted_application_is_not_a_valid_patent():
    reg = registry(patents=[invention("A", D(2024, 1, 1), None), invention("B", D(2024, 1, 1), D(2026, 3, 1))])
    assert value(reg, "valid_patents", D(2026, 2, 28)) == 0
    assert value(reg, "valid_patents", D(2026, 3, 1)) == 1


def test_a_patent_restored_after_fee_termination_is_valid_again_from_the_restoration():
    reg = registry(patents=[invention("A", D(2015, 1, 1), D(2017, 1, 1))],
                   events=[event("A", EventType.FEE_TERMINATION, D(2025, 3, 1)),
                           event("A", EventType.RESTORATION, D(2025, 6, 1))])
    assert value(reg, "valid_patents", D(2025, 2, 28)) == 1
    assert value(reg, "valid_patents", D(2025, 4, 1)) == 0
    assert value(reg, "valid_patents", D(2025, 7, 1)) == 1


@pytest.mark.parametrize("ending", [EventType.ABANDONMENT, EventType.INVALIDATION_FULL, EventType.EXPIRY])
def test_a_restoration_never_revives_a_patent_abandoned_fully_invalidated_or_expired(ending):
    reg = registry(patents=[invention("A", D(2015, 1, 1), D(2017, 1, 1))],
                   events=[event("A", ending, D(2025, 3, 1)), event("A", EventType.RESTORATION, D(2025, 6, 1))])
    assert value(reg, "valid_patents", D(2025, 2, 28)) == 1
    assert value(reg, "valid_patents", D(2025, 4, 1)) == 0
    assert value(reg, "valid_patents", D(2025, 7, 1)) == 0
    assert value(reg, "valid_invention_patents", D(2026, 1, 1)) == 0


def test_a_restoration_after_a_fee_termination_does_not_undo_an_abandonment_recorded_in_between():
    reg = registry(patents=[invention("A", D(2015, 1, 1), D(2017, 1, 1))],
                   events=[event("A", EventType.FEE_TERMINATION, D(2025, 3, 1)),
                           event("A", EventType.ABANDONMENT, D(2025, 4, 1)),
                           event("A", EventType.RESTORATION, D(2025, 6, 1))])
    assert value(reg, "valid_patents", D(2025, 7, 1)) == 0


def test_a_patent_restored_twice_after_two_fee_terminations_is_valid_after_each_restoration():
    reg = registry(patents=[invention("A", D(2015, 1, 1), D(2017, 1, 1))],
                   events=[event("A", EventType.FEE_TERMINATION, D(2024, 3, 1)),
                           event("A", EventType.RESTORATION, D(2024, 6, 1)),
                           event("A", EventType.FEE_TERMINATION, D(2025, 3, 1)),
                           event("A", EventType.RESTORATION, D(2025, 6, 1))])
    assert [value(reg, "valid_patents", day) for day in (D(2024, 4, 1), D(2024, 7, 1), D(2025, 4, 1), D(2025, 7, 1))] \
        == [0, 1, 0, 1]


def test_a_partly_invalidated_patent_stays_valid_and_a_fully_invalidated_one_does_not():
    reg = registry(patents=[invention("P", D(2015, 1, 1), D(2017, 1, 1)), invention("F", D(2015, 1, 1), D(2017, 1, 1))],
                   events=[event("P", EventType.INVALIDATION_PARTIAL, D(2025, 1, 1)),
                           event("F", EventType.INVALIDATION_FULL, D(2025, 1, 1))])
    assert evaluate(reg, D(2025, 6, 1))["valid_patents"].records == ("P",)


def test_a_patent_transferred_out_of_the_district_stops_counting_and_the_transfer_counts():
    reg = registry(patents=[invention("A", D(2015, 1, 1), D(2017, 1, 1))],
                   events=[event("A", EventType.TRANSFER, D(2025, 5, 1), new_owner_district=ELSEWHERE)],
                   coverage={"events": D(2015, 1, 1)})
    assert value(reg, "valid_patents", D(2025, 4, 30)) == 1
    assert value(reg, "valid_patents", D(2025, 5, 1)) == 0
    assert evaluate(reg, D(2025, 12, 31))["transfers_and_licences_growth"].series[2025] == 1


def test_a_patent_transferred_into_the_district_counts_but_its_transfer_does_not():
    reg = registry(patents=[invention("A", D(2015, 1, 1), D(2017, 1, 1), district=ELSEWHERE)],
                   events=[event("A", EventType.TRANSFER, D(2025, 5, 1), new_owner_district=HERE)],
                   coverage={"events": D(2015, 1, 1)})
    assert value(reg, "valid_patents", D(2025, 6, 1)) == 1
    assert evaluate(reg, D(2025, 12, 31))["transfers_and_licences_growth"].series[2025] == 0


def test_an_unresolved_address_is_never_counted_for_the_district():
    reg = registry(patents=[invention("A", D(2015, 1, 1), D(2017, 1, 1), district=None)])
    assert value(reg, "valid_patents", D(2025, 6, 1)) == 0


def test_a_utility_model_counts_as_a_patent_but_not_an_invention_and_lasts_ten_years():
    utility = Patent("U", PatentType.UTILITY_MODEL, D(2016, 3, 1), D(2016, 9, 1), (), HERE)
    reg = registry(patents=[utility, invention("I", D(2016, 3, 1), D(2018, 9, 1))])
    results = evaluate(reg, D(2026, 2, 28))
    assert (results["valid_patents"].value, results["valid_invention_patents"].value) == (2, 1)
    assert value(reg, "valid_patents", D(2026, 3, 1)) == 1


def test_a_design_filed_after_june_2021_lasts_fifteen_years():
    old = Patent("OLD", PatentType.DESIGN, D(2021, 5, 31), D(2021, 12, 1), (), HERE)
    new = Patent("NEW", PatentType.DESIGN, D(2021, 6, 1), D(2021, 12, 1), (), HERE)
    assert evaluate(registry(patents=[old, new]), D(2031, 6, 15))["valid_patents"].records == ("NEW",)


def test_per_10k_divides_by_the_latest_year_end_population():
    reg = registry(patents=[invention(str(i), D(2020, 1, 1), D(2022, 1, 1)) for i in range(6)],
                   population=[PopulationFigure(2024, Decimal("120"), "s"), PopulationFigure(2025, Decimal("80"), "s")])
    assert value(reg, "valid_invention_patents_per_10k", D(2025, 6, 1)) == Decimal("0.05")  # 6 / 120
    assert value(reg, "valid_invention_patents_per_10k", D(2026, 6, 1)) == Decimal("0.08")  # 6 / 80 = 0.075 → 0.08


def test_per_10k_without_a_population_table_says_what_is_missing():
    reg = registry(population=[], patents=[invention("A", D(2020, 1, 1), D(2022, 1, 1))])
    result = evaluate(reg, D(2025, 6, 1))["valid_invention_patents_per_10k"]
    assert result.value is None and "缺少人口数据" in result.note


def test_each_high_value_criterion_counts_on_its_own():
    sei = SeiIpcTable("测试版", (("C12N", "生物产业"),))
    patents = [
        invention("SEI", D(2020, 1, 1), D(2022, 1, 1), ipc=("C12N 15/10",)),
        invention("FAMILY", D(2020, 1, 1), D(2022, 1, 1)),
        invention("OLD", D(2014, 6, 1), D(2016, 1, 1)),
        invention("PLEDGED", D(2020, 1, 1), D(2022, 1, 1)),
        invention("AWARD", D(2020, 1, 1), D(2022, 1, 1)),
        invention("PLAIN", D(2020, 1, 1), D(2022, 1, 1)),
        Patent("UM", PatentType.UTILITY_MODEL, D(2020, 1, 1), D(2020, 6, 1), ("C12N 1/00",), HERE),
    ]
    events = [event("FAMILY", EventType.FAMILY_ABROAD, D(2023, 1, 1)), event("AWARD", EventType.AWARD, D(2024, 12, 1))]
    pledges = [Pledge("Z1", D(2025, 1, 10), None, Decimal("12000000"), HERE, ("PLEDGED",)),
               Pledge("Z2", D(2025, 1, 10), None, Decimal("500000"), HERE, ("PLAIN",))]
    reg = registry(patents=patents, events=events, pledges=pledges, sei_table=sei,
                   population=[PopulationFigure(2024, Decimal("1"), "s")])
    result = evaluate(reg, D(2025, 6, 1))["high_value_invention_patents_per_10k"]
    assert sorted(result.records) == ["AWARD", "FAMILY", "OLD", "PLEDGED", "SEI"]
    assert result.value == 5


def _pledged_invention_registry(events=(), pledges=()):
    return registry(patents=[invention("A", D(2020, 1, 1), D(2022, 1, 1)), invention("B", D(2020, 1, 1), D(2022, 1, 1))],
                    events=list(events), pledges=list(pledges), population=[PopulationFigure(2024, Decimal("1"), "s")])


def test_a_pledge_known_only_from_the_legal_events_with_its_amount_makes_an_invention_high_value_from_its_date():
    reg = _pledged_invention_registry(events=[event("A", EventType.PLEDGE, D(2025, 3, 10), amount=Decimal("10000000")),
                                              event("B", EventType.PLEDGE, D(2025, 3, 10), amount=Decimal("9999999.99"))])
    assert value(reg, "high_value_invention_patents_per_10k", D(2025, 3, 9)) == 0
    assert evaluate(reg, D(2025, 3, 10))["high_value_invention_patents_per_10k"].records == ("A",)


def test_a_pledge_event_without_an_amount_does_not_make_a_patent_high_value():
    reg = _pledged_invention_registry(events=[event("A", EventType.PLEDGE, D(2025, 3, 10))])
    assert value(reg, "high_value_invention_patents_per_10k", D(2025, 6, 1)) == 0


def test_the_same_pledge_in_the_registry_and_in_the_legal_events_makes_the_patent_high_value_once():
    """Criterion 4 is met or not: the same financing seen twice counts the patent once, never twice."""
    reg = _pledged_invention_registry(
        events=[event("A", EventType.PLEDGE, D(2025, 3, 10), amount=Decimal("12000000"))],
        pledges=[Pledge("Z1", D(2025, 3, 10), None, Decimal("12000000"), HERE, ("A",))])
    result = evaluate(reg, D(2025, 6, 1))["high_value_invention_patents_per_10k"]
    assert result.records == ("A",)
    assert result.value == 1


def test_a_family_member_abroad_added_later_makes_a_patent_high_value_only_from_then():
    reg = registry(patents=[invention("A", D(2020, 1, 1), D(2022, 1, 1))],
                   events=[event("A", EventType.FAMILY_ABROAD, D(2025, 9, 1))],
                   population=[PopulationFigure(2024, Decimal("1"), "s")])
    assert value(reg, "high_value_invention_patents_per_10k", D(2025, 8, 31)) == 0
    assert value(reg, "high_value_invention_patents_per_10k", D(2025, 9, 1)) == 1


def test_maintained_more_than_ten_years_counts_from_the_filing_date():
    reg = registry(patents=[invention("A", D(2015, 7, 1), D(2018, 1, 1))],
                   population=[PopulationFigure(2024, Decimal("1"), "s")])
    assert value(reg, "high_value_invention_patents_per_10k", D(2025, 6, 30)) == 0
    assert value(reg, "high_value_invention_patents_per_10k", D(2025, 7, 1)) == 1


def test_average_annual_growth_is_compound_over_the_complete_pilot_years():
    day = D(2025, 6, 1)
    events = [event(f"P{i}", EventType.LICENCE, D(2023, 3, 1)) for i in range(10)]
    events += [event(f"P{i}", EventType.LICENCE, D(2024, 3, 1)) for i in range(11)]
    events += [event(f"P{i}", EventType.TRANSFER, D(2025, 3, 1), new_owner_district=HERE) for i in range(12)]
    patents = [invention(f"P{i}", D(2015, 1, 1), D(2017, 1, 1)) for i in range(12)]
    reg = registry(patents=patents, events=events)
    assert evaluate(reg, day)["transfers_and_licences_growth"].value == Decimal("10.00")  # 11 / 10 over one year
    result = evaluate(reg, D(2025, 12, 31))["transfers_and_licences_growth"]
    assert result.value == Decimal("9.54")  # (12 / 10) ** (1/2) - 1 = 0.0954
    assert result.series == {2023: 10, 2024: 11, 2025: 12}
    assert evaluate(reg, day)["transfers_and_licences_growth"].series == {2023: 10, 2024: 11, 2025: 12}


def test_an_empty_registry_with_no_coverage_recorded_computes_nothing_rather_than_zero():
    results = evaluate(registry(), D(2025, 6, 1))
    assert set(results) == set(DEFINITIONS)
    assert all(r.value is None and not r.covered and "以填报值为准" in r.note for r in results.values())


def test_growth_cannot_be_computed_before_a_pilot_year_has_ended():
    pledges = [Pledge("Z", D(2023, 5, 1), None, Decimal("1"), HERE)]
    result = evaluate(registry(pledges=pledges), D(2024, 12, 30))["pledge_count_growth"]
    assert result.value is None and "尚无完整年度" in result.note


def test_a_released_pledge_still_counts_in_the_year_it_was_registered():
    pledges = [Pledge("Z2023", D(2023, 5, 1), None, Decimal("1000000"), HERE),
               Pledge("Z2024a", D(2024, 2, 1), D(2024, 8, 1), Decimal("800000"), HERE),
               Pledge("Z2024b", D(2024, 3, 1), None, Decimal("400000"), HERE),
               Pledge("Zelse", D(2024, 3, 1), None, Decimal("9000000"), ELSEWHERE)]
    results = evaluate(registry(pledges=pledges), D(2024, 12, 31))
    assert results["pledge_count_growth"].value == Decimal("100.00")  # 1 → 2
    assert results["pledge_amount_growth"].value == Decimal("20.00")  # 1,000,000 → 1,200,000
    assert sorted(results["pledge_amount_growth"].records) == ["Z2023", "Z2024a", "Z2024b"]


def test_trademarks_are_valid_between_registration_and_expiry_unless_cancelled():
    marks = [Trademark("T1", D(2016, 1, 1), D(2026, 1, 1), None, HERE),
             Trademark("T2", D(2016, 1, 1), D(2035, 12, 31), D(2025, 3, 1), HERE),
             Trademark("T3", D(2020, 1, 1), D(2029, 12, 31), None, ELSEWHERE),
             Trademark("T4", None, None, None, HERE)]
    assert evaluate(registry(trademarks=marks), D(2025, 2, 1))["valid_trademarks"].records == ("T1", "T2")
    assert evaluate(registry(trademarks=marks), D(2026, 1, 2))["valid_trademarks"].records == ()


def test_madrid_filings_are_averaged_over_the_pilot_years_so_far():
    marks = [Trademark(f"M{i}", D(2020, 1, 1), None, None, HERE, madrid_filing_date=day)
             for i, day in enumerate([D(2023, 5, 1), D(2024, 5, 1), D(2024, 6, 1), D(2025, 1, 1), D(2025, 2, 1),
                                      D(2025, 3, 1), D(2025, 4, 1)])]
    result = evaluate(registry(trademarks=marks), D(2025, 10, 1))["madrid_filings"]
    assert result.value == Decimal("3.00")  # (2 + 4) / 2 years
    assert result.series == {2024: 2, 2025: 4}


def test_insurance_and_securitization_count_within_the_pilot():
    policies = [InsurancePolicy("B1", "patent_insurance", D(2023, 12, 31), HERE),
                InsurancePolicy("B2", "patent_insurance", D(2024, 1, 1), HERE),
                InsurancePolicy("B3", "protection_insurance", D(2025, 2, 1), HERE),
                InsurancePolicy("B4", "protection_insurance", D(2025, 3, 1), ELSEWHERE)]
    results = evaluate(registry(policies=policies, securitizations=[Securitization("专利+老字号ABS", D(2025, 9, 1))],
                                coverage={"securitizations": D(2024, 1, 1)}), D(2025, 12, 31))
    assert results["patent_insurance_policies"].records == ("B2", "B3")
    assert results["protection_insurance_annual"].value == 1
    assert results["securitization_pilots"].value == 1


@pytest.mark.parametrize(("base", "last", "years", "expected"), [
    (Decimal(100), Decimal(121), 2, Decimal("10.00")),
    (Decimal(100), Decimal(100), 3, Decimal("0.00")),
    (Decimal(100), Decimal(81), 2, Decimal("-10.00")),
    (Decimal(0), Decimal(5), 2, None),
])
def test_compound_growth(base, last, years, expected):
    assert compound_growth(base, last, years) == expected
