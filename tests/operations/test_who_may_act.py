"""Who may act on an operations record, decided once in the service so the API and the web form agree: a navigation
project is created with the caller's own organization as undertaker (the office may name any) and completed only by
its undertaker or the office; a matchmaking event is organized by the caller's own organization and attended only by
the kinds of organization the form offers."""

import pytest

from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.roles import Role
from ipcity.operations.models import MatchmakingEvent, NavigationProject
from tests.helpers import json_text, post_json

PROJECT = {"kind": "industry_planning", "title": "新能源电池产业专利导航", "industry": "新能源",
           "started_on": "2025-03-01", "scope_ipc": "H01M"}


@pytest.fixture
def other_agency(member_client):
    return member_client("other_agency", "另一知识产权服务中心", OrgType.SERVICE_AGENCY, Role.AGENCY_USER)


def _completed_planning_projects(client) -> int | None:
    response = client.get("/api/v1/indicators/navigation_projects_industry_planning/records", {"as_of": "2026-11-02"})
    return response.json()["count"] if response.status_code == 200 else None


def _org_id(name: str) -> int:
    return Organization.objects.get(name=name).pk


def _office_project_for(client_for, undertaker_id: int) -> int:
    created = post_json(client_for("office_admin"), "/api/v1/operations/navigation", {**PROJECT, "undertaker": undertaker_id})
    assert created.status_code == 201, created.content
    return created.json()["id"]


def test_an_agency_cannot_complete_a_project_the_office_gave_another_agency(client_for, people, other_agency,
                                                                           covered_registries, frozen_clock):
    office = client_for("office_admin")
    project = _office_project_for(client_for, _org_id("另一知识产权服务中心"))
    api = post_json(client_for("agency_user"), f"/api/v1/operations/navigation/{project}/complete",
                {"completed_on": "2026-10-20"})
    assert api.status_code == 403 and "只有项目的承担单位或知识产权办公室" in json_text(api)
    form = client_for("agency_user").post(f"/operations/navigation/{project}/", {"completed_on": "2026-10-20"})
    assert form.status_code == 403
    assert NavigationProject.objects.get(pk=project).state == "in_progress"
    assert _completed_planning_projects(office) == 0
    done = post_json(other_agency, f"/api/v1/operations/navigation/{project}/complete", {"completed_on": "2026-10-20"})
    assert done.status_code == 200 and done.json()["state"] == "completed"
    assert _completed_planning_projects(office) == 1


def test_an_agency_cannot_name_another_organization_as_undertaker(client_for, people, other_agency, frozen_clock):
    agency = client_for("agency_user")
    api = post_json(agency, "/api/v1/operations/navigation", {**PROJECT, "undertaker": _org_id("另一知识产权服务中心")})
    assert api.status_code == 422 and "承担单位只能是本机构" in json_text(api)
    form = agency.post("/operations/navigation/", {**PROJECT, "undertaker": _org_id("另一知识产权服务中心")})
    assert form.status_code == 200 and 'class="errorlist' in form.content.decode()
    assert "另一知识产权服务中心" not in agency.get("/operations/navigation/").content.decode()  # not offered either
    assert not NavigationProject.objects.exists()
    own = post_json(agency, "/api/v1/operations/navigation", PROJECT)  # the undertaker defaults to the caller's own
    assert own.status_code == 201 and own.json()["undertaker"] == "测试知识产权代理所"


def test_a_micro_navigation_serves_an_enterprise_or_a_university_never_a_government_unit(client_for, people, frozen_clock):
    agency = client_for("agency_user")
    response = post_json(agency, "/api/v1/operations/navigation", {
        **PROJECT, "kind": "enterprise_operation", "undertaker": people["agency_user"].organization_id,
        "client": people["unit_staff"].organization_id})
    assert response.status_code == 422 and "服务对象应为企业或高校院所" in json_text(response)


def test_an_event_is_organized_by_the_callers_organization_and_attended_as_the_form_allows(
        client_for, people, frozen_clock):
    agency = client_for("agency_user")
    event = {"title": "新能源产学研对接会", "held_on": "2026-10-28",
             "attendees": [people["university_user"].organization_id]}
    other = post_json(agency, "/api/v1/operations/events", {**event, "organizer": people["university_user"].organization_id})
    assert other.status_code == 422 and "主办单位只能是本机构" in json_text(other)
    form = agency.post("/operations/events/", {**event, "kind": "industry_university",
                                               "organizer": people["university_user"].organization_id})
    assert form.status_code == 200 and 'class="errorlist' in form.content.decode()
    assert not MatchmakingEvent.objects.exists()
    unit = post_json(agency, "/api/v1/operations/events", {**event, "organizer": people["agency_user"].organization_id,
                                                       "attendees": [people["unit_staff"].organization_id]})
    assert unit.status_code == 422 and "参加机构应为" in json_text(unit) and "区科技局" in json_text(unit)
    unknown = post_json(agency, "/api/v1/operations/events", {**event, "organizer": people["agency_user"].organization_id,
                                                          "attendees": [people["university_user"].organization_id,
                                                                        999999]})
    assert unknown.status_code == 422 and "999999" in json_text(unknown) and not MatchmakingEvent.objects.exists()
    named = post_json(agency, "/api/v1/operations/events", {**event, "organizer": people["agency_user"].organization_id})
    assert named.status_code == 201 and named.json()["organizer"] == "测试知识产权代理所"
    own = post_json(client_for("office_admin"), "/api/v1/operations/events", event)  # the organizer defaults to the caller
    assert own.status_code == 201 and own.json()["organizer"] == "区知识产权工作领导小组办公室"
