"""规范专利、商标代理行业执业行为: the office records its inspections of service agencies and the measures taken; a
warning or dishonesty measure in force shows in the agency directory when the office publishes it there, a
dishonesty measure in force is on the public dishonesty list, and key task 12 counts the records by year."""

import json

import pytest

from ipcity.accounts.models import Organization, OrgType
from ipcity.audit.models import AuditEntry
from ipcity.protection.models import AgencyConductRecord
from tests.helpers import json_text, post_json

PROFILE = {"services": ["patent_agency", "trademark_agency"], "staff": 8, "attorneys": 3, "description": "专利商标代理",
           "qualifications": []}
WARNING = {"source": "monitoring", "occurred_on": "2026-10-01", "finding": "以“包授权”为宣传招揽专利代理业务",
           "measure": "warning", "basis": "《专利代理管理办法》第四十条", "document_number": "津南知警〔2026〕1号",
           "valid_until": "2027-09-30", "publish_in_directory": True}
DISHONEST = {"source": "inspection", "occurred_on": "2026-09-15", "finding": "代理非正常专利申请并伪造委托材料",
             "measure": "dishonest", "document_number": "津南知信〔2026〕2号", "valid_until": "2029-09-14"}
URL = "/api/v1/protection/agency-conduct"


@pytest.fixture
def agency(client_for, people, frozen_clock):
    """The agency persona's organization, listed in the public directory."""
    response = client_for("agency_user").put("/api/v1/services/agency-profile", json.dumps(PROFILE, ensure_ascii=False),
                                             content_type="application/json")
    assert response.status_code == 200
    return people["agency_user"].organization


def _record(client, agency, body):
    return post_json(client, URL, {"agency": agency.pk, **body})


def test_the_office_records_conduct_records_and_lists_them_on_its_page_and_in_the_api(client_for, agency):
    office = client_for("office_admin")
    made = _record(office, agency, WARNING)
    assert made.status_code == 201, made.content
    assert made.json()["measure_label"] == "警示" and made.json()["in_force"] is True
    page = office.post("/protection/agency-conduct/", {
        "form": "record", "agency": agency.pk, "source": "complaint", "occurred_on": "2026-10-20",
        "finding": "未经委托人同意转委托代理业务", "measure": "talk", "document_number": "津南知约〔2026〕3号"})
    assert page.status_code == 302
    listed = office.get(URL).json()
    assert [r["measure_label"] for r in listed] == ["约谈提醒", "警示"]
    html = office.get("/protection/agency-conduct/").content.decode()
    assert "未经委托人同意转委托代理业务" in html and "津南知警〔2026〕1号" in html and "有效期内" in html
    assert AuditEntry.objects.filter(action="protection.agency_conduct.record").count() == 2


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"measure": "fine"}, "measure", "处理措施应为"),
    ({"source": "rumour"}, "source", "来源应为"),
    ({"finding": " "}, "finding", "请填写检查发现"),
    ({"finding": "长" * 501}, "finding", "超过 500 字"),
    ({"document_number": ""}, "document_number", "请填写文书编号"),
    ({"valid_until": None}, "valid_until", "须填写有效期"),
    ({"valid_until": "2026-09-30"}, "valid_until", "有效期应晚于检查或处理日期"),
    ({"valid_until": "2032-10-01"}, "valid_until", "有效期最长 5 年"),
    ({"occurred_on": "2026-11-03"}, "occurred_on", "不能晚于今天"),
    ({"measure": "talk"}, "publish_in_directory", "只有“警示”和“列入失信名单”"),
    ({"measure": "none", "publish_in_directory": False}, "valid_until", "未发现违规时不填写有效期"),
])
def test_a_bad_conduct_record_is_refused_in_chinese_naming_the_field_and_nothing_is_written(client_for, agency, change,
                                                                                         field, words):
    refused = _record(client_for("office_admin"), agency, {**WARNING, **change})
    assert refused.status_code == 422
    assert any(m.startswith(f"{field}: ") and words in m for m in refused.json()["detail"]), refused.json()
    assert not AgencyConductRecord.objects.exists()


def test_only_a_service_agency_gets_a_conduct_record(client_for, agency):
    enterprise = Organization.objects.create(name="某科技有限公司", org_type=OrgType.ENTERPRISE)
    refused = _record(client_for("office_admin"), enterprise, WARNING)
    assert refused.status_code == 422 and "agency: 只对知识产权服务机构" in json_text(refused)
    missing = post_json(client_for("office_admin"), URL, {**WARNING, "agency": 999999})
    assert missing.status_code == 404 and not AgencyConductRecord.objects.exists()


def test_only_the_office_keeps_and_reads_conduct_records(client_for, agency):
    for persona in ("agency_user", "enterprise_user", "enforcement_officer", "unit_staff"):
        client = client_for(persona)
        assert _record(client, agency, WARNING).status_code == 403
        assert client.get(URL).status_code == 403
        assert client.get("/protection/agency-conduct/").status_code == 403
    assert _record(client_for(None), agency, WARNING).status_code == 401
    assert client_for(None).get("/protection/agency-conduct/").status_code == 302
    assert not AgencyConductRecord.objects.exists()


def _marks(client) -> list[str]:
    html = client.get("/services/agencies/").content.decode()
    return [part.split("<")[0] for part in html.split('data-testid="conduct-mark">')[1:]]


def test_the_directory_shows_a_measure_in_force_only_when_the_office_publishes_it(client_for, agency, frozen_clock):
    office, public = client_for("office_admin"), client_for(None)
    assert _marks(public) == []
    hidden = _record(office, agency, {**WARNING, "publish_in_directory": False}).json()
    assert _marks(public) == [] and public.get(f"{URL}/published").json() == []
    shown = post_json(office, f"{URL}/publication", {"record": hidden["id"], "publish_in_directory": True})
    assert shown.status_code == 200 and shown.json()["publish_in_directory"] is True
    assert _marks(public) == ["警示（至2027-09-30）"]
    assert [m["measure_label"] for m in public.get(f"{URL}/published").json()] == ["警示"]
    assert post_json(client_for("agency_user"), f"{URL}/publication",
                     {"record": hidden["id"], "publish_in_directory": False}).status_code == 403
    frozen_clock.advance(days=400)  # past 2027-09-30: no longer in force
    assert _marks(public) == [] and public.get(f"{URL}/published").json() == []


def test_a_talk_cannot_be_published_in_the_directory(client_for, agency):
    office = client_for("office_admin")
    talk = _record(office, agency, {**WARNING, "measure": "talk", "publish_in_directory": False}).json()
    refused = post_json(office, f"{URL}/publication", {"record": talk["id"], "publish_in_directory": True})
    assert refused.status_code == 422 and "publish_in_directory" in json_text(refused)


def test_a_dishonesty_measure_puts_the_agency_on_the_public_credit_list_but_not_its_finding(client_for, agency,
                                                                                         frozen_clock):
    office, public = client_for("office_admin"), client_for(None)
    _record(office, agency, WARNING)  # a warning is no dishonesty listing
    assert public.get("/api/v1/protection/credit").json() == []
    _record(office, agency, DISHONEST)  # not published in the directory: the credit list still shows it
    entries = public.get("/api/v1/protection/credit").json()
    assert [(e["name"], e["listed_on"], e["ends_on"]) for e in entries] == [
        ("测试知识产权代理所", "2026-09-15", "2029-09-15")]  # ends, like a listing, the day after its last
    assert entries[0]["grounds"] == ["专利、商标代理机构严重违法执业行为"]
    assert public.get("/api/v1/protection/credit", {"q": "代理所"}).json() == entries
    page = public.get("/protection/credit/").content.decode()
    assert "测试知识产权代理所" in page and "伪造委托材料" not in page
    export = public.get("/protection/credit/export.csv").content.decode("utf-8-sig")
    assert "测试知识产权代理所" in export
    assert _marks(public) == ["警示（至2027-09-30）"]
    frozen_clock.advance(days=365 * 3 + 10)  # past 2029-09-14
    assert public.get("/api/v1/protection/credit").json() == []


def test_task_12_counts_the_agency_conduct_records_by_year(client_for, agency, frozen_clock):
    office = client_for("office_admin")
    for day in ("2025-06-01", "2026-03-01", "2026-10-01"):
        _record(office, agency, {**WARNING, "occurred_on": day, "valid_until": None, "measure": "talk",
                                 "publish_in_directory": False})
    modules = {m["label"]: m for m in client_for(None).get("/api/v1/plan/tasks/12/modules").json()}
    conduct = modules["专利、商标代理机构执业检查和处理"]
    assert [c["count"] for c in conduct["counts"]] == [0, 1, 2]
    assert conduct["url"] == "/protection/agency-conduct/"
