"""In a real browser: the office records a leading group meeting and turns a decision into a work item; the
leading group's and a unit's dashboards draw their charts."""

import pytest

from ipcity.accounts.models import Organization
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_meeting_decision_becomes_a_work_item_the_unit_then_sees_on_its_dashboard(open_page, people):
    office, unit = open_page(), open_page()
    sign_in(office, "office_admin")
    sign_in(unit, "unit_staff")
    tech = Organization.objects.get(code="science_technology")

    office.goto("/supervision/")
    office.click("text=领导小组会议")
    office.click("text=记录会议")
    office.fill("#id_title", "2026年区知识产权工作领导小组第二次全体会议")
    office.fill("#id_held_on", "2026-10-28")
    office.fill("#id_chaired_by", "区长")
    office.check(f"input[name=attendees][value='{tech.pk}']")
    office.fill("#id_summary", "听取试点推进情况汇报。")
    office.fill("#id_decisions", "区科技局年底前完成两个产业规划类专利导航项目\n各成员单位加强信息报送")
    office.click("[data-testid=meeting-form] button[type=submit]")
    office.wait_for_selector("text=会议已记录")
    assert office.locator("[data-decision]").count() == 2

    first = office.locator("[data-decision='1']")
    first.locator("select[name$=task]").select_option(label="2.实施优势示范企业高价值专利培育计划")
    first.locator("select[name$=unit]").select_option(str(tech.pk))
    first.locator("input[name$=deadline]").fill("2026-12-25")
    first.locator("button[type=submit]").click()
    office.wait_for_url("**/supervision/items/*/")
    assert "议定事项第1项" in office.inner_text("[data-testid=item-source]")
    office.click("[data-testid=transition-form] button[data-action=assign]")
    office.wait_for_selector("text=操作已完成")

    unit.goto("/supervision/")
    unit.wait_for_selector("[data-chart=states][data-rendered=true]")
    assert unit.locator("[data-chart=attainment]").count() == 0
    assert "区科技局年底前完成两个产业规划类专利导航项目" in unit.inner_text("table >> nth=-1")


def test_the_leading_group_dashboard_draws_attainment_and_states_by_action_and_unit(open_page, people):
    office = open_page()
    sign_in(office, "office_admin")
    office.goto("/supervision/")
    office.wait_for_selector("[data-chart=attainment][data-rendered=true]")
    office.wait_for_selector("[data-chart=states][data-by=by_action][data-rendered=true]")
    office.wait_for_selector("[data-chart=states][data-by=by_unit][data-rendered=true]")
    assert office.locator("[data-chart] canvas").count() >= 3
