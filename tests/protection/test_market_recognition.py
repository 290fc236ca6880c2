"""Standardized markets are recognized by the city's IP office (市级) or CNIPA (国家级); the district office follows
their construction against the checklist and records the recognition (authority, document number, date), which the
indicators count by its date. Copyright enforcement cases go to 区文化和旅游局 (文化市场综合执法), the unit the plan
names for it, whoever registers them."""

import json

from ipcity.accounts.models import Organization
from ipcity.accounts.services import user_create
from ipcity.protection.models import EnforcementCase, StandardizedMarket
from tests.helpers import json_text, post_json
from tests.protection.helpers import CASE, certify

RECOGNITION = {"authority": "天津市知识产权局", "document_number": "津知保〔2026〕12号", "recognized_on": "2026-10-30"}


def _market(office, name="南开大悦城", level="city"):
    return post_json(office, "/api/v1/protection/markets", {"name": name, "level": level}).json()


# ---- recording a recognition ----

def test_the_office_records_the_city_authoritys_recognition_and_the_indicator_counts_it_by_its_date(
        client_for, people, covered_registries, frozen_clock):
    office = client_for("office_admin")
    market = _market(office)
    assert market["recognized_on"] is None and market["authority"] == ""
    # The checklist is the construction's self-assessment: recording the authority's recognition does not wait on it.
    recorded = post_json(office, f"/api/v1/protection/markets/{market['id']}/recognition", RECOGNITION).json()
    assert recorded["recognized_on"] == "2026-10-30" and recorded["authority"] == "天津市知识产权局"
    assert recorded["document_number"] == "津知保〔2026〕12号"
    lineage = client_for(None).get("/api/v1/indicators/city_standardized_markets/records").json()
    assert lineage["count"] == 1 and "津知保〔2026〕12号" in json.dumps(lineage, ensure_ascii=False)
    assert client_for(None).get("/api/v1/indicators/national_standardized_markets/records").json()["count"] == 0
    page = client_for(None).get("/protection/markets/").content.decode()
    assert "2026-10-30 由天津市知识产权局认定（津知保〔2026〕12号）" in page
    again = post_json(office, f"/api/v1/protection/markets/{market['id']}/recognition", RECOGNITION)
    assert again.status_code == 422 and "已登记认定" in json_text(again)


def test_a_recognition_from_the_page_is_recorded_with_its_document(client_for, people, frozen_clock):
    office = client_for("office_admin")
    market = _market(office, "国家级候选市场", "national")
    response = office.post("/protection/markets/", {"form": "recognition", "market": market["id"],
                                                   "authority": "国家知识产权局", "document_number": "国知发保字〔2026〕3号",
                                                   "recognized_on": "2026-10-20"})
    assert response.status_code == 302
    saved = StandardizedMarket.objects.get(pk=market["id"])
    assert (saved.authority, saved.document_number, str(saved.approved_on)) == (
        "国家知识产权局", "国知发保字〔2026〕3号", "2026-10-20")


def test_a_district_body_or_a_missing_document_is_refused_naming_the_field_and_nothing_is_recorded(
        client_for, people, frozen_clock):
    office = client_for("office_admin")
    market = _market(office)
    path = f"/api/v1/protection/markets/{market['id']}/recognition"
    district = post_json(office, path, {**RECOGNITION, "authority": "南开区知识产权工作领导小组办公室"})
    assert district.status_code == 422 and "authority: 市级规范化市场由天津市知识产权局认定" in json_text(district)
    blank = post_json(office, path, {**RECOGNITION, "document_number": " ", "recognized_on": "2027-01-01"})
    assert "document_number: 请填写认定文号" in json_text(blank) and "recognized_on: 认定日期应在" in json_text(blank)
    national = _market(office, "某国家级市场", "national")
    city_body = post_json(office, f"/api/v1/protection/markets/{national['id']}/recognition", RECOGNITION)
    assert "国家级规范化市场由国家知识产权局认定" in json_text(city_body)
    page = office.post("/protection/markets/", {"form": "recognition", "market": market["id"], "authority": "",
                                                "document_number": "x", "recognized_on": "2026-10-01"}, follow=True)
    assert "认定机关：" in page.content.decode()
    assert not StandardizedMarket.objects.filter(approved_on__isnull=False).exists()


def test_only_the_office_records_a_recognition(client_for, people, frozen_clock):
    market = _market(client_for("office_admin"))
    path = f"/api/v1/protection/markets/{market['id']}/recognition"
    for persona in ("unit_staff", "enterprise_user", "enforcement_officer"):
        assert post_json(client_for(persona), path, RECOGNITION).status_code == 403
    assert post_json(client_for(None), path, RECOGNITION).status_code == 401
    assert client_for("unit_staff").post("/protection/markets/", {"form": "recognition", "market": market["id"],
                                                                   **RECOGNITION}).status_code == 403
    assert not StandardizedMarket.objects.filter(approved_on__isnull=False).exists()


# ---- copyright cases go to the culture enforcement unit ----

def _culture_officers(people):
    culture = Organization.objects.get(code="culture_tourism")
    return [user_create(actor=None, username=f"culture_{n}", password="Enforce#Duty2026", role="enforcement_officer",
                        organization=culture) for n in (1, 2)]


def test_a_copyright_case_goes_to_the_culture_unit_whose_officers_take_it_up(client_for, people, covered_registries,
                                                                            frozen_clock):
    market_officer, office = client_for("enforcement_officer"), client_for("office_admin")
    first, second = _culture_officers(people)
    registered = post_json(market_officer, "/api/v1/protection/cases",
                           {**CASE, "kind": "copyright", "facts": "网店销售盗版图书"}).json()
    assert registered["unit"] == "区文化和旅游局" and registered["officers"] == []
    pk = registered["id"]
    # The market regulator no longer holds it: it is the culture unit's case.
    assert market_officer.get(f"/api/v1/protection/cases/{pk}").status_code == 404
    culture = client_for("enforcement_officer")
    culture.force_login(first)
    assert [c["id"] for c in culture.get("/api/v1/protection/cases").json()] == [pk]
    assert 'data-testid="assign-form"' in culture.get(f"/protection/cases/{pk}/").content.decode()
    taken = post_json(culture, f"/api/v1/protection/cases/{pk}/officers", {"officers": [first.pk, second.pk]})
    assert taken.status_code == 200 and len(taken.json()["officers"]) == 2
    certify(office, first, "津文执-1")
    certify(office, second, "津文执-2")
    assert post_json(culture, f"/api/v1/protection/cases/{pk}/steps", {"action": "file"}).json()["state"] == "filed"
    lineage = client_for(None).get("/api/v1/indicators/copyright_enforcement_cases/records").json()
    assert lineage["count"] == 1 and "区文化和旅游局" in json.dumps(lineage, ensure_ascii=False)


def test_a_trademark_case_stays_with_the_registering_officers_unit(client_for, people, frozen_clock):
    registered = post_json(client_for("enforcement_officer"), "/api/v1/protection/cases", CASE).json()
    assert registered["unit"] == people["enforcement_officer"].organization.name
    assert EnforcementCase.objects.get(pk=registered["id"]).officers.get() == people["enforcement_officer"]


def test_another_units_officer_cannot_assign_a_routed_case_once_it_is_taken_up(client_for, people, frozen_clock):
    first, second = _culture_officers(people)
    pk = post_json(client_for("enforcement_officer"), "/api/v1/protection/cases", {**CASE, "kind": "copyright"}).json()["id"]
    culture = client_for(None)
    culture.force_login(first)
    post_json(culture, f"/api/v1/protection/cases/{pk}/officers", {"officers": [first.pk]})
    other = client_for(None)
    other.force_login(second)  # the same unit, but the case now has its officer
    assert post_json(other, f"/api/v1/protection/cases/{pk}/officers", {"officers": [second.pk]}).status_code == 403
    assert list(EnforcementCase.objects.get(pk=pk).officers.all()) == [first]
