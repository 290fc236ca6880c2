"""In a real browser: an officer registers a complaint, files it with a certified colleague, investigates, refers
it to the police, records the receipt and closes it; the trademark case indicator counts it."""

import datetime as dt

import pytest

from ipcity import clock
from ipcity.accounts.services import user_create
from ipcity.protection.enforcement import certificate_record
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser


def test_an_enforcement_case_from_complaint_to_closure_with_a_criminal_referral(open_page, people, client):
    officer = people["enforcement_officer"]
    colleague = user_create(actor=None, username="officer_pair", password="Test@Pass2024", role="enforcement_officer",
                            organization=officer.organization, full_name="执法人员乙")
    for user, number in ((officer, "津执-101"), (colleague, "津执-102")):
        certificate_record(actor=people["office_admin"], officer=user, number=number, issued_on=dt.date(2025, 1, 1),
                           valid_until=dt.date(2030, 12, 31))
    today = clock.today().isoformat()
    page = open_page()
    sign_in(page, "enforcement_officer")
    page.goto("/protection/cases/")
    page.select_option("#id_kind", "trademark")
    page.select_option("#id_source", "complaint")
    page.fill("#id_party", "某批发部")
    page.fill("#id_facts", "大量销售假冒注册商标的白酒")
    page.fill("#id_received_on", today)
    page.click("[data-testid=case-form] button[type=submit]")
    page.wait_for_selector("text=案件已登记")
    page.select_option("[data-testid=assign-form] select", [str(officer.pk), str(colleague.pk)])
    page.click("[data-testid=assign-form] button[type=submit]")
    page.wait_for_selector("text=已办理")
    for action in ("file", "investigate"):
        page.click(f"[data-testid=case-step] button[data-action={action}]")
        page.wait_for_selector("text=已办理")
    page.fill("[data-testid=refer-form] input[name=police]", "南开公安分局")
    page.fill("[data-testid=refer-form] input[name=referred_on]", today)
    page.fill("[data-testid=refer-form] textarea", "涉案金额较大，涉嫌销售假冒注册商标的商品罪")
    page.click("[data-testid=refer-form] button[type=submit]")
    page.wait_for_selector("[data-testid=receipt-form]")
    page.fill("[data-testid=receipt-form] input[name=receipt_number]", "南公受字2026-31")
    page.fill("[data-testid=receipt-form] input[name=receipt_on]", today)
    page.click("[data-testid=receipt-form] button[type=submit]")
    page.wait_for_selector("text=南公受字2026-31")
    page.click("[data-testid=case-step] button[data-action=close]")
    page.wait_for_selector("text=已办理")
    assert page.inner_text("[data-testid=case-state]") == "已结案"
    assert client.get("/api/v1/indicators/trademark_enforcement_cases/records").json()["count"] == 1
