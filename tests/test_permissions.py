"""Every role against every page and API endpoint that exists. A new URL without a row here fails the
completeness tests, so no page can ship without its permissions being decided."""

import json

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests import permission_world
from tests.helpers import next_version_plan
from tests.permission_world import API, EVERYONE, PAGES

# the module-scoped world and what each test takes from it (fixtures, bound here so pytest finds them)
world, people, ids = permission_world.world, permission_world.people, permission_world.ids
sessions, client_for = permission_world.sessions, permission_world.client_for


def _fill(value, ids, own_org):
    if isinstance(value, str):
        return value.format(own_org=own_org, **ids)
    if isinstance(value, list):
        return [_fill(v, ids, own_org) for v in value]
    if isinstance(value, dict):
        return {_fill(k, ids, own_org): _fill(v, ids, own_org) for k, v in value.items()}
    return value


def _cases(table):
    return [pytest.param(method, path, body, persona, expected[persona], id=f"{method} {path} as {persona or 'anonymous'}")
            for method, path, body, expected in table for persona in EVERYONE]


POPULATION_CSV = "年份,年末常住人口（万人）,来源\n2025,89.3,区统计局".encode()


def _request(client, method, path, body, api):
    if method == "get":
        return client.get(path)
    if body == "LEDGER_UPLOAD":
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(path, {"file": SimpleUploadedFile("ledger.csv", "编号,重点任务编号\n1,2".encode())})
    if body in ("EVIDENCE_PAGE_UPLOAD", "EVIDENCE_API_UPLOAD"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        fields = {"title": "地图", "work_type": "美术", "author": "张三", "completed_on": "2026-10-01"}
        upload = SimpleUploadedFile("map.pdf", b"%PDF-1.4 permission table")
        if body == "EVIDENCE_API_UPLOAD":
            fields = {"kind": "copyright_work", "metadata": json.dumps(fields, ensure_ascii=False)}
        return client.post(path, {**fields, "file": upload})
    if body == "SERVICE_APPLICATION":
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(path, {"item": "NK-PERM-001", "description": "申请",
                                  "files": [SimpleUploadedFile("表.pdf", b"%PDF-1.4 x")]})
    if body == "SUPPORTING_UPLOAD":
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(path, {"files": [SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 minutes")]})
    if body == "SERVICE_ACCEPT":
        return client.post(path, {"action": "accept"})
    if body == "ROSTER_UPLOAD":
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(path, {"file": SimpleUploadedFile("r.csv", "姓名,单位,手机号\n李四,某公司,13900000001".encode())})
    if body == "POLICY_AWARDS_UPLOAD":
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(path, {"file": SimpleUploadedFile("awards.csv", "措施,企业名称,兑现金额（元）,兑现日期\n"
                                                              "专利授权资助,测试企业有限公司,1000,2026-11-01".encode())})
    if body == "OFFERS_UPLOAD":
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(path, {"file": SimpleUploadedFile("offers.csv", "申请号,方式\n1,租赁".encode())})
    if body == "EVIDENCE_VERIFY":
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(path, {"bundle": SimpleUploadedFile("b.ipcity-evidence", b"not a bundle")})
    if body == "POPULATION_UPLOAD":
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(path, {"kind": "population", "file": SimpleUploadedFile("pop.csv", POPULATION_CSV)})
    if api:
        payload = next_version_plan() if body == "NEXT_VERSION" else json.dumps(body)
        return getattr(client, method)(path, payload, content_type="application/json")
    return client.post(path, body)


@pytest.mark.parametrize(("method", "path", "body", "persona", "status"), _cases(PAGES))
def test_each_role_gets_the_right_answer_from_each_page(client_for, people, ids, method, path, body, persona, status):
    own_org = people[persona or "office_admin"].organization_id
    response = _request(client_for(persona), method, _fill(path, ids, own_org), _fill(body, ids, own_org), api=False)
    assert response.status_code == status, response.content[:300]
    if status == 302 and persona is None and method == "get":
        assert response["Location"].startswith("/login/")


@pytest.mark.parametrize(("method", "path", "body", "persona", "status"), _cases(API))
def test_each_role_gets_the_right_answer_from_each_api_endpoint(client_for, people, ids, method, path, body, persona,
                                                                 status):
    own_org = people[persona or "office_admin"].organization_id
    response = _request(client_for(persona), method, _fill(path, ids, own_org), _fill(body, ids, own_org), api=True)
    assert response.status_code == status, response.content[:300]


def _all_routes(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("api/"):
                continue
            yield from _all_routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _route(path: str) -> str:
    return resolve(path.format(own_org=1, other_org=1, unit=1, attachment=1, member="someone", batch=1,
                               patent="202310012345.6", item=1, tech=1, evaluation=1, meeting=1,
                               interview=1, decision=1, task=1, registration=1,
                               notarization=1, offer=1, need=1, offered_patent="x", unpooled_patent="x",
                               navigation=1, portfolio=1, alliance_member=1, financing=1, claim=1,
                               watch=1, inspection=1, listing=1, mediation=1, case=1, assistance=1, market=1,
                               service_item="X", service_application=1, policy=1, policy_application=1, material=1, training=1, agency=1,
                               expert_record=1, certification=1, survey=1, survey_token="x", cluster=1)).route


def test_every_page_route_has_a_row_in_the_table(db):
    assert set(_all_routes()) - {_route(path) for _method, path, _body, _expected in PAGES} == set()


def test_every_method_a_page_accepts_has_a_row_in_the_table(people, ids):
    """Each route is asked GET and an empty POST as the office (each in a savepoint that is rolled back): any answer
    but 405 means the route accepts that method, and then the table must say what every role gets from it. Pages
    that only show answer POST with 405 (`require_safe`), forms that only take POST answer GET with 405."""
    from django.test import Client

    example = {}
    for _method, path, _body, _expected in PAGES:
        example.setdefault(_route(path), path)
    covered = {(_route(path), method) for method, path, _body, _expected in PAGES}
    accepted = set()
    own_org = people["office_admin"].organization_id
    for route, path in example.items():
        for method in ("get", "post"):
            client = Client(raise_request_exception=False)
            client.force_login(people["office_admin"])
            with transaction.atomic():
                response = getattr(client, method)(_fill(path, ids, own_org))
                transaction.set_rollback(True)
            if response.status_code != 405:
                accepted.add((route, method))
    assert not accepted - covered, "no row for: " + ", ".join(f"{m.upper()} {r}" for r, m in sorted(accepted - covered))
    assert not covered - accepted, "a row for a method the route refuses with 405: " + ", ".join(
        f"{m.upper()} {r}" for r, m in sorted(covered - accepted))


def test_every_api_operation_has_a_row_in_the_table(client):
    spec = client.get("/api/v1/openapi.json").json()
    operations = {(method, path) for path, item in spec["paths"].items() for method in item}
    covered = set()
    for method, path, _body, _expected in API:
        template = path
        for concrete, name in (("valid_patents", "{code}"), ("navigation_projects_industry_planning", "{code}"),
                               ("/3", "/{number}"), ("/1/", "/{number}/"), ("{other_org}", "{org_id}"),
                               ("{member}", "{username}"), ("{own_org}", "{org_id}"), ("?year=2026", ""),
                               ("ratings/science_technology", "ratings/{unit_code}"), ("schemes/2026", "schemes/{year}"),
                               ("{batch}", "{batch_id}"), ("/registries/patents", "/registries/{kind}"),
                               ("/registries/gis", "/registries/{kind}"),
                               ("high_value_pledge_threshold", "{key}"), ("{item}", "{item_id}"),
                               ("{extension}", "{extension_id}"), ("{line}", "{line_id}"),
                               ("{evaluation}", "{report_id}"), ("?format=docx", ""), ("{meeting}", "{meeting_id}"),
                               ("decisions/1/", "decisions/{number}/"), ("{interview}", "{interview_id}"),
                               ("{reported_interview}", "{interview_id}"), ("{registration}", "{registration_id}"),
                               ("{notarization}", "{notarization_id}"), ("{offer}", "{offer_id}"),
                               ("{need}", "{need_id}"), ("{interest}", "{interest_id}"),
                               ("{navigation}", "{project_id}"), ("{portfolio}", "{portfolio_id}"),
                               ("milestones/0", "milestones/{index}"),
                               ("{alliance_member}", "{member_id}"), ("{financing}", "{application_id}"),
                               ("{claim}", "{claim_id}"), ("{watch}", "{entry_id}"),
                               ("{inspection}", "{plan_id}"), ("risk/{org_id}", "risk/{organization_id}"),
                               ("{listing}", "{listing_id}"), ("?format=csv", ""), ("{mediation}", "{case_id}"),
                               ("{case}", "{case_id}"), ("{assistance}", "{request_id}"),
                               ("{market}", "{market_id}"), ("{service_item}", "{code}"),
                               ("{service_application}", "{application_id}"),
                               ("{training_registration}", "{registration_id}"), ("{tcm_project}", "{project_id}"),
                               ("{training}", "{training_id}"),
                               ("{agency}", "{agency_id}"), ("{custody}", "{contract_id}"),
                               ("{expert_record}", "{expert_id}"), ("open-data/agencies", "open-data/{code}"),
                               ("{certification}", "{certification_id}"), ("{guidance}", "{guidance_id}"),
                               ("{policy_application}", "{application_id}"), ("{policy}", "{policy_id}"),
                               ("{event}", "{event_id}"), ("{survey}", "{survey_id}"), ("{cluster}", "{cluster_id}"), ("{nomination}", "{unit_id}"), ("{expert_assignment}", "{assignment_id}"),
                               ("records/meeting/{meeting_id}", "records/{kind}/{subject_id}"),
                               ("files/{attachment}", "files/{attachment_id}"),
                               ("/registries/{kind}/{patent}/events", "/registries/patents/{number}/events")):
            template = template.replace(concrete, name)
        covered.add((method, template))
    assert {op for op in operations} - covered == set()
