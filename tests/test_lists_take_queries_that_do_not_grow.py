"""Lists whose work grew with their rows. The office's watch list worked out each enterprise's IP profile on its own
(about six queries an enterprise, and the API did it for every enterprise on the list before cutting its page); the
public dishonesty list and the public expert profiles were built whole in Python before a page of them was cut; the
trainings, counted per session, came in no stated order wherever a caller did not order them again. Now a page of
the watch list costs the same queries however many enterprises it shows, the public lists read only their page from
the database, and the trainings come newest first everywhere."""

import csv
import datetime as dt
import io
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType
from ipcity.operations.models import WatchListEntry
from ipcity.protection.models import AgencyConductRecord, DishonestyListing
from ipcity.services.models import Expert, Training
from ipcity.stats.models import LegalEvent, Patent, Trademark
from tests.helpers import query_count

pytestmark = pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning")

_serial = itertools.count(1)


def _reads_without_a_page(client, path: str, table: str) -> list[str]:
    """The statements one GET of the path runs that read rows of the table without cutting them to a page (a
    count of them is fine)."""
    with CaptureQueriesContext(connection) as queries:
        reply = client.get(path)
    assert reply.status_code == 200, reply.content[:300]
    return [q["sql"] for q in queries if f'"{table}"' in q["sql"] and "LIMIT" not in q["sql"].upper()
            and "COUNT(" not in q["sql"].upper()]


# ---------------------------------------------------------------- the watch list

def _enterprise(name: str = "") -> Organization:
    return Organization.objects.create(name=name or f"关注企业{next(_serial):04d}", org_type=OrgType.ENTERPRISE)


def _patent(patentee: str, *, granted: bool = True) -> Patent:
    n = next(_serial)
    return Patent.objects.create(application_number=f"20241{n:07d}.1", patent_type="invention",
                                 filing_date=dt.date(2024, 1, 1), grant_date=dt.date(2025, 6, 1) if granted else None,
                                 title=f"专利{n}", patentee=patentee)


def _mark(holder: str, valid_until: dt.date = dt.date(2030, 1, 1), **flags) -> Trademark:
    return Trademark.objects.create(registration_number=f"WL{next(_serial)}", holder=holder,
                                    registration_date=dt.date(2020, 1, 1), valid_until=valid_until, **flags)


def _watch(office, enterprise: Organization) -> WatchListEntry:
    return WatchListEntry.objects.create(organization=enterprise, reason="重点培育", added_on=dt.date(2026, 1, 10),
                                         added_by=office)


def _watched_with_a_portfolio(office, how_many: int) -> list[str]:
    """Enterprises on the watch list, each holding a granted invention and a well-known mark."""
    names = []
    for _ in range(how_many):
        enterprise = _enterprise()
        _patent(enterprise.name)
        _mark(enterprise.name, well_known=True)
        _watch(office, enterprise)
        names.append(enterprise.name)
    return names


def test_a_page_of_the_watch_list_takes_the_same_queries_with_twice_the_enterprises(client_for, people,
                                                                                     frozen_clock):
    office, path = client_for("office_admin"), "/operations/brands/?list=watch"
    counts = []
    for _ in range(2):
        names = _watched_with_a_portfolio(people["office_admin"], 3)
        office.get(path)  # what a first visit after a change loads once is not what a page costs
        counts.append(query_count(office, path))
        page = office.get(path).content.decode()
        assert all(name in page for name in names), "a watched enterprise is missing from the page"
    assert counts[0] == counts[1], (f"the watch list took {counts[0]} queries with 3 enterprises and {counts[1]} with "
                                    "6: each enterprise's profile is still worked out on its own")


def test_the_watch_list_api_answers_a_page_in_the_same_queries_however_many_enterprises_are_behind_it(
        client_for, people, frozen_clock):
    office, path = client_for("office_admin"), "/api/v1/operations/watch-list?limit=2"
    counts = []
    for total in (3, 6):
        _watched_with_a_portfolio(people["office_admin"], 3)
        reply = office.get(path)
        assert reply["X-Total-Count"] == str(total) and len(reply.json()) == 2, "the answer is not one page"
        assert all(row["profile"] == {"patents": 1, "granted_inventions": 1, "valid_marks": 1, "well_known": 1,
                                      "time_honored": 0, "madrid": 0} for row in reply.json())
        counts.append(query_count(office, path))
    assert counts[0] == counts[1], (f"a page of two took {counts[0]} queries with 3 enterprises listed and {counts[1]} "
                                    "with 6: the profiles of the whole list are worked out, not the page's")


def test_profiles_worked_out_together_keep_each_enterprise_to_its_own_patents_and_marks(client_for, people,
                                                                                       frozen_clock):
    seller, buyer, bystander = _enterprise("卖方科技有限公司"), _enterprise("买方科技有限公司"), _enterprise("旁观有限公司")
    sold = _patent(seller.name)
    LegalEvent.objects.create(patent=sold, event_type="transfer", date=dt.date(2026, 3, 1), counterparty=buyer.name)
    _patent(seller.name, granted=False)
    _patent(f"{seller.name}；{buyer.name}")  # co-owned
    _mark(buyer.name, time_honored=True, madrid_filing_date=dt.date(2024, 5, 1))
    _mark(buyer.name, valid_until=dt.date(2022, 1, 1))  # lapsed
    for enterprise in (seller, buyer, bystander):
        _watch(people["office_admin"], enterprise)
    profiles = {row["organization"]: row["profile"]
                for row in client_for("office_admin").get("/api/v1/operations/watch-list").json()}
    assert profiles == {
        seller.name: {"patents": 2, "granted_inventions": 1, "valid_marks": 0, "well_known": 0, "time_honored": 0,
                      "madrid": 0},
        buyer.name: {"patents": 2, "granted_inventions": 2, "valid_marks": 1, "well_known": 0, "time_honored": 1,
                     "madrid": 1},
        bystander.name: {"patents": 0, "granted_inventions": 0, "valid_marks": 0, "well_known": 0, "time_honored": 0,
                         "madrid": 0}}


# ---------------------------------------------------------------- the public dishonesty list

def _listed(people, name: str, listed_on: dt.date, state: str = DishonestyListing.State.LISTED,
            ends_in_days: int = 300) -> None:
    DishonestyListing.objects.create(
        organization=Organization.objects.create(name=name, org_type=OrgType.ENTERPRISE, credit_code=f"91{name[-2:]}"),
        grounds=[{"code": "repeat", "label": "重复侵权", "basis": "依据甲", "penalties": ["不公开的处罚文号"]},
                 {"code": "intentional", "label": "故意侵权", "basis": "依据甲", "penalties": ["不公开的处罚文号"]}],
        measures=["限制申报"], listed_on=listed_on, ends_on=clock.today() + dt.timedelta(days=ends_in_days), state=state,
        listed_by=people["office_admin"])


def _agency_dishonest(people, name: str, occurred_on: dt.date, basis: str = "") -> None:
    AgencyConductRecord.objects.create(
        agency=Organization.objects.create(name=name, org_type=OrgType.SERVICE_AGENCY), source="inspection",
        occurred_on=occurred_on, finding="不公开的检查发现", measure="dishonest", basis=basis,
        valid_until=clock.today() + dt.timedelta(days=30), recorded_by=people["office_admin"],
        recorded_at=clock.now())


@pytest.fixture
def dishonesty(people, frozen_clock):
    """Who is on the public list, newest first; on one day a listing comes before an agency. Beside them, what the
    public never sees: a repaired listing, an expired one, an agency's warning."""
    day = clock.today() - dt.timedelta(days=10)
    _listed(people, "失信主体01", day)
    _agency_dishonest(people, "失信代理02", day + dt.timedelta(days=2))
    _listed(people, "失信主体03", day + dt.timedelta(days=2), state=DishonestyListing.State.REPAIR_APPLIED)
    _agency_dishonest(people, "失信代理04", day, basis="依据乙")
    _listed(people, "失信主体05", day + dt.timedelta(days=5))
    _listed(people, "已修复主体", day, state=DishonestyListing.State.REPAIRED)
    _listed(people, "期满主体", day, ends_in_days=0)
    AgencyConductRecord.objects.create(
        agency=Organization.objects.create(name="警示代理", org_type=OrgType.SERVICE_AGENCY), source="inspection",
        occurred_on=day, finding="发现", measure="warning", valid_until=clock.today(),
        recorded_by=people["office_admin"], recorded_at=clock.now())
    return ["失信主体05", "失信主体03", "失信代理02", "失信主体01", "失信代理04"]


def test_the_public_dishonesty_list_reads_only_its_page_from_the_database(client_for, dishonesty, two_per_page):
    public = client_for(None)
    for table in ("protection_dishonestylisting", "protection_agencyconductrecord"):
        assert _reads_without_a_page(public, "/protection/credit/?page=2", table) == [], (
            f"the page read every row of {table} to show two of them")
    shown = []
    for page in (1, 2, 3):
        text = public.get(f"/protection/credit/?page={page}").content.decode()
        assert all(hidden not in text for hidden in ("不公开", "已修复主体", "期满主体", "警示代理"))
        shown += sorted((text.index(name), name) for name in dishonesty if name in text)
    assert [name for _, name in shown] == dishonesty, "the list is not newest first, a listing before an agency"
    found = public.get("/protection/credit/?q=代理").content.decode()
    assert "失信代理02" in found and "失信代理04" in found and "失信主体" not in found


def test_the_public_dishonesty_api_answers_a_page_and_the_export_every_row_in_the_same_order(client_for, dishonesty):
    public = client_for(None)
    assert _reads_without_a_page(public, "/api/v1/protection/credit?limit=2", "protection_dishonestylisting") == [], (
        "the API read every listing to answer two")
    page = public.get("/api/v1/protection/credit?offset=1&limit=2")
    assert page["X-Total-Count"] == "5" and [e["name"] for e in page.json()] == dishonesty[1:3]
    entries = public.get("/api/v1/protection/credit").json()
    assert [e["name"] for e in entries] == dishonesty
    today = clock.today()
    assert entries[1] == {"credit_code": "9103", "name": "失信主体03", "grounds": ["重复侵权", "故意侵权"],
                          "basis": ["依据甲"], "listed_on": (today - dt.timedelta(days=8)).isoformat(),
                          "ends_on": (today + dt.timedelta(days=300)).isoformat(), "state": "repair_applied",
                          "measures": ["限制申报"]}
    assert entries[4] == {"credit_code": "", "name": "失信代理04", "grounds": ["专利、商标代理机构严重违法执业行为"],
                          "basis": ["依据乙"], "listed_on": (today - dt.timedelta(days=10)).isoformat(),
                          "ends_on": (today + dt.timedelta(days=31)).isoformat(), "state": "listed",
                          "measures": entries[2]["measures"]}
    assert entries[2]["basis"] == ["《国家知识产权局知识产权信用管理规定》"] and len(entries[2]["measures"]) > 1
    exported = list(csv.reader(io.StringIO(public.get("/protection/credit/export.csv").content.decode("utf-8-sig"))))
    assert [row[1] for row in exported[1:]] == dishonesty
    as_json = public.get("/api/v1/protection/credit/export?format=json").json()
    assert as_json["entries"] == entries and "不公开" not in str(as_json)


# ---------------------------------------------------------------- the public expert profiles

def _expert(name: str, specialties: list[str], *, consent: bool = True, active: bool = True) -> None:
    Expert.objects.create(name=name, title="研究员", organization_name="某大学", specialties=specialties,
                          fields=["人工智能"], bio="简介", public_consent=consent, active=active, created_at=clock.now())


@pytest.fixture
def experts(people):
    """The public's patent experts; beside them an expert of another specialty, and ones the public never sees (not
    consenting, no longer in the pool)."""
    _expert("专家丙", ["patent"])
    _expert("专家甲", ["law", "patent"])
    _expert("专家乙", ["trademark"])
    _expert("专家丁", ["patent", "valuation"])
    _expert("未同意专家", ["patent"], consent=False)
    _expert("出库专家", ["patent"], active=False)
    return {"专家丙", "专家甲", "专家丁"}


def _expert_names(client, query: str) -> list[str]:
    return [e["name"] for e in client.get(f"/api/v1/services/experts?{query}").json()]


def test_the_public_expert_profiles_are_read_a_page_at_a_time_from_the_database(client_for, experts, two_per_page):
    public = client_for(None)
    for path in ("/services/experts/?specialty=patent&page=2", "/api/v1/services/experts?specialty=patent&limit=2"):
        assert _reads_without_a_page(public, path, "services_expert") == [], f"{path} read every expert"
    in_order = _expert_names(public, "specialty=patent")
    assert set(in_order) == experts
    shown = []
    for page in (1, 2):
        text = public.get(f"/services/experts/?specialty=patent&page={page}").content.decode()
        shown += sorted((text.index(name), name) for name in ("专家甲", "专家乙", "专家丙", "专家丁") if name in text)
        assert "未同意专家" not in text and "出库专家" not in text
    assert [name for _, name in shown] == in_order, "the page and the API list the experts in different orders"
    answer = public.get("/api/v1/services/experts?specialty=patent&offset=1&limit=1")
    assert answer["X-Total-Count"] == "3" and [e["name"] for e in answer.json()] == in_order[1:2]


def test_an_expert_is_found_by_a_whole_specialty_only(client_for, experts):
    public = client_for(None)
    assert _expert_names(public, "specialty=trademark") == ["专家乙"]
    assert _expert_names(public, "specialty=patent&q=专家丁") == ["专家丁"]
    for part_or_unknown in ("pat", "PATENT", '"patent"', "patent,"):
        assert _expert_names(public, f"specialty={part_or_unknown}") == [], part_or_unknown
    everyone = _expert_names(public, "")
    assert set(everyone) == experts | {"专家乙"}
    records = public.get("/api/v1/services/open-data/experts").json()["records"]
    assert [r["姓名"] for r in records] == everyone
    assert {r["姓名"]: r["专业方向"] for r in records}["专家甲"] == "知识产权法律、专利"


# ---------------------------------------------------------------- trainings

def test_trainings_are_listed_newest_first_and_on_one_day_the_later_recorded_first(client_for, people):
    made = []
    for title, day in (("培训一", dt.date(2025, 3, 1)), ("培训二", dt.date(2025, 5, 1)), ("培训三", dt.date(2025, 5, 1)),
                       ("培训四", dt.date(2025, 4, 1))):
        made.append(Training.objects.create(title=title, audience="officers", held_on=day, hours=2, place="会议室",
                                            organizer=people["unit_staff"].organization,
                                            sign_in_token=f"order-{title}", created_at=clock.now(),
                                            created_by=people["office_admin"]).title)
    newest_first = ["培训三", "培训二", "培训四", "培训一"]
    records = client_for(None).get("/services/open-data/trainings.json").json()["records"]
    assert [r["主题"] for r in records] == newest_first, "the open data lists trainings in no stated order"
    assert [t["title"] for t in client_for(None).get("/api/v1/services/trainings").json()] == newest_first
