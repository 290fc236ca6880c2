"""A list that grows with records answers one page at a time: `offset` and `limit` (at most 500), the total in
X-Total-Count. Without it one request for a district's whole registry held a worker for seconds and answered
megabytes; every list of the API is paginated unless it is bounded by what it lists."""

import datetime as dt

import pytest

from ipcity.services.models import PilotSchool

# Lists whose length is fixed by what they are about, not by how many records the platform holds.
BOUNDED = {
    "/api/v1/plan/goals": "the plan's six goal areas",
    "/api/v1/plan/indicators": "the plan's quantified indicators",
    "/api/v1/plan/tasks": "the plan's 18 key tasks",
    "/api/v1/plan/tasks/{number}/modules": "the modules that carry one key task",
    "/api/v1/plan/safeguards": "the plan's four safeguards",
    "/api/v1/plan/holidays": "one row per calendar year",
    "/api/v1/plan/high-tech": "one row per year of the pilot",
    "/api/v1/plan/satisfaction": "one row per year of the pilot",
    "/api/v1/services/policies/figures": "one row per year of the pilot",
    "/api/v1/supervision/assessment": "one row per responsible unit",
    "/api/v1/supervision/items/{item_id}/report-standings": "one row per reporting period of one work item",
    "/api/v1/registries/coverage": "one row per kind of record",
    "/api/v1/services/open-data": "the fixed catalogue of open datasets",
    "/api/v1/services/trainings/audiences": "the fixed list of training audiences",
    "/api/v1/protection/trade-secrets/questions": "the fixed self-assessment questionnaire",
    "/api/v1/operations/offers/{offer_id}/matches": "the matcher's best ten",
    "/api/v1/operations/needs/{need_id}/matches": "the matcher's best ten",
}


def _lists(spec: dict) -> dict[str, set[str]]:
    """Each GET operation answering a JSON array, with the names of its query parameters."""
    found = {}
    for path, item in spec["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        schema = operation["responses"].get("200", {}).get("content", {}).get("application/json", {}).get("schema", {})
        if schema.get("type") == "array":
            found[path] = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    return found


def test_every_list_of_the_api_is_paginated_unless_bounded_by_what_it_lists(client):
    lists = _lists(client.get("/api/v1/openapi.json").json())
    unpaginated = {path for path, query in lists.items() if not {"offset", "limit"} <= query}
    assert unpaginated - set(BOUNDED) == set(), "a list that grows with records answers everything at once"
    assert set(BOUNDED) <= unpaginated, "BOUNDED names a list that is paginated or no longer exists"


@pytest.fixture
def schools(people):
    for n in range(7):
        PilotSchool.objects.create(name=f"试点学校{n}", level="primary", joined_on=dt.date(2025, 9, 1),
                                   recorded_by=people["office_admin"])
    return [row["name"] for row in _get("/api/v1/services/culture/schools").json()]


def _get(path, client=None):
    from django.test import Client

    response = (client or Client()).get(path)
    assert response.status_code == 200, response.content[:300]
    return response


def test_a_page_holds_the_rows_from_offset_and_the_header_counts_them_all(schools):
    assert len(schools) == 7
    page = _get("/api/v1/services/culture/schools?offset=2&limit=3")
    assert [row["name"] for row in page.json()] == schools[2:5]
    assert page["X-Total-Count"] == "7"
    last = _get("/api/v1/services/culture/schools?offset=6&limit=3")
    assert [row["name"] for row in last.json()] == schools[6:]
    past_the_end = _get("/api/v1/services/culture/schools?offset=50")
    assert past_the_end.json() == [] and past_the_end["X-Total-Count"] == "7"


def test_a_limit_beyond_the_cap_answers_at_most_the_cap(schools, monkeypatch):
    monkeypatch.setattr("ipcity.openapi.PAGE_MAX", 4)
    page = _get("/api/v1/services/culture/schools?limit=1000000")
    assert [row["name"] for row in page.json()] == schools[:4] and page["X-Total-Count"] == "7"


@pytest.mark.parametrize("query", ["offset=-1", "limit=-1", "offset=abc", "limit=1e3", "offset=99999999999"])
def test_a_page_asked_for_with_a_bad_offset_or_limit_is_refused_in_chinese(schools, client, query):
    response = client.get(f"/api/v1/services/culture/schools?{query}")
    assert response.status_code == 422
    said = str(response.json()["detail"])
    assert ("offset" in said or "limit" in said) and any("\u4e00" <= ch <= "\u9fff" for ch in said), said


def test_the_total_counts_only_what_the_user_may_see(client_for, people):
    enterprise = _get("/api/v1/organizations", client_for("enterprise_user"))
    assert [row["id"] for row in enterprise.json()] == [people["enterprise_user"].organization_id]
    assert enterprise["X-Total-Count"] == "1"
    office = _get("/api/v1/organizations?limit=1", client_for("office_admin"))
    assert len(office.json()) == 1 and int(office["X-Total-Count"]) > 1


def test_the_agency_directory_pages_its_agencies_and_keeps_the_cluster_count(people, client):
    from ipcity import clock
    from ipcity.accounts.models import Organization, OrgType
    from ipcity.services.models import AgencyProfile

    for n in range(5):
        agency = Organization.objects.create(name=f"分页代理机构{n}", org_type=OrgType.SERVICE_AGENCY)
        AgencyProfile.objects.create(organization=agency, services=["patent_agency"], updated_at=clock.now())
    whole = _get("/api/v1/services/agencies").json()
    page = _get("/api/v1/services/agencies?offset=1&limit=2")
    assert page.json()["agencies"] == whole["agencies"][1:3] and page["X-Total-Count"] == str(len(whole["agencies"]))
    assert page.json()["in_cluster"] == whole["in_cluster"] and len(whole["agencies"]) >= 5


def test_pages_keep_the_lists_own_order_newest_training_first(people):
    from decimal import Decimal

    from ipcity.services.training import training_create

    for day in (dt.date(2026, 1, 5), dt.date(2026, 12, 5), dt.date(2026, 6, 5)):
        training_create(actor=people["office_admin"], title=f"培训{day:%m%d}", audience="officers", held_on=day,
                        hours=Decimal(2), place="会议室")
    pages = [_get(f"/api/v1/services/trainings?offset={n}&limit=1").json() for n in range(3)]
    assert [page[0]["title"] for page in pages] == ["培训1205", "培训0605", "培训0105"]
