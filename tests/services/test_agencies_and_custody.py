"""Agencies keep their directory entry; the office records the cluster (counted toward 30 while an agency is there)
and designates brand agencies; custody contracts count toward 150 SMEs once each enterprise confirms, renewals and
early ends included, and only served enterprises rate an agency."""

import json

from ipcity.accounts.models import Organization, OrgType
from tests.helpers import json_text, post_json

PROFILE = {"services": ["patent_agency", "custody"], "staff": 12, "attorneys": 4, "description": "专注电子信息领域",
           "qualifications": [{"name": "专利代理机构执业许可证", "number": "12345", "valid_until": "2028-12-31"}]}


def _put(client, path, body):
    return client.put(path, json.dumps(body, ensure_ascii=False), content_type="application/json")


def _contract(client, enterprise_id, **changes):
    return post_json(client, "/api/v1/services/custody", {"enterprise": enterprise_id, "enterprise_size": "small",
                                                          "scope": ["filing", "fees"], "starts_on": "2025-01-01",
                                                          "ends_on": "2025-12-31", **changes})


def test_an_agency_keeps_its_entry_and_the_public_finds_it(client_for, people):
    agency, public = client_for("agency_user"), client_for(None)
    wrong = _put(agency, "/api/v1/services/agency-profile", {**PROFILE, "attorneys": 0})
    assert wrong.status_code == 422 and "专利代理师" in json_text(wrong)
    bad_date = _put(agency, "/api/v1/services/agency-profile",
                    {**PROFILE, "qualifications": [{"name": "许可证", "number": "1", "valid_until": "明年"}]})
    assert bad_date.status_code == 422 and "第1项资质" in json_text(bad_date)
    assert _put(agency, "/api/v1/services/agency-profile", PROFILE).status_code == 200
    assert _put(client_for("enterprise_user"), "/api/v1/services/agency-profile", PROFILE).status_code == 403
    found = public.get("/api/v1/services/agencies?service=custody").json()["agencies"]
    assert [a["name"] for a in found] == ["测试知识产权代理所"]
    assert public.get("/api/v1/services/agencies?service=valuation").json()["agencies"] == []
    assert "专注电子信息领域" in public.get(f"/services/agencies/{people['agency_user'].organization_id}/").content.decode()
    _put(agency, "/api/v1/services/agency-profile", {**PROFILE, "listed": False})
    assert public.get("/api/v1/services/agencies").json()["agencies"] == []
    assert public.get(f"/services/agencies/{people['agency_user'].organization_id}/").status_code == 404


def test_the_cluster_counts_agencies_while_they_are_there(client_for, people, frozen_clock):
    office, public = client_for("office_admin"), client_for(None)
    pk = people["agency_user"].organization_id
    path = f"/api/v1/services/agencies/{pk}/cluster"
    assert post_json(client_for("agency_user"), path, {"action": "join", "day": "2025-03-01", "place": "A座"}
                     ).status_code == 403
    assert post_json(office, path, {"action": "join", "day": "2025-03-01", "place": "天开园A座3层"}).status_code == 200
    again = post_json(office, path, {"action": "join", "day": "2025-04-01", "place": "B座"})
    assert again.status_code == 422 and "已在聚集区内" in json_text(again)
    records = public.get("/api/v1/indicators/cluster_agencies/records").json()
    assert records["count"] == 1 and "天开园A座3层" in json.dumps(records, ensure_ascii=False)
    assert "测试知识产权代理所" not in json.dumps(records, ensure_ascii=False)  # no public directory entry yet
    _put(client_for("agency_user"), "/api/v1/services/agency-profile", PROFILE)
    assert "测试知识产权代理所" in json.dumps(public.get("/api/v1/indicators/cluster_agencies/records").json(),
                                      ensure_ascii=False)
    post_json(office, path, {"action": "leave", "day": "2026-06-30"})
    assert public.get("/api/v1/indicators/cluster_agencies/records").json()["count"] == 0
    assert public.get("/api/v1/indicators/cluster_agencies/records?as_of=2026-06-29").json()["count"] == 1
    brand = post_json(office, f"/api/v1/services/agencies/{pk}/brand", {"designated_on": "2025-12-20",
                                                                          "reason": "高价值专利培育成效突出"})
    assert brand.json()["brand_years"] == [2025]


def test_custody_counts_each_confirmed_sme_once(client_for, people, covered_registries, frozen_clock):
    agency, enterprise, public = client_for("agency_user"), client_for("enterprise_user"), client_for(None)
    enterprise_id = people["enterprise_user"].organization_id
    large = _contract(agency, enterprise_id, enterprise_size="large")
    assert large.status_code == 422 and "中小微" in json_text(large)
    university = _contract(agency, people["university_user"].organization_id)
    assert university.status_code == 422 and "应为企业" in json_text(university)
    first = _contract(agency, enterprise_id).json()
    assert _contract(agency, enterprise_id, starts_on="2025-06-01", ends_on="2026-05-31").status_code == 422  # overlap
    assert public.get("/api/v1/indicators/custody_smes/records").json()["count"] == 0  # not confirmed: nothing counted
    assert post_json(client_for("university_user"), f"/api/v1/services/custody/{first['id']}/answer",
                     {"confirm": True}).status_code == 403
    declined_without_reason = post_json(enterprise, f"/api/v1/services/custody/{first['id']}/answer", {"confirm": False})
    assert declined_without_reason.status_code == 422
    assert post_json(enterprise, f"/api/v1/services/custody/{first['id']}/answer", {"confirm": True}).json()[
        "state"] == "confirmed"
    renewal = _contract(agency, enterprise_id, starts_on="2026-01-01", ends_on="2026-12-31", renewal_of=first["id"])
    assert renewal.status_code == 201
    post_json(enterprise, f"/api/v1/services/custody/{renewal.json()['id']}/answer", {"confirm": True})
    other = Organization.objects.create(name="另一家小微企业", org_type=OrgType.ENTERPRISE, street="xuefu")
    declined = _contract(agency, other.pk).json()
    records = public.get("/api/v1/indicators/custody_smes/records").json()
    assert records["count"] == 1  # the renewal does not count the same SME twice; the other has not confirmed
    shown = json.dumps(records, ensure_ascii=False)
    assert "测试企业有限公司" not in shown and f"SME-{first['id']}" in shown  # keyed by contract, never the client
    assert declined["state"] == "proposed"
    assert len(client_for("office_admin").get("/api/v1/services/custody").json()) == 3
    assert len(enterprise.get("/api/v1/services/custody").json()) == 2
    assert client_for("mediator").get("/api/v1/services/custody").status_code == 403


def test_only_an_enterprise_the_agency_served_may_rate_it(client_for, people, frozen_clock):
    agency, enterprise = client_for("agency_user"), client_for("enterprise_user")
    pk = people["agency_user"].organization_id
    _put(agency, "/api/v1/services/agency-profile", PROFILE)
    refused = post_json(enterprise, f"/api/v1/services/agencies/{pk}/rating", {"rating": 5})
    assert refused.status_code == 403
    contract = _contract(agency, people["enterprise_user"].organization_id).json()
    post_json(enterprise, f"/api/v1/services/custody/{contract['id']}/answer", {"confirm": True})
    assert post_json(enterprise, f"/api/v1/services/agencies/{pk}/rating", {"rating": 1}).status_code == 422
    assert post_json(enterprise, f"/api/v1/services/agencies/{pk}/rating", {"rating": 4}).json()["rating"] == {
        "ratings": 1, "mean": 4.0}
    assert post_json(enterprise, f"/api/v1/services/agencies/{pk}/rating", {"rating": 2, "comment": "响应慢"}).json()[
        "rating"] == {"ratings": 1, "mean": 2.0}  # a new rating replaces the last
