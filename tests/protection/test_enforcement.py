"""Enforcement cases: two certified officers to file, statutory deadlines, decision and closure, a criminal
referral with its receipt, personal data masked except for the case's officers (and their views audited), and the
cases and certified officers counted by the indicator engine."""


import datetime as dt

from ipcity.audit.models import AuditEntry
from ipcity.protection.enforcement import case_refer
from ipcity.protection.models import EnforcementCase
from tests.helpers import json_text, post_json
from tests.protection.helpers import CASE, certify, team


def test_a_case_runs_from_complaint_to_closure_after_a_criminal_referral(client_for, people, frozen_clock):
    officer, office = client_for("enforcement_officer"), client_for("office_admin")
    colleague, _ = team(people)
    case = post_json(officer, "/api/v1/protection/cases", CASE).json()
    pk = case["id"]
    lone = post_json(officer, f"/api/v1/protection/cases/{pk}/steps", {"action": "file"})
    assert lone.status_code == 422 and "两名以上持有有效执法证件" in json_text(lone)
    certify(office, people["enforcement_officer"], "津执-001")
    certify(office, colleague, "津执-002")
    post_json(officer, f"/api/v1/protection/cases/{pk}/officers",
          {"officers": [people["enforcement_officer"].pk, colleague.pk]})
    filed = post_json(officer, f"/api/v1/protection/cases/{pk}/steps", {"action": "file", "day": "2026-10-22"}).json()
    assert filed["state"] == "filed"
    assert client_for(None).get("/api/v1/indicators/trademark_enforcement_cases/records").json()["count"] == 1
    post_json(officer, f"/api/v1/protection/cases/{pk}/steps", {"action": "investigate"})
    early = post_json(officer, f"/api/v1/protection/cases/{pk}/steps", {"action": "close"})
    assert early.status_code == 422 and "移送公安机关并收到回执" in json_text(early)
    post_json(officer, f"/api/v1/protection/cases/{pk}/referral", {"police": "南开公安分局", "referred_on": "2026-10-28",
                                                               "reason": "涉案金额超过5万元，涉嫌销售假冒注册商标的商品罪"})
    post_json(officer, f"/api/v1/protection/cases/{pk}/receipt", {"receipt_number": "南公受字2026-18",
                                                              "receipt_on": "2026-10-30"})
    closed = post_json(officer, f"/api/v1/protection/cases/{pk}/steps", {"action": "close", "note": "已移送公安机关"}).json()
    assert closed["state"] == "closed" and closed["referral"]["receipt_number"] == "南公受字2026-18"


def test_a_referral_made_on_a_case_loaded_before_a_colleague_s_step_keeps_that_step(client_for, people, frozen_clock):
    """Two officers work one case: the referral must add to the case's history as it is, not as it was read."""
    officer, office = client_for("enforcement_officer"), client_for("office_admin")
    colleague, colleague_client = team(people)
    pk = post_json(officer, "/api/v1/protection/cases", CASE).json()["id"]
    certify(office, people["enforcement_officer"], "津执-001")
    certify(office, colleague, "津执-002")
    post_json(officer, f"/api/v1/protection/cases/{pk}/officers",
              {"officers": [people["enforcement_officer"].pk, colleague.pk]})
    post_json(officer, f"/api/v1/protection/cases/{pk}/steps", {"action": "file", "day": "2026-10-22"})
    read_earlier = EnforcementCase.objects.get(pk=pk)
    assert post_json(colleague_client, f"/api/v1/protection/cases/{pk}/steps",
                     {"action": "investigate"}).status_code == 200
    case_refer(actor=people["enforcement_officer"], case=read_earlier, police="南开公安分局",
               referred_on=dt.date(2026, 10, 28), reason="涉案金额超过5万元")
    actions = [entry["action"] for entry in EnforcementCase.objects.get(pk=pk).history]
    assert "investigate" in actions and actions[-1] == "refer", actions


def test_a_penalty_case_is_decided_executed_and_closed_and_deadlines_are_flagged(client_for, people, frozen_clock):
    officer, office = client_for("enforcement_officer"), client_for("office_admin")
    colleague, _ = team(people)
    for user, number in ((people["enforcement_officer"], "A1"), (colleague, "A2")):
        certify(office, user, number)
    pk = post_json(officer, "/api/v1/protection/cases", {**CASE, "kind": "patent", "received_on": "2026-10-01"}).json()["id"]
    late = officer.get(f"/api/v1/protection/cases/{pk}").json()["overdue"]
    assert late and "超过立案核查期限" in late[0]  # 15 working days after 10-01 is 10-22
    post_json(officer, f"/api/v1/protection/cases/{pk}/officers", {"officers": [people["enforcement_officer"].pk, colleague.pk]})
    for body in ({"action": "file"}, {"action": "investigate"}, {"action": "notify", "note": "送达告知书"}):
        assert post_json(officer, f"/api/v1/protection/cases/{pk}/steps", body).status_code == 200
    missing = post_json(officer, f"/api/v1/protection/cases/{pk}/steps", {"action": "decide"})
    assert missing.status_code == 422 and "决定书文号" in json_text(missing)
    post_json(officer, f"/api/v1/protection/cases/{pk}/steps",
          {"action": "decide", "decision_number": "津南市监处〔2026〕12号", "fine": "30000"})
    for action in ("execute", "close"):
        assert post_json(officer, f"/api/v1/protection/cases/{pk}/steps", {"action": action}).json()["state"] in (
            "executing", "closed")
    assert client_for(None).get("/api/v1/indicators/patent_enforcement_cases/records").json()["count"] == 1
    certified = client_for(None).get("/api/v1/indicators/certified_patent_enforcement_officers/records").json()
    assert certified["count"] == 2


def test_personal_data_shows_only_to_the_cases_officers_and_each_view_is_audited(client_for, people, frozen_clock):
    officer = client_for("enforcement_officer")
    colleague, colleague_client = team(people)
    pk = post_json(officer, "/api/v1/protection/cases", CASE).json()["id"]
    mine = officer.get(f"/api/v1/protection/cases/{pk}").json()["personal"]
    assert mine["party_id_number"] == "120104199001011238"
    assert AuditEntry.objects.filter(action="protection.case.personal_data_view").count() >= 1
    other = colleague_client.get(f"/api/v1/protection/cases/{pk}").json()["personal"]  # same bureau, not on the case
    assert other["party_id_number"] != "120104199001011238" and "*" in other["party_phone"]
    page = client_for("office_admin").get(f"/protection/cases/{pk}/").content.decode()
    assert "120104199001011238" not in page and "13912345678" not in page
    assert client_for("enterprise_user").get(f"/api/v1/protection/cases/{pk}").status_code == 403


def test_an_officer_with_a_renewed_certificate_is_counted_once(client_for, people, frozen_clock):
    office, officer = client_for("office_admin"), people["enforcement_officer"]
    assert certify(office, officer, "津执-100").status_code == 201
    overlapping = post_json(office, "/api/v1/protection/certificates", {"officer": officer.pk, "number": "津执-101",
                                                                    "issued_on": "2030-01-01", "valid_until": "2035-12-31"})
    assert overlapping.status_code == 422 and "津执-100" in json_text(overlapping)
    renewed = post_json(office, "/api/v1/protection/certificates", {"officer": officer.pk, "number": "津执-101",
                                                                "issued_on": "2031-01-01", "valid_until": "2035-12-31"})
    assert renewed.status_code == 201
    certified = client_for(None).get("/api/v1/indicators/certified_patent_enforcement_officers/records").json()
    assert certified["count"] == 1
