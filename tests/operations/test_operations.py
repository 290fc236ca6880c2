"""The operations center through the API: a university lists patents (an open licence accepted, one refused with
its legal reason), an enterprise posts a need the office reviews, the matcher proposes the right patent and says
why, the two meet and a licence is recorded, and the transfers-and-licences indicator counts it."""

import pytest

from ipcity.operations.models import Deal, TechNeed, TechOffer
from ipcity.stats.models import LegalEvent
from ipcity.stats.services import import_batch_run, import_batch_start
from tests.helpers import json_text, post_json
from tests.operations.helpers import OPEN, PATENTS


@pytest.fixture
def registry(people):
    batch = import_batch_start(kind="patents", filename="patents.csv", actor=None)
    import_batch_run(batch=batch, data=PATENTS)


def test_an_invention_in_force_is_declared_open_and_a_utility_model_without_a_report_is_refused(
        client_for, registry, frozen_clock):
    university = client_for("university_user")
    accepted = post_json(university, "/api/v1/operations/offers", {**OPEN, "patent_number": "ZL202110011111.1"})
    assert accepted.status_code == 201 and accepted.json()["state"] == "published"
    assert LegalEvent.objects.filter(event_type="open_licence", patent__application_number="202110011111.1").exists()
    refused = post_json(university, "/api/v1/operations/offers", {**OPEN, "patent_number": "202120022222.2"})
    assert refused.status_code == 201 and refused.json()["state"] == "refused"
    assert "专利权评价报告" in refused.json()["refusal_reasons"][0] and "第五十条" in refused.json()["refusal_reasons"][0]
    page = university.get(f"/operations/offers/{refused.json()['id']}/").content.decode()
    assert 'data-testid="refusal"' in page and "专利权评价报告" in page


def test_someone_elses_patent_or_an_unknown_one_cannot_be_listed(client_for, registry):
    university = client_for("university_user")
    other = post_json(university, "/api/v1/operations/offers", {**OPEN, "patent_number": "202110044444.4"})
    assert other.status_code == 422 and "不是本机构" in json_text(other)
    unknown = post_json(university, "/api/v1/operations/offers", {**OPEN, "patent_number": "202399999999.9"})
    assert unknown.status_code == 422 and "专利库中没有" in json_text(unknown)
    assert not TechOffer.objects.exists()


def test_a_pledged_patent_needs_the_pledgees_consent(client_for, registry):
    batch = import_batch_start(kind="events", filename="e.csv", actor=None)
    import_batch_run(batch=batch, data="申请号,法律事件,生效日,质权人\n202110033333.3,质押登记,2024-01-10,某银行".encode())
    university = client_for("university_user")
    body = {**OPEN, "patent_number": "202110033333.3", "field": "智能制造"}
    refused = post_json(university, "/api/v1/operations/offers", body)
    assert "质权人同意" in refused.json()["refusal_reasons"][0]
    post_json(university, f"/api/v1/operations/offers/{refused.json()['id']}/withdraw", {})  # refused: nothing to withdraw
    consented = post_json(university, "/api/v1/operations/offers",
                      {**body, "declaration": {**OPEN["declaration"], "pledgee_consents": True}})
    assert consented.json()["state"] == "published"


def test_a_need_is_reviewed_matched_met_and_licensed_and_the_indicator_counts_it(client_for, registry,
                                                                                   covered_registries, frozen_clock):
    university, enterprise, office = client_for("university_user"), client_for("enterprise_user"), client_for("office_admin")
    offer = post_json(university, "/api/v1/operations/offers", {**OPEN, "patent_number": "202110011111.1"}).json()
    post_json(university, "/api/v1/operations/offers", {"patent_number": "202110033333.3", "mode": "ordinary",
                                                     "price_terms": "面议", "field": "智能制造", "maturity": "小试"})
    need = post_json(enterprise, "/api/v1/operations/needs", {
        "title": "动力电池寿命预测", "problem": "需要根据充放电数据预测电池健康状态和剩余寿命", "field": "新能源",
        "ipc": "H01M", "budget": "50", "deadline": "2027-06-30"}).json()
    assert need["state"] == "pending"
    assert all(n["id"] != need["id"] for n in client_for(None).get("/api/v1/operations/needs").json())
    assert post_json(office, f"/api/v1/operations/needs/{need['id']}/review", {"approve": False}).status_code == 422
    assert post_json(office, f"/api/v1/operations/needs/{need['id']}/review", {"approve": True}).json()["state"] == "published"
    matches = enterprise.get(f"/api/v1/operations/needs/{need['id']}/matches").json()
    assert matches[0]["offer"] == offer["id"]
    assert "H01M" in matches[0]["shared_ipc"] and "健康" in matches[0]["shared_terms"]
    assert "相同IPC小类：H01M" in matches[0]["reason"]
    before = client_for(None).get("/api/v1/indicators/transfers_and_licences_growth/records",
                                  {"as_of": "2026-11-02"}).json()["count"]
    interest = post_json(enterprise, "/api/v1/operations/interests", {"offer": offer["id"], "need": need["id"]}).json()
    early = post_json(university, f"/api/v1/operations/interests/{interest['id']}/deal", {
        "kind": "open", "amount": "20000", "contract_date": "2026-10-20", "recordal_date": "2026-10-28"})
    assert early.status_code == 422 and "洽谈后才能登记成交" in json_text(early)
    assert post_json(university, f"/api/v1/operations/interests/{interest['id']}/steps",
                 {"action": "meet", "meeting_on": "2026-10-15"}).json()["state"] == "meeting"
    assert post_json(enterprise, f"/api/v1/operations/interests/{interest['id']}/deal", {
        "kind": "open", "amount": "20000", "contract_date": "2026-10-20",
        "recordal_date": "2026-10-28"}).status_code == 403  # the patentee records it
    deal = post_json(university, f"/api/v1/operations/interests/{interest['id']}/deal", {
        "kind": "open", "amount": "20000", "contract_date": "2026-10-20", "recordal_date": "2026-10-28"})
    assert deal.status_code == 201 and Deal.objects.count() == 1
    event = LegalEvent.objects.get(event_type="licence", patent__application_number="202110011111.1")
    assert str(event.date) == "2026-10-28" and event.counterparty == "测试企业有限公司"
    after = client_for(None).get("/api/v1/indicators/transfers_and_licences_growth/records",
                                 {"as_of": "2026-11-02"}).json()["count"]
    assert after == before + 1


def test_another_organization_s_pending_need_is_not_found_through_the_review_api_as_one_that_does_not_exist(
        client_for, registry):
    """Answering 403 where a need exists and 404 where it does not would let anyone count the pending needs."""
    need = post_json(client_for("enterprise_user"), "/api/v1/operations/needs", {
        "title": "焊缝检测", "problem": "希望自动识别焊缝图像中的气孔和裂纹缺陷", "field": "智能制造",
        "deadline": "2027-06-30"}).json()
    university = client_for("university_user")
    pending = post_json(university, f"/api/v1/operations/needs/{need['id']}/review", {"approve": True})
    missing = post_json(university, f"/api/v1/operations/needs/{need['id'] + 1000}/review", {"approve": True})
    assert pending.status_code == missing.status_code == 404 and json_text(pending) == json_text(missing)
    assert TechNeed.objects.get(pk=need["id"]).state == "pending"


def test_an_expired_need_reads_as_expired_until_renewed(client_for, registry, frozen_clock):
    enterprise, office = client_for("enterprise_user"), client_for("office_admin")
    need = post_json(enterprise, "/api/v1/operations/needs", {
        "title": "焊缝检测", "problem": "希望自动识别焊缝图像中的气孔和裂纹缺陷", "field": "智能制造",
        "deadline": "2026-11-30"}).json()
    post_json(office, f"/api/v1/operations/needs/{need['id']}/review", {"approve": True})
    frozen_clock.advance(days=40)
    mine = next(n for n in enterprise.get("/api/v1/operations/needs").json() if n["id"] == need["id"])
    assert mine["state"] == "expired"
    renewed = post_json(enterprise, f"/api/v1/operations/needs/{need['id']}/renew", {"deadline": "2027-03-31"})
    assert renewed.json()["state"] == "published"
    bad = post_json(enterprise, "/api/v1/operations/needs", {"title": "x", "problem": "短", "field": "未知",
                                                         "deadline": "2020-01-01"})
    assert bad.status_code == 422 and all(w in json_text(bad) for w in ("至少10个字", "技术领域应为", "有效期应晚于今天"))


def test_a_university_lists_its_patents_from_a_spreadsheet(client_for, registry, frozen_clock):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ipcity.web.spreadsheets import xlsx_bytes

    university = client_for("university_user")
    header = ["申请号", "方式", "价格条件", "技术领域", "成熟度", "开放许可支付方式", "开放许可支付标准"]
    good = xlsx_bytes([("清单", header, [
        ["ZL202110011111.1", "开放许可", "按年支付", "新能源", "中试", "按年支付", "每年2万元"],
        ["202120022222.2", "开放许可", "按年支付", "新能源汽车", "产业化", "按年支付", "每年1万元"],
        ["CN202110033333.3", "普通许可", "面议", "智能制造", "小试", "", ""]])])
    response = university.post("/api/v1/operations/offers/import", {"file": SimpleUploadedFile("list.xlsx", good)})
    assert response.json() == {"published": 2, "refused": 1}  # the utility model lacks its evaluation report
    assert TechOffer.objects.filter(state="refused").get().patent.application_number == "202120022222.2"


def test_a_spreadsheet_with_bad_rows_lists_nothing_and_names_each_row_and_column(client_for, registry):
    from django.core.files.uploadedfile import SimpleUploadedFile

    university = client_for("university_user")
    bad = ("申请号,方式,价格条件,技术领域,成熟度,开放许可支付方式,开放许可支付标准\n"
           "202110011111.1,开放许可,按年,新能源,中试,,\n"
           "202110044444.4,普通许可,面议,生物医药,小试,,\n"
           "202110033333.3,租赁,面议,航天,小试,,\n").encode()
    page = university.post("/operations/offers/import/", {"file": SimpleUploadedFile("list.csv", bad)})
    text = page.content.decode()
    assert 'data-testid="problems"' in text
    for expected in ("第2行", "支付方式和标准", "第3行", "不是本机构", "第4行", "“方式”列", "“技术领域”列"):
        assert expected in text, expected
    assert not TechOffer.objects.exists()
