"""A page or a list costs a fixed number of database queries, whatever the number of records behind it: a query per
row (N+1) is what made a whole office wait for /plan/units/ and the work-item list. (Every page on the demo within
a budget: tests/test_demo_and_workspaces.py.)"""

import pytest

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType
from ipcity.plan.models import KeyTask, TaskUnit
from ipcity.plan.supervision import work_item_create
from ipcity.services.models import AgencyProfile, AgencyRating, BrandDesignation, ClusterMembership
from tests.helpers import query_count


def _more_of_everything(plan, people, batch: int):
    """Three more units, each named in every key task with a work item carrying the task's indicators, and three
    more listed agencies, each with a brand year, a cluster stay and a rating."""
    office = people["office_admin"]
    today = clock.today()
    for n in range(batch * 3, batch * 3 + 3):
        unit = Organization.objects.create(name=f"新增单位{n}", code=f"added_unit_{n}", org_type=OrgType.GOVERNMENT_UNIT)
        plan.members.add(unit)
        for task in KeyTask.objects.filter(plan=plan):
            TaskUnit.objects.create(task=task, unit=unit, position=10 + n)
            item = work_item_create(actor=office, task=task, unit=unit, year=2026, title=f"事项{n}",
                                    deadline=plan.period_end)
            item.indicators.set(task.indicators.all())
        agency = Organization.objects.create(name=f"新增代理机构{n}", org_type=OrgType.SERVICE_AGENCY)
        AgencyProfile.objects.create(organization=agency, services=["patent_agency"], updated_at=clock.now())
        BrandDesignation.objects.create(agency=agency, year=2025, designated_on=today, reason="认定", designated_by=office)
        ClusterMembership.objects.create(agency=agency, place="聚集区", joined_on=today, recorded_by=office)
        AgencyRating.objects.create(agency=agency, enterprise=people["enterprise_user"].organization, rating=5,
                                    rated_at=clock.now())


@pytest.mark.parametrize(("persona", "path"), [
    ("office_admin", "/plan/units/"), ("office_admin", "/api/v1/supervision/items"), ("unit_staff", "/workspace/"),
    ("office_admin", "/services/agencies/"), ("office_admin", "/api/v1/services/agencies"),
    ("office_admin", "/services/open-data/")])
def test_a_list_costs_the_same_queries_with_more_units_tasks_items_and_agencies(client_for, plan, people, persona, path):
    client = client_for(persona)
    _more_of_everything(plan, people, batch=0)  # one of each already, so each list's prefetches run from the start
    client.get(path)
    before = query_count(client, path)
    _more_of_everything(plan, people, batch=1)
    client.get(path)
    assert query_count(client, path) == before
