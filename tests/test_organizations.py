"""The office registers organizations and their people; users outside the office reach only their own."""

import json

from django.test import Client

from ipcity.accounts.models import Organization, User
from ipcity.audit.models import AuditEntry
from tests.conftest import PASSWORD


def test_the_office_adds_an_enterprise_with_its_tags_and_street(client_for):
    office = client_for("office_admin")
    response = office.post("/orgs/new/", {"name": "南开示例科技有限公司", "org_type": "enterprise", "street": "huayuan",
                                          "tags": ["high_tech", "tiankai_core"], "credit_code": "914403001922038216"})
    org = Organization.objects.get(name="南开示例科技有限公司")
    assert response["Location"] == f"/orgs/{org.pk}/"
    assert org.tag_labels == ["国家高新技术企业", "天开园核心区企业"] and org.get_street_display() == "华苑街道"
    assert AuditEntry.objects.filter(action="accounts.organization.create", object_id=str(org.pk)).exists()


def test_a_wrong_credit_code_is_refused_on_its_field_and_nothing_is_stored(client_for):
    page = client_for("office_admin").post("/orgs/new/", {"name": "校验企业", "org_type": "enterprise",
                                                          "credit_code": "91440300192203821X"}).content.decode()
    assert "统一社会信用代码校验位不正确" in page
    assert not Organization.objects.filter(name="校验企业").exists()


def test_enterprise_tags_on_a_university_are_refused_through_the_api(client_for):
    response = client_for("office_admin").post("/api/v1/organizations", json.dumps(
        {"name": "某大学", "org_type": "university", "tags": ["high_tech"]}), content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"] == ["tags: 只有企业可以带企业标签"]


def test_the_office_adds_a_member_who_can_then_sign_in(client_for, people):
    org = people["enterprise_user"].organization
    response = client_for("office_admin").post(f"/orgs/{org.pk}/members/", {
        "username": "zhang", "full_name": "张三", "role": "enterprise_user", "phone": "13800001111",
        "id_number": "11010519491231002X", "password": "Zhang@2024pass"})
    assert response.status_code == 302
    assert Client().post("/login/", {"username": "zhang", "password": "Zhang@2024pass"}).status_code == 302


def test_a_member_with_a_malformed_phone_or_id_number_is_refused_with_both_reasons(client_for, people):
    org = people["enterprise_user"].organization
    page = client_for("office_admin").post(f"/orgs/{org.pk}/members/", {
        "username": "li", "full_name": "李四", "role": "enterprise_user", "phone": "12345",
        "id_number": "110105194912310021", "password": "Li@2024password"}).content.decode()
    assert "手机号应为以1开头的11位数字" in page and "身份证号校验位不正确" in page
    assert not User.objects.filter(username="li").exists()


def test_a_role_that_does_not_fit_the_organization_is_refused(client_for, people):
    org = people["enterprise_user"].organization
    response = client_for("office_admin").post(f"/api/v1/organizations/{org.pk}/members", json.dumps(
        {"username": "boss", "full_name": "x", "role": "office_admin", "password": "Boss@2024pass"}),
        content_type="application/json")
    assert response.status_code == 422 and "不能属于企业" in response.json()["detail"][0]


def test_a_deactivated_user_cannot_sign_in_and_is_signed_out(client_for, people):
    member = client_for("enterprise_user")
    org = people["enterprise_user"].organization
    client_for("office_admin").post(f"/orgs/{org.pk}/members/enterprise_user/", {"action": "deactivate"})
    assert member.get("/workspace/").status_code == 302
    assert "用户名或密码错误" in Client().post("/login/", {"username": "enterprise_user", "password": PASSWORD}).content.decode()


def test_the_office_unlocks_a_locked_account_through_the_api(client_for, people):
    for _ in range(5):
        Client().post("/login/", {"username": "unit_staff", "password": "wrong"})
    assert User.objects.get(username="unit_staff").is_locked
    response = client_for("office_admin").patch("/api/v1/users/unit_staff", json.dumps({"unlock": True}),
                                                content_type="application/json")
    assert response.json() == {"username": "unit_staff", "is_active": True, "is_locked": False}
    assert Client().post("/login/", {"username": "unit_staff", "password": PASSWORD}).status_code == 302


def test_the_office_cannot_deactivate_itself(client_for):
    response = client_for("office_admin").patch("/api/v1/users/office_admin", json.dumps({"is_active": False}),
                                                content_type="application/json")
    assert response.status_code == 422 and "不能停用自己的账号" in response.json()["detail"][0]


def test_an_enterprise_user_sees_only_its_own_organization(client_for, people):
    enterprise = client_for("enterprise_user")
    listed = enterprise.get("/api/v1/organizations").json()
    assert [o["name"] for o in listed] == ["测试企业有限公司"]
    other = Organization.objects.get(name="区科技局")
    assert enterprise.get(f"/orgs/{other.pk}/").status_code == 404
    assert enterprise.get(f"/api/v1/organizations/{other.pk}").status_code == 404
