"""In a real headless Chromium: two personas sign in and see different things; the office edits the plan."""

import pytest

from ipcity.audit.models import AuditEntry
from ipcity.plan.models import Indicator
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser




def test_the_office_and_an_enterprise_see_different_workspaces(open_page, people, refusals):
    refusals.append((403, "/audit/"))  # the enterprise opens the audit log to see it refused
    office = open_page()
    sign_in(office, "office_admin")
    assert office.text_content("[data-testid=workspace-title]") == "知识产权办公室工作台"
    assert office.locator("nav.modules a", has_text="审计日志").count() == 1

    enterprise = open_page()
    sign_in(enterprise, "enterprise_user")
    assert enterprise.text_content("[data-testid=workspace-title]") == "企业工作台"
    assert enterprise.locator("nav.modules a", has_text="审计日志").count() == 0
    assert enterprise.locator("text=技术需求发布与对接").count() == 1
    response = enterprise.goto("/audit/")
    assert response.status == 403 and "缺少权限" in enterprise.text_content("main")


def test_an_anonymous_visitor_reads_the_plan_but_is_sent_to_sign_in_for_a_workspace(open_page, plan):
    page = open_page()
    page.goto("/")
    assert page.locator("tr[data-task]").count() == 18
    assert page.locator("tr[data-indicator]").count() == 32
    page.goto("/workspace/")
    assert "/login/" in page.url
    page.goto("/services/")
    assert page.locator("[data-testid=catalogue]").count() == 1 and "/login/" not in page.url


def test_the_office_edits_a_target_in_the_browser_and_finds_it_in_the_audit_trail(open_page, people):
    page = open_page()
    sign_in(page, "office_admin")
    page.goto("/plan/indicators/valid_invention_patents/")
    page.fill("#id_edit-target", "14500")
    page.click("[data-testid=indicator-edit-form] button[type=submit]")
    page.wait_for_selector("text=指标已更新")
    assert page.text_content("[data-testid=indicator-target]") == "不少于 14500 件"
    assert Indicator.objects.get(code="valid_invention_patents").target == 14500
    assert AuditEntry.objects.filter(action="plan.indicator.update", actor=people["office_admin"]).count() == 1
    page.goto("/audit/?action=plan.indicator.update")
    assert page.locator("tr[data-action='plan.indicator.update']").count() == 1


def test_the_indicator_chart_renders_from_vendored_echarts(open_page, plan):
    page = open_page()
    page.goto("/indicators/")
    page.wait_for_selector("[data-chart=attainment][data-rendered=true]")
    assert page.locator("[data-chart=attainment] canvas").count() >= 1
