"""The policy system (task 11, safeguard 二): the public library of district, city and national policies with their
measures; the office (or the responsible unit, for its own) keeps it; enterprises apply under a measure of a policy
in force and the responsible unit decides; the unit records awards in bulk from a spreadsheet; the yearly figures go
into the final evaluation report."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.services import user_create
from ipcity.audit.models import AuditEntry
from ipcity.services.models import Policy, PolicyApplication, PolicyAward
from tests.helpers import json_text, post_json

PASSWORD = "Str0ng!Passw0rd"
MEASURES = [
    {"kind": "subsidy", "name": "发明专利授权资助", "standard": "每件发明专利授权资助3000元", "cap": "3000"},
    {"kind": "reward", "name": "中国专利奖奖励", "standard": "获中国专利金奖奖励50万元", "cap": "500000"},
    {"kind": "service", "name": "知识产权托管服务", "standard": "为中小微企业提供一年托管服务"},
]


def policy_body(**changes) -> dict:
    body = {"level": "district", "issuer": "南开区科学技术局", "document_number": "南开科规〔2025〕1号",
            "title": "南开区知识产权资助办法", "summary": "支持企业创造和运用知识产权", "issued_on": "2025-03-01",
            "effective_from": "2025-03-15", "effective_until": "2026-12-31", "responsible_unit": "science_technology",
            "task_numbers": [11, 2], "measures": MEASURES}
    return {**body, **changes}


def make_policy(client, **changes) -> dict:
    response = post_json(client, "/api/v1/services/policies", policy_body(**changes))
    assert response.status_code == 201, response.content[:400]
    return response.json()


def measure_id(policy: dict, name: str) -> int:
    return next(m["id"] for m in policy["measures"] if m["name"] == name)


def member(name: str, org_type: str, role: str, *, code: str | None = None):
    organization = (Organization.objects.get(code=code) if code else
                    Organization.objects.create(name=name, org_type=org_type))
    return user_create(actor=None, username=f"u_{organization.pk}_{role}", password=PASSWORD,
                       organization=organization, role=role)


def awards_file(rows: list[list], headers=("措施", "企业名称", "统一社会信用代码", "兑现金额（元）", "兑现日期", "说明")):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------- the public library

def test_anyone_reads_the_library_by_level_and_in_force_and_a_policy_with_its_measures(client_for, client,
                                                                                       frozen_clock):
    office = client_for("office_admin")
    district = make_policy(office)
    national = make_policy(office, level="national", issuer="国家知识产权局", document_number="国知发运字〔2024〕2号",
                           title="强市建设试点示范工作通知", issued_on="2024-01-20", effective_from="2024-01-20",
                           effective_until=None, responsible_unit="market_supervision", task_numbers=[10])
    expired = make_policy(office, document_number="南开市监规〔2021〕5号", title="专利申请资助暂行办法",
                          issued_on="2021-06-15", effective_from="2021-07-01", effective_until="2023-12-31",
                          responsible_unit="market_supervision", measures=MEASURES[:1])
    page = client.get("/services/policies/").content.decode()
    assert all(p["title"] in page for p in (district, national, expired))
    assert "<td>国家级</td>" in page and "已失效" in page and "<td>district</td>" not in page
    national_only = client.get("/services/policies/", {"level": "national"}).content.decode()
    assert national["title"] in national_only and district["title"] not in national_only
    current = client.get("/services/policies/", {"in_force": "1"}).content.decode()
    assert district["title"] in current and expired["title"] not in current
    detail = client.get(f"/services/policies/{district['id']}/").content.decode()
    assert "发明专利授权资助" in detail and "3000.00 元" in detail
    assert "知识产权托管服务" in detail and "服务" in detail and "强化知识产权政策体系建设" in detail
    assert "申请兑现" not in detail  # no form for a visitor

    listed = client.get("/api/v1/services/policies", {"level": "district", "in_force": "true"}).json()
    assert [p["title"] for p in listed] == [district["title"]]
    assert listed[0]["measures"][0] == {"id": listed[0]["measures"][0]["id"], "kind": "subsidy", "kind_label": "资助",
                                        "name": "发明专利授权资助", "standard": "每件发明专利授权资助3000元",
                                        "cap": "3000.00"}
    assert client.get(f"/api/v1/services/policies/{expired['id']}").json()["status"] == "已失效"
    refused = client.get("/services/policies/", {"level": "provincial"})
    assert refused.status_code == 400 and "政策层级" in refused.content.decode()
    assert client.get("/api/v1/services/policies", {"level": "provincial"}).status_code == 422
    assert client.get("/services/policies/999999/").status_code == 404


# ---------------------------------------------------------------------------------------------- keeping the library

def test_the_office_registers_a_policy_for_a_unit_which_then_keeps_only_its_own(client_for, people, frozen_clock):
    office, unit = client_for("office_admin"), client_for("unit_staff")
    form = {"level": "city", "issuer": "天津市市场监管委", "document_number": "津市监规〔2024〕3号",
            "title": "天津市知识产权资助管理办法", "summary": "资助PCT申请", "issued_on": "2024-04-22",
            "effective_from": "2024-05-01", "effective_until": "", "task_numbers": ["11", "7"],
            "responsible_unit": str(people["unit_staff"].organization_id),
            "measures": "资助|PCT国际专利申请资助|50000|每件最高5万元\n服务|海外纠纷应对指导||提供指导"}
    made = office.post("/services/policies/new/", form)
    assert made.status_code == 302, made.content.decode()[:2000]
    policy = Policy.objects.get(document_number="津市监规〔2024〕3号")
    assert policy.level == "city" and policy.task_numbers == [7, 11] and policy.effective_until is None
    assert [(m.kind, m.name, m.cap) for m in policy.measures.all()] == [
        ("subsidy", "PCT国际专利申请资助", 50000), ("service", "海外纠纷应对指导", None)]

    assert unit.get(f"/services/policies/{policy.pk}/edit/").status_code == 200
    edited = unit.post(f"/services/policies/{policy.pk}/edit/", {
        **form, "title": "天津市知识产权资助管理办法（修订）",
        "measures": "资助|PCT国际专利申请资助|60000|每件最高6万元"})
    assert edited.status_code == 302
    policy.refresh_from_db()
    assert policy.title.endswith("（修订）") and [m.cap for m in policy.measures.all()] == [60000]
    change = AuditEntry.objects.get(action="services.policy.update")
    assert change.before["title"] == "天津市知识产权资助管理办法" and change.actor == people["unit_staff"]
    assert AuditEntry.objects.filter(action="services.policy.create", actor=people["office_admin"]).count() == 1

    # a unit keeps only its own unit's policies; others keep none
    foreign = post_json(unit, "/api/v1/services/policies", policy_body(responsible_unit="culture_tourism"))
    assert foreign.status_code == 403 and "本单位" in json_text(foreign)
    own = post_json(unit, "/api/v1/services/policies", policy_body(responsible_unit=None))
    assert own.status_code == 201 and own.json()["responsible_unit"] == "区科技局"
    culture = make_policy(office, document_number="津版规〔2025〕2号", responsible_unit="culture_tourism")
    assert unit.get(f"/services/policies/{culture['id']}/edit/").status_code == 403
    assert client_for("unit_staff").put(f"/api/v1/services/policies/{culture['id']}", policy_body(
        document_number="津版规〔2025〕2号"), content_type="application/json").status_code == 403
    for persona in ("enterprise_user", "enforcement_officer", "agency_user"):
        assert client_for(persona).get("/services/policies/new/").status_code == 403
        assert post_json(client_for(persona), "/api/v1/services/policies", policy_body()).status_code == 403
    assert client_for(None).get("/services/policies/new/").status_code == 302


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"measures": [{**MEASURES[0], "cap": "100000001"}]}, "measures", "单项上限"),
    ({"measures": [{**MEASURES[2], "cap": "100"}]}, "measures", "服务类措施，不设金额上限"),
    ({"measures": []}, "measures", "至少填写一项"),
    ({"effective_until": "2025-01-01"}, "effective_until", "有效期至不能早于施行日期"),
    ({"document_number": "南开科规〔2024〕1号"}, "document_number", "文号中的年份"),
    ({"task_numbers": [19]}, "task_numbers", "重点任务"),
    ({"responsible_unit": None}, "responsible_unit", "请选择责任单位"),
    ({"title": "  "}, "title", "请填写政策名称"),
])
def test_a_policy_with_a_bad_field_is_refused_naming_the_field_in_chinese_and_nothing_is_written(
        client_for, frozen_clock, changes, field, words):
    before = (Policy.objects.count(), AuditEntry.objects.count())
    refused = post_json(client_for("office_admin"), "/api/v1/services/policies", policy_body(**changes))
    assert refused.status_code == 422 and words in json_text(refused), json_text(refused)
    assert (Policy.objects.count(), AuditEntry.objects.count()) == before


def test_a_policy_whose_measure_was_applied_for_keeps_that_measure(client_for, frozen_clock):
    office = client_for("office_admin")
    policy = make_policy(office)
    post_json(client_for("enterprise_user"), "/api/v1/services/policy-applications", {
        "measure": measure_id(policy, "发明专利授权资助"), "amount_requested": "3000", "description": "授权3件"})
    removed = office.put(f"/api/v1/services/policies/{policy['id']}", policy_body(measures=MEASURES[1:]),
                         content_type="application/json")
    assert removed.status_code == 422 and "不能删除" in json_text(removed)
    assert Policy.objects.get(pk=policy["id"]).measures.count() == 3


# ---------------------------------------------------------------------------------------------- applying

def test_an_enterprise_applies_under_a_measure_within_its_cap_and_bad_input_writes_nothing(client_for, people,
                                                                                            frozen_clock):
    policy = make_policy(client_for("office_admin"))
    enterprise = client_for("enterprise_user")
    subsidy, service = measure_id(policy, "发明专利授权资助"), measure_id(policy, "知识产权托管服务")
    before = (PolicyApplication.objects.count(), AuditEntry.objects.count())
    for body, words in (
            ({"measure": subsidy, "amount_requested": "3000.01", "description": "授权"}, "申请金额（元）不能超过该措施的单项上限"),
            ({"measure": subsidy, "description": "授权"}, "请填写申请金额"),
            ({"measure": subsidy, "amount_requested": "0", "description": "授权"}, "申请金额（元）应大于0"),
            ({"measure": subsidy, "amount_requested": "100", "description": " "}, "请填写申请说明"),
            ({"measure": subsidy, "amount_requested": "100", "description": "长" * 501}, "申请说明超过 500 字"),
            ({"measure": service, "amount_requested": "100", "description": "托管"}, "服务类措施不涉及金额"),
            ({"measure": subsidy, "amount_requested": "1e30", "description": "授权"}, "申请金额"),
            ({"measure": 999999, "amount_requested": "100", "description": "授权"}, "政策措施不存在")):
        refused = post_json(enterprise, "/api/v1/services/policy-applications", body)
        assert refused.status_code in (404, 422) and words in json_text(refused), (body, json_text(refused))
    assert (PolicyApplication.objects.count(), AuditEntry.objects.count()) == before

    page = enterprise.post(f"/services/policies/{policy['id']}/", {
        "form": "apply", "measure": subsidy, "amount_requested": "5000", "description": "授权2件发明专利"})
    assert page.status_code == 200 and "申请金额（元）不能超过该措施的单项上限 3,000元" in page.content.decode()
    assert PolicyApplication.objects.count() == 0

    made = enterprise.post(f"/services/policies/{policy['id']}/", {
        "form": "apply", "measure": subsidy, "amount_requested": "3000", "description": "授权1件发明专利"})
    assert made.status_code == 302
    application = PolicyApplication.objects.get()
    assert (application.enterprise, application.amount_requested, application.state) == (
        people["enterprise_user"].organization, 3000, "submitted")
    again = post_json(enterprise, "/api/v1/services/policy-applications",
                      {"measure": subsidy, "amount_requested": "1000", "description": "再次申请"})
    assert again.status_code == 422 and "已有待审核的申请" in json_text(again)
    served = post_json(enterprise, "/api/v1/services/policy-applications", {"measure": service, "description": "托管"})
    assert served.status_code == 201 and served.json()["amount_requested"] is None
    for persona in ("university_user", "agency_user", "unit_staff", "office_admin"):
        assert post_json(client_for(persona), "/api/v1/services/policy-applications",
                         {"measure": subsidy, "amount_requested": "10", "description": "x"}).status_code == 403


def test_a_policy_not_in_force_takes_no_application(client_for, frozen_clock):
    office, enterprise = client_for("office_admin"), client_for("enterprise_user")
    expired = make_policy(office, document_number="南开科规〔2021〕5号", issued_on="2021-06-15",
                          effective_from="2021-07-01", effective_until="2023-12-31")
    upcoming = make_policy(office, document_number="南开科规〔2026〕9号", issued_on="2026-10-20",
                           effective_from="2027-01-01", effective_until=None)
    for policy, words in ((expired, "已失效"), (upcoming, "尚未施行")):
        refused = post_json(enterprise, "/api/v1/services/policy-applications", {
            "measure": measure_id(policy, "发明专利授权资助"), "amount_requested": "100", "description": "授权"})
        assert refused.status_code == 422 and words in json_text(refused) and "不能申请兑现" in json_text(refused)
        page = enterprise.get(f"/services/policies/{policy['id']}/").content.decode()
        assert 'data-testid="policy-apply"' not in page and "不能申请兑现" in page
        posted = enterprise.post(f"/services/policies/{policy['id']}/", {
            "form": "apply", "measure": measure_id(policy, "发明专利授权资助"), "amount_requested": "100",
            "description": "授权"})
        assert posted.status_code == 200 and "不能申请兑现" in posted.content.decode()
    assert PolicyApplication.objects.count() == 0


def test_another_enterprise_or_unit_neither_sees_nor_decides_an_application(client_for, people, frozen_clock):
    policy = make_policy(client_for("office_admin"))
    made = post_json(client_for("enterprise_user"), "/api/v1/services/policy-applications", {
        "measure": measure_id(policy, "发明专利授权资助"), "amount_requested": "3000", "description": "授权1件"}).json()
    other = client_for(None)
    other.force_login(member("他人企业", OrgType.ENTERPRISE, "enterprise_user"))
    other_unit = client_for(None)
    other_unit.force_login(member("", "", "unit_staff", code="culture_tourism"))
    for client in (other, other_unit):
        assert client.get("/api/v1/services/policy-applications").json() == []
        assert client.get(f"/api/v1/services/policy-applications/{made['id']}").status_code == 404
        assert client.get(f"/services/policies/applications/{made['id']}/").status_code == 404
        assert post_json(client, f"/api/v1/services/policy-applications/{made['id']}/steps",
                         {"action": "approve", "amount_granted": "3000"}).status_code == 404
        assert "授权1件" not in client.get("/services/policies/applications/").content.decode()
    for persona in ("university_user", "agency_user", "enforcement_officer"):
        assert client_for(persona).get("/api/v1/services/policy-applications").status_code == 403
        assert client_for(persona).get("/services/policies/applications/").status_code == 403
    assert [a["id"] for a in client_for("unit_staff").get("/api/v1/services/policy-applications").json()] == [made["id"]]
    assert [a["id"] for a in client_for("office_admin").get("/api/v1/services/policy-applications").json()] == [
        made["id"]]
    assert PolicyApplication.objects.get().state == "submitted"


# ---------------------------------------------------------------------------------------------- deciding

def test_the_responsible_unit_approves_with_the_amount_granted_or_rejects_with_a_reason(client_for, people,
                                                                                         frozen_clock):
    policy = make_policy(client_for("office_admin"))
    enterprise, unit, office = client_for("enterprise_user"), client_for("unit_staff"), client_for("office_admin")

    def apply(name, amount):
        return post_json(enterprise, "/api/v1/services/policy-applications", {
            "measure": measure_id(policy, name), "amount_requested": amount, "description": f"申请{name}"}).json()

    first, second = apply("发明专利授权资助", "3000"), apply("中国专利奖奖励", "500000")
    steps = f"/api/v1/services/policy-applications/{first['id']}/steps"
    assert post_json(enterprise, steps, {"action": "approve", "amount_granted": "3000"}).status_code == 403
    assert post_json(office, steps, {"action": "approve", "amount_granted": "3000"}).status_code == 403
    too_much = post_json(unit, steps, {"action": "approve", "amount_granted": "3500"})
    assert too_much.status_code == 422 and "核定金额（元）不能超过申请金额" in json_text(too_much)
    missing = post_json(unit, steps, {"action": "approve"})
    assert missing.status_code == 422 and "须填写核定金额" in json_text(missing)
    assert PolicyAward.objects.count() == 0 and PolicyApplication.objects.get(pk=first["id"]).state == "submitted"

    page = f"/services/policies/applications/{first['id']}/"
    shown = unit.get(page).content.decode()
    assert 'data-action="approve"' in shown and 'data-action="reject"' in shown and "核定金额" in shown
    assert unit.post(page, {"action": "approve", "amount_granted": "2500", "reason": ""}).status_code == 302
    approved = unit.get(f"/api/v1/services/policy-applications/{first['id']}").json()
    assert (approved["state"], approved["state_label"], approved["amount_granted"]) == ("approved", "准予兑现", "2500.00")
    award = PolicyAward.objects.get()
    assert (award.enterprise, award.amount, award.source, award.granted_on) == (
        people["enterprise_user"].organization, 2500, "application", clock.today())
    entry = AuditEntry.objects.get(action="services.policy_application.approve")
    assert entry.after == {"state": "approved", "amount_granted": "2500.00"} and entry.actor == people["unit_staff"]
    again = post_json(unit, steps, {"action": "reject", "reason": "重复"})
    assert again.status_code == 422 and "当前状态为“准予兑现”" in json_text(again)

    second_steps = f"/api/v1/services/policy-applications/{second['id']}/steps"
    no_reason = post_json(unit, second_steps, {"action": "reject", "reason": " "})
    assert no_reason.status_code == 422 and "不予兑现须填写理由" in json_text(no_reason)
    rejected = post_json(unit, second_steps, {"action": "reject", "reason": "未获中国专利奖"}).json()
    assert (rejected["state_label"], rejected["reason"]) == ("不予兑现", "未获中国专利奖")

    third = apply("中国专利奖奖励", "100000")
    mine = enterprise.get(f"/services/policies/applications/{third['id']}/").content.decode()
    assert 'data-action="withdraw"' in mine and 'data-action="approve"' not in mine
    assert enterprise.post(f"/services/policies/applications/{third['id']}/", {"action": "withdraw"}).status_code == 302
    assert PolicyApplication.objects.get(pk=third["id"]).state == "withdrawn"
    listed = enterprise.get("/services/policies/applications/").content.decode()
    assert all(label in listed for label in ("准予兑现", "不予兑现", "已撤回", "2500.00 元"))
    assert [w["amount"] for w in enterprise.get("/api/v1/services/policy-awards").json()] == ["2500.00"]


# ---------------------------------------------------------------------------------------------- awards in bulk

def test_the_unit_records_awards_from_a_spreadsheet_and_a_bad_row_names_its_row_and_field_and_records_nothing(
        client_for, people, frozen_clock):
    policy = make_policy(client_for("office_admin"))
    unit = client_for("unit_staff")
    own = people["enterprise_user"].organization.name
    Organization.objects.create(name="海河智芯科技有限公司", org_type=OrgType.ENTERPRISE)
    good = [["发明专利授权资助", own, "", 3000, "2026-06-30", "第一批"],
            ["知识产权托管服务", "海河智芯科技有限公司", "", None, "2026-07-01", ""]]
    bad = good + [["发明专利授权资助", "海河智芯科技有限公司", "", 3500, "2026-06-30", ""],
                  ["专利导航资助", "不存在的企业", "", 100, "2026-06-30", ""],
                  ["发明专利授权资助", own, "", 100, "2024-01-01", ""]]
    before = (PolicyAward.objects.count(), AuditEntry.objects.count())
    page = f"/services/policies/{policy['id']}/"
    from django.core.files.uploadedfile import SimpleUploadedFile

    refused = unit.post(page, {"form": "awards", "file": SimpleUploadedFile("兑现.xlsx", awards_file(bad))},
                        follow=True)
    text = refused.content.decode()
    assert "第4行“兑现金额（元）”列（值：3500.00）：超过该措施的单项上限 3,000元" in text
    assert "第5行“措施”列（值：专利导航资助）：本政策没有该措施" in text
    assert "第5行“企业名称”列（值：不存在的企业）：平台上没有这家企业" in text
    assert "第6行“兑现日期”列（值：2024-01-01）：不在政策有效期内" in text
    assert "未登记任何记录" in text
    assert (PolicyAward.objects.count(), AuditEntry.objects.count()) == before

    api = f"/api/v1/services/policies/{policy['id']}/awards/import"
    bad_cell = unit.post(api, {"file": SimpleUploadedFile("兑现.xlsx", awards_file(
        [["发明专利授权资助", own, "", "三千", "2026-06-30", ""]]))})
    assert bad_cell.status_code == 422 and "第2行“兑现金额（元）”列（值：三千）" in json_text(bad_cell)
    missing = unit.post(api, {"file": SimpleUploadedFile("兑现.xlsx", awards_file([["x"]], headers=("措施",)))})
    assert missing.status_code == 422 and "缺少必需的列" in json_text(missing)
    for persona in ("office_admin", "enterprise_user", "enforcement_officer"):
        assert client_for(persona).post(api, {"file": SimpleUploadedFile("兑现.xlsx", awards_file(good))}
                                        ).status_code == 403
    assert PolicyAward.objects.count() == 0

    recorded = unit.post(api, {"file": SimpleUploadedFile("兑现.xlsx", awards_file(good))})
    assert recorded.status_code == 200 and recorded.json() == {"recorded": 2, "enterprises": 2, "amount": "3000.00"}
    assert sorted((w.enterprise.name, w.amount, w.source) for w in PolicyAward.objects.all()) == [
        (own, 3000, "import"), ("海河智芯科技有限公司", None, "import")]
    assert AuditEntry.objects.get(action="services.policy.awards_import").after["recorded"] == 2
    twice = unit.post(api, {"file": SimpleUploadedFile("兑现.xlsx", awards_file(good))})
    assert twice.status_code == 422 and "同一日期的兑现已登记" in json_text(twice)
    assert [w["enterprise"] for w in client_for("enterprise_user").get("/api/v1/services/policy-awards").json()] == [own]


# ---------------------------------------------------------------------------------------------- the figures

def test_the_final_report_states_policies_issued_by_level_enterprises_supported_and_amounts_granted_by_year(
        client_for, people, frozen_clock):
    office, unit = client_for("office_admin"), client_for("unit_staff")
    city = make_policy(office, level="city", document_number="津市监规〔2024〕3号", issued_on="2024-04-22",
                       effective_from="2024-05-01")
    make_policy(office)  # 区级, 2025
    make_policy(office, level="national", document_number="国知发运字〔2025〕7号", issued_on="2025-06-01",
                effective_from="2025-06-01")
    Organization.objects.create(name="海河智芯科技有限公司", org_type=OrgType.ENTERPRISE)
    from django.core.files.uploadedfile import SimpleUploadedFile

    unit.post(f"/api/v1/services/policies/{city['id']}/awards/import", {"file": SimpleUploadedFile(
        "兑现.xlsx", awards_file([["发明专利授权资助", people["enterprise_user"].organization.name, "", 3000, "2025-06-30", ""],
                                  ["中国专利奖奖励", "海河智芯科技有限公司", "", 300000, "2025-07-01", ""],
                                  ["发明专利授权资助", "海河智芯科技有限公司", "", 2000, "2026-03-01", ""]]))})

    figures = {f["year"]: f for f in client_for(None).get("/api/v1/services/policies/figures").json()}
    assert figures[2024]["issued"] == {"district": 0, "city": 1, "national": 0}
    assert (figures[2025]["issued_total"], figures[2025]["enterprises"], figures[2025]["amount"]) == (2, 2, "303000.00")
    assert (figures[2026]["enterprises"], figures[2026]["awards"]) == (1, 1)
    assert 'data-testid="policy-figures"' in client_for(None).get("/services/policies/").content.decode()

    with clock.frozen_at(dt.datetime(2027, 1, 8, 9, 0, tzinfo=dt.UTC)):
        report = post_json(office, "/api/v1/supervision/evaluations", {"kind": "final"}).json()
        page = office.get(f"/supervision/evaluations/{report['id']}/").content.decode()
    assert "兑现知识产权专项资助政策" in page and "知识产权公共服务事项清单共" in page  # the sentences it had
    assert ("政策库收录当年印发的知识产权政策：2024年1项（区级0项、市级1项、国家级0项）；"
            "2025年2项（区级1项、市级0项、国家级1项）；2026年0项（区级0项、市级0项、国家级0项）。") in page
    assert ("政策兑现：2024年支持企业0家、兑现0笔、金额0.00万元；2025年支持企业2家、兑现2笔、金额30.30万元；"
            "2026年支持企业1家、兑现1笔、金额0.20万元。") in page


def test_task_11_names_the_policy_library_and_its_awards_among_its_modules(client_for, frozen_clock):
    make_policy(client_for("office_admin"))
    modules = {m["label"]: m for m in client_for(None).get("/api/v1/plan/tasks/11/modules").json()}
    assert {"year": 2025, "count": 1} in modules["知识产权政策（印发）"]["counts"]
    assert "知识产权政策兑现" in modules
