"""What a review found: parties stay out of the public lineage, short phone numbers stay masked, malformed input is
refused clearly, certificates and fines are checked before the database sees them, officers come from the case's
unit, dates follow each other, and an expired listing does not block a new one."""

import json

from ipcity.accounts.masking import mask_phone
from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.services import user_create
from tests.helpers import json_text, post_json
from tests.protection.helpers import CASE, certify, team


def test_short_phone_numbers_keep_only_their_last_two_digits():
    assert mask_phone("13912345678") == "139****5678"
    assert mask_phone("2345678") == "*****78" and mask_phone("022") == "***"


def test_the_public_lineage_of_cases_and_mediations_names_no_party(client_for, people, frozen_clock):
    officer, office = client_for("enforcement_officer"), client_for("office_admin")
    colleague, _ = team(people)
    certify(office, people["enforcement_officer"], "津执-H1")
    certify(office, colleague, "津执-H2")
    pk = post_json(officer, "/api/v1/protection/cases", CASE).json()["id"]
    post_json(officer, f"/api/v1/protection/cases/{pk}/officers", {"officers": [people["enforcement_officer"].pk,
                                                                            colleague.pk]})
    post_json(officer, f"/api/v1/protection/cases/{pk}/steps", {"action": "file"})
    shown = json.dumps(client_for(None).get("/api/v1/indicators/trademark_enforcement_cases/records").json(),
                       ensure_ascii=False)
    assert "张某" not in shown and "商标案件" in shown


def test_checks_run_before_the_database_and_officers_come_from_the_cases_unit(client_for, people, frozen_clock):
    officer, office = client_for("enforcement_officer"), client_for("office_admin")
    colleague, _ = team(people)
    certify(office, people["enforcement_officer"], "津执-D1")
    duplicate = certify(office, colleague, "津执-D1")
    assert duplicate.status_code == 422 and "已登记" in json_text(duplicate)
    elsewhere = Organization.objects.create(name="区文化和旅游局（测试）", org_type=OrgType.GOVERNMENT_UNIT)
    outsider = user_create(actor=None, username="outsider", password="Enforce#Duty2026", role="enforcement_officer",
                           organization=elsewhere)
    pk = post_json(officer, "/api/v1/protection/cases", CASE).json()["id"]
    wrong = post_json(officer, f"/api/v1/protection/cases/{pk}/officers", {"officers": [outsider.pk]})
    assert wrong.status_code == 422 and "本案承办单位" in json_text(wrong)
    early = post_json(officer, f"/api/v1/protection/cases/{pk}/steps", {"action": "file", "day": "2026-10-01"})
    assert early.status_code == 422 and "不能早于上一步" in json_text(early)  # received 2026-10-20
    page = office.post("/protection/assistance/", {"form": "step", "pk": "abc", "action": "triage"})
    assert page.status_code == 404 and "援助申请不存在" in page.content.decode()  # an id that names nothing


def test_a_fine_that_is_not_a_number_is_refused(client_for, people, frozen_clock):
    officer, office = client_for("enforcement_officer"), client_for("office_admin")
    colleague, _ = team(people)
    for user, number in ((people["enforcement_officer"], "F1"), (colleague, "F2")):
        certify(office, user, number)
    pk = post_json(officer, "/api/v1/protection/cases", CASE).json()["id"]
    post_json(officer, f"/api/v1/protection/cases/{pk}/officers", {"officers": [people["enforcement_officer"].pk,
                                                                            colleague.pk]})
    for body in ({"action": "file"}, {"action": "investigate"}, {"action": "notify"}):
        post_json(officer, f"/api/v1/protection/cases/{pk}/steps", body)
    page = officer.post(f"/protection/cases/{pk}/", {"form": "step", "action": "decide", "decision_number": "津南1号",
                                                     "fine": "NaN"}, follow=True)
    assert page.status_code == 200 and "罚没款（元）应为有限的数字" in page.content.decode()
    huge = post_json(officer, f"/api/v1/protection/cases/{pk}/steps", {"action": "decide", "decision_number": "津南1号",
                                                                   "fine": "1e30"})
    assert huge.status_code == 422 and "罚没款（元）应在0～999,999,999,999.99之间" in json_text(huge)
