"""The office records from when each kind of registry records is complete; the indicators follow at once."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from ipcity import clock
from ipcity.audit.models import AuditEntry
from ipcity.plan.models import IndicatorValue
from ipcity.stats.models import RegistryCoverage

MARKETS = "activity:market_national"


def _indicator(client, code, as_of):
    rows = client.get("/api/v1/plan/indicators", {"as_of": as_of}).json()
    return next(r for r in rows if r["code"] == code)


def test_the_office_records_coverage_on_the_page_and_sees_it_with_chinese_labels(client_for):
    office = client_for("office_admin")
    page = office.get("/registries/coverage/").content.decode()
    assert "专利行政查处案件记录" in page and "国家级规范化市场认定记录" in page
    assert "activity:" not in re.sub(r'value="[^"]*"', "", page)  # internal names only as the form's option values
    response = office.post("/registries/coverage/", {"kind": MARKETS, "complete_from": "2024-01-01",
                                                     "reason": "自试点起认定均在平台登记"})
    assert response.status_code == 302
    page = office.get("/registries/coverage/").content.decode()
    assert "2024-01-01" in page and "自试点起认定均在平台登记" in page


def test_a_covered_kind_without_records_shows_zero_instead_of_no_data(client_for, plan):
    office = client_for("office_admin")
    assert _indicator(office, "national_standardized_markets", "2025-12-31")["latest"] is None
    response = office.post("/api/v1/registries/coverage", {"kind": MARKETS, "complete_from": "2024-01-01"},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["complete_from"] == "2024-01-01"
    row = _indicator(office, "national_standardized_markets", "2025-12-31")
    assert row["computed"] and Decimal(row["latest"]["value"]) == 0


def test_a_period_the_records_do_not_cover_keeps_the_units_reported_value(client_for, plan, people):
    office = client_for("office_admin")
    indicator = plan.indicators.get(code="national_standardized_markets")
    IndicatorValue.objects.create(indicator=indicator, as_of=dt.date(2024, 12, 31), value=Decimal(1), source="区市场监管局报送",
                                  reported_by=people["office_admin"], reporting_unit=people["office_admin"].organization,
                                  reported_at=clock.now())
    office.post("/api/v1/registries/coverage", {"kind": MARKETS, "complete_from": "2025-01-01"},
                content_type="application/json")
    at_2024 = _indicator(office, "national_standardized_markets", "2024-12-31")
    assert not at_2024["computed"] and Decimal(at_2024["latest"]["value"]) == 1
    records = office.get("/api/v1/indicators/national_standardized_markets/records", {"as_of": "2024-12-31"}).json()
    assert records["covered"] is False and records["value"] is None and "未覆盖该期间" in records["note"]
    office.post("/api/v1/registries/coverage", {"kind": MARKETS, "complete_from": "2024-01-01",
                                                "reason": "补录了2024年的认定"}, content_type="application/json")
    at_2024 = _indicator(office, "national_standardized_markets", "2024-12-31")
    assert at_2024["computed"] and Decimal(at_2024["latest"]["value"]) == 0


def test_the_latest_coverage_of_a_kind_applies_and_the_earlier_ones_stay_as_history(client_for):
    office = client_for("office_admin")
    for day in ("2025-01-01", "2024-01-01"):
        office.post("/api/v1/registries/coverage", {"kind": MARKETS, "complete_from": day}, content_type="application/json")
    listed = next(r for r in office.get("/api/v1/registries/coverage").json() if r["kind"] == MARKETS)
    assert listed["complete_from"] == "2024-01-01" and listed["label"] == "国家级规范化市场认定记录"
    assert [h["complete_from"] for h in listed["history"]] == ["2024-01-01", "2025-01-01"]


def test_recording_coverage_is_audited_with_the_date_it_replaced(client_for):
    office = client_for("office_admin")
    for day in ("2025-01-01", "2024-01-01"):
        office.post("/api/v1/registries/coverage", {"kind": MARKETS, "complete_from": day}, content_type="application/json")
    entry = AuditEntry.objects.filter(action="stats.coverage.set").latest("id")
    assert entry.actor_name == "office_admin"
    assert entry.before == {"complete_from": "2025-01-01"} and entry.after["complete_from"] == "2024-01-01"


@pytest.mark.parametrize("persona", [None, "unit_staff", "enterprise_user", "enforcement_officer"])
def test_nobody_but_the_office_may_record_coverage(client_for, persona):
    client = client_for(persona)
    api = client.post("/api/v1/registries/coverage", {"kind": MARKETS, "complete_from": "2024-01-01"},
                      content_type="application/json")
    page = client.post("/registries/coverage/", {"kind": MARKETS, "complete_from": "2024-01-01"})
    assert api.status_code in (401, 403) and page.status_code in (302, 403)
    assert RegistryCoverage.objects.count() == 0


@pytest.mark.parametrize(("day", "message"), [
    ("2026-13-45", "日期"), ("abc", "日期"), ("1900-01-01", "记录完整起始日应在"), ("2099-01-01", "记录完整起始日应在"),
])
def test_an_impossible_or_absurd_date_is_refused_in_chinese_and_nothing_is_recorded(client_for, day, message):
    office = client_for("office_admin")
    api = office.post("/api/v1/registries/coverage", {"kind": MARKETS, "complete_from": day},
                      content_type="application/json")
    assert api.status_code == 422 and message in str(api.json()["detail"])
    page = office.post("/registries/coverage/", {"kind": MARKETS, "complete_from": day})
    assert page.status_code == 200 and message in page.content.decode()
    assert RegistryCoverage.objects.count() == 0 and not AuditEntry.objects.filter(action="stats.coverage.set").exists()


def test_an_unknown_kind_of_records_is_refused_in_chinese(client_for):
    response = client_for("office_admin").post("/api/v1/registries/coverage", {"kind": "comets", "complete_from": "2024-01-01"},
                                               content_type="application/json")
    assert response.status_code == 422 and "未知的记录类别" in str(response.json()["detail"])
