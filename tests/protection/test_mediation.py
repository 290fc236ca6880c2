"""Mediation through the four channels: apply, accept with a mediator and a 30-day deadline, sessions, agreement,
and for administrative mediation the judicial confirmation; successes count per channel and year."""

from ipcity.accounts.models import Organization
from ipcity.accounts.services import user_create
from tests.helpers import json_text, post_json


def _count(client, code):
    response = client.get(f"/api/v1/indicators/{code}/records", {"as_of": "2026-11-30"})
    return response.json()["count"] if response.status_code == 200 else None


def test_a_peoples_mediation_ends_in_agreement_and_counts(client_for, people, frozen_clock):
    enterprise, mediator = client_for("enterprise_user"), client_for("mediator")
    body = people["mediator"].organization
    case = post_json(enterprise, "/api/v1/protection/mediations", {
        "channel": "people", "body": body.pk, "respondent": "某电商店铺", "right_type": "trademark",
        "claim": "销售假冒注册商标的商品，请求停止销售并赔偿"}).json()
    assert case["state"] == "applied"
    assert post_json(mediator, f"/api/v1/protection/mediations/{case['id']}/steps", {"action": "agree", "text": "x"}
                 ).status_code == 422
    accepted = post_json(mediator, f"/api/v1/protection/mediations/{case['id']}/steps", {"action": "accept"}).json()
    assert accepted["deadline"] == "2026-12-02" and accepted["mediator"]
    post_json(mediator, f"/api/v1/protection/mediations/{case['id']}/steps", {"action": "session", "text": "双方陈述"})
    agreed = post_json(mediator, f"/api/v1/protection/mediations/{case['id']}/steps",
                   {"action": "agree", "text": "停止销售，赔偿2万元"}).json()
    assert agreed["state"] == "agreed"
    assert _count(enterprise, "mediation_people") == 1
    confirm = post_json(mediator, f"/api/v1/protection/mediations/{case['id']}/steps",
                    {"action": "request_confirmation", "court": "南开区人民法院"})
    assert confirm.status_code == 422 and "只有行政调解" in json_text(confirm)
    assert post_json(enterprise, f"/api/v1/protection/mediations/{case['id']}/steps", {"action": "fail"}).status_code == 403


def test_an_administrative_mediation_counts_once_the_court_confirms_it(client_for, people, covered_registries,
                                                                       frozen_clock):
    bureau = Organization.objects.get(name="区市场监管局")
    user_create(actor=None, username="admin_mediator", password="Mediate#Bureau2026", role="mediator",
                organization=bureau)
    from django.test import Client

    mediator = Client()
    mediator.login(username="admin_mediator", password="Mediate#Bureau2026")
    enterprise = client_for("enterprise_user")
    wrong = post_json(enterprise, "/api/v1/protection/mediations", {
        "channel": "administrative", "body": people["mediator"].organization_id, "respondent": "x",
        "right_type": "patent", "claim": "y"})
    assert wrong.status_code == 422 and "不受理这一渠道" in json_text(wrong)
    case = post_json(enterprise, "/api/v1/protection/mediations", {
        "channel": "administrative", "body": bureau.pk, "respondent": "某制造企业", "right_type": "patent",
        "claim": "侵犯发明专利权"}).json()
    for body in ({"action": "accept"}, {"action": "session", "text": "技术比对"},
                 {"action": "agree", "text": "许可使用并支付许可费"}):
        assert post_json(mediator, f"/api/v1/protection/mediations/{case['id']}/steps", body).status_code == 200
    assert _count(enterprise, "mediation_administrative_with_judicial_confirmation") == 0
    post_json(mediator, f"/api/v1/protection/mediations/{case['id']}/steps",
          {"action": "request_confirmation", "court": "南开区人民法院"})
    done = post_json(mediator, f"/api/v1/protection/mediations/{case['id']}/steps", {"action": "confirmed"}).json()
    assert done["state"] == "confirmed"
    assert _count(enterprise, "mediation_administrative_with_judicial_confirmation") == 1


def test_a_mediation_past_its_thirty_days_is_flagged(client_for, people, frozen_clock):
    enterprise, mediator = client_for("enterprise_user"), client_for("mediator")
    case = post_json(enterprise, "/api/v1/protection/mediations", {
        "channel": "association", "body": people["mediator"].organization_id, "respondent": "某公司",
        "right_type": "copyright", "claim": "盗用作品"}).json()
    post_json(mediator, f"/api/v1/protection/mediations/{case['id']}/steps", {"action": "accept"})
    frozen_clock.advance(days=31)
    page = mediator.get(f"/protection/mediations/{case['id']}/").content.decode()
    assert "超过调解期限" in page
