"""贯标: an agency guides an enterprise stage by stage and records its certificate; status follows the date;
expiry reminders go out 90 and 30 days before, once each, from the API or `ipcity remind`."""

from django.core import mail

from ipcity.accounts.models import Organization, OrgType
from ipcity.services.models import CertificationReminder
from tests.helpers import json_text, post_json

CERTIFICATE = {"certifier": "中知（北京）认证有限公司", "certificate_number": "165IP260001R0M", "scope": "电子产品的研发和销售",
               "issued_on": "2026-01-05", "valid_until": "2029-01-04"}


def test_an_agency_guides_an_enterprise_and_records_its_certificate(client_for, people, frozen_clock):
    agency, enterprise = client_for("agency_user"), client_for("enterprise_user")
    enterprise_id, agency_id = people["enterprise_user"].organization_id, people["agency_user"].organization_id
    stranger = post_json(agency, "/api/v1/services/certifications", {**CERTIFICATE, "enterprise": enterprise_id,
                                                                      "guiding_agency": agency_id})
    assert stranger.status_code == 403  # not (yet) guiding this enterprise
    guidance = post_json(agency, "/api/v1/services/certification-guidance",
                         {"enterprise": enterprise_id, "started_on": "2025-06-01"}).json()
    assert post_json(enterprise, f"/api/v1/services/certification-guidance/{guidance['id']}/advance", {}
                     ).status_code == 403
    for _ in range(6):
        stage = post_json(agency, f"/api/v1/services/certification-guidance/{guidance['id']}/advance",
                          {"note": "完成"}).json()["stage"]
    assert stage == "done"
    again = post_json(agency, f"/api/v1/services/certification-guidance/{guidance['id']}/advance", {})
    assert again.status_code == 422 and "辅导已完成" in json_text(again)
    too_long = post_json(agency, "/api/v1/services/certifications", {**CERTIFICATE, "enterprise": enterprise_id,
                                                                      "guiding_agency": agency_id,
                                                                      "valid_until": "2030-01-04"})
    assert too_long.status_code == 422 and "3年" in json_text(too_long)
    made = post_json(agency, "/api/v1/services/certifications", {**CERTIFICATE, "enterprise": enterprise_id,
                                                                  "guiding_agency": agency_id})
    assert made.status_code == 201 and made.json()["status"] == "有效"
    duplicate = post_json(enterprise, "/api/v1/services/certifications", {**CERTIFICATE, "enterprise": enterprise_id})
    assert duplicate.status_code == 422 and "已登记" in json_text(duplicate)
    assert len(enterprise.get("/api/v1/services/certifications").json()) == 1
    assert client_for("university_user").get("/api/v1/services/certifications").status_code == 403
    pk = made.json()["id"]
    suspended = post_json(enterprise, f"/api/v1/services/certifications/{pk}/state", {"state": "suspended"}).json()
    assert suspended["status"] == "暂停"
    assert post_json(enterprise, f"/api/v1/services/certifications/{pk}/state", {"state": "valid"}).status_code == 403
    office = client_for("office_admin")
    assert post_json(office, f"/api/v1/services/certifications/{pk}/state", {"state": "valid"}).json()["status"] == "有效"
    post_json(enterprise, f"/api/v1/services/certifications/{pk}/state", {"state": "withdrawn"})
    final = post_json(office, f"/api/v1/services/certifications/{pk}/state", {"state": "valid"})
    assert final.status_code == 422 and "不能恢复" in json_text(final)
    stranger_agency = Organization.objects.create(name="未辅导的代理所", org_type=OrgType.SERVICE_AGENCY)
    unguided = post_json(enterprise, "/api/v1/services/certifications", {
        **CERTIFICATE, "certificate_number": "OTHER-1", "enterprise": enterprise_id, "guiding_agency": stranger_agency.pk})
    assert unguided.status_code == 422 and "没有登记对本企业的贯标辅导" in json_text(unguided)


def test_expiry_reminders_go_out_ninety_and_thirty_days_before_once_each(client_for, people, frozen_clock):
    people["enterprise_user"].email = "ip@example.com"
    people["enterprise_user"].save()
    enterprise, office = client_for("enterprise_user"), client_for("office_admin")
    post_json(enterprise, "/api/v1/services/certifications", {**CERTIFICATE, "issued_on": "2024-03-01",
                                                               "valid_until": "2027-02-28",
                                                               "enterprise": people["enterprise_user"].organization_id})
    assert post_json(office, "/api/v1/services/certifications/reminders/run", {}).json() == {"sent": 0}
    frozen_clock.advance(days=100)  # 2027-02-10: 18 days left
    status = enterprise.get("/api/v1/services/certifications").json()[0]["status"]
    assert status == "即将到期"
    assert post_json(office, "/api/v1/services/certifications/reminders/run", {}).json() == {"sent": 1}
    assert post_json(office, "/api/v1/services/certifications/reminders/run", {}).json() == {"sent": 0}
    assert CertificationReminder.objects.get().lead_days == 30
    assert len(mail.outbox) == 1 and "165IP260001R0M" in mail.outbox[0].body
    assert post_json(enterprise, "/api/v1/services/certifications/reminders/run", {}).status_code == 403
    frozen_clock.advance(days=30)
    assert enterprise.get("/api/v1/services/certifications").json()[0]["status"] == "已过期"
    assert "已过期" in enterprise.get("/services/certifications/").content.decode()


def test_a_certificate_issued_on_29_february_may_run_to_28_february_three_years_on(client_for, people):
    enterprise = client_for("enterprise_user")
    leap = post_json(enterprise, "/api/v1/services/certifications", {
        **CERTIFICATE, "issued_on": "2024-02-29", "valid_until": "2027-02-28",
        "enterprise": people["enterprise_user"].organization_id})
    assert leap.status_code == 201
