"""Key task 4 beyond trademarks: the copyright demonstration work (自主版权登记数量 by year beside the 版权示范单位), the
district's cultural resources (遗传资源、传统知识、民间文艺), 文创 products and activity brands, and the 中医药传承创新
发展示范试点 projects with their traditional-knowledge records. The office and each kind's responsible unit record
them, nobody else; a refusal names the field in Chinese and writes nothing; each kind is counted by year under task 4."""

import datetime as dt

import pytest

from ipcity.accounts.models import Organization
from ipcity.accounts.roles import Role
from ipcity.accounts.services import user_create
from ipcity.audit.models import AuditEntry
from ipcity.services.models import CulturalProduct, CulturalResource, TcmProject
from ipcity.stats.models import CopyrightRegistration
from tests.conftest import PASSWORD
from tests.helpers import json_text, post_json

FOLK_ART = {"category": "folk_art", "name": "南开剪纸技艺", "holder_name": "李某某（区级传承人）",
            "protection_status": "protected", "source": "区级非物质文化遗产名录", "recorded_on": "2025-04-01",
            "protected_since": "2025-03-01"}
PRODUCT = {"kind": "product", "name": "南开老城文创礼盒", "owner_name": "南开文创有限公司", "brand": "南开礼物",
           "launched_on": "2025-05-01"}
PROJECT = {"name": "名老中医学术经验传承示范试点", "undertaker": "南开区中医医院", "approved_on": "2025-03-01",
           "summary": "建设传承工作室"}
KNOWLEDGE = {"name": "名老中医膏方配伍经验", "holder_name": "王某某（名老中医）", "protection_status": "archived",
             "source": "传承工作室整理", "recorded_on": "2025-06-01"}


def _staff(code: str, username: str):
    return user_create(actor=None, username=username, password=PASSWORD, role=Role.UNIT_STAFF,
                       organization=Organization.objects.get(code=code), full_name=f"{username}联络员")


@pytest.fixture
def units(people, client_for):
    """Staff of the plan's task-4 units: 区文化和旅游局, 区委宣传部 and 区卫健委 (the unit persona is 区科技局)."""
    from django.test import Client

    clients = {}
    for code in ("culture_tourism", "publicity", "health"):
        client = Client()
        client.force_login(_staff(code, f"staff_{code}"))
        clients[code] = client
    return clients


def _written():
    return (CulturalResource.objects.count(), CulturalProduct.objects.count(), TcmProject.objects.count(),
            AuditEntry.objects.count())


# ---- who records ----

def test_the_culture_bureau_records_a_folk_art_item_anyone_reads_it_and_no_other_unit_can_write(client_for, units):
    before = _written()
    for client in (client_for("unit_staff"), client_for("enterprise_user"), units["health"]):
        refused = post_json(client, "/api/v1/services/culture/resources", FOLK_ART)
        assert refused.status_code == 403 and "区文化和旅游局" in json_text(refused)
    assert post_json(client_for(None), "/api/v1/services/culture/resources", FOLK_ART).status_code == 401
    assert client_for("unit_staff").post("/services/cultural-resources/", FOLK_ART).status_code == 403
    assert _written() == before
    made = post_json(units["culture_tourism"], "/api/v1/services/culture/resources", FOLK_ART)
    assert made.status_code == 201, made.content
    assert made.json()["responsible_unit"] == "区文化和旅游局" and made.json()["protection_status_label"] == "保护中"
    listed = client_for(None).get("/api/v1/services/culture/resources").json()
    assert [(r["name"], r["category_label"], r["holder_name"]) for r in listed] == [
        ("南开剪纸技艺", "民间文艺", "李某某（区级传承人）")]
    page = client_for(None).get("/services/cultural-resources/").content.decode()
    assert "南开剪纸技艺" in page and "保护中" in page and "folk_art" not in page
    assert 'data-testid="cultural-resource-form"' not in page  # the public sees no form
    other = client_for("unit_staff").get("/services/cultural-resources/").content.decode()
    assert 'data-testid="cultural-resource-form"' not in other


def test_the_office_records_for_any_responsible_unit_and_a_unit_only_for_itself(client_for, units):
    office = client_for("office_admin")
    made = post_json(office, "/api/v1/services/culture/products", {**PRODUCT, "responsible_unit": "publicity"})
    assert made.status_code == 201 and made.json()["responsible_unit"] == "区委宣传部"
    wrong = post_json(office, "/api/v1/services/culture/products",
                      {**PRODUCT, "name": "另一礼盒", "responsible_unit": "health"})
    assert wrong.status_code == 422 and "记录单位应为区文化和旅游局、区委宣传部" in json_text(wrong)
    for_another = post_json(units["culture_tourism"], "/api/v1/services/culture/products",
                            {**PRODUCT, "name": "另一礼盒", "responsible_unit": "publicity"})
    assert for_another.status_code == 403 and "本单位" in json_text(for_another)
    own = post_json(units["publicity"], "/api/v1/services/culture/products",
                    {**PRODUCT, "kind": "activity_brand", "name": "南开知识产权文化周", "brand": "知产南开"})
    assert own.status_code == 201 and own.json()["responsible_unit"] == "区委宣传部"
    assert post_json(units["health"], "/api/v1/services/culture/products",
                     {**PRODUCT, "name": "第三个"}).status_code == 403
    page = client_for(None).get("/services/cultural-products/").content.decode()
    assert "南开老城文创礼盒" in page and "活动品牌" in page and "知产南开" in page


def test_the_health_commission_records_tcm_pilot_projects_with_their_knowledge_records(client_for, units):
    health = units["health"]
    assert post_json(units["culture_tourism"], "/api/v1/services/culture/tcm-projects", PROJECT).status_code == 403
    project = post_json(health, "/api/v1/services/culture/tcm-projects", PROJECT)
    assert project.status_code == 201 and project.json()["responsible_unit"] == "区卫健委"
    pk = project.json()["id"]
    path = f"/api/v1/services/culture/tcm-projects/{pk}/knowledge"
    assert post_json(units["culture_tourism"], path, KNOWLEDGE).status_code == 403
    early = post_json(health, path, {**KNOWLEDGE, "recorded_on": "2025-01-10"})
    assert early.status_code == 422 and "登记日期不能早于项目立项日期（2025-03-01）" in json_text(early)
    assert post_json(health, path, KNOWLEDGE).status_code == 201
    assert post_json(client_for("office_admin"), path, {**KNOWLEDGE, "name": "小儿推拿传统手法"}).status_code == 201
    assert post_json(health, "/api/v1/services/culture/tcm-projects/999999/knowledge", KNOWLEDGE).status_code == 404
    projects = client_for(None).get("/api/v1/services/culture/tcm-projects").json()
    assert [k["name"] for k in projects[0]["knowledge"]] == ["小儿推拿传统手法", "名老中医膏方配伍经验"]  # newest first
    assert all(k["category"] == "traditional_knowledge" and k["responsible_unit"] == "区卫健委"
               for k in projects[0]["knowledge"])
    resources = client_for(None).get("/api/v1/services/culture/resources").json()
    assert {r["tcm_project"] for r in resources} == {pk}  # TCM knowledge is traditional knowledge too
    page = client_for(None).get("/services/tcm/").content.decode()
    assert "名老中医学术经验传承示范试点" in page and "名老中医膏方配伍经验" in page and "已建档" in page
    form_page = health.post("/services/tcm/", {"form": "project", "name": "", "undertaker": "某医院",
                                               "approved_on": "2025-03-01"})
    assert form_page.status_code == 200 and "errorlist" in form_page.content.decode()


# ---- bad input ----

@pytest.mark.parametrize(("change", "field", "words"), [
    ({"holder_name": ""}, "holder_name", "请选择平台上的单位或填写持有人或传承人"),
    ({"recorded_on": "2099-01-01"}, "recorded_on", "登记日期不能晚于今天"),
    ({"protected_since": "2025-05-01"}, "protected_since", "建档或保护起始日期不能晚于登记日期"),
    ({"source": "  "}, "source", "来源：请填写来源"),
    ({"name": "名" * 201}, "name", "名称超过 200 字的上限"),
    ({"category": "poetry"}, "category", ""),
    ({"holder_organization": 999999}, "", "持有单位不存在"),
])
def test_bad_input_is_refused_in_chinese_naming_the_field_and_nothing_is_written(units, change, field, words):
    before = _written()
    refused = post_json(units["culture_tourism"], "/api/v1/services/culture/resources", {**FOLK_ART, **change})
    assert refused.status_code in (404, 422), refused.content
    text = json_text(refused)
    assert field in text and words in text and any("\u4e00" <= c <= "\u9fff" for c in text)
    assert _written() == before


def test_a_second_item_of_the_same_name_is_refused_and_the_page_shows_why_on_the_field(units):
    assert post_json(units["culture_tourism"], "/api/v1/services/culture/resources", FOLK_ART).status_code == 201
    before = _written()
    again = post_json(units["culture_tourism"], "/api/v1/services/culture/resources", FOLK_ART)
    assert again.status_code == 422 and "name: 名称：该民间文艺已登记" in json_text(again)
    page = units["culture_tourism"].post("/services/cultural-resources/", {**FOLK_ART, "source": ""})
    assert page.status_code == 200 and "errorlist" in page.content.decode()
    assert _written() == before


# ---- copyright demonstration ----

def test_copyright_work_counts_the_districts_own_registrations_by_year_beside_the_selected_units(client_for, plan,
                                                                                                people):
    for number, kind, district, day in (("C1", "work", plan.region, dt.date(2025, 3, 1)),
                                        ("C2", "software", plan.region, dt.date(2025, 8, 1)),
                                        ("C3", "software", plan.region, dt.date(2026, 2, 1)),
                                        ("C4", "work", "天津市和平区", dt.date(2025, 3, 1))):
        CopyrightRegistration.objects.create(registration_number=number, kind=kind, title=number, owner="某公司",
                                             owner_district=district, registered_on=day)
    unit, office, public = client_for("unit_staff"), client_for("office_admin"), client_for(None)
    nomination = {"program": "copyright", "name": "海河数字出版有限公司", "kind": "enterprise", "year": 2025,
                  "reason": "自主版权登记多"}
    assert post_json(client_for("enterprise_user"), "/api/v1/services/culture/demonstration-units",
                     nomination).status_code == 403
    nominated = post_json(unit, "/api/v1/services/culture/demonstration-units", nomination)
    assert nominated.status_code == 201 and nominated.json()["program"] == "copyright"
    assert post_json(unit, "/api/v1/services/culture/demonstration-units",
                     {**nomination, "program": "poetry"}).status_code == 422
    pk = nominated.json()["id"]
    assert post_json(unit, f"/api/v1/services/culture/demonstration-units/{pk}/decision",
                     {"selected": True, "note": "同意"}).status_code == 403
    assert post_json(office, f"/api/v1/services/culture/demonstration-units/{pk}/decision",
                     {"selected": True, "note": "版权示范作用突出"}).status_code == 200
    work = public.get("/api/v1/services/culture/copyright").json()
    assert work["region"] == plan.region
    assert [(y["year"], y["works"], y["software"], y["total"]) for y in work["years"]] == [
        (2024, 0, 0, 0), (2025, 1, 1, 2), (2026, 0, 1, 1)]
    assert [u["name"] for u in work["units"]] == ["海河数字出版有限公司"]
    page = public.get("/services/copyright/").content.decode()
    assert "海河数字出版有限公司" in page and 'data-year="2025"' in page
    assert "海河数字出版有限公司" not in public.get("/services/culture/").content.decode()  # not an education unit
    page_nomination = unit.post("/services/copyright/", {"form": "nomination", "name": "南开动漫园", "kind": "park",
                                                          "year": "2026", "reason": "园区版权服务"})
    assert page_nomination.status_code == 302
    assert "南开动漫园" in office.get("/services/copyright/").content.decode()  # waiting for the office


# ---- counted by year under task 4 ----

def test_task_4_counts_each_kind_by_its_own_date_on_the_task_page_and_in_the_api(client_for, units):
    office = client_for("office_admin")
    for name, day in (("剪纸", "2025-04-01"), ("曲艺", "2026-02-01"), ("糕点技艺", "2026-03-01")):
        assert post_json(units["culture_tourism"], "/api/v1/services/culture/resources",
                         {**FOLK_ART, "name": name, "recorded_on": day, "protected_since": None}).status_code == 201
    assert post_json(office, "/api/v1/services/culture/products", PRODUCT).status_code == 201
    pk = post_json(units["health"], "/api/v1/services/culture/tcm-projects", PROJECT).json()["id"]
    assert post_json(units["health"], f"/api/v1/services/culture/tcm-projects/{pk}/knowledge",
                     {**KNOWLEDGE, "recorded_on": "2026-01-15"}).status_code == 201
    modules = {m["label"]: [c["count"] for c in m["counts"]]
               for m in client_for(None).get("/api/v1/plan/tasks/4/modules").json()}
    assert modules["遗传资源、传统知识、民间文艺（登记）"] == [0, 1, 2]  # TCM knowledge is counted on its own row
    assert modules["文创产品、活动品牌和文化地标（推出）"] == [0, 1, 0]
    assert modules["中医药传承创新发展示范试点项目（立项）"] == [0, 1, 0]
    assert modules["中医药传统知识保护记录（登记）"] == [0, 0, 1]
    assert "版权示范单位（入选）" in modules and "作品和软件著作权登记（本区）" in modules
    page = client_for(None).get("/plan/tasks/4/").content.decode()
    assert "中医药传承创新发展示范试点项目（立项）" in page and "/services/tcm/" in page
