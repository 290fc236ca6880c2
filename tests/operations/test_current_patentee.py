"""A recorded transfer changes who holds the patent: the platform's patentee is the registry's original patentee,
then each recorded transfer's assignee in order. Only the current patentee may list the patent (one at a time, in a
spreadsheet or a form), license it or pledge it; the former patentee is refused with the reason, so the same patent
cannot be sold twice and counted twice."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipcity.accounts.models import OrgType
from ipcity.accounts.roles import Role
from ipcity.operations.models import Deal, TechOffer
from ipcity.stats.models import LegalEvent
from ipcity.stats.services import import_batch_run, import_batch_start
from tests.helpers import json_text, post_json
from tests.operations.helpers import PATENTS

LISTING = {"price_terms": "面议", "field": "智能制造", "maturity": "小试"}


def _import(kind: str, data: bytes) -> None:
    import_batch_run(batch=import_batch_start(kind=kind, filename=f"{kind}.csv", actor=None), data=data)


@pytest.fixture
def registry(people):
    _import("patents", PATENTS)


@pytest.fixture
def second_buyer(member_client):
    return member_client("second_enterprise", "第二企业有限公司", OrgType.ENTERPRISE, Role.ENTERPRISE_USER)


def _met(seller, buyer, offer_id: int) -> int:
    interest = post_json(buyer, "/api/v1/operations/interests", {"offer": offer_id})
    assert interest.status_code == 201, interest.content
    pk = interest.json()["id"]
    assert post_json(seller, f"/api/v1/operations/interests/{pk}/steps",
                 {"action": "meet", "meeting_on": "2026-10-10"}).status_code == 200
    return pk


def _sell(seller, buyer, number: str):
    offer = post_json(seller, "/api/v1/operations/offers", {**LISTING, "patent_number": number, "mode": "transfer"})
    assert offer.status_code == 201, offer.content
    interest = _met(seller, buyer, offer.json()["id"])
    return post_json(seller, f"/api/v1/operations/interests/{interest}/deal", {
        "kind": "transfer", "amount": "100000", "contract_date": "2026-10-12", "recordal_date": "2026-10-20"})


def _transfers(number: str) -> int:
    return LegalEvent.objects.filter(event_type="transfer", patent__application_number=number).count()


def test_after_a_transfer_the_seller_cannot_list_the_patent_again_and_the_buyer_can(
        client_for, registry, frozen_clock):
    university, enterprise = client_for("university_user"), client_for("enterprise_user")
    assert _sell(university, enterprise, "202110033333.3").status_code == 201
    before = client_for(None).get("/api/v1/indicators/transfers_and_licences_growth/records",
                                  {"as_of": "2026-11-02"}).json()["count"]
    again = post_json(university, "/api/v1/operations/offers", {**LISTING, "patent_number": "202110033333.3",
                                                             "mode": "transfer"})
    assert again.status_code == 422 and "当前专利权人" in json_text(again) and "测试企业有限公司" in json_text(again)
    assert _transfers("202110033333.3") == 1
    after = client_for(None).get("/api/v1/indicators/transfers_and_licences_growth/records",
                                 {"as_of": "2026-11-02"}).json()["count"]
    assert after == before
    relisted = post_json(enterprise, "/api/v1/operations/offers", {**LISTING, "patent_number": "202110033333.3",
                                                                "mode": "ordinary"})
    assert relisted.status_code == 201, relisted.content


def test_a_second_buyer_met_before_the_sale_cannot_buy_the_same_patent(client_for, registry, second_buyer,
                                                                       frozen_clock):
    university, enterprise = client_for("university_user"), client_for("enterprise_user")
    offer = post_json(university, "/api/v1/operations/offers", {**LISTING, "patent_number": "202110033333.3",
                                                             "mode": "transfer"}).json()
    first, second = _met(university, enterprise, offer["id"]), _met(university, second_buyer, offer["id"])
    deal = {"kind": "transfer", "amount": "100000", "contract_date": "2026-10-12"}
    assert post_json(university, f"/api/v1/operations/interests/{first}/deal",
                 {**deal, "recordal_date": "2026-10-20"}).status_code == 201
    twice = post_json(university, f"/api/v1/operations/interests/{second}/deal", {**deal, "recordal_date": "2026-10-25"})
    assert twice.status_code == 422 and "当前专利权人" in json_text(twice)
    backdated = post_json(university, f"/api/v1/operations/interests/{second}/deal", {**deal, "recordal_date": "2026-10-15"})
    assert backdated.status_code == 422
    assert _transfers("202110033333.3") == 1 and Deal.objects.count() == 1


def test_a_sale_agreed_after_the_seller_took_its_offer_down_is_still_recorded_like_a_licence_is(
        client_for, registry, frozen_clock):
    university, enterprise = client_for("university_user"), client_for("enterprise_user")
    offer = post_json(university, "/api/v1/operations/offers", {**LISTING, "patent_number": "202110033333.3",
                                                             "mode": "transfer"}).json()
    interest = _met(university, enterprise, offer["id"])
    assert post_json(university, f"/api/v1/operations/offers/{offer['id']}/withdraw", {}).status_code == 200
    sold = post_json(university, f"/api/v1/operations/interests/{interest}/deal", {
        "kind": "transfer", "amount": "100000", "contract_date": "2026-10-12", "recordal_date": "2026-10-20"})
    assert sold.status_code == 201, sold.content  # was: 422 “当前状态为‘已撤回’，不能转让成交后下架”
    assert _transfers("202110033333.3") == 1
    assert TechOffer.objects.get(pk=offer["id"]).state == "withdrawn"
    again = post_json(university, "/api/v1/operations/offers", {**LISTING, "patent_number": "202110033333.3",
                                                             "mode": "transfer"})
    assert again.status_code == 422 and "测试企业有限公司" in json_text(again)


def test_the_former_patentee_is_refused_in_the_form_and_the_spreadsheet(client_for, registry, frozen_clock):
    university, enterprise = client_for("university_user"), client_for("enterprise_user")
    assert _sell(university, enterprise, "202110033333.3").status_code == 201
    page = university.post("/operations/offers/new/", {**LISTING, "patent_number": "202110033333.3",
                                                        "mode": "ordinary"})
    assert page.status_code == 200 and "当前专利权人" in page.content.decode()
    sheet = ("申请号,方式,价格条件,技术领域,成熟度\n202110033333.3,普通许可,面议,智能制造,小试\n").encode()
    bulk = university.post("/api/v1/operations/offers/import", {"file": SimpleUploadedFile("list.csv", sheet)})
    assert bulk.status_code == 422 and "当前专利权人" in json_text(bulk)
    assert not TechOffer.objects.filter(state="published").exists()


def test_the_former_patentee_cannot_pledge_record_a_product_or_build_a_portfolio_with_it(
        client_for, people, registry, frozen_clock):
    university, enterprise = client_for("university_user"), client_for("enterprise_user")
    assert _sell(university, enterprise, "202110011111.1").status_code == 201
    bank = people["finance_user"].organization_id
    pledge = post_json(university, "/api/v1/operations/financing", {"bank": bank, "amount_requested": "100",
                                                                "purpose": "研发", "patents": ["202110011111.1"]})
    assert pledge.status_code == 422 and "202110011111.1" in json_text(pledge)
    product = post_json(university, "/api/v1/operations/products", {"name": "模组", "patent_numbers": ["202110011111.1"],
                                                                "recorded_on": "2026-10-30"})
    assert product.status_code == 422 and "不是本机构" in json_text(product)
    portfolio = post_json(university, "/api/v1/operations/portfolios", {
        "name": "组合", "industry": "新能源", "patent_numbers": ["202110011111.1"], "milestones": []})
    assert portfolio.status_code == 422 and "不是本机构" in json_text(portfolio)
    own = post_json(enterprise, "/api/v1/operations/financing", {"bank": bank, "amount_requested": "100",
                                                            "purpose": "研发", "patents": ["202110011111.1"]})
    assert own.status_code == 201, own.content


def test_a_pledge_is_not_registered_for_a_patent_sold_after_the_application(client_for, people, registry,
                                                                            frozen_clock):
    university, bank = client_for("university_user"), client_for("finance_user")
    pk = post_json(university, "/api/v1/operations/financing", {
        "bank": people["finance_user"].organization_id, "amount_requested": "100", "purpose": "研发",
        "patents": ["202110011111.1"]}).json()["id"]
    for body in ({"action": "accept"}, {"action": "approve", "approved_amount": "80"}):
        post_json(bank, f"/api/v1/operations/financing/{pk}/steps", body)
    _import("events", "申请号,法律事件,生效日,相对方\n202110011111.1,转让,2026-10-05,某科技公司\n".encode())
    registered = post_json(bank, f"/api/v1/operations/financing/{pk}/steps", {
        "action": "register", "pledge_reference": "Y2026-5", "registered_on": "2026-10-30"})
    assert registered.status_code == 422 and "某科技公司" in json_text(registered)


def test_a_transfer_imported_into_the_registry_moves_the_patent_too(client_for, registry, frozen_clock):
    university, enterprise = client_for("university_user"), client_for("enterprise_user")
    offer = post_json(university, "/api/v1/operations/offers", {**LISTING, "patent_number": "202110033333.3",
                                                             "mode": "ordinary"}).json()
    interest = _met(university, enterprise, offer["id"])
    _import("events", "申请号,法律事件,生效日,相对方\n202110033333.3,转让,2026-10-15,某科技公司\n".encode())
    licence = post_json(university, f"/api/v1/operations/interests/{interest}/deal", {
        "kind": "ordinary", "amount": "1000", "contract_date": "2026-10-16", "recordal_date": "2026-10-20"})
    assert licence.status_code == 422 and "某科技公司" in json_text(licence)
    listing = post_json(university, "/api/v1/operations/offers", {**LISTING, "patent_number": "202110011111.1",
                                                               "mode": "ordinary"})
    assert listing.status_code == 201  # its other patents are still its own
    assert not LegalEvent.objects.filter(event_type="licence").exists()


def test_a_portfolio_is_not_confirmed_on_an_invention_its_holder_has_sold(client_for, registry, frozen_clock):
    header = PATENTS.decode().splitlines()[0]
    rows = "".join(f"2021100555{i:02d}.{i},2021-03-01,发明,电池专利{i},,测试大学,天津市南开区,H01M10/48,2023-05-09\n"
                   for i in range(5))
    _import("patents", f"{header}\n{rows}".encode())
    university, office = client_for("university_user"), client_for("office_admin")
    created = post_json(university, "/api/v1/operations/portfolios", {
        "name": "电池组合", "industry": "新能源", "patent_numbers": [f"2021100555{i:02d}.{i}" for i in range(5)],
        "milestones": []}).json()
    _import("events", "申请号,法律事件,生效日,相对方\n202110055504.4,转让,2026-10-01,某科技公司\n".encode())
    confirmed = post_json(office, f"/api/v1/operations/portfolios/{created['id']}/establish", {"established_on": "2026-10-30"})
    assert confirmed.status_code == 422 and "有效发明专利 4 件" in json_text(confirmed) and "某科技公司" in json_text(confirmed)
