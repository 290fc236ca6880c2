"""In a real browser: the office assigns a work item, the unit acknowledges and reports, the office returns it,
the unit reports again, the office closes it."""

import pytest

from ipcity.accounts.models import Organization
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser




def _act(page, action, reason=""):
    if reason:
        page.fill("#reason", reason)
    page.click(f"[data-testid=transition-form] button[data-action={action}]")
    page.wait_for_selector("text=操作已完成")


def _report(page, text):
    page.fill("#id_period", "2026-10")
    page.fill("#id_text", text)
    page.click("[data-testid=progress-form] button[type=submit]")
    page.wait_for_selector("text=进展已报送")


def test_a_work_item_goes_round_the_whole_cycle(open_page, people):
    office, unit = open_page(), open_page()
    sign_in(office, "office_admin")
    sign_in(unit, "unit_staff")

    office.goto("/plan/tasks/2/")
    office.click("text=立项工作事项")
    office.select_option("#id_unit", str(Organization.objects.get(code="science_technology").pk))
    office.fill("#id_title", "培育企业运营类专利微导航项目")
    office.fill("#id_deadline", "2026-12-20")
    office.click("[data-testid=work-item-form] button[type=submit]")
    office.wait_for_url("**/supervision/items/*/")
    item_url = office.url
    _act(office, "assign")

    unit.goto("/supervision/")
    unit.click("text=培育企业运营类专利微导航项目")
    _act(unit, "acknowledge")
    _report(unit, "已与两家企业签订微导航服务协议")

    office.goto(item_url)
    _act(office, "review")
    _act(office, "return", reason="请附协议扫描件")
    assert office.text_content("[data-testid=item-state]") == "办理中"

    unit.goto(item_url)
    _report(unit, "已补充协议扫描件")
    office.goto(item_url)
    _act(office, "review")
    _act(office, "close")
    assert office.text_content("[data-testid=item-state]") == "已办结"
    assert office.locator("tr[data-history]").count() == 8  # assign, acknowledge, report, review, return, report, review, close
