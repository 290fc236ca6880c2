"""Protection workflows run on the workflow core: a step is checked against the record as stored now, not against a
copy a page or script read earlier, a refused step writes nothing, and pages name each step in Chinese."""

import json

import pytest
from django.core.exceptions import ValidationError

from ipcity.audit.models import AuditEntry
from ipcity.protection.assistance import assistance_step
from ipcity.protection.credit import repair_decide
from ipcity.protection.models import AssistanceRequest, DishonestyListing
from tests.helpers import post_json

PENALTIES = [{"reference": "津南市监处〔2025〕7号", "decided_on": "2025-06-01", "infringement": True},
             {"reference": "津南市监处〔2025〕9号", "decided_on": "2025-09-01", "infringement": True}]


def _listing(client_for, people) -> int:
    office, enterprise = client_for("office_admin"), client_for("enterprise_user")
    listing = post_json(office, "/api/v1/protection/credit/listings", {
        "organization": people["enterprise_user"].organization_id, "listed_on": "2025-10-01",
        "penalties": PENALTIES}).json()
    assert post_json(enterprise, f"/api/v1/protection/credit/listings/{listing['id']}/repair",
                 {"statement": "已缴纳罚款"}).status_code == 200
    return listing["id"]


def test_a_repair_decision_made_on_a_stale_copy_is_checked_against_the_listing_as_stored(client_for, people,
                                                                                          frozen_clock):
    pk = _listing(client_for, people)
    stale = DishonestyListing.objects.get(pk=pk)  # read while the repair application was pending
    assert post_json(client_for("office_admin"), f"/api/v1/protection/credit/listings/{pk}/decision",
                 {"grant": False, "note": "整改材料不全"}).status_code == 200
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        repair_decide(actor=people["office_admin"], listing=stale, grant=False, penalties_fulfilled=False,
                      new_violations=False, note="再次不予修复")
    assert "当前状态为“列入名单”" in refused.value.messages[0]
    stored = DishonestyListing.objects.get(pk=pk)
    assert stored.repair_decision_note == "整改材料不全" and AuditEntry.objects.count() == before


def test_an_expired_listing_cannot_apply_for_repair_and_is_told_it_has_expired(client_for, people, frozen_clock):
    office, enterprise = client_for("office_admin"), client_for("enterprise_user")
    listing = post_json(office, "/api/v1/protection/credit/listings", {
        "organization": people["enterprise_user"].organization_id, "listed_on": "2025-10-01",
        "penalties": PENALTIES}).json()
    frozen_clock.advance(days=3 * 366)
    late = post_json(enterprise, f"/api/v1/protection/credit/listings/{listing['id']}/repair", {"statement": "已整改"})
    assert late.status_code == 422 and "期满移出" in json.dumps(late.json(), ensure_ascii=False)
    assert DishonestyListing.objects.get(pk=listing["id"]).state == DishonestyListing.State.LISTED


def test_an_assistance_step_on_a_stale_copy_is_checked_against_the_request_as_stored(client_for, people,
                                                                                      frozen_clock):
    enterprise, office = client_for("enterprise_user"), client_for("office_admin")
    pk = post_json(enterprise, "/api/v1/protection/assistance", {"topic": "商标被抢注", "description": "海外抢注"}).json()["id"]
    stale = AssistanceRequest.objects.get(pk=pk)
    assert post_json(office, f"/api/v1/protection/assistance/{pk}/steps",
                 {"action": "triage", "category": "商标"}).status_code == 200
    with pytest.raises(ValidationError):
        assistance_step(actor=people["office_admin"], request=stale, action="triage", category="其他")
    assert AssistanceRequest.objects.get(pk=pk).category == "商标"


def test_an_assistance_step_the_table_does_not_know_is_refused_at_the_door(client_for, people, frozen_clock):
    pk = post_json(client_for("enterprise_user"), "/api/v1/protection/assistance",
               {"topic": "商标被抢注", "description": "海外抢注"}).json()["id"]
    unknown = post_json(client_for("office_admin"), f"/api/v1/protection/assistance/{pk}/steps", {"action": "approve"})
    assert unknown.status_code == 422
    assert AssistanceRequest.objects.get(pk=pk).state == AssistanceRequest.State.SUBMITTED


def test_a_case_history_names_each_step_in_chinese_and_a_rejection_needs_its_reason(client_for, people,
                                                                                      frozen_clock):
    officer = client_for("enforcement_officer")
    case = post_json(officer, "/api/v1/protection/cases", {"kind": "patent", "source": "complaint", "party": "某公司",
                                                       "facts": "假冒专利", "received_on": "2026-10-20"}).json()
    bare = post_json(officer, f"/api/v1/protection/cases/{case['id']}/steps", {"action": "reject"})
    assert bare.status_code == 422 and "不予立案须" in json.dumps(bare.json(), ensure_ascii=False)
    assert post_json(officer, f"/api/v1/protection/cases/{case['id']}/steps",
                 {"action": "reject", "note": "不属于本机关管辖"}).json()["state"] == "not_filed"
    page = officer.get(f"/protection/cases/{case['id']}/").content.decode()
    assert "：登记" in page and "：不予立案（不属于本机关管辖）" in page and "：register" not in page
