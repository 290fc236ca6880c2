"""Hostile input is the normal case: an inspection result of 立案查处 names only a case against the inspected
organization that the recorder may handle; a cluster's member list is bounded, free of repeats and of unknown or
non-enterprise ids, and an absurd one is refused before the database is asked; a policy's dates are bounded by sense.
Each refusal comes through the JSON API and the page alike, names the field in Chinese and writes nothing."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.services import user_create
from ipcity.audit.models import AuditEntry
from ipcity.operations.clusters import MAX_ENTERPRISES
from ipcity.operations.models import PatentCluster
from ipcity.protection.models import InspectionPlan, InspectionResult
from ipcity.services.models import Policy
from tests.helpers import json_text, post_json
from tests.protection.helpers import CASE, certify


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _put_json(client, path, body):
    return client.put(path, json.dumps(body, ensure_ascii=False), content_type="application/json")


# ---------------------------------------------------------------- 双随机: the case named by a result of 立案查处

CASE_FILED = {"outcome": "case_filed", "description": "发现销售涉嫌假冒注册商标的商品，立案查处",
              "inspected_on": "2026-11-02"}


@pytest.fixture
def drawn(client_for, people, frozen_clock):
    """A plan drawn on 2026-11-02 among three enterprises, each subject with two of the bureau's certified officers:
    the plan, its first subject's organization and an officer drawn to inspect it."""
    office = client_for("office_admin")
    for i in range(3):
        Organization.objects.create(name=f"被抽查企业{i}有限公司", org_type=OrgType.ENTERPRISE)
    bureau = people["enforcement_officer"].organization
    officers = [people["enforcement_officer"]] + [
        user_create(actor=None, username=f"drawn_officer{i}", password="Inspect#Duty2026", role="enforcement_officer",
                    organization=bureau, full_name=f"执法员{i}") for i in range(2)]
    for i, officer in enumerate(officers):
        assert certify(office, officer, f"津执-敌意-{i}").status_code == 201
    client_for("enterprise_user").post("/api/v1/evidence/registrations/file", {  # the draw's public seed
        "kind": "copyright_work", "metadata": json.dumps({"title": "t", "work_type": "美术", "author": "a",
                                                          "completed_on": "2026-01-01"}, ensure_ascii=False),
        "file": SimpleUploadedFile("w.txt", b"seed material")})
    assert post_json(office, "/api/v1/protection/inspections", {
        "code": "2026-q4-hostile", "title": "第四季度抽查", "quotas": {"low": 3}}).status_code == 201
    plan = InspectionPlan.objects.get(code="2026-q4-hostile")
    for step in ("publish", "draw"):
        assert post_json(office, f"/api/v1/protection/inspections/{plan.pk}/{step}", {}).status_code == 200
    plan.refresh_from_db()
    subject = plan.results["subjects"][0]
    inspector = next(o for o in officers if f"OFFICER-{o.pk:06d}" in plan.results["inspectors"][subject])
    return plan, Organization.objects.get(pk=int(subject.split("-")[1])), inspector


def _case(client, **changes) -> int:
    made = post_json(client, "/api/v1/protection/cases", {**CASE, "received_on": "2026-11-02", **changes})
    assert made.status_code == 201, made.content
    return made.json()["id"]


def _nothing_recorded() -> bool:
    return not InspectionResult.objects.exists() and not AuditEntry.objects.filter(
        action="protection.inspection.result_record").exists()


def test_a_result_of_case_filed_naming_a_case_against_another_party_is_refused_by_the_api_and_the_page(drawn):
    plan, subject, inspector = drawn
    client = _signed_in(inspector)
    elsewhere = _case(client, party="张某（个体户）")
    body = {"subject": f"ORG-{subject.pk:06d}", **CASE_FILED, "case": elsewhere}

    refused = post_json(client, f"/api/v1/protection/inspections/{plan.pk}/results", body)
    assert refused.status_code == 422
    assert (f"case: 关联案件的当事人“张某（个体户）”不是抽查对象“{subject.name}”"
            in json_text(refused)), json_text(refused)
    page = client.post(f"/protection/inspections/{plan.pk}/results/", {
        "action": "record", **{k: str(v) for k, v in body.items()}})
    assert page.status_code == 200 and f"不是抽查对象“{subject.name}”" in page.content.decode()
    assert _nothing_recorded()

    against_the_subject = _case(client, party=subject.name)
    linked = post_json(client, f"/api/v1/protection/inspections/{plan.pk}/results", {**body, "case": against_the_subject})
    assert linked.status_code == 201 and linked.json()["case"] == against_the_subject


def test_the_credit_code_decides_whose_case_it_is_when_both_record_one(drawn):
    plan, subject, inspector = drawn
    Organization.objects.filter(pk=subject.pk).update(credit_code="91120104MA05TEST1X")
    client = _signed_in(inspector)
    namesake = _case(client, party=subject.name, party_credit_code="91120104MA05OTHR2Y")
    body = {"subject": f"ORG-{subject.pk:06d}", **CASE_FILED, "case": namesake}

    refused = post_json(client, f"/api/v1/protection/inspections/{plan.pk}/results", body)
    assert refused.status_code == 422 and f"不是抽查对象“{subject.name}”" in json_text(refused)
    assert _nothing_recorded()

    by_code = _case(client, party="被抽查企业（简称）", party_credit_code="91120104ma05test1x")
    linked = post_json(client, f"/api/v1/protection/inspections/{plan.pk}/results", {**body, "case": by_code})
    assert linked.status_code == 201, linked.content


def test_the_office_cannot_correct_a_result_to_a_case_against_another_party_through_the_api_or_the_page(
        drawn, client_for):
    plan, subject, _inspector = drawn
    office = client_for("office_admin")
    key = f"ORG-{subject.pk:06d}"
    recorded = post_json(office, f"/api/v1/protection/inspections/{plan.pk}/results", {
        "subject": key, "outcome": "no_problem", "description": "未发现违法行为", "inspected_on": "2026-11-02"})
    assert recorded.status_code == 201
    elsewhere = _case(client_for("enforcement_officer"), party="他人商贸有限公司")
    correction = {"subject": key, **CASE_FILED, "case": elsewhere, "reason": "复核后发现违法行为"}

    refused = _put_json(office, f"/api/v1/protection/inspections/{plan.pk}/results", correction)
    assert refused.status_code == 422
    assert f"case: 关联案件的当事人“他人商贸有限公司”不是抽查对象“{subject.name}”" in json_text(refused)
    page = office.post(f"/protection/inspections/{plan.pk}/results/", {
        "action": "correct", **{k: str(v) for k, v in correction.items()}})
    assert page.status_code == 200 and f"不是抽查对象“{subject.name}”" in page.content.decode()
    result = InspectionResult.objects.get()
    assert (result.outcome, result.case_id, result.corrections) == ("no_problem", None, [])
    assert not AuditEntry.objects.filter(action="protection.inspection.result_correct").exists()


# ---------------------------------------------------------------- 产业链专利集群: the member enterprises

def _cluster_body(enterprises: list[int]) -> dict:
    return {"name": "人工智能产业链专利集群", "industry": "人工智能", "enterprises": enterprises,
            "ipc_prefixes": ["G06N"], "established_on": "2026-05-16"}


def _no_cluster_written() -> bool:
    return not PatentCluster.objects.exists() and not AuditEntry.objects.filter(
        action="operations.cluster.create").exists()


def test_an_absurd_list_of_member_ids_is_refused_stating_the_maximum_without_asking_the_database_for_it(
        client_for, frozen_clock):
    office = client_for("office_admin")
    for size in (MAX_ENTERPRISES + 1, 100_000):
        with CaptureQueriesContext(connection) as queries:
            refused = post_json(office, "/api/v1/operations/clusters", _cluster_body(list(range(1, size + 1))))
        assert refused.status_code == 422
        assert f"enterprises: 最多 {MAX_ENTERPRISES} 项" in json_text(refused), json_text(refused)[:300]
        asked = [q["sql"] for q in queries]  # the session and the signed-in user, nothing about the list
        assert not any("accounts_organization" in sql for sql in asked) and max(map(len, asked)) < 2000
    assert _no_cluster_written()


def test_member_ids_repeated_unknown_or_not_of_an_enterprise_are_refused_by_name(client_for, people, frozen_clock):
    office = client_for("office_admin")
    first, second = (Organization.objects.create(name=n, org_type=OrgType.ENTERPRISE).pk
                     for n in ("智算科技有限公司", "视觉智能有限公司"))
    university = people["university_user"].organization
    for ids, words in [([first, second, first], f"enterprises: 成员企业重复：{first}"),
                       ([first, 999_999], "enterprises: 成员企业不存在：999999"),
                       ([first, university.pk], f"enterprises: 成员企业应为企业：{university.name}不是企业")]:
        refused = post_json(office, "/api/v1/operations/clusters", _cluster_body(ids))
        assert refused.status_code == 422 and words in json_text(refused), (ids, json_text(refused))
    assert _no_cluster_written()
    made = post_json(office, "/api/v1/operations/clusters", _cluster_body([second, first]))
    assert made.status_code == 201 and sorted(made.json()["enterprises"]) == ["智算科技有限公司", "视觉智能有限公司"]


def test_the_cluster_page_refuses_more_members_than_the_maximum_and_writes_nothing(client_for, frozen_clock):
    members = Organization.objects.bulk_create(Organization(name=f"链上企业{n:03d}", org_type=OrgType.ENTERPRISE)
                                               for n in range(MAX_ENTERPRISES + 1))
    page = client_for("office_admin").post("/operations/clusters/", {
        "form": "cluster", "name": "新材料产业链专利集群", "industry": "新材料", "ipc_prefixes": "C08",
        "enterprises": [o.pk for o in members], "established_on": "2026-05-16"})
    assert page.status_code == 200
    assert f"成员企业最多 {MAX_ENTERPRISES} 家，收到 {MAX_ENTERPRISES + 1} 个" in page.content.decode()
    assert _no_cluster_written()


# ---------------------------------------------------------------- 政策库: the policy's dates

def _policy_body(**changes) -> dict:
    return {"level": "district", "issuer": "南开区科学技术局", "document_number": "南开科规〔2025〕1号",
            "title": "南开区知识产权资助办法", "summary": "支持企业创造和运用知识产权", "issued_on": "2025-03-01",
            "effective_from": "2025-03-15", "effective_until": "2026-12-31", "responsible_unit": "science_technology",
            "task_numbers": [11], "measures": [{"kind": "subsidy", "name": "发明专利授权资助",
                                                "standard": "每件发明专利授权资助3000元", "cap": "3000"}], **changes}


def _policies_written() -> tuple[int, int]:
    return Policy.objects.count(), AuditEntry.objects.filter(action__startswith="services.policy.").count()


@pytest.mark.parametrize(("changes", "words"), [
    ({"document_number": "南开科规〔1979〕1号", "issued_on": "1979-12-31", "effective_from": "1980-01-01",
      "effective_until": None}, "issued_on: 印发日期不能早于 1980-01-01"),
    ({"effective_from": "2024-02-29"}, "effective_from: 施行日期不能早于印发日期前 1 年（2024-03-01）"),
    ({"effective_from": "2027-03-02", "effective_until": None},
     "effective_from: 施行日期不能晚于印发日期后 2 年（2027-03-01）"),
    ({"effective_until": "2100-12-31"}, "effective_until: 有效期至不能晚于施行日期后 10 年（2035-03-15）"),
])
def test_a_policy_dated_against_sense_is_refused_naming_the_field_when_registered_or_changed(
        client_for, frozen_clock, changes, words):
    office = client_for("office_admin")
    refused = post_json(office, "/api/v1/services/policies", _policy_body(**changes))
    assert refused.status_code == 422 and words in json_text(refused), json_text(refused)
    assert _policies_written() == (0, 0)

    made = post_json(office, "/api/v1/services/policies", _policy_body())
    assert made.status_code == 201
    before = _policies_written()
    changed = _put_json(office, f"/api/v1/services/policies/{made.json()['id']}", _policy_body(**changes))
    assert changed.status_code == 422 and words in json_text(changed)
    assert _policies_written() == before
    policy = Policy.objects.get()
    assert (policy.issued_on.isoformat(), policy.effective_from.isoformat(), policy.effective_until.isoformat()) == (
        "2025-03-01", "2025-03-15", "2026-12-31")


def test_the_policy_page_refuses_a_policy_in_force_long_before_it_was_issued_and_takes_one_at_the_bounds(
        client_for, people, frozen_clock):
    office = client_for("office_admin")
    form = {"level": "national", "issuer": "国家知识产权局", "document_number": "国知发运字〔1981〕1号",
            "title": "专利工作试点通知", "summary": "试点", "issued_on": "1981-03-01", "effective_from": "1980-02-29",
            "effective_until": "", "responsible_unit": str(people["unit_staff"].organization_id),
            "task_numbers": ["11"], "measures": "服务|专利工作指导||业务指导"}
    page = office.post("/services/policies/new/", form)
    assert page.status_code == 200 and "施行日期不能早于印发日期前 1 年（1980-03-01）" in page.content.decode()
    assert _policies_written() == (0, 0)
    # issued in March, in force from 1 January of its year (backdated, as some measures are)
    taken = office.post("/services/policies/new/", {**form, "effective_from": "1981-01-01",
                                                    "effective_until": "1990-12-31"})
    assert taken.status_code == 302, taken.content.decode()[:2000]
    assert Policy.objects.get().effective_from.isoformat() == "1981-01-01"
