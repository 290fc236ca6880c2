"""Hostile input is the normal case: a cluster's member list is bounded, free of repeats and of unknown or
non-enterprise ids, and an absurd one is refused before the database is asked; a policy's dates are bounded by sense.
Each refusal comes through the JSON API and the page alike, names the field in Chinese and writes nothing. (An
inspection result's case: tests/protection/test_inspection_results.py.)"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ipcity.accounts.models import Organization, OrgType
from ipcity.audit.models import AuditEntry
from ipcity.operations.clusters import MAX_ENTERPRISES
from ipcity.operations.models import PatentCluster
from ipcity.services.models import Policy
from tests.helpers import json_text, post_json


def _put_json(client, path, body):
    return client.put(path, json.dumps(body, ensure_ascii=False), content_type="application/json")


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
