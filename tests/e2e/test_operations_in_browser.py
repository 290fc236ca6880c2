"""In a real browser: a university lists patents (one open licence accepted, one refused with the legal reason);
an enterprise posts a need; the office publishes it; the matcher proposes the right patent and says why; the two
meet; a licence is recorded and the transfers-and-licences indicator counts it."""

import pytest

from ipcity.stats.services import import_batch_run, import_batch_start
from tests.e2e.conftest import sign_in
from tests.operations.helpers import PATENTS

pytestmark = pytest.mark.browser


def _offer(page, number, mode="open"):
    page.goto("/operations/offers/new/")
    page.fill("#id_patent_number", number)
    page.select_option("#id_mode", mode)
    page.fill("#id_price_terms", "按年支付许可费")
    page.select_option("#id_field", "新能源")
    page.select_option("#id_maturity", "中试")
    page.fill("#id_fee_method", "按年支付")
    page.fill("#id_fee_standard", "每年2万元")
    page.click("[data-testid=offer-form] button[type=submit]")
    page.wait_for_url("**/operations/offers/*/")


def test_a_patent_goes_from_listing_to_a_recorded_licence(open_page, people, covered_registries, client):
    batch = import_batch_start(kind="patents", filename="patents.csv", actor=None)
    import_batch_run(batch=batch, data=PATENTS)
    university, enterprise, office = open_page(), open_page(), open_page()
    sign_in(university, "university_user")
    sign_in(enterprise, "enterprise_user")
    sign_in(office, "office_admin")

    _offer(university, "ZL202110011111.1")
    assert university.inner_text("[data-testid=offer-state]") == "已发布"
    _offer(university, "202120022222.2")
    assert university.inner_text("[data-testid=offer-state]") == "开放许可声明未通过"
    assert "专利权评价报告" in university.inner_text("[data-testid=refusal]")
    records = "/api/v1/indicators/transfers_and_licences_growth/records"
    before = client.get(records).json()["count"]  # computed now: the open licence put an event in the registry

    enterprise.goto("/operations/needs/new/")
    enterprise.fill("#id_title", "动力电池寿命预测")
    enterprise.fill("#id_problem", "需要根据充放电数据预测电池健康状态和剩余寿命")
    enterprise.select_option("#id_field", "新能源")
    enterprise.fill("#id_ipc", "H01M")
    enterprise.fill("#id_deadline", "2027-06-30")
    enterprise.click("[data-testid=need-form] button[type=submit]")
    enterprise.wait_for_selector("text=待知识产权办公室审核后发布")
    need_url = enterprise.url

    office.goto(need_url)
    office.click("[data-testid=review-form] button[value='1']")
    office.wait_for_selector("text=已保存")

    enterprise.goto(need_url)
    first = enterprise.locator("[data-testid=matches] tbody tr").first
    assert "一种锂离子电池健康状态估计方法" in first.inner_text()
    assert "相同IPC小类：H01M" in first.locator("[data-testid=reason]").inner_text()
    first.locator("button[data-interest]").click()
    enterprise.wait_for_selector("text=已向专利权人表达意向")

    university.goto("/operations/interests/")
    university.fill("[data-testid=advance-form] input[name=meeting_on]", "2026-11-10")
    university.click("[data-testid=advance-form] button[value=meet]")
    university.wait_for_selector("[data-testid=deal-form]")
    university.fill("[data-testid=deal-form] input[name$=amount]", "20000")
    university.fill("[data-testid=deal-form] input[name$=contract_date]", "2026-11-12")
    university.fill("[data-testid=deal-form] input[name$=recordal_date]", "2026-11-20")
    university.click("[data-testid=deal-form] button[type=submit]")
    university.wait_for_selector("text=成交已登记，并已记入专利法律事件")
    assert client.get(records).json()["count"] == before + 1


def test_a_navigation_project_shows_its_landscape_charts_and_counts_when_completed(open_page, people,
                                                                                     covered_registries, client):
    import datetime as dt

    from ipcity.operations.navigation import navigation_create

    batch = import_batch_start(kind="patents", filename="patents.csv", actor=None)
    import_batch_run(batch=batch, data=PATENTS)
    project = navigation_create(actor=people["office_admin"], kind="industry_planning", title="新能源电池产业专利导航",
                                undertaker=people["agency_user"].organization, industry="新能源",
                                started_on=dt.date(2026, 3, 1), scope_ipc="H01M,B60L")
    page = open_page()
    sign_in(page, "office_admin")
    page.goto(f"/operations/navigation/{project.pk}/")
    assert page.inner_text("[data-testid=landscape-total]") == "2"
    page.wait_for_selector("[data-chart=landscape][data-part=by_year][data-rendered=true]")
    assert "测试大学" in page.inner_text("[data-testid=applicants]")
    page.fill("[data-testid=complete-form] input[name=completed_on]", "2026-11-20")
    page.click("[data-testid=complete-form] button[type=submit]")
    page.wait_for_selector("text=项目已验收，计入导航项目指标")
    assert client.get("/api/v1/indicators/navigation_projects_industry_planning/records").json()["count"] == 1
