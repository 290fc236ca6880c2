"""The catalogue and its versioned guides, and an application from submission to rating: supplement, acceptance,
decision, time limits flagged when passed, and the satisfaction it feeds."""

from django.core.files.uploadedfile import SimpleUploadedFile

from ipcity.audit.models import AuditEntry
from tests.helpers import json_text, post_json
from tests.services.helpers import guide, make_item

PDF = b"%PDF-1.4 application material"


def _pdf(name="申请表.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _unit(people):
    return people["unit_staff"].organization_id


def _apply(client, code="NK-TEST-001", files=True):
    return client.post("/api/v1/services/applications", {"item": code, "description": "申请2026年度专利资助",
                                                          **({"files": [_pdf(), _pdf("执照.pdf")]} if files else {})})


def _step(client, pk, action, note="", files=None):
    return client.post(f"/api/v1/services/applications/{pk}/steps",
                       {"action": action, "note": note, **({"files": files} if files else {})})


def test_the_office_publishes_an_item_and_a_new_version_keeps_the_old_one_readable(client_for, people):
    office, public = client_for("office_admin"), client_for(None)
    bad = make_item(office, _unit(people), code="nk lower", fees="", materials=[])
    assert bad.status_code == 422 and "事项编码" in json_text(bad) and "收费标准" in json_text(bad) and "申请材料" in json_text(bad)
    assert make_item(office, _unit(people)).status_code == 201
    assert make_item(client_for("unit_staff"), _unit(people), code="NK-TEST-002").status_code == 403
    same = post_json(office, "/api/v1/services/items/NK-TEST-001/guides", {"guide": guide(), "change_note": "无变化"})
    assert same.status_code == 422 and "无需发布新版本" in json_text(same)
    second = post_json(office, "/api/v1/services/items/NK-TEST-001/guides",
                       {"guide": guide(decide_days=10), "change_note": "承诺时限由15个工作日压缩为10个工作日"})
    assert second.json()["version"] == 2
    assert public.get("/api/v1/services/items/NK-TEST-001").json()["guide"]["decide_days"] == 10
    assert public.get("/api/v1/services/items/NK-TEST-001?version=1").json()["guide"]["decide_days"] == 15
    page = public.get("/services/items/NK-TEST-001/?version=1").content.decode()
    assert "此为历史版本" in page and "《中华人民共和国专利法》第二十条" in page and "12345 热线" in page
    assert "NK-TEST-001" in public.get("/services/?q=资助").content.decode()
    assert "没有符合" in public.get("/services/?q=商标").content.decode()


def test_an_application_runs_through_a_supplement_to_approval_and_is_rated(client_for, people, frozen_clock):
    office, unit, enterprise = client_for("office_admin"), client_for("unit_staff"), client_for("enterprise_user")
    make_item(office, _unit(people))
    missing = _apply(enterprise, files=False)
    assert missing.status_code == 422 and "申请表" in json_text(missing)
    filed = _apply(enterprise).json()
    pk = filed["id"]
    assert filed["accept_due"] == "2026-11-09" and len(filed["materials"]) == 2  # 5 working days from Monday 11-02
    assert _step(enterprise, pk, "accept").status_code == 403
    assert _step(client_for("agency_user"), pk, "accept").status_code == 404  # not its application, not its unit
    assert _step(unit, pk, "supplement").status_code == 422  # must list what is missing
    _step(unit, pk, "supplement", "请补充2025年度财务报表")
    frozen_clock.advance(days=8)  # the acceptance clock stopped while the applicant supplemented
    assert unit.get(f"/api/v1/services/applications/{pk}").json()["overdue"] == ""
    assert _step(enterprise, pk, "resubmit", "已补充").status_code == 422  # no file
    again = _step(enterprise, pk, "resubmit", "已补充财务报表", files=[_pdf("财务报表.pdf")]).json()
    assert again["state"] == "submitted" and again["accept_due"] == "2026-11-17" and len(again["materials"]) == 3
    assert _post_rating(enterprise, pk, 5).status_code == 422  # not yet ended
    once = _step(unit, pk, "supplement", "再补充一份材料")
    assert once.status_code == 422 and "一次性告知" in json_text(once)
    accepted = _step(unit, pk, "accept").json()
    assert accepted["decide_due"] == "2026-12-01"
    frozen_clock.advance(days=30)
    assert "超过承诺办结时限" in unit.get(f"/api/v1/services/applications/{pk}").json()["overdue"]
    assert "超过承诺办结时限" in office.get(f"/services/applications/{pk}/").content.decode()
    approved = _step(unit, pk, "approve", "准予资助2万元").json()
    assert approved["state"] == "approved" and approved["overdue"] == ""
    assert _post_rating(enterprise, pk, 2).status_code == 422  # a bad rating needs a reason
    assert _post_rating(enterprise, pk, 4, "办理及时").json()["rating"] == 4
    assert _post_rating(enterprise, pk, 5).status_code == 422  # once only
    assert client_for(None).get("/api/v1/services/satisfaction").json() == {"rated": 1, "satisfied": 1,
                                                                             "rate": 100.0, "mean": 4.0}
    assert list(AuditEntry.objects.filter(action__startswith="services.application").order_by("pk").values_list(
        "action", flat=True)) == [f"services.application.{a}" for a in ("submit", "supplement", "resubmit", "accept",
                                                                        "approve", "rate")]


def _post_rating(client, pk, rating, comment=""):
    return post_json(client, f"/api/v1/services/applications/{pk}/rating", {"rating": rating, "comment": comment})


def test_applications_and_their_materials_are_seen_only_by_applicant_unit_and_office(client_for, people):
    make_item(client_for("office_admin"), _unit(people))
    pk = _apply(client_for("enterprise_user")).json()["id"]
    for persona, count in (("enterprise_user", 1), ("unit_staff", 1), ("office_admin", 1), ("university_user", 0)):
        assert len(client_for(persona).get("/api/v1/services/applications").json()) == count, persona
    assert client_for("mediator").get("/api/v1/services/applications").status_code == 403
    page = client_for("unit_staff").get(f"/services/applications/{pk}/").content.decode()
    path = next(part.split('"')[0] for part in page.split('href="')[1:] if "/files/" in part.split('"')[0])
    assert client_for("unit_staff").get(path).status_code == 200  # the unit reads what was filed with it
    assert client_for("university_user").get(path).status_code == 404
    assert client_for(None).get(path).status_code == 302


def test_a_withdrawn_or_refused_application_ends_and_can_be_rated(client_for, people):
    make_item(client_for("office_admin"), _unit(people))
    enterprise, unit = client_for("enterprise_user"), client_for("unit_staff")
    first = _apply(enterprise).json()["id"]
    assert _step(enterprise, first, "withdraw").json()["state"] == "withdrawn"
    assert _post_rating(enterprise, first, 5).status_code == 422
    second = _apply(enterprise).json()["id"]
    assert _step(unit, second, "not_accept").status_code == 422
    refused = _step(unit, second, "not_accept", "不属于本单位职权范围，请向市知识产权局申请").json()
    assert refused["state"] == "not_accepted"
    assert _post_rating(enterprise, second, 1, "没有提前告知").status_code == 200


def test_a_malformed_form_value_gets_a_clear_refusal_not_a_server_error(client_for, people):
    make_item(client_for("office_admin"), _unit(people))
    enterprise = client_for("enterprise_user")
    pk = _apply(enterprise).json()["id"]
    _step(enterprise, pk, "withdraw")
    page = enterprise.post(f"/services/applications/{pk}/", {"form": "rating", "rating": "五星"}, follow=True)
    assert page.status_code == 200 and "应为整数" in page.content.decode()
    bad_guide = post_json(client_for("office_admin"), "/api/v1/services/items",
                          {"code": "NK-TEST-009", "name": "事项", "item_type": "public_service", "unit": _unit(people),
                           "guide": guide(materials=3)})
    assert bad_guide.status_code == 422 and "应为列表" in json_text(bad_guide)
