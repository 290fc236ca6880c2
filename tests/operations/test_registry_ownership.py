"""A workflow that writes to a registry creates its own records and never rewrites one it did not create: a bank
reusing the reference of a pledge already in the registry is refused (the registry pledge keeps its pledgor, pledgee,
amount, dates and patents), a deal recording the licence the registry already holds for that patent and day matches
it (one event, the registry's values kept), an open licence declaration cannot rewrite one the registry holds, and
what a workflow did create (the pledge it registered) it may still release."""

import datetime as dt
from decimal import Decimal

import pytest

from ipcity.accounts.models import OrgType
from ipcity.accounts.roles import Role
from ipcity.operations.models import Deal, FinancingApplication
from ipcity.stats.models import LegalEvent, Pledge
from ipcity.stats.services import import_batch_run, import_batch_start
from tests.helpers import json_text, post_json
from tests.operations.helpers import PATENTS

ENTERPRISE_PATENTS = PATENTS.decode().replace("测试大学", "测试企业有限公司").encode()
REGISTRY_PLEDGE = ("质押登记号,出质人,出质人地址,质权人,质押金额（万元）,登记日,注销日,涉及专利\n"
                   "ZX2025-0001,其他大学,天津市南开区鞍山西道,某商业银行,900,2025-05-01,,202110044444.4\n").encode()


def _import(kind: str, data: bytes) -> None:
    import_batch_run(batch=import_batch_start(kind=kind, filename=f"{kind}.csv", actor=None), data=data)


@pytest.fixture
def registry(people):
    _import("patents", ENTERPRISE_PATENTS)
    _import("pledges", REGISTRY_PLEDGE)


def _registry_pledge_is_untouched() -> None:
    pledge = Pledge.objects.get(reference="ZX2025-0001")
    assert (pledge.pledgor, pledge.pledgee, pledge.amount, pledge.registered_on, pledge.released_on, pledge.patents) == (
        "其他大学", "某商业银行", Decimal("9000000.00"), dt.date(2025, 5, 1), None, ["202110044444.4"])


def _approved_application(client_for, people) -> int:
    enterprise, bank = client_for("enterprise_user"), client_for("finance_user")
    pk = post_json(enterprise, "/api/v1/operations/financing", {
        "bank": people["finance_user"].organization_id, "amount_requested": "300", "purpose": "研发投入",
        "patents": ["202110011111.1"]}).json()["id"]
    for body in ({"action": "accept"}, {"action": "approve", "approved_amount": "250"}):
        assert post_json(bank, f"/api/v1/operations/financing/{pk}/steps", body).status_code == 200
    return pk


def test_a_bank_reusing_the_reference_of_a_registry_pledge_is_refused_and_the_registry_pledge_is_unchanged(
        client_for, people, registry, frozen_clock):
    pk = _approved_application(client_for, people)
    response = post_json(client_for("finance_user"), f"/api/v1/operations/financing/{pk}/steps", {
        "action": "register", "pledge_reference": "ZX2025-0001", "registered_on": "2026-10-30"})
    assert response.status_code == 422 and "ZX2025-0001" in json_text(response) and "已在质押登记库" in json_text(response)
    _registry_pledge_is_untouched()
    assert FinancingApplication.objects.get(pk=pk).state == "approved"


def test_the_bank_form_cannot_overwrite_a_registry_pledge_either(client_for, people, registry, frozen_clock):
    pk = _approved_application(client_for, people)
    page = client_for("finance_user").post("/operations/finance/", {
        "form": "step", "pk": pk, "action": "register", "pledge_reference": "ZX2025-0001",
        "registered_on": "2026-10-30"}, follow=True)
    assert page.status_code == 200 and "已在质押登记库" in page.content.decode()
    _registry_pledge_is_untouched()
    assert FinancingApplication.objects.get(pk=pk).state == "approved"


def test_the_pledge_a_bank_registered_is_its_own_to_release_and_nobody_elses_registration_can_reuse_it(
        client_for, people, registry, frozen_clock):
    bank = client_for("finance_user")
    first = _approved_application(client_for, people)
    assert post_json(bank, f"/api/v1/operations/financing/{first}/steps", {
        "action": "register", "pledge_reference": "Y2026-77", "registered_on": "2026-10-01"}).status_code == 200
    second = _approved_application(client_for, people)
    reused = post_json(bank, f"/api/v1/operations/financing/{second}/steps", {
        "action": "register", "pledge_reference": "Y2026-77", "registered_on": "2026-10-20"})
    assert reused.status_code == 422 and "已在质押登记库" in json_text(reused)
    assert Pledge.objects.get(reference="Y2026-77").registered_on == dt.date(2026, 10, 1)
    released = post_json(bank, f"/api/v1/operations/financing/{first}/steps", {"action": "release",
                                                                           "released_on": "2026-10-25"})
    assert released.status_code == 200 and Pledge.objects.get(reference="Y2026-77").released_on == dt.date(2026, 10, 25)


def test_a_deal_recording_the_licence_the_registry_already_holds_for_that_day_matches_it_and_never_rewrites_it(
        client_for, member_client, registry, frozen_clock):
    _import("events", "申请号,法律事件,生效日,金额,相对方\n202110033333.3,许可,2026-10-28,50000,某科技公司\n".encode())
    seller = client_for("enterprise_user")
    buyer = member_client("second_enterprise", "第二企业有限公司", OrgType.ENTERPRISE, Role.ENTERPRISE_USER)
    offer = post_json(seller, "/api/v1/operations/offers", {"patent_number": "202110033333.3", "mode": "ordinary",
                                                        "price_terms": "面议", "field": "智能制造", "maturity": "小试"})
    assert offer.status_code == 201, offer.content
    interest = post_json(buyer, "/api/v1/operations/interests", {"offer": offer.json()["id"]}).json()
    post_json(seller, f"/api/v1/operations/interests/{interest['id']}/steps", {"action": "meet", "meeting_on": "2026-10-15"})
    deal = post_json(seller, f"/api/v1/operations/interests/{interest['id']}/deal", {
        "kind": "ordinary", "amount": "1", "contract_date": "2026-10-20", "recordal_date": "2026-10-28"})
    assert deal.status_code == 201, deal.content
    event = LegalEvent.objects.get(event_type="licence", patent__application_number="202110033333.3")
    assert (event.counterparty, event.amount, event.origin) == ("某科技公司", Decimal("50000.00"), "")
    assert event.match_origin == f"operations.deal:{Deal.objects.get().pk}"
    assert event.match_differences == ["相对方：平台登记为“第二企业有限公司”，国家知识产权局数据为“某科技公司”（以国家知识产权局数据为准）",
                                       "金额（元）：平台登记为“1.00”，国家知识产权局数据为“50000.00”（以国家知识产权局数据为准）"]


def test_a_deal_cannot_rewrite_the_open_licence_declaration_the_registry_holds_for_that_day(
        client_for, registry, frozen_clock):
    _import("events", "申请号,法律事件,生效日\n202110033333.3,开放许可声明,2026-11-02\n".encode())
    declared = post_json(client_for("enterprise_user"), "/api/v1/operations/offers", {
        "patent_number": "202110033333.3", "mode": "open", "price_terms": "按年支付", "field": "智能制造",
        "maturity": "小试", "declaration": {"fee_method": "按年支付", "fee_standard": "每年2万元",
                                           "term_until": "2030-12-31"}})
    assert declared.status_code == 422 and "已有" in json_text(declared)
    event = LegalEvent.objects.get(patent__application_number="202110033333.3")
    assert (event.origin, event.match_origin) == ("", "")
