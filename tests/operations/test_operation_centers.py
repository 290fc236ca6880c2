"""The office records recognized 优势产业知识产权运营中心, and the indicator counts them by recognition date."""

from decimal import Decimal

import pytest

from ipcity.audit.models import AuditEntry
from ipcity.operations.models import OperationCenterRecognition

CENTER = {"name": "天开园新一代信息技术产业知识产权运营中心", "authority": "天津市知识产权局", "recognized_on": "2025-06-30",
          "document_number": "津知发〔2025〕12号", "industry": "新一代信息技术"}


def _indicator(client, as_of):
    rows = client.get("/api/v1/plan/indicators", {"as_of": as_of}).json()
    return next(r for r in rows if r["code"] == "operation_centers")


def test_the_office_records_a_recognized_center_on_the_page_and_everyone_sees_it(client_for, people):
    office = client_for("office_admin")
    response = office.post("/operations/centers/", {**CENTER, "operator": people["agency_user"].organization_id})
    assert response.status_code == 302
    page = client_for(None).get("/operations/centers/").content.decode()
    assert CENTER["name"] in page and "天津市知识产权局" in page and "2025-06-30" in page
    assert people["agency_user"].organization.name in page
    listed = client_for(None).get("/api/v1/operations/centers").json()
    assert [(c["name"], c["recognized_on"]) for c in listed] == [(CENTER["name"], "2025-06-30")]


def test_a_recognized_center_counts_toward_the_indicator_once_its_records_cover_the_pilot(client_for, plan):
    office = client_for("office_admin")
    assert office.post("/api/v1/operations/centers", CENTER, content_type="application/json").status_code == 201
    # Recognitions recorded only from 2025 do not say how many there were in 2024: not computed yet.
    assert not _indicator(office, "2025-12-31")["computed"]
    office.post("/api/v1/registries/coverage", {"kind": "activity:operation_center", "complete_from": "2024-01-01"},
                content_type="application/json")
    before, after = _indicator(office, "2025-06-29"), _indicator(office, "2025-12-31")
    assert before["computed"] and Decimal(before["latest"]["value"]) == 0
    assert Decimal(after["latest"]["value"]) == 1 and after["status"] == "met"
    lineage = office.get("/api/v1/indicators/operation_centers/records", {"as_of": "2025-12-31"}).json()
    assert lineage["rows"][0][1:4] == [CENTER["name"], "天津市知识产权局", ""]


def test_recording_a_center_is_audited(client_for):
    client_for("office_admin").post("/api/v1/operations/centers", CENTER, content_type="application/json")
    entry = AuditEntry.objects.get(action="operations.center.record")
    assert entry.actor_name == "office_admin" and entry.after["authority"] == "天津市知识产权局"


@pytest.mark.parametrize("persona", [None, "unit_staff", "agency_user", "enterprise_user"])
def test_nobody_but_the_office_may_record_a_center(client_for, persona):
    client = client_for(persona)
    api = client.post("/api/v1/operations/centers", CENTER, content_type="application/json")
    page = client.post("/operations/centers/", CENTER)
    assert api.status_code in (401, 403) and page.status_code == 403
    assert not OperationCenterRecognition.objects.exists()


@pytest.mark.parametrize(("changes", "message"), [
    ({"recognized_on": "2099-01-01"}, "认定日期应在"), ({"recognized_on": "2025-02-30"}, "日期"),
    ({"authority": " "}, "请填写认定机关"), ({"name": "名称\x01"}, "控制字符"),
])
def test_a_bad_recognition_is_refused_in_chinese_and_nothing_is_recorded(client_for, changes, message):
    response = client_for("office_admin").post("/api/v1/operations/centers", {**CENTER, **changes},
                                               content_type="application/json")
    assert response.status_code in (400, 422) and message in str(response.json())
    assert not OperationCenterRecognition.objects.exists()


# ---- a center is recognized once ----

@pytest.mark.parametrize("again", [
    CENTER["name"], f"  {CENTER['name']} ", "天开园　新一代信息技术产业知识产权运营中心",  # a full-width space
    CENTER["name"].replace("天开园", "天开园 "),
])
def test_recording_the_same_center_again_is_refused_in_chinese_and_it_is_not_counted_twice(client_for, again):
    office = client_for("office_admin")
    assert office.post("/api/v1/operations/centers", CENTER, content_type="application/json").status_code == 201
    api = office.post("/api/v1/operations/centers", {**CENTER, "name": again, "recognized_on": "2025-09-01"},
                      content_type="application/json")
    assert api.status_code == 422 and "已于2025-06-30由天津市知识产权局认定" in str(api.json())
    page = office.post("/operations/centers/", {**CENTER, "name": again})
    assert page.status_code == 200 and "不能重复登记" in page.content.decode()
    assert OperationCenterRecognition.objects.count() == 1
    assert AuditEntry.objects.filter(action="operations.center.record").count() == 1


def test_a_full_width_name_is_the_same_center(client_for):
    office = client_for("office_admin")
    assert office.post("/api/v1/operations/centers", {**CENTER, "name": "ＡＢＣ产业运营中心"},
                       content_type="application/json").status_code == 201
    again = office.post("/api/v1/operations/centers", {**CENTER, "name": "abc 产业运营中心"},
                        content_type="application/json")
    assert again.status_code == 422 and OperationCenterRecognition.objects.count() == 1


def test_a_center_recorded_twice_before_recognitions_were_unique_counts_once(client_for, people, plan):
    office = client_for("office_admin")
    assert office.post("/api/v1/operations/centers", CENTER, content_type="application/json").status_code == 201
    first = OperationCenterRecognition.objects.get()
    # a second row for the same center, as the database may hold from before the rule (its key made distinct)
    OperationCenterRecognition.objects.bulk_create([OperationCenterRecognition(
        name=f"{CENTER['name']} ", name_key="legacy#2", authority="天津市知识产权局", recognized_on=first.recognized_on,
        recorded_by=people["office_admin"], recorded_at=first.recorded_at)])
    office.post("/api/v1/registries/coverage", {"kind": "activity:operation_center", "complete_from": "2024-01-01"},
                content_type="application/json")
    assert Decimal(_indicator(office, "2025-12-31")["latest"]["value"]) == 1
    lineage = office.get("/api/v1/indicators/operation_centers/records", {"as_of": "2025-12-31"}).json()
    assert len(lineage["rows"]) == 1


def test_another_center_counts_as_another(client_for, plan):
    office = client_for("office_admin")
    office.post("/api/v1/operations/centers", CENTER, content_type="application/json")
    other = office.post("/api/v1/operations/centers", {**CENTER, "name": "南开区生物医药产业知识产权运营中心"},
                        content_type="application/json")
    assert other.status_code == 201
    office.post("/api/v1/registries/coverage", {"kind": "activity:operation_center", "complete_from": "2024-01-01"},
                content_type="application/json")
    assert Decimal(_indicator(office, "2025-12-31")["latest"]["value"]) == 2
