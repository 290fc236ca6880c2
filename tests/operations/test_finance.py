"""IP finance: a pledge financing application routed to a bank, approved and registered into the pledge
registry (which the financing indicators count); patent insurance claims decided by the insurer."""

import json

import pytest

from ipcity.accounts.models import Organization
from ipcity.stats.models import Pledge
from ipcity.stats.services import import_batch_run, import_batch_start
from tests.helpers import json_text, post_json
from tests.operations.helpers import PATENTS

ENTERPRISE_PATENTS = PATENTS.decode().replace("测试大学", "测试企业有限公司").encode()


@pytest.fixture
def registry(people):
    batch = import_batch_start(kind="patents", filename="patents.csv", actor=None)
    import_batch_run(batch=batch, data=ENTERPRISE_PATENTS)
    policies = import_batch_start(kind="policies", filename="policies.csv", actor=None)
    import_batch_run(batch=policies, data=("保单号,险种,投保人,投保人地址,保险公司,起保日,保额（元）\n"
                                            "BD2026001,专利保险,测试企业有限公司,天津市南开区,测试银行,2026-01-01,500000")
                     .encode())


def test_a_pledge_loan_goes_from_application_to_the_registry_and_the_indicator(client_for, people, registry,
                                                                               covered_registries, frozen_clock):
    enterprise, bank = client_for("enterprise_user"), client_for("finance_user")
    Organization.objects.filter(pk=people["enterprise_user"].organization_id).update(address="天津市南开区学府街道某路1号")
    bank_id = people["finance_user"].organization_id
    application = post_json(enterprise, "/api/v1/operations/financing", {
        "bank": bank_id, "amount_requested": "300", "purpose": "研发投入",
        "patents": ["202110011111.1", "202110033333.3"]})
    assert application.status_code == 201, application.content
    pk = application.json()["id"]
    assert [a["id"] for a in bank.get("/api/v1/operations/financing").json()] == [pk]
    assert client_for("notary_user").get("/api/v1/operations/financing").status_code == 403
    assert post_json(bank, f"/api/v1/operations/financing/{pk}/steps", {"action": "approve", "approved_amount": "1"}
                 ).status_code == 422  # not accepted yet
    post_json(bank, f"/api/v1/operations/financing/{pk}/steps", {"action": "accept"})
    post_json(bank, f"/api/v1/operations/financing/{pk}/steps", {"action": "approve", "approved_amount": "250"})
    missing = post_json(bank, f"/api/v1/operations/financing/{pk}/steps", {"action": "register"})
    assert missing.status_code == 422 and "质押登记号" in json_text(missing)
    done = post_json(bank, f"/api/v1/operations/financing/{pk}/steps", {
        "action": "register", "pledge_reference": "Y2026120000123", "registered_on": "2026-10-30"})
    assert done.json()["state"] == "registered"
    pledge = Pledge.objects.get(reference="Y2026120000123")
    assert pledge.amount == 2_500_000 and pledge.pledgee == "测试银行" and pledge.patents == ["202110011111.1",
                                                                                           "202110033333.3"]
    records = client_for(None).get("/api/v1/indicators/pledge_count_growth/records", {"as_of": "2026-11-02"}).json()
    assert "Y2026120000123" in json.dumps(records, ensure_ascii=False)


def test_an_application_with_someone_elses_or_ungranted_patents_is_refused(client_for, people, registry):
    enterprise = client_for("enterprise_user")
    response = post_json(enterprise, "/api/v1/operations/financing", {
        "bank": people["enterprise_user"].organization_id, "amount_requested": "0", "purpose": "",
        "patents": ["202110044444.4"]})
    text = json_text(response)
    assert response.status_code == 422
    assert all(w in text for w in ("请选择合作银行", "申请金额应大于0", "请填写资金用途", "不是本企业已授权的专利"))


def test_the_insurer_pays_or_rejects_a_claim_with_a_reason(client_for, people, registry, frozen_clock):
    enterprise, insurer = client_for("enterprise_user"), client_for("finance_user")
    claim = post_json(enterprise, "/api/v1/operations/claims", {"policy_number": "BD2026001", "amount_claimed": "80000",
                                                            "reason": "维权诉讼律师费"})
    assert claim.status_code == 201 and claim.json()["insurer"] == "测试银行"
    pk = claim.json()["id"]
    assert post_json(insurer, f"/api/v1/operations/claims/{pk}/decision", {"pay": False}).status_code == 422
    over = post_json(insurer, f"/api/v1/operations/claims/{pk}/decision", {"pay": True, "amount_paid": "90000"})
    assert over.status_code == 422 and "不超过索赔金额" in json_text(over)
    paid = post_json(insurer, f"/api/v1/operations/claims/{pk}/decision", {"pay": True, "amount_paid": "60000"})
    assert paid.json()["state"] == "paid"
    unknown = post_json(enterprise, "/api/v1/operations/claims", {"policy_number": "NOPE", "amount_claimed": "1",
                                                              "reason": "x"})
    assert unknown.status_code == 422 and "保单库中没有" in json_text(unknown)
    assert Organization.objects.filter(name="测试银行").exists()


def test_a_bundle_with_a_copyright_is_pledged_and_its_release_reaches_the_registry(client_for, people, registry,
                                                                                  frozen_clock):
    works = import_batch_start(kind="copyrights", filename="c.csv", actor=None)
    import_batch_run(batch=works, data=("登记号,类别,作品名称,著作权人,登记日\n"
                                        "2024-R-001,计算机软件,电池管理软件V1.0,测试企业有限公司,2024-03-01").encode())
    enterprise, bank = client_for("enterprise_user"), client_for("finance_user")
    pk = post_json(enterprise, "/api/v1/operations/financing", {
        "bank": people["finance_user"].organization_id, "amount_requested": "100", "purpose": "流动资金",
        "patents": ["202110011111.1"], "copyrights": ["2024-R-001"]}).json()["id"]
    for body in ({"action": "accept"}, {"action": "approve", "approved_amount": "80"},
                 {"action": "register", "pledge_reference": "Y2026-9", "registered_on": "2026-09-01"}):
        assert post_json(bank, f"/api/v1/operations/financing/{pk}/steps", body).status_code == 200
    early = post_json(bank, f"/api/v1/operations/financing/{pk}/steps", {"action": "release", "released_on": "2026-08-01"})
    assert early.status_code == 422 and "解除日" in json_text(early)
    released = post_json(bank, f"/api/v1/operations/financing/{pk}/steps", {"action": "release", "released_on": "2026-10-15"})
    assert released.json()["state"] == "released"
    assert str(Pledge.objects.get(reference="Y2026-9").released_on) == "2026-10-15"
    foreign = post_json(enterprise, "/api/v1/operations/financing", {
        "bank": people["finance_user"].organization_id, "amount_requested": "1", "purpose": "x",
        "copyrights": ["2099-X"]})
    assert foreign.status_code == 422 and "不是本企业登记的著作权" in json_text(foreign)


def test_a_bank_step_is_checked_against_the_stored_application_not_a_stale_copy(client_for, people, registry,
                                                                                frozen_clock):
    from django.core.exceptions import ValidationError

    from ipcity.audit.models import AuditEntry
    from ipcity.operations.finance import financing_step
    from ipcity.operations.models import FinancingApplication

    enterprise, bank = client_for("enterprise_user"), client_for("finance_user")
    pk = post_json(enterprise, "/api/v1/operations/financing", {
        "bank": people["finance_user"].organization_id, "amount_requested": "300", "purpose": "研发投入",
        "patents": ["202110011111.1"]}).json()["id"]
    post_json(bank, f"/api/v1/operations/financing/{pk}/steps", {"action": "accept"})
    stale = FinancingApplication.objects.get(pk=pk)  # read while accepted
    assert post_json(bank, f"/api/v1/operations/financing/{pk}/steps",
                 {"action": "approve", "approved_amount": "250"}).json()["state"] == "approved"
    with pytest.raises(ValidationError) as refused:
        financing_step(actor=people["finance_user"], application=stale, action="decline", note="额度已用完")
    assert "当前状态为“已审批同意”，不能不予批准" in refused.value.messages[0]
    assert FinancingApplication.objects.get(pk=pk).state == "approved"
    assert not AuditEntry.objects.filter(action="operations.financing.decline").exists()
