"""A value reported for an indicator, or confirmed by the office as its official value, must make sense for it:
counts and stocks (件、个、家、次、人次…) are never negative and are whole numbers (averages and per-10k densities may
be fractional), shares (%) lie within 0–100, growth rates may fall but not below -100 %. The same rule
(plan.core.value_sense) refuses it in Chinese, naming the indicator and the rule, on the API, the indicator page,
the by-year page and in a progress report's figures, and nothing is written."""

import datetime as dt
from decimal import Decimal

import pytest

from ipcity.audit.models import AuditEntry
from ipcity.plan.models import IndicatorConfirmation, IndicatorValue, ProgressReport
from tests.helpers import json_text, post_json, started_work_item

# (indicator, value, what the refusal says)
NONSENSE = [
    ("patent_enforcement_cases", "-5", "“专利行政查处案件”是数量（单位：件），不能为负数"),
    ("trainings", "2.5", "“知识产权专业培训次数”以“次”计数，应为整数"),
    ("valid_patents", "-1", "不能为负数"),
    ("training_person_times", "0.5", "应为整数"),
    ("patent_insurance_policies", "1.5", "应为整数"),
    ("patent_intensive_and_copyright_gdp_share", "150", "“专利密集型产业和版权产业增加值占GDP比重”是比重，应在0～100%之间"),
    ("patent_product_output_share", "-3", "是比重，应在0～100%之间"),
    ("pledge_amount_growth", "-150", "“专利质押融资金额年均增幅”是增长率，最低为-100%"),
]
SENSIBLE = [
    ("patent_enforcement_cases", "0"), ("trainings", "12"), ("patent_intensive_and_copyright_gdp_share", "12.35"),
    ("patent_product_output_share", "100"), ("pledge_amount_growth", "-20"), ("transfers_and_licences_growth", "-100"),
    ("valid_invention_patents_per_10k", "12.5"), ("madrid_filings", "3.5"),
]


def _nothing_written():
    assert not IndicatorConfirmation.objects.exists() and not IndicatorValue.objects.exists()
    assert not AuditEntry.objects.filter(action__in=["plan.indicator.confirm", "plan.indicator_value.report"]).exists()


@pytest.mark.parametrize(("code", "value", "message"), NONSENSE)
def test_the_office_cannot_confirm_a_value_that_makes_no_sense_for_the_indicator(
        client_for, plan, frozen_clock, code, value, message):
    office = client_for("office_admin")
    api = post_json(office, f"/api/v1/indicators/{code}/confirmations",
                {"year": 2025, "basis": "other", "value": value, "reason": "核定"})
    assert api.status_code == 422 and message in json_text(api)
    page = office.post("/indicators/by-year/", {"indicator": code, "year": "2025", "basis": "other", "value": value,
                                                "reason": "核定"})
    form = page.content.decode().split('data-testid="confirm-form"', 1)[1].split("</form>", 1)[0]
    assert page.status_code == 200 and message in form
    own = office.post(f"/plan/indicators/{code}/", {"form": "confirm", "confirm-year": "2025",
                                                    "confirm-basis": "other", "confirm-value": value,
                                                    "confirm-reason": "核定"})
    assert own.status_code == 200 and message in own.content.decode()
    _nothing_written()


@pytest.mark.parametrize(("code", "value", "message"), NONSENSE)
def test_a_value_that_makes_no_sense_for_the_indicator_cannot_be_reported(
        client_for, plan, frozen_clock, code, value, message):
    office = client_for("office_admin")
    api = post_json(office, f"/api/v1/plan/indicators/{code}/values", {"as_of": "2026-10-31", "value": value,
                                                                    "source": "台账"})
    assert api.status_code == 422 and message in json_text(api)
    page = office.post(f"/plan/indicators/{code}/", {"form": "report", "report-as_of": "2026-10-31",
                                                     "report-value": value, "report-source": "台账"})
    assert page.status_code == 200 and message in page.content.decode()
    _nothing_written()


@pytest.mark.parametrize(("code", "value"), SENSIBLE)
def test_a_sensible_value_is_reported_and_confirmed(client_for, plan, frozen_clock, code, value):
    office = client_for("office_admin")
    reported = post_json(office, f"/api/v1/plan/indicators/{code}/values", {"as_of": "2025-12-31", "value": value,
                                                                         "source": "台账"})
    assert reported.status_code == 201, reported.content
    confirmed = post_json(office, f"/api/v1/indicators/{code}/confirmations",
                      {"year": 2025, "basis": "other", "value": value, "reason": "核定"})
    assert confirmed.status_code == 201, confirmed.content
    assert IndicatorConfirmation.objects.get().value == Decimal(value)


def test_a_progress_report_with_a_negative_figure_is_refused_and_neither_the_report_nor_the_value_is_stored(
        client_for, people, frozen_clock):
    office, unit = client_for("office_admin"), client_for("unit_staff")
    item = started_work_item(office, unit)
    api = post_json(unit, f"/api/v1/supervision/items/{item}/reports", {
        "period": "2026-10", "text": "完成导航项目", "figures": {"navigation_projects_industry_planning": -2}})
    assert api.status_code == 422 and "“产业规划类专利导航项目”是数量（单位：个），不能为负数" in json_text(api)
    page = unit.post(f"/supervision/items/{item}/", {
        "form": "report", "period": "2026-10", "text": "完成导航项目",
        "figure_navigation_projects_industry_planning": "1.5"})
    assert page.status_code == 200 and "“产业规划类专利导航项目”以“个”计数，应为整数" in page.content.decode()
    assert not ProgressReport.objects.exists() and not IndicatorValue.objects.exists()


def test_the_office_cannot_adopt_a_reported_value_that_makes_no_sense(client_for, plan, people, frozen_clock):
    # a negative figure stored before values were checked
    IndicatorValue.objects.create(indicator=plan.indicators.get(code="patent_enforcement_cases"),
                                  as_of=dt.date(2025, 12, 31), value=-5, source="旧台账",
                                  reported_by=people["office_admin"], reported_at=frozen_clock.now)
    response = post_json(client_for("office_admin"), "/api/v1/indicators/patent_enforcement_cases/confirmations",
                     {"year": 2025, "basis": "reported", "reason": "采用报送值"})
    assert response.status_code == 422 and "不能采用该值：“专利行政查处案件”是数量（单位：件），不能为负数" in json_text(response)
    assert not IndicatorConfirmation.objects.exists()
