"""Rights assistance (domestic and overseas), cooperation records and joint operations (standardized markets:
test_market_recognition.py)."""


from tests.helpers import json_text, post_json


def test_an_overseas_dispute_is_triaged_guided_and_referred(client_for, people, frozen_clock):
    enterprise, office = client_for("enterprise_user"), client_for("office_admin")
    missing = post_json(enterprise, "/api/v1/protection/assistance", {"topic": "展会被诉", "description": "x", "overseas": True})
    assert missing.status_code == 422 and "国家或地区" in json_text(missing)
    pk = post_json(enterprise, "/api/v1/protection/assistance", {"topic": "德国展会被诉侵犯外观设计", "description": "展会现场收到临时禁令",
                                                             "overseas": True, "country": "德国"}).json()["id"]
    assert post_json(office, f"/api/v1/protection/assistance/{pk}/steps", {"action": "triage", "category": "未知"}
                 ).status_code == 422
    post_json(office, f"/api/v1/protection/assistance/{pk}/steps", {"action": "triage", "category": "海外展会"})
    post_json(office, f"/api/v1/protection/assistance/{pk}/steps", {"action": "guide", "text": "联系当地律师，准备不侵权抗辩材料"})
    referred = post_json(office, f"/api/v1/protection/assistance/{pk}/steps",
                     {"action": "refer", "text": "转天津市知识产权保护中心海外纠纷应对指导"}).json()
    assert referred["state"] == "referred" and len(referred["records"]) == 2
    assert enterprise.get("/api/v1/protection/assistance").json()[0]["state"] == "referred"
    assert client_for("agency_user").get("/api/v1/protection/assistance").status_code == 403


# Standardized markets moved to test_market_recognition.py: the city's IP office or CNIPA recognizes a market and
# the district office records that recognition (authority, document number, date), so the former "recognized only
# when every checklist item is met" rule no longer holds; the checklist is the construction's self-assessment.


def test_a_joint_operation_needs_two_units(client_for, people, frozen_clock):
    office = client_for("office_admin")
    one = post_json(office, "/api/v1/protection/cooperation", {"kind": "joint_operation", "title": "铁拳行动", "partners": "区市场监管局",
                                                           "started_on": "2026-05-01",
                                                           "units": [people["enforcement_officer"].organization_id]})
    assert one.status_code == 422 and "两个以上参加单位" in json_text(one)
    regional = post_json(office, "/api/v1/protection/cooperation", {"kind": "regional", "title": "京津冀商标保护协作",
                                                                "partners": "北京市朝阳区、河北省廊坊市", "started_on": "2026-03-01"})
    assert regional.status_code == 201
    assert client_for(None).get("/api/v1/protection/cooperation").json()[0]["title"] == "京津冀商标保护协作"
