"""The special fund: budget lines by use, disbursements that never exceed a line, execution rate, export."""

import io

from openpyxl import load_workbook

from tests.helpers import post_json


def _line(office, amount=100000, name="专利导航项目资助", use="special_subsidies"):
    response = post_json(office, "/api/v1/supervision/fund/lines", {
        "year": 2026, "use": use, "name": name, "amount": amount, "managing_unit": "market_supervision"})
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_disbursements_raise_the_execution_rate_and_the_export_carries_them(client_for, people):
    office = client_for("office_admin")
    line = _line(office)
    _line(office, amount=50000, name="知识产权宣传周", use="publicity_training")
    paid = post_json(office, f"/api/v1/supervision/fund/lines/{line}/disbursements", {
        "amount": 60000, "paid_on": "2026-06-30", "recipient": "天开智能", "purpose": "导航项目首期资助", "task": 2})
    assert paid.status_code == 201
    summary = office.get("/api/v1/supervision/fund", {"year": 2026}).json()
    assert summary["budget"] == "150000.00" and summary["disbursed"] == "60000.00" and summary["rate"] == "40.0"
    assert summary["by_use"]["special_subsidies"]["rate"] == "60.0"
    book = load_workbook(io.BytesIO(office.get("/supervision/fund.xlsx", {"year": 2026}).content))
    details = list(book["支出明细"].iter_rows(values_only=True))
    assert details[1][2:5] == ("天开智能", 60000, 2)
    page = office.get("/supervision/fund/", {"year": 2026}).content.decode()
    assert "40.0%" in page


def test_a_disbursement_beyond_the_budget_is_refused_with_the_balance(client_for, people):
    office = client_for("office_admin")
    line = _line(office, amount=10000)
    post_json(office, f"/api/v1/supervision/fund/lines/{line}/disbursements",
          {"amount": 8000, "paid_on": "2026-03-01", "recipient": "甲", "purpose": "首期"})
    refused = post_json(office, f"/api/v1/supervision/fund/lines/{line}/disbursements",
                    {"amount": 2500, "paid_on": "2026-04-01", "recipient": "乙", "purpose": "二期"})
    assert refused.status_code == 422
    assert "超出预算：预算 10000.00 元，已支出 8000.00 元，余额 2000.00 元" in refused.json()["detail"][0]
    wrong_year = post_json(office, f"/api/v1/supervision/fund/lines/{line}/disbursements",
                       {"amount": 100, "paid_on": "2025-12-31", "recipient": "乙", "purpose": "x"})
    assert wrong_year.status_code == 422 and "预算年度 2026 年内" in wrong_year.json()["detail"][0]


def test_a_unit_reads_the_fund_but_cannot_spend_it(client_for, people):
    office, unit = client_for("office_admin"), client_for("unit_staff")
    line = _line(office)
    assert unit.get("/api/v1/supervision/fund", {"year": 2026}).status_code == 200
    assert post_json(unit, f"/api/v1/supervision/fund/lines/{line}/disbursements",
                 {"amount": 1, "paid_on": "2026-03-01", "recipient": "甲", "purpose": "x"}).status_code == 403
