"""Enforcement cases: two certified officers to file, statutory deadlines, decision and closure, a criminal
referral with its receipt, personal data masked except for the case's officers (and their views audited), and the
cases and certified officers counted by the indicator engine."""

import json

from django.test import Client

from ipcity.accounts.services import user_create
from ipcity.audit.models import AuditEntry


def _post(client, path, body):
    return client.post(path, json.dumps(body, ensure_ascii=False), content_type="application/json")


def _text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


def _team(people):
    """A second officer in the same bureau, and certificates for both."""
    colleague = user_create(actor=None, username="officer_two", password="Enforce#Duty2026", role="enforcement_officer",
                            organization=people["enforcement_officer"].organization)
    client = Client()
    client.force_login(colleague)
    return colleague, client


def _certify(office, officer, number):
    return _post(office, "/api/v1/protection/certificates", {"officer": officer.pk, "number": number,
                                                             "issued_on": "2025-01-01", "valid_until": "2030-12-31"})


CASE = {"kind": "trademark", "source": "complaint", "party": "张某（个体户）", "party_id_number": "120104199001011238",
        "party_phone": "13912345678", "facts": "销售假冒注册商标的白酒", "received_on": "2026-10-20",
        "complainant": "某酒业公司", "complainant_phone": "13800001111"}


def test_a_case_runs_from_complaint_to_closure_after_a_criminal_referral(client_for, people, frozen_clock):
    officer, office = client_for("enforcement_officer"), client_for("office_admin")
    colleague, _ = _team(people)
    case = _post(officer, "/api/v1/protection/cases", CASE).json()
    pk = case["id"]
    lone = _post(officer, f"/api/v1/protection/cases/{pk}/steps", {"action": "file"})
    assert lone.status_code == 422 and "两名以上持有有效执法证件" in _text(lone)
    _certify(office, people["enforcement_officer"], "津执-001")
    _certify(office, colleague, "津执-002")
    _post(officer, f"/api/v1/protection/cases/{pk}/officers",
          {"officers": [people["enforcement_officer"].pk, colleague.pk]})
    filed = _post(officer, f"/api/v1/protection/cases/{pk}/steps", {"action": "file", "day": "2026-10-22"}).json()
    assert filed["state"] == "filed"
    assert client_for(None).get("/api/v1/indicators/trademark_enforcement_cases/records").json()["count"] == 1
    _post(officer, f"/api/v1/protection/cases/{pk}/steps", {"action": "investigate"})
    early = _post(officer, f"/api/v1/protection/cases/{pk}/steps", {"action": "close"})
    assert early.status_code == 422 and "移送公安机关并收到回执" in _text(early)
    _post(officer, f"/api/v1/protection/cases/{pk}/referral", {"police": "南开公安分局", "referred_on": "2026-10-28",
                                                               "reason": "涉案金额超过5万元，涉嫌销售假冒注册商标的商品罪"})
    _post(officer, f"/api/v1/protection/cases/{pk}/receipt", {"receipt_number": "南公受字2026-18",
                                                              "receipt_on": "2026-10-30"})
    closed = _post(officer, f"/api/v1/protection/cases/{pk}/steps", {"action": "close", "note": "已移送公安机关"}).json()
    assert closed["state"] == "closed" and closed["referral"]["receipt_number"] == "南公受字2026-18"


def test_a_penalty_case_is_decided_executed_and_closed_and_deadlines_are_flagged(client_for, people, frozen_clock):
    officer, office = client_for("enforcement_officer"), client_for("office_admin")
    colleague, _ = _team(people)
    for user, number in ((people["enforcement_officer"], "A1"), (colleague, "A2")):
        _certify(office, user, number)
    pk = _post(officer, "/api/v1/protection/cases", {**CASE, "kind": "patent", "received_on": "2026-10-01"}).json()["id"]
    late = officer.get(f"/api/v1/protection/cases/{pk}").json()["overdue"]
    assert late and "超过立案核查期限" in late[0]  # 15 working days after 10-01 is 10-22
    _post(officer, f"/api/v1/protection/cases/{pk}/officers", {"officers": [people["enforcement_officer"].pk, colleague.pk]})
    for body in ({"action": "file"}, {"action": "investigate"}, {"action": "notify", "note": "送达告知书"}):
        assert _post(officer, f"/api/v1/protection/cases/{pk}/steps", body).status_code == 200
    missing = _post(officer, f"/api/v1/protection/cases/{pk}/steps", {"action": "decide"})
    assert missing.status_code == 422 and "决定书文号" in _text(missing)
    _post(officer, f"/api/v1/protection/cases/{pk}/steps",
          {"action": "decide", "decision_number": "津南市监处〔2026〕12号", "fine": "30000"})
    for action in ("execute", "close"):
        assert _post(officer, f"/api/v1/protection/cases/{pk}/steps", {"action": action}).json()["state"] in (
            "executing", "closed")
    assert client_for(None).get("/api/v1/indicators/patent_enforcement_cases/records").json()["count"] == 1
    certified = client_for(None).get("/api/v1/indicators/certified_patent_enforcement_officers/records").json()
    assert certified["count"] == 2


def test_personal_data_shows_only_to_the_cases_officers_and_each_view_is_audited(client_for, people, frozen_clock):
    officer = client_for("enforcement_officer")
    colleague, colleague_client = _team(people)
    pk = _post(officer, "/api/v1/protection/cases", CASE).json()["id"]
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
    assert _certify(office, officer, "津执-100").status_code == 201
    overlapping = _post(office, "/api/v1/protection/certificates", {"officer": officer.pk, "number": "津执-101",
                                                                    "issued_on": "2030-01-01", "valid_until": "2035-12-31"})
    assert overlapping.status_code == 422 and "津执-100" in _text(overlapping)
    renewed = _post(office, "/api/v1/protection/certificates", {"officer": officer.pk, "number": "津执-101",
                                                                "issued_on": "2031-01-01", "valid_until": "2035-12-31"})
    assert renewed.status_code == 201
    certified = client_for(None).get("/api/v1/indicators/certified_patent_enforcement_officers/records").json()
    assert certified["count"] == 1
