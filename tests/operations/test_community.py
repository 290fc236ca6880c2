"""Matchmaking events with their attendees (and the interests they produce), the alliance's members and their
activity, and patent product records."""

import pytest

from ipcity.operations.models import Interest
from ipcity.stats.services import import_batch_run, import_batch_start
from tests.helpers import json_text, post_json
from tests.operations.helpers import OPEN, PATENTS


@pytest.fixture
def registry(people):
    batch = import_batch_start(kind="patents", filename="patents.csv", actor=None)
    import_batch_run(batch=batch, data=PATENTS)


def test_an_interest_from_an_event_counts_for_the_event_channel_and_only_attendees_may_claim_it(
        client_for, people, registry, frozen_clock):
    office, agency = client_for("office_admin"), client_for("agency_user")
    university, enterprise = client_for("university_user"), client_for("enterprise_user")
    offer = post_json(university, "/api/v1/operations/offers", {**OPEN, "patent_number": "202110011111.1"}).json()
    event = post_json(agency, "/api/v1/operations/events", {
        "title": "新能源产学研对接会", "held_on": "2026-10-28", "organizer": people["agency_user"].organization_id,
        "attendees": [people["university_user"].organization_id]})
    assert event.status_code == 201, event.content
    refused = post_json(enterprise, "/api/v1/operations/interests", {"offer": offer["id"], "event": event.json()["id"]})
    assert refused.status_code == 422 and "没有参加该对接活动" in json_text(refused)
    event = post_json(office, "/api/v1/operations/events", {
        "title": "电池技术路演", "held_on": "2026-10-30", "organizer": people["office_admin"].organization_id,
        "attendees": [people["university_user"].organization_id, people["enterprise_user"].organization_id]}).json()
    made = post_json(enterprise, "/api/v1/operations/interests", {"offer": offer["id"], "event": event["id"]})
    assert made.status_code == 201 and Interest.objects.get().channel == "event"
    page = client_for(None).get("/operations/").content.decode()
    assert "产学研对接活动" in page
    future = post_json(office, "/api/v1/operations/events", {"title": "x", "held_on": "2027-01-01",
                                                          "organizer": people["office_admin"].organization_id,
                                                          "attendees": []})
    assert future.status_code == 422 and "日期不能晚于今天" in json_text(future) and "请选择参加的机构" in json_text(future)


def test_alliance_members_show_what_they_did_and_can_leave(client_for, people, registry, frozen_clock):
    office, university = client_for("office_admin"), client_for("university_user")
    post_json(university, "/api/v1/operations/offers", {**OPEN, "patent_number": "202110011111.1"})
    member = post_json(office, "/api/v1/operations/alliance", {"organization": people["university_user"].organization_id,
                                                           "joined_on": "2025-01-10", "role": "council"})
    assert member.status_code == 201 and member.json()["activity"]["offers"] == 1
    again = post_json(office, "/api/v1/operations/alliance", {"organization": people["university_user"].organization_id,
                                                          "joined_on": "2025-02-10"})
    assert again.status_code == 422 and "已是联盟成员" in json_text(again)
    unit = post_json(office, "/api/v1/operations/alliance", {"organization": people["unit_staff"].organization_id,
                                                         "joined_on": "2025-02-10"})
    assert unit.status_code == 422
    left = post_json(office, f"/api/v1/operations/alliance/{member.json()['id']}/leave", {"left_on": "2026-06-30"})
    assert left.json()["left_on"] == "2026-06-30"
    assert post_json(university, "/api/v1/operations/alliance", {
        "organization": people["university_user"].organization_id, "joined_on": "2025-01-10"}).status_code == 403


def test_a_patent_product_names_granted_patents_of_its_own_maker(client_for, registry, frozen_clock):
    university = client_for("university_user")
    made = post_json(university, "/api/v1/operations/products", {
        "name": "电池健康监测模组", "patent_numbers": ["202110011111.1"], "recorded_on": "2026-10-01",
        "record_number": "JN-2026-001", "annual_sales": "320"})
    assert made.status_code == 201 and made.json()["patents"] == ["202110011111.1"]
    bad = post_json(university, "/api/v1/operations/products", {
        "name": "x", "patent_numbers": ["202110044444.4", "202399999999.9"], "recorded_on": "2026-10-01"})
    assert bad.status_code == 422 and "不是本机构的专利" in json_text(bad) and "专利库中没有" in json_text(bad)
    assert "电池健康监测模组" in client_for(None).get("/operations/products/").content.decode()
