"""Indicators by year (issue 13): every indicator for 2024, 2025 and 2026, where each value comes from, the computed
and reported values side by side, and the office's confirmation of the official value.

The hand-built world: trainings are recorded on the platform from 2025 only (12 sessions in 2025, 3 in 2026), so
the engine does not cover 2024; the unit reported 11 for 2024 and 10 for 2025."""

import datetime as dt
import io
import json
import secrets
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ipcity import cli, clock
from ipcity.audit.models import AuditEntry
from ipcity.plan.models import IndicatorConfirmation, IndicatorValue
from ipcity.plan.services import indicator_value_report
from ipcity.services.models import Attendance, Training
from ipcity.stats.by_year import indicator_years

TODAY = dt.datetime(2027, 1, 8, 9, 0, tzinfo=dt.UTC)  # the pilot's three years are all over


@pytest.fixture
def world(plan, people):
    with clock.frozen_at(TODAY):
        office = people["office_admin"]
        for year, sessions in ((2025, 12), (2026, 3)):
            for n in range(sessions):
                training = Training.objects.create(
                    title=f"{year}年培训{n}", audience="enterprises", held_on=dt.date(year, 3, 1 + n), hours=2,
                    place="会议室", organizer=office.organization, sign_in_token=secrets.token_urlsafe(32),
                    created_by=office, created_at=clock.now())
                Attendance.objects.create(training=training, name="张三", organization_name="某公司",
                                          phone="13800000000", source="manual", signed_at=clock.now())
        trainings = plan.indicators.get(code="trainings")
        indicator_value_report(indicator=trainings, actor=office, as_of=dt.date(2024, 12, 31), value=11,
                               source="区科技局培训台账")
        indicator_value_report(indicator=trainings, actor=office, as_of=dt.date(2025, 12, 31), value=10,
                               source="区科技局培训台账")
        yield plan


@pytest.fixture
def at_today():
    with clock.frozen_at(TODAY):
        yield


def _years(plan, code="trainings"):
    row = next(r for r in indicator_years(plan=plan) if r["indicator"].code == code)
    return row["years"]


# ---------------------------------------------------------------------------------------------------- the values

def test_each_pilot_year_has_its_own_value_source_and_status(world, at_today):
    years = _years(world)
    assert list(years) == [2024, 2025, 2026]
    y2024, y2025, y2026 = years[2024], years[2025], years[2026]
    # 2024: the engine does not cover it; the unit's 11 stands as a proposal, never a computed 0
    assert (y2024.computed, y2024.covered, y2024.reported.value) == (None, False, Decimal(11))
    assert (y2024.official, y2024.source, y2024.pending, y2024.status_label) == (None, "reported", True, "待核定")
    assert y2024.shown == Decimal(11) and y2024.source_label == "单位报送（待核定）"
    # 2025: computed 12 beside the reported 10: pending until the office decides, and the difference is +2
    assert (y2025.computed, y2025.reported.value, y2025.difference) == (Decimal(12), Decimal(10), Decimal(2))
    assert (y2025.official, y2025.pending, y2025.status_label) == (None, True, "待核定")
    # 2026: computed 3 alone is official; the year is over and 3 < 10: 未达标, never 推进中
    assert (y2026.official, y2026.source, y2026.source_label) == (Decimal(3), "computed", "由记录计算")
    assert (y2026.target, y2026.status_label) == (Decimal(10), "未达标")


def test_an_end_state_indicator_has_a_target_only_in_its_deadline_year(world, at_today):
    years = _years(world, "valid_patents")
    assert [years[y].target for y in (2024, 2025)] == [None, None]
    assert years[2026].target == Decimal(26000)


def test_a_year_without_its_own_target_is_not_judged(world, at_today):
    navigation = world.indicators.get(code="navigation_projects_industry_planning")
    IndicatorConfirmation.objects.create(indicator=navigation, year=2025, value=2, basis="other", reason="验收材料",
                                         confirmed_by=IndicatorValue.objects.first().reported_by,
                                         confirmed_at=clock.now())
    y2025 = _years(world, "navigation_projects_industry_planning")[2025]
    assert (y2025.official, y2025.status_code, y2025.status_label) == (Decimal(2), "no_annual_target", "无年度目标")


# ---------------------------------------------------------------------------------------------------- the page

def _cell(html: str, code: str, year: int) -> str:
    row = html.split(f'data-indicator="{code}"', 1)[1].split("</tr>", 1)[0]
    return row.split(f'<td data-year="{year}"', 1)[1].split("</td>", 1)[0]


def test_the_by_year_page_shows_every_indicator_for_2024_2025_and_2026(world, at_today, client):
    html = client.get("/indicators/by-year/").content.decode()
    for year in (2024, 2025, 2026):
        assert f"<th>{year}年</th>" in html
    assert html.count("<tr data-indicator=") == world.indicators.count()
    cell_2024 = _cell(html, "trainings", 2024)
    assert "11 次" in cell_2024 and "单位报送（待核定）" in cell_2024 and "待核定" in cell_2024
    cell_2026 = _cell(html, "trainings", 2026)
    assert "3 次" in cell_2026 and "由记录计算" in cell_2026 and "未达标" in cell_2026


def test_where_computed_and_reported_differ_the_page_shows_both_and_warns(world, at_today, client):
    cell = _cell(client.get("/indicators/by-year/").content.decode(), "trainings", 2025)
    assert 'class="differs"' in cell or "differs" in cell
    assert '<span data-testid="computed">12</span>' in cell
    assert '<span data-testid="reported">10</span>' in cell
    assert '<span data-testid="difference">+2</span>' in cell and "不一致" in cell


def test_the_indicator_dashboard_links_to_the_by_year_page(world, at_today, client):
    assert 'href="/indicators/by-year/"' in client.get("/indicators/").content.decode()


def test_a_units_reported_figure_shows_as_a_proposal_on_the_dashboard(world, at_today, client):
    html = client.get("/indicators/").content.decode()
    row = html.split('data-indicator="trainings"', 1)[1].split("</tr>", 1)[0]
    assert "单位报送（待核定）" not in row  # trainings is computed now (2027: covered)
    patent_gdp = world.indicators.get(code="patent_product_output_share")
    with clock.frozen_at(TODAY):
        indicator_value_report(indicator=patent_gdp, actor=IndicatorValue.objects.first().reported_by,
                               as_of=dt.date(2026, 12, 31), value=9, source="区统计局")
    html = client.get("/indicators/").content.decode()
    row = html.split('data-indicator="patent_product_output_share"', 1)[1].split("</tr>", 1)[0]
    assert "单位报送（待核定）" in row and "待核定" in row


# ---------------------------------------------------------------------------------------------------- confirming

def _office(client_for):
    return client_for("office_admin")


def test_the_office_confirms_a_value_and_it_becomes_official_with_an_audit_row(world, at_today, client_for):
    office = _office(client_for)
    response = office.post("/indicators/by-year/", {"indicator": "trainings", "year": "2025", "basis": "computed",
                                                     "reason": "核对培训签到记录，报送台账漏记两场"})
    assert response.status_code == 302
    y2025 = _years(world)[2025]
    assert (y2025.official, y2025.source, y2025.pending, y2025.status_label) == (Decimal(12), "confirmed", False, "已达标")
    assert y2025.source_label == "办公室核定"
    confirmation = IndicatorConfirmation.objects.get()
    assert (confirmation.computed_value, confirmation.reported_value.value) == (Decimal(12), Decimal(10))
    entry = AuditEntry.objects.get(action="plan.indicator.confirm")
    assert entry.before is None and entry.after["value"] in ("12", 12, "12.0000")
    assert entry.after["reason"] == "核对培训签到记录，报送台账漏记两场"


def test_a_new_confirmation_supersedes_the_last_and_both_stay_in_the_history(world, at_today, client_for):
    office = _office(client_for)
    office.post("/indicators/by-year/", {"indicator": "trainings", "year": "2025", "basis": "computed",
                                         "reason": "按签到记录"})
    response = office.post("/plan/indicators/trainings/", {
        "form": "confirm", "confirm-year": "2025", "confirm-basis": "other", "confirm-value": "11",
        "confirm-reason": "一场培训无签到表，不计入"})
    assert response.status_code == 302
    assert _years(world)[2025].official == Decimal(11)
    html = office.get("/plan/indicators/trainings/").content.decode()
    history = html.split('data-testid="confirmations"', 1)[1].split("</table>", 1)[0]
    assert history.index("一场培训无签到表") < history.index("按签到记录")  # newest first
    second = AuditEntry.objects.filter(action="plan.indicator.confirm").order_by("-id").first()
    assert second.before["reason"] == "按签到记录" and second.after["reason"] == "一场培训无签到表，不计入"


def test_the_office_adopts_the_reported_value_for_a_year_the_engine_does_not_cover(world, at_today, client_for):
    _office(client_for).post("/indicators/by-year/", {"indicator": "trainings", "year": "2024", "basis": "reported",
                                                      "reason": "2024年尚无平台记录，采用科技局台账"})
    y2024 = _years(world)[2024]
    assert (y2024.official, y2024.source, y2024.status_label) == (Decimal(11), "confirmed", "已达标")


@pytest.mark.parametrize("persona", ["unit_staff", "enterprise_user", None])
def test_a_unit_cannot_confirm_and_is_refused_in_chinese(world, at_today, client_for, persona):
    response = client_for(persona).post("/indicators/by-year/", {
        "indicator": "trainings", "year": "2025", "basis": "computed", "reason": "自行核定"})
    assert response.status_code == 403
    assert "办公室" in response.content.decode()
    api = client_for(persona).post("/api/v1/indicators/trainings/confirmations", {
        "year": 2025, "basis": "computed", "reason": "自行核定"}, content_type="application/json")
    assert api.status_code in (401, 403)
    assert not IndicatorConfirmation.objects.exists()


@pytest.mark.parametrize(("fields", "message"), [
    ({"year": "2023", "basis": "other", "value": "5"}, "试点期内"),
    ({"year": "2027", "basis": "other", "value": "5"}, "年度"),
    ({"year": "2025", "basis": "other", "value": "1e30"}, "核定值"),
    ({"year": "2025", "basis": "other", "value": "abc"}, "核定值"),
    ({"year": "2025", "basis": "other", "value": ""}, "核定值"),
    ({"year": "2025", "basis": "computed", "reason": " "}, "核定理由"),
    ({"year": "2024", "basis": "computed"}, "没有由记录计算的值"),
    ({"indicator": "no_such_indicator", "year": "2025", "basis": "other", "value": "5"}, "有效的选项"),
])
def test_a_bad_confirmation_is_refused_in_chinese_and_writes_nothing(world, at_today, client_for, fields, message):
    office = _office(client_for)
    response = office.post("/indicators/by-year/", {"indicator": "trainings", "reason": "理由", **fields})
    assert response.status_code == 200
    html = response.content.decode()
    form = html.split('data-testid="confirm-form"', 1)[1].split("</form>", 1)[0]
    assert 'class="errorlist' in form and message in form
    assert not IndicatorConfirmation.objects.exists()
    assert not AuditEntry.objects.filter(action="plan.indicator.confirm").exists()


def test_the_api_refuses_a_year_outside_the_pilot_and_an_indicator_not_in_the_plan(world, at_today, client_for):
    office = _office(client_for)
    response = office.post("/api/v1/indicators/trainings/confirmations", {
        "year": 2023, "basis": "other", "value": "5", "reason": "理由"}, content_type="application/json")
    assert response.status_code == 422 and "试点期内" in json.dumps(response.json(), ensure_ascii=False)
    response = office.post("/api/v1/indicators/no_such_indicator/confirmations", {
        "year": 2025, "basis": "other", "value": "5", "reason": "理由"}, content_type="application/json")
    assert response.status_code == 404
    assert not IndicatorConfirmation.objects.exists()


# ---------------------------------------------------------------------------------------------------- API and CLI

def _api_trainings(client):
    body = client.get("/api/v1/indicators/by-year").json()
    assert body["years"] == [2024, 2025, 2026]
    return next(i for i in body["indicators"] if i["code"] == "trainings")


def test_the_api_gives_every_year_with_codes_labels_and_decimal_strings(world, at_today, client):
    trainings = _api_trainings(client)
    y2024, y2025, y2026 = trainings["years"]
    assert (y2024["official"], y2024["source"], y2024["source_label"], y2024["pending"]) == (
        None, "reported", "单位报送（待核定）", True)
    assert (y2024["reported"]["value"], y2024["status"], y2024["status_label"]) == ("11", "pending", "待核定")
    assert (y2025["computed"], y2025["reported"]["value"], y2025["difference"]) == ("12", "10", "2")
    assert (y2026["official"], y2026["target"], y2026["status"], y2026["status_label"]) == ("3", "10", "not_met", "未达标")


def test_the_api_confirms_with_the_same_service(world, at_today, client_for):
    office = _office(client_for)
    response = office.post("/api/v1/indicators/trainings/confirmations", {
        "year": 2025, "basis": "reported", "reason": "以台账为准"}, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["confirmation"]["value"] == "10" and body["year"]["source"] == "confirmed"
    history = office.get("/api/v1/indicators/trainings/confirmations").json()
    assert [c["reason"] for c in history] == ["以台账为准"]
    assert AuditEntry.objects.filter(action="plan.indicator.confirm").count() == 1


def _cli(argv, capsys):
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_cli_json_and_xlsx_give_the_same_numbers_as_the_api(world, at_today, client, capsys, tmp_path):
    api = _api_trainings(client)
    code, out, _ = _cli(["indicators", "--by-year", "--format", "json"], capsys)
    assert code == 0
    cli_trainings = next(i for i in json.loads(out)["indicators"] if i["code"] == "trainings")
    assert cli_trainings == api
    target = tmp_path / "by-year.xlsx"
    code, _, _ = _cli(["indicators", "--by-year", "--format", "xlsx", "--output", str(target)], capsys)
    assert code == 0
    sheet = load_workbook(io.BytesIO(target.read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[0]
    found = {row[headers.index("年度")]: row for row in rows[1:] if row[0] == "trainings"}
    assert sorted(found) == [2024, 2025, 2026]

    def number(value):
        return None if value is None else Decimal(str(value))

    for year in api["years"]:
        row = found[year["year"]]
        assert number(row[headers.index("核定值")]) == number(year["official"])
        assert number(row[headers.index("计算值")]) == number(year["computed"])
        assert number(row[headers.index("报送值")]) == number((year["reported"] or {}).get("value"))
        assert number(row[headers.index("差额（计算−报送）")]) == number(year["difference"])
        assert row[headers.index("数值来源")] == year["source_label"]
        assert row[headers.index("状态")] == year["status_label"]


def test_the_cli_refuses_a_year_outside_the_pilot_and_xlsx_without_a_file(world, at_today, capsys):
    code, _, err = _cli(["indicators", "--by-year", "--year", "2030"], capsys)
    assert code == 2 and "试点期内" in err
    code, _, err = _cli(["indicators", "--by-year", "--format", "xlsx"], capsys)
    assert code == 2 and "--output" in err


# ---------------------------------------------------------------------------------------------------- cost

def test_the_by_year_page_costs_the_same_queries_however_many_values_and_confirmations(world, at_today, client_for):
    office = _office(client_for)
    office.get("/indicators/by-year/")  # warm the engine's cache
    with CaptureQueriesContext(connection) as few:
        assert office.get("/indicators/by-year/").status_code == 200
    actor = IndicatorValue.objects.first().reported_by
    for indicator in world.indicators.all()[:20]:
        for year in (2024, 2025, 2026):
            IndicatorValue.objects.create(indicator=indicator, as_of=dt.date(year, 6, 30), value=year, source="台账",
                                          reported_by=actor, reporting_unit=actor.organization,
                                          reported_at=clock.now())
            IndicatorConfirmation.objects.create(indicator=indicator, year=year, value=1, basis="other",
                                                 reason="核定", confirmed_by=actor, confirmed_at=clock.now())
    office.get("/indicators/by-year/")
    with CaptureQueriesContext(connection) as many:
        assert office.get("/indicators/by-year/").status_code == 200
    assert len(many) <= len(few), [q["sql"][:120] for q in many.captured_queries]


def test_the_by_year_data_costs_the_same_queries_for_one_year_or_three(world, at_today, django_assert_max_num_queries):
    indicator_years(plan=world)  # warm both
    indicator_years(plan=world, years=[2026])
    with CaptureQueriesContext(connection) as one_year:
        indicator_years(plan=world, years=[2026])
    with django_assert_max_num_queries(len(one_year)):
        indicator_years(plan=world)
