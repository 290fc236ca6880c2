"""Credit supervision: the rules decide a listing with its legal basis; the public sees only what may be published;
the listed organization applies for repair, which the office grants only when the rules allow."""

import csv
import datetime as dt
import io
import json

from ipcity.accounts.models import Organization
from ipcity.protection.core.credit import Penalty, listing_grounds, repair_problems
from tests.helpers import json_text, post_json


def test_the_rules_list_repeat_intentional_and_serious_cases_and_nothing_else():
    today = dt.date(2026, 11, 2)
    one = Penalty("津南市监处〔2024〕1号", dt.date(2024, 5, 1), True, False, False)
    two = Penalty("津南市监处〔2025〕7号", dt.date(2025, 6, 1), True, False, False)
    old = Penalty("津南市监处〔2019〕3号", dt.date(2019, 6, 1), True, False, False)
    assert listing_grounds([one, old], today) == []  # the second is older than five years
    assert [g.code for g in listing_grounds([one, two], today)] == ["repeat_infringement"]
    intentional = Penalty("x", dt.date(2026, 1, 1), True, True, False)
    assert "intentional_infringement" in [g.code for g in listing_grounds([intentional], today)]
    assert repair_problems(listed_on=dt.date(2026, 3, 1), today=today, penalties_fulfilled=False, new_violations=True,
                           commitment_signed=False) == [
        "列入名单满1年后方可申请信用修复（2027年03月01日起）", "尚未履行行政处罚决定规定的义务", "列入名单后又有新的违法失信行为",
        "尚未作出信用承诺"]


PENALTIES = [{"reference": "津南市监处〔2025〕7号", "decided_on": "2025-06-01", "infringement": True},
             {"reference": "津南市监处〔2025〕9号", "decided_on": "2025-09-01", "infringement": True}]


def test_a_listing_is_public_without_its_penalty_documents_and_is_repaired_after_a_year(
        client_for, people, client, frozen_clock):
    office, enterprise = client_for("office_admin"), client_for("enterprise_user")
    organization = Organization.objects.get(pk=people["enterprise_user"].organization_id)
    organization.credit_code = "914403001922038216"
    organization.save()
    none = post_json(office, "/api/v1/protection/credit/listings", {
        "organization": organization.pk, "listed_on": "2025-10-01", "penalties": PENALTIES[:1]})
    assert none.status_code == 422 and "不满足列入失信名单的条件" in json_text(none)
    listing = post_json(office, "/api/v1/protection/credit/listings", {
        "organization": organization.pk, "listed_on": "2025-10-01", "penalties": PENALTIES}).json()
    assert listing["ends_on"] == "2028-10-01" and "重复侵权" in listing["grounds"][0]
    public = client.get("/api/v1/protection/credit", {"q": "914403001922038216"}).json()
    assert [e["name"] for e in public] == ["测试企业有限公司"]
    page = client.get("/protection/credit/").content.decode()
    assert "测试企业有限公司" in page and "津南市监处" not in page
    exported = client.get("/protection/credit/export.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0][0] == "统一社会信用代码" and rows[1][0] == "914403001922038216" and "津南市监处" not in exported
    assert json.loads(client.get("/protection/credit/export.json").content)["format"] == "ipcity-credit-export/v1"

    assert post_json(enterprise, f"/api/v1/protection/credit/listings/{listing['id']}/repair",
                 {"statement": "已缴纳罚款并建立知识产权合规制度"}).status_code == 200
    early = post_json(office, f"/api/v1/protection/credit/listings/{listing['id']}/decision",
                  {"grant": True, "penalties_fulfilled": True})
    assert early.status_code == 422 and "尚未作出信用承诺" in json_text(early)
    post_json(enterprise, "/api/v1/protection/credit/commitments", {"text": "依法经营，尊重他人知识产权",
                                                                "signed_on": "2026-10-20"})
    granted = post_json(office, f"/api/v1/protection/credit/listings/{listing['id']}/decision",
                    {"grant": True, "penalties_fulfilled": True})
    assert granted.status_code == 200 and granted.json()["state"] == "repaired"
    assert client.get("/api/v1/protection/credit").json() == []


def test_another_organization_cannot_see_or_repair_a_listing(client_for, people, frozen_clock):
    office = client_for("office_admin")
    listing = post_json(office, "/api/v1/protection/credit/listings", {
        "organization": people["enterprise_user"].organization_id, "listed_on": "2025-10-01",
        "penalties": PENALTIES}).json()
    other = client_for("agency_user")
    assert other.get("/api/v1/protection/credit/listings").json() == []
    assert post_json(other, f"/api/v1/protection/credit/listings/{listing['id']}/repair",
                 {"statement": "x"}).status_code == 404
