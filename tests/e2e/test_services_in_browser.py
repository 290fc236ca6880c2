"""In a real browser: the office publishes a service item through the guide form; an enterprise applies with its
materials, the unit asks for a supplement, accepts and decides, and the enterprise rates it; a training with 40
attendees (39 imported, one scanning the QR link) raises the training indicators; and the public portal shows
nothing private to an anonymous visitor."""

import io

import pytest
from openpyxl import Workbook

from ipcity import clock
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser

GUIDE_LINES = {
    "#id_code": "NK-ZSCQ-001", "#id_name": "专利申请资助", "#id_legal_basis": "《中华人民共和国专利法》",
    "#id_conditions": "在本区注册的企业", "#id_materials": "申请表|1|必需|加盖公章\n专利证书复印件|1|必需|",
    "#id_steps": "受理|3\n审查|10\n决定|2", "#id_accept_days": "5", "#id_decide_days": "15",
    "#id_place": "南开区行政许可服务中心", "#id_phone": "022-00000000", "#id_complaint": "12345 热线",
    "#id_faqs": "可以邮寄材料吗？|请通过平台在线提交",
}


def _pdf(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4 service application material")
    return str(path)


def test_an_application_through_a_supplement_to_a_decision_and_a_rating(open_page, people, tmp_path):
    office, enterprise, unit = open_page(), open_page(), open_page()
    sign_in(office, "office_admin")
    office.goto("/services/items/new/")
    office.select_option("#id_unit", str(people["unit_staff"].organization_id))
    for selector, value in {**GUIDE_LINES, "#id_decide_days": "5"}.items():
        office.fill(selector, value)
    office.click("[data-testid=item-form] button[type=submit]")
    assert "不能超过受理时限与承诺办结时限之和" in office.text_content("[data-testid=item-form]")  # 15 > 5 + 5
    office.fill("#id_decide_days", "15")
    office.click("[data-testid=item-form] button[type=submit]")
    office.wait_for_selector("text=服务事项已发布")

    sign_in(enterprise, "enterprise_user")
    enterprise.goto("/services/items/NK-ZSCQ-001/")
    enterprise.click("[data-testid=apply-link]")
    enterprise.fill("#id_description", "申请2026年度发明专利资助")
    enterprise.set_input_files("#id_files", [_pdf(tmp_path, "申请表.pdf")])
    enterprise.click("[data-testid=application-form] button[type=submit]")
    enterprise.wait_for_selector("text=申请已提交")
    application_url = enterprise.url

    sign_in(unit, "unit_staff")
    unit.goto(application_url)
    unit.fill("[data-testid=application-step] textarea[name=note]", "请补充专利证书复印件")
    unit.click("[data-testid=application-step] button[data-action=supplement]")
    unit.wait_for_selector("text=已一次性告知补正")

    enterprise.goto(application_url)
    assert enterprise.inner_text("[data-testid=application-state]") == "待补正"
    enterprise.fill("[data-testid=application-step] textarea[name=note]", "已补充")
    enterprise.set_input_files("[data-testid=application-step] input[name=files]", [_pdf(tmp_path, "证书.pdf")])
    enterprise.click("[data-testid=application-step] button[data-action=resubmit]")
    enterprise.wait_for_selector("text=已提交补正材料")

    unit.goto(application_url)
    unit.click("[data-testid=application-step] button[data-action=accept]")
    unit.wait_for_selector("text=已受理")
    unit.fill("[data-testid=application-step] textarea[name=note]", "准予资助")
    unit.click("[data-testid=application-step] button[data-action=approve]")
    unit.wait_for_selector("text=已办结（准予）")
    assert unit.locator("a[href*='/files/']").count() == 2

    enterprise.goto(application_url)
    enterprise.select_option("[data-testid=rating-form] select[name=rating]", "5")
    enterprise.click("[data-testid=rating-form] button[type=submit]")
    enterprise.wait_for_selector("text=感谢评价")
    assert enterprise.inner_text("[data-testid=rating]").startswith("5 星")
    office.goto("/services/")
    assert "100.0%" in office.inner_text("[data-testid=satisfaction]")


def _roster_xlsx(tmp_path, count):
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "单位", "手机号"])
    for n in range(count):
        sheet.append([f"学员{n:02d}", "南开区某企业", f"1370000{n:04d}"])
    path = tmp_path / "签到表.xlsx"
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_a_training_with_forty_attendees_raises_the_training_indicators(open_page, people, tmp_path):
    unit, attendee = open_page(), open_page()
    sign_in(unit, "unit_staff")
    unit.goto("/services/trainings/")
    unit.fill("#id_title", "专利侵权判定实务")
    unit.select_option("#id_audience", "officers")
    unit.fill("#id_held_on", clock.today().isoformat())
    unit.fill("#id_hours", "3")
    unit.fill("#id_place", "区市场监管局三楼会议室")
    unit.click("[data-testid=training-form] button[type=submit]")
    unit.wait_for_selector("text=培训已登记")
    assert unit.locator("[data-testid=sign-in-qr]").count() == 1
    unit.set_input_files("[data-testid=attendee-import] input[name=file]", _roster_xlsx(tmp_path, 39))
    unit.click("[data-testid=attendee-import] button[type=submit]")
    unit.wait_for_selector("text=导入 39 人")

    attendee.goto(unit.inner_text("[data-testid=sign-in-url]"))  # what scanning the QR code opens
    attendee.fill("#id_name", "现场学员")
    attendee.fill("#id_organization_name", "某知识产权代理所")
    attendee.fill("#id_phone", "13612345678")
    attendee.click("[data-testid=sign-in-form] button[type=submit]")
    attendee.wait_for_selector("[data-testid=signed-in]")

    unit.reload()
    assert unit.inner_text("[data-testid=attendee-count]") == "40"
    assert "138" not in unit.inner_text("[data-testid=attendees]") and "136****5678" in unit.inner_text(
        "[data-testid=attendees]")
    unit.goto("/plan/indicators/training_person_times/")
    assert "40 人次" in unit.text_content("main")
    unit.goto("/plan/indicators/trainings/")
    assert "1 次" in unit.text_content("main")


def test_the_public_portal_renders_without_login_and_shows_nothing_private(open_page, people, client_for):
    from tests.services.helpers import make_item

    make_item(client_for("office_admin"), people["unit_staff"].organization_id)
    enterprise = client_for("enterprise_user")
    enterprise.post("/api/v1/services/applications", {"item": "NK-TEST-001", "description": "保密的申请事由"})
    unit = client_for("unit_staff")
    training = unit.post("/api/v1/services/trainings", {"title": "商标品牌培训", "audience": "enterprises",
                                                        "held_on": clock.today().isoformat(), "hours": "2",
                                                        "place": "线上"}, content_type="application/json").json()
    token = unit.get(f"/api/v1/services/trainings/{training['id']}/attendees").json()["sign_in_token"]
    client_for(None).post(f"/api/v1/services/trainings/{training['id']}/sign-in",
                          {"token": token, "name": "隐私学员", "organization_name": "某公司", "phone": "13912340000"},
                          content_type="application/json")
    page = open_page()
    for path in ("/services/", "/services/items/NK-TEST-001/", "/services/trainings/",
                 f"/services/trainings/{training['id']}/", "/services/agencies/", "/services/experts/",
                 "/services/open-data/", "/evidence/verify/", "/operations/", "/protection/markets/"):
        response = page.goto(path)
        assert response.status == 200 and "/login/" not in page.url, path
        shown = page.text_content("main")
        for private in ("隐私学员", "13912340000", "1391234", "保密的申请事由", token):
            assert private not in shown, (path, private)
    page.goto(f"/services/trainings/{training['id']}/")
    assert page.locator("[data-testid=sign-in-qr]").count() == 0
    assert page.goto("/services/applications/").url.endswith("/login/?next=/services/applications/")


def test_an_agency_enters_the_directory_joins_the_cluster_and_an_enterprise_confirms_its_custody(
        open_page, people, covered_registries):
    agency, office, enterprise = open_page(), open_page(), open_page()
    sign_in(agency, "agency_user")
    agency_id = people["agency_user"].organization_id
    agency.goto(f"/services/agencies/{agency_id}/")
    agency.check("[data-testid=profile-form] input[value=patent_agency]")
    agency.check("[data-testid=profile-form] input[value=custody]")
    agency.fill("#id_qualifications", "专利代理机构执业许可证|12345|2028-12-31")
    agency.fill("#id_staff", "10")
    agency.fill("#id_attorneys", "0")
    agency.click("[data-testid=profile-form] button[type=submit]")
    assert "应至少有1名专利代理师" in agency.text_content("[data-testid=profile-form]")
    agency.fill("#id_attorneys", "3")
    agency.click("[data-testid=profile-form] button[type=submit]")
    agency.wait_for_selector("text=机构信息已更新")

    sign_in(office, "office_admin")
    office.goto(f"/services/agencies/{agency_id}/")
    office.fill("[data-testid=cluster-join] input[name=place]", "天开园A座3层")
    office.click("[data-testid=cluster-join] button[type=submit]")
    office.wait_for_selector("text=已保存")
    office.goto("/services/agencies/?cluster=1")
    assert "测试知识产权代理所" in office.inner_text("[data-testid=agencies]")
    assert "现有服务机构 1 家" in office.inner_text("[data-testid=cluster-count]")

    agency.goto("/services/custody/")
    agency.select_option("#id_enterprise", str(people["enterprise_user"].organization_id))
    agency.select_option("#id_enterprise_size", "small")
    agency.check("[data-testid=custody-form] input[value=fees]")
    agency.fill("#id_starts_on", "2025-01-01")
    agency.fill("#id_ends_on", "2025-12-31")
    agency.click("[data-testid=custody-form] button[type=submit]")
    agency.wait_for_selector("text=待企业确认后计入覆盖数")

    sign_in(enterprise, "enterprise_user")
    enterprise.goto("/services/custody/")
    enterprise.click("[data-testid=contracts] button[data-action=confirm]")
    enterprise.wait_for_selector("text=已办理")
    assert "已确认的托管覆盖企业 1 家" in enterprise.inner_text("[data-testid=custody-covered]")
    enterprise.goto("/plan/indicators/custody_smes/")
    assert "1 家" in enterprise.text_content("main")


def test_a_unit_puts_a_live_stream_on_the_public_calendar(open_page, people):
    from ipcity.services.experts import consent_set, expert_add

    expert = expert_add(actor=people["office_admin"], name="张教授", title="教授", organization_name="测试大学",
                        specialties=["patent"], user=people["expert"])
    consent_set(actor=people["expert"], expert=expert, consent=True)
    unit, visitor = open_page(), open_page()
    sign_in(unit, "unit_staff")
    unit.goto("/services/culture/")
    unit.select_option("#id_kind", "live_stream")
    unit.fill("#id_title", "商业秘密保护直播公开课")
    unit.fill("#id_held_on", "2099-04-26")
    unit.fill("#id_place", "政务视频号")
    unit.click("[data-testid=event-form] button[type=submit]")
    assert "直播请至少邀请一位专家" in unit.text_content("[data-testid=event-form]")
    unit.select_option("#id_experts", [str(expert.pk)])
    unit.click("[data-testid=event-form] button[type=submit]")
    unit.wait_for_selector("text=活动已登记")

    visitor.goto("/services/culture/")
    row = visitor.inner_text("[data-testid=upcoming-events]")
    assert "商业秘密保护直播公开课" in row and "张教授" in row
