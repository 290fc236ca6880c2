"""A transfer or licence recorded through the platform's deal workflow and the same event in an official (CNIPA)
import are one event, matched by application number, kind and date: whichever arrives second matches the first,
the event keeps one row, the transfers-and-licences indicator counts it once, and the event's history on the patent
page and in the API says 平台交易登记 → 与国家知识产权局数据（批次N，日期）匹配, with the values that differ. The
official values win (the new owner, its address and district, the amount): the deal's are kept as history.
Re-importing the same official file changes nothing; an official event on another date is another event."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipcity.accounts.models import OrgType
from ipcity.accounts.roles import Role
from ipcity.audit.models import AuditEntry
from ipcity.operations.models import Deal, TechOffer
from ipcity.stats.models import LegalEvent
from ipcity.stats.services import import_batch_run, import_batch_start
from tests.helpers import post_json
from tests.operations.helpers import PATENTS

NUMBER = "202110033333.3"
INDICATOR = "/api/v1/indicators/transfers_and_licences_growth/records"
LICENCE_ROW = "申请号,法律事件,生效日,相对方\n{number},专利实施许可合同备案的生效,{day},{party}\n"


@pytest.fixture
def registry(people):
    import_batch_run(batch=import_batch_start(kind="patents", filename="patents.csv", actor=None), data=PATENTS)
    # the events registry reaches back before the base year, so the indicator is computed from its records
    import_batch_run(batch=import_batch_start(kind="events", filename="grants.csv", actor=None),
                     data="申请号,法律事件,生效日\n202120022222.2,授权,2021-11-02\n".encode())


def _official_import(client_for, day="2026-10-28", party="测试企业有限公司", number=NUMBER, row=LICENCE_ROW) -> dict:
    """The office uploads a CNIPA events export through the import API (the real import path)."""
    data = row.format(number=number, day=day, party=party).encode()
    response = client_for("office_admin").post("/api/v1/registries/imports", {
        "kind": "events", "file": SimpleUploadedFile("国家知识产权局法律状态.csv", data)})
    assert response.status_code == 202, response.content
    batch = client_for("office_admin").get(f"/api/v1/registries/imports/{response.json()['id']}").json()
    assert batch["state"] == "done", batch
    return batch


def _meeting(client_for, *, mode="ordinary", number=NUMBER) -> int:
    """The university lists the patent, the enterprise shows interest and they meet: the interest, ready for a deal."""
    university, enterprise = client_for("university_user"), client_for("enterprise_user")
    offer = post_json(university, "/api/v1/operations/offers", {"patent_number": number, "mode": mode,
                                                            "price_terms": "面议", "field": "智能制造",
                                                            "maturity": "小试"})
    assert offer.status_code == 201, offer.content
    interest = post_json(enterprise, "/api/v1/operations/interests", {"offer": offer.json()["id"]}).json()
    post_json(university, f"/api/v1/operations/interests/{interest['id']}/steps", {"action": "meet",
                                                                             "meeting_on": "2026-10-15"})
    return interest["id"]


def _record(client_for, interest: int, *, kind="ordinary", day="2026-10-28"):
    """The university (the patentee) records the concluded deal."""
    return post_json(client_for("university_user"), f"/api/v1/operations/interests/{interest}/deal", {
        "kind": kind, "amount": "80000", "contract_date": "2026-10-20", "recordal_date": day})


def _deal(client_for, *, mode="ordinary", kind="ordinary", day="2026-10-28"):
    return _record(client_for, _meeting(client_for, mode=mode), kind=kind, day=day)


def _dealings(client_for) -> list[list]:
    return client_for(None).get(INDICATOR, {"as_of": "2026-11-02", "limit": 1000}).json()["rows"]


def _events(client_for, number=NUMBER) -> list[dict]:
    response = client_for("office_admin").get(f"/api/v1/registries/patents/{number}/events")
    assert response.status_code == 200, response.content
    return response.json()["events"]


def _page(client_for, number=NUMBER) -> str:
    return client_for("office_admin").get(f"/registries/patents/{number}/").content.decode()


# ---- the deal first, the official import later ----

def test_an_official_row_for_a_licence_a_deal_recorded_confirms_it_and_the_indicator_counts_it_once(
        client_for, registry, frozen_clock):
    before = _dealings(client_for)
    assert _deal(client_for).status_code == 201
    batch = _official_import(client_for, party="测试企业有限公司（天津）")
    assert (batch["created"], batch["updated"]) == (0, 1)
    event = LegalEvent.objects.get(patent__application_number=NUMBER)
    deal = Deal.objects.get()
    assert (event.origin, event.match_origin, event.match_batch_id) == (
        f"operations.deal:{deal.pk}", f"operations.deal:{deal.pk}", batch["id"])
    assert event.matched_at is not None and event.counterparty == "测试企业有限公司（天津）"  # the official value wins
    assert event.match_values["platform"]["counterparty"] == "测试企业有限公司"  # the deal's is kept as history
    assert event.amount == 80000  # the official row states no amount: the deal's stays
    dealings = _dealings(client_for)
    assert len(dealings) == len(before) + 1
    assert [row[:3] for row in dealings].count([NUMBER, "许可备案", "2026-10-28"]) == 1


def test_the_patent_page_and_the_api_show_the_match_with_the_batch_its_date_and_the_official_values_that_differ(
        client_for, registry, frozen_clock):
    _deal(client_for)
    batch = _official_import(client_for, party="测试企业有限公司（天津）")
    expected = f"平台交易登记 → 与国家知识产权局数据（批次{batch['id']}，2026-11-02）匹配"
    [listed] = _events(client_for)
    assert listed["history"] == expected and listed["matched"] is True
    assert listed["differences"] == [
        "相对方：平台登记为“测试企业有限公司”，国家知识产权局数据为“测试企业有限公司（天津）”（以国家知识产权局数据为准）"]
    page = _page(client_for)
    assert expected in page and "国家知识产权局数据为“测试企业有限公司（天津）”" in page
    assert "平台登记为“测试企业有限公司”" in page
    assert "operations.deal" not in page and "licence" not in json.dumps(listed["history"])


def test_the_match_is_audited_with_the_deal_the_batch_and_the_differences(client_for, registry, frozen_clock):
    _deal(client_for)
    batch = _official_import(client_for, party="另一家公司")
    entry = AuditEntry.objects.get(action="stats.legal_event.match")
    assert entry.actor.username == "office_admin"
    assert entry.after["official_batch"] == batch["id"] and entry.after["platform"].startswith("operations.deal:")
    assert "另一家公司" in entry.after["differences"][0]


def test_importing_the_same_official_file_again_changes_nothing(client_for, registry, frozen_clock):
    _deal(client_for)
    first = _official_import(client_for, party="测试企业有限公司（天津）")
    frozen_clock.advance(days=3)
    again = _official_import(client_for, party="测试企业有限公司（天津）")
    assert (again["created"], again["updated"]) == (0, 1)
    event = LegalEvent.objects.get(patent__application_number=NUMBER)
    assert event.match_batch_id == first["id"]
    assert AuditEntry.objects.filter(action__startswith="stats.legal_event.").count() == 1
    assert [row[:3] for row in _dealings(client_for)].count([NUMBER, "许可备案", "2026-10-28"]) == 1
    assert _events(client_for)[0]["history"].endswith(f"（批次{first['id']}，2026-11-02）匹配")


def test_an_official_licence_on_another_day_is_another_event_and_the_deal_stays_unmatched(
        client_for, registry, frozen_clock):
    before = _dealings(client_for)
    _deal(client_for)
    _official_import(client_for, day="2026-10-29")
    events = LegalEvent.objects.filter(patent__application_number=NUMBER).order_by("date")
    assert [(e.date.isoformat(), e.match_origin) for e in events] == [("2026-10-28", ""), ("2026-10-29", "")]
    assert len(_dealings(client_for)) == len(before) + 2
    assert [e["history"] for e in _events(client_for)][0] == "平台交易登记（尚未与国家知识产权局数据匹配）"


def test_a_transfer_a_deal_recorded_is_confirmed_by_the_official_transfer_and_counted_once(
        client_for, registry, frozen_clock):
    assert _deal(client_for, mode="transfer", kind="transfer").status_code == 201
    _official_import(client_for, row="申请号,法律事件,生效日,受让人\n{number},专利权的转移,{day},{party}\n")
    [event] = LegalEvent.objects.filter(patent__application_number=NUMBER)
    assert event.event_type == "transfer" and event.match_origin.startswith("operations.deal:")
    assert [row[:3] for row in _dealings(client_for)].count([NUMBER, "转让", "2026-10-28"]) == 1


TRANSFER_ROW = "申请号,法律事件,生效日,受让人,受让人地址\n{number},专利权的转移,{day},{party},北京市海淀区中关村大街1号\n"


def _valid_here(client_for, as_of="2026-11-02") -> list[str]:
    rows = client_for(None).get("/api/v1/indicators/valid_patents/records", {"as_of": as_of, "limit": 1000}).json()
    return [row[0] for row in rows["rows"]]


def test_a_transfer_the_official_import_places_in_another_district_no_longer_counts_for_the_deals_district(
        client_for, registry, frozen_clock, people):
    people["enterprise_user"].organization.__class__.objects.filter(
        pk=people["enterprise_user"].organization_id).update(address="天津市南开区卫津路92号")
    assert _deal(client_for, mode="transfer", kind="transfer").status_code == 201
    event = LegalEvent.objects.get(patent__application_number=NUMBER)
    assert event.new_owner_district == "天津市南开区" and NUMBER in _valid_here(client_for)
    batch = _official_import(client_for, row=TRANSFER_ROW)
    event = LegalEvent.objects.get(patent__application_number=NUMBER)
    assert (event.new_owner_address, event.new_owner_district) == ("北京市海淀区中关村大街1号", "北京市海淀区")
    assert NUMBER not in _valid_here(client_for)  # CNIPA says the new owner is in 海淀区
    [listed] = _events(client_for)
    assert listed["new_owner_district"] == "北京市海淀区"
    assert "新权利人所在区：平台登记为“天津市南开区”，国家知识产权局数据为“北京市海淀区”（以国家知识产权局数据为准）" in listed[
        "differences"]
    entry = AuditEntry.objects.get(action="stats.legal_event.match")
    assert entry.after["official_batch"] == batch["id"]
    assert entry.before["replaced"]["new_owner_district"] == "天津市南开区"


def test_a_later_official_file_that_corrects_the_new_owner_wins_again_and_is_audited(client_for, registry,
                                                                                     frozen_clock):
    _deal(client_for, mode="transfer", kind="transfer")
    _official_import(client_for, row=TRANSFER_ROW, party="测试企业有限公司")
    frozen_clock.advance(days=2)
    _official_import(client_for, row=TRANSFER_ROW, party="测试企业（北京）有限公司")
    event = LegalEvent.objects.get(patent__application_number=NUMBER)
    assert event.counterparty == "测试企业（北京）有限公司"
    entry = AuditEntry.objects.get(action="stats.legal_event.official_values")
    assert entry.before["replaced"] == {"counterparty": "测试企业有限公司"}


# ---- the official import first, the deal later ----

def test_a_deal_recording_a_licence_the_official_import_holds_matches_it_instead_of_adding_one(
        client_for, registry, frozen_clock):
    batch = _official_import(client_for, party="测试企业有限公司")
    before = _dealings(client_for)
    frozen_clock.advance(days=1)
    deal = _deal(client_for)
    assert deal.status_code == 201, deal.content
    [event] = LegalEvent.objects.filter(patent__application_number=NUMBER)
    assert (event.origin, event.batch_id, event.match_batch_id) == ("", batch["id"], batch["id"])
    assert event.match_origin == f"operations.deal:{Deal.objects.get().pk}"
    assert (event.counterparty, event.amount) == ("测试企业有限公司", None)  # the official record is not rewritten
    assert event.match_values["platform"]["amount"] == "80000.00"
    assert _dealings(client_for) == before
    assert _events(client_for)[0]["history"] == (
        f"国家知识产权局数据（批次{batch['id']}，2026-11-02） → 与平台交易登记匹配（2026-11-03）")
    assert AuditEntry.objects.filter(action="stats.legal_event.match").count() == 1


def test_a_transfer_the_official_import_already_holds_can_still_be_recorded_by_its_seller_and_is_one_event(
        client_for, registry, frozen_clock):
    interest = _meeting(client_for, mode="transfer")
    _official_import(client_for, party="测试企业有限公司",
                     row="申请号,法律事件,生效日,受让人\n{number},专利权的转移,{day},{party}\n")
    deal = _record(client_for, interest, kind="transfer")
    assert deal.status_code == 201, deal.content
    [event] = LegalEvent.objects.filter(patent__application_number=NUMBER)
    assert event.match_origin.startswith("operations.deal:") and event.counterparty == "测试企业有限公司"
    assert [row[:3] for row in _dealings(client_for)].count([NUMBER, "转让", "2026-10-28"]) == 1


def test_a_second_deal_on_the_same_day_cannot_claim_the_official_licence_another_deal_matched(
        client_for, registry, frozen_clock, member_client):
    _official_import(client_for)
    assert _deal(client_for).status_code == 201
    matched = LegalEvent.objects.get(patent__application_number=NUMBER).match_origin
    university = client_for("university_user")
    buyer = member_client("second_enterprise", "第二企业有限公司", OrgType.ENTERPRISE, Role.ENTERPRISE_USER)
    offer = TechOffer.objects.get(state="published")  # an ordinary licence may be granted again
    interest = post_json(buyer, "/api/v1/operations/interests", {"offer": offer.pk}).json()
    post_json(university, f"/api/v1/operations/interests/{interest['id']}/steps", {"action": "meet",
                                                                             "meeting_on": "2026-10-15"})
    second = post_json(university, f"/api/v1/operations/interests/{interest['id']}/deal", {
        "kind": "ordinary", "amount": "1", "contract_date": "2026-10-20", "recordal_date": "2026-10-28"})
    assert second.status_code == 422 and "2026-10-28" in second.content.decode()
    assert Deal.objects.count() == 1 and LegalEvent.objects.get(patent__application_number=NUMBER).match_origin == matched
