"""The pages of operations, the plan and supervision, organizations and the workspace that list what the platform
keeps accumulating (offers, needs, interests, deals' paperwork, meetings, work items and their reports,
organizations and their members…) show a page at a time, with a pager that keeps the page's filters: without it a
page read and rendered every row ever made, and a list cut at fifty rows (an indicator's reported values, the
operations center's offers and needs) hid the older ones for good. A page of several lists pages each of them on
its own (?list=<name>&page=). A page costs the same queries however many rows there are."""

import datetime as dt
import functools
import html
import itertools
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import parse_qs, urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType, User
from ipcity.accounts.roles import Role
from ipcity.accounts.services import api_token_create
from ipcity.operations.models import (
    AllianceMember,
    Deal,
    FinancingApplication,
    HighValuePortfolio,
    IndustryEducationAgreement,
    InsuranceClaim,
    Interest,
    MatchmakingEvent,
    NavigationProject,
    OperationCenterRecognition,
    PatentCluster,
    PatentProduct,
    TechNeed,
    TechOffer,
    WatchListEntry,
)
from ipcity.plan.models import (
    AssessmentScope,
    BudgetLine,
    EvaluationReport,
    Indicator,
    IndicatorConfirmation,
    IndicatorValue,
    Interview,
    KeyTask,
    LeadingGroupMeeting,
    ProgressReport,
    SatisfactionSurvey,
    WorkItem,
    WorkItemEvent,
)
from ipcity.stats.models import GeographicalIndication, Patent, SecuritizationProduct, Trademark

_serial = itertools.count(1)


def _label() -> str:
    """A text only the row it names shows on its page."""
    return f"分页行{next(_serial):05d}"


class World:
    """The people, and the records listed rows hang from, each made when first asked for (a list that would show it
    shows exactly the rows its test makes): an offer (for interests), a cluster, a work item, an indicator, an
    organization without members."""

    def __init__(self, people, plan):
        self.people, self.plan = people, plan
        self.office, self.unit = people["office_admin"], people["unit_staff"].organization

    @functools.cached_property
    def offer(self) -> TechOffer:
        university, now = self.people["university_user"], clock.now()
        return TechOffer.objects.create(organization=university.organization, patent=_patent("被表达意向的专利"),
                                        mode="ordinary", price_terms="面议", field="新能源", maturity="中试",
                                        updated_at=now, created_at=now, created_by=university)

    @functools.cached_property
    def cluster(self) -> PatentCluster:
        return PatentCluster.objects.create(name="新能源汽车产业链专利集群", industry="新能源汽车",
                                            established_on=dt.date(2025, 3, 1), updated_at=clock.now(),
                                            created_at=clock.now(), created_by=self.office)

    @functools.cached_property
    def item(self) -> WorkItem:
        return WorkItem.objects.create(task=KeyTask.objects.get(plan=self.plan, number=2), unit=self.unit, year=2026,
                                       title="培育产业规划类专利导航项目",
                                       deadline=clock.today() + dt.timedelta(days=300), updated_at=clock.now(),
                                       created_at=clock.now())

    @functools.cached_property
    def indicator(self) -> Indicator:
        return Indicator.objects.filter(plan=self.plan).order_by("pk").first()

    @functools.cached_property
    def organization(self) -> Organization:
        return Organization.objects.create(name="人员众多的企业", org_type=OrgType.ENTERPRISE)


@pytest.fixture
def world(people, plan):
    return World(people, plan)


def _patent(title: str) -> Patent:
    return Patent.objects.create(application_number=f"2021{next(_serial):07d}.1", patent_type="invention",
                                 filing_date=dt.date(2021, 3, 1), title=title, patentee="测试大学")


def _org(people, persona: str) -> Organization:
    return people[persona].organization


# ---- one maker per kind of row: makes n rows, answers the text that names each on its page ----

def _offers(state):
    def make(w, n):
        labels = [_label() for _ in range(n)]
        for label in labels:
            TechOffer.objects.create(organization=_org(w.people, "university_user"), patent=_patent(label),
                                     mode="ordinary", price_terms="面议", field="新能源", maturity="中试", state=state,
                                     updated_at=clock.now(), created_at=clock.now(),
                                     created_by=w.people["university_user"])
        return labels
    return make


def _needs(state):
    def make(w, n):
        labels = [_label() for _ in range(n)]
        for label in labels:
            TechNeed.objects.create(organization=_org(w.people, "enterprise_user"), title=label, problem="电池寿命预测",
                                    field="新能源", deadline=clock.today() + dt.timedelta(days=365), state=state,
                                    updated_at=clock.now(), created_at=clock.now(),
                                    created_by=w.people["enterprise_user"])
        return labels
    return make


def _interests(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:
        Interest.objects.create(offer=w.offer, organization=_org(w.people, "enterprise_user"), message=label,
                                updated_at=clock.now(), created_at=clock.now(), created_by=w.people["enterprise_user"])
    return labels


def _centers(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:
        OperationCenterRecognition.objects.create(name=label, authority="天津市知识产权局", recognized_on=dt.date(2025, 5, 1),
                                                  recorded_by=w.office, recorded_at=clock.now())
    return labels


def _events(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:
        MatchmakingEvent.objects.create(title=label, held_on=dt.date(2025, 6, 1), organizer=w.office.organization,
                                        created_at=clock.now(), created_by=w.office)
    return labels


def _alliance(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:
        AllianceMember.objects.create(organization=Organization.objects.create(name=label, org_type=OrgType.ENTERPRISE),
                                      joined_on=dt.date(2025, 1, 1))
    return labels


def _products(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:
        PatentProduct.objects.create(organization=_org(w.people, "enterprise_user"), name=label,
                                     recorded_on=dt.date(2025, 7, 1), created_at=clock.now(),
                                     created_by=w.people["enterprise_user"])
    return labels


def _navigation(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:
        NavigationProject.objects.create(kind="industry_planning", title=label, undertaker=_org(w.people, "agency_user"),
                                         industry="新能源", started_on=dt.date(2025, 4, 1), created_at=clock.now(),
                                         created_by=w.office)
    return labels


def _portfolios(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:
        HighValuePortfolio.objects.create(name=label, organization=_org(w.people, "university_user"), industry="新能源",
                                          updated_at=clock.now(), created_at=clock.now(),
                                          created_by=w.people["university_user"])
    return labels


def _clusters(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:
        PatentCluster.objects.create(name=label, industry="人工智能", established_on=dt.date(2025, 2, 1),
                                     updated_at=clock.now(), created_at=clock.now(), created_by=w.office)
    return labels


def _agreements(in_cluster: bool):
    def make(w, n):
        labels = [_label() for _ in range(n)]
        for label in labels:
            IndustryEducationAgreement.objects.create(
                university=_org(w.people, "university_user"), enterprise=_org(w.people, "enterprise_user"),
                cluster=w.cluster if in_cluster else None, subject=label, signed_on=dt.date(2025, 8, 1),
                created_at=clock.now(), created_by=w.office)
        return labels
    return make


def _applications(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:
        FinancingApplication.objects.create(organization=_org(w.people, "enterprise_user"),
                                            bank=_org(w.people, "finance_user"), amount_requested=Decimal(100),
                                            purpose=label, updated_at=clock.now(), created_at=clock.now(),
                                            created_by=w.people["enterprise_user"])
    return labels


def _claims(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:
        InsuranceClaim.objects.create(policy_number=label, organization=_org(w.people, "enterprise_user"),
                                      insurer=_org(w.people, "finance_user"), amount_claimed=Decimal(1000),
                                      reason="侵权损失", updated_at=clock.now(), created_at=clock.now(),
                                      created_by=w.people["enterprise_user"])
    return labels


def _securitizations(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:
        SecuritizationProduct.objects.create(name=label, issued_on=dt.date(2025, 9, 1))
    return labels


def _brand_holders(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:
        Trademark.objects.create(registration_number=f"TM{next(_serial)}", name="商标", holder=label, well_known=True)
    return labels


def _geographical_indications(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:
        GeographicalIndication.objects.create(name=label, kind="product", registered_on=dt.date(2020, 1, 1))
    return labels


def _watch_list(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:
        WatchListEntry.objects.create(organization=_org(w.people, "enterprise_user"), reason=label,
                                      added_on=dt.date(2025, 1, 1), added_by=w.office)
    return labels


def _indicator_values(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:
        IndicatorValue.objects.create(indicator=w.indicator, as_of=dt.date(2025, 6, 30), value=Decimal(1), source=label,
                                      reported_at=clock.now())
    return labels


def _confirmations(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:  # a year before the pilot: its reason shows in the confirmations only
        IndicatorConfirmation.objects.create(indicator=w.indicator, year=2020, value=Decimal(1), basis="other",
                                             reason=label, confirmed_by=w.office, confirmed_at=clock.now())
    return labels


def _work_items(state):
    def make(w, n):
        labels = [_label() for _ in range(n)]
        task = KeyTask.objects.get(plan=w.plan, number=1)
        for label in labels:
            WorkItem.objects.create(task=task, unit=w.unit, year=2026, title=label, state=state,
                                    deadline=clock.today() + dt.timedelta(days=300), updated_at=clock.now(),
                                    created_at=clock.now())
        return labels
    return make


def _progress_reports(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:
        ProgressReport.objects.create(work_item=w.item, period="2026Q1", text=label,
                                      submitted_by=w.people["unit_staff"], submitted_at=clock.now())
    return labels


def _item_history(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:
        WorkItemEvent.objects.create(work_item=w.item, action="assign", from_state="draft", to_state="assigned",
                                     reason=label, actor=w.office, at=clock.now())
    return labels


def _surveys(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:  # drafts: the results by year show only the surveys that were opened
        SatisfactionSurvey.objects.create(year=2026, title=label, token=secrets.token_hex(16),
                                          phone_salt=secrets.token_hex(16), created_at=clock.now(), created_by=w.office)
    return labels


def _meetings(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:
        LeadingGroupMeeting.objects.create(plan=w.plan, title=label, held_on=dt.date(2025, 3, 1), chaired_by="办公室主任",
                                           summary="会议纪要", recorded_by=w.office, recorded_at=clock.now())
    return labels


def _interviews(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:
        Interview.objects.create(unit=w.unit, year=2025, held_on=dt.date(2026, 2, 1), interviewer="办公室主任",
                                 interviewees="分管负责人", reason=label, content="约谈内容", requirements="整改要求",
                                 rectification_deadline=dt.date(2026, 5, 1), recorded_by=w.office,
                                 recorded_at=clock.now())
    return labels


def _evaluations(w, n):
    made = []
    for _ in range(n):  # an annual report's title names its year: a year of its own for each
        report = EvaluationReport.objects.create(plan=w.plan, kind="annual", year=2000 + next(_serial) % 100,
                                                 as_of=dt.date(2026, 12, 31), created_at=clock.now(),
                                                 created_by=w.office)
        made.append(report.title)
    return made


def _budget_lines(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:
        BudgetLine.objects.create(year=2026, use="publicity_training", name=label, amount=Decimal(10000),
                                  managing_unit=w.unit, created_at=clock.now())
    BudgetLine.objects.create(year=2025, use="publicity_training", name=_label(), amount=Decimal(1),
                              managing_unit=w.unit, created_at=clock.now())  # another year's: not on the page
    return labels


def _scope_changes(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:  # who set it is the row's own text
        setter = User.objects.create(username=f"scope{next(_serial)}", organization=w.office.organization,
                                     role=Role.OFFICE_ADMIN, full_name=label)
        AssessmentScope.objects.create(set_by=setter, set_at=clock.now())
    return labels


def _notaries(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:
        Organization.objects.create(name=label, org_type=OrgType.NOTARY)
    return labels


def _notaries_already(w):
    return list(Organization.objects.filter(org_type=OrgType.NOTARY).values_list("name", flat=True))


def _members(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:
        User.objects.create(username=f"member{next(_serial)}", organization=w.organization, role=Role.ENTERPRISE_USER,
                            full_name=label)
    return labels


def _tokens(w, n):
    labels = [_label() for _ in range(n)]
    for label in labels:
        api_token_create(user=w.people["enterprise_user"], name=label)
    return labels


@dataclass(frozen=True)
class Case:
    path: str  # may name {cluster}, {item}, {indicator}, {organization}
    reader: str | None  # a persona of tests/conftest.py, None for a visitor
    make: Callable
    list: str = ""  # the list's name on a page of several lists (?list=); "" for the page's first or only list
    query: dict = field(default_factory=dict)  # a filter the page keeps in its pager's links
    already: Callable | None = None  # the rows the page lists before any is made

    def url(self, w, **extra) -> str:
        names = {"cluster": lambda: w.cluster.pk, "item": lambda: w.item.pk, "indicator": lambda: w.indicator.code,
                 "organization": lambda: w.organization.pk}
        path = self.path.format(**{name: value() for name, value in names.items() if f"{{{name}}}" in self.path})
        query = {**self.query, **({"list": self.list} if self.list else {}), **extra}
        return f"{path}?{urlencode(query)}" if query else path


LISTS = {
    "tech offers of the operations center": Case("/operations/", None, _offers("published")),
    "technology needs of the operations center": Case("/operations/", None, _needs("published"), list="needs"),
    "needs waiting for the office's review": Case("/operations/", "office_admin", _needs("pending"), list="pending"),
    "an enterprise's own needs": Case("/operations/", "enterprise_user", _needs("rejected"), list="my_needs"),
    "a university's own offers": Case("/operations/", "university_user", _offers("withdrawn"), list="mine"),
    "interests and deals": Case("/operations/interests/", "enterprise_user", _interests),
    "recognized operation centers": Case("/operations/centers/", None, _centers),
    "matchmaking events": Case("/operations/events/", None, _events),
    "alliance members": Case("/operations/alliance/", None, _alliance),
    "patent products": Case("/operations/products/", None, _products),
    "navigation projects": Case("/operations/navigation/", None, _navigation),
    "high-value portfolios": Case("/operations/portfolios/", "university_user", _portfolios),
    "patent clusters": Case("/operations/clusters/", None, _clusters),
    "industry-education agreements": Case("/operations/clusters/", None, _agreements(False), list="agreements"),
    "a cluster's agreements": Case("/operations/clusters/{cluster}/", None, _agreements(True)),
    "pledge financing applications": Case("/operations/finance/", "enterprise_user", _applications),
    "insurance claims": Case("/operations/finance/", "enterprise_user", _claims, list="claims"),
    "securitization products": Case("/operations/finance/", "enterprise_user", _securitizations,
                                    list="securitizations"),
    "holders of well-known marks": Case("/operations/brands/", None, _brand_holders),
    "geographical indications": Case("/operations/brands/", None, _geographical_indications, list="gis"),
    "the key-enterprise watch list": Case("/operations/brands/", "office_admin", _watch_list, list="watch"),
    "an indicator's reported values": Case("/plan/indicators/{indicator}/", None, _indicator_values),
    "an indicator's confirmations": Case("/plan/indicators/{indicator}/", None, _confirmations,
                                         list="confirmations"),
    "a key task's work items": Case("/plan/tasks/1/", "office_admin", _work_items("draft")),
    "satisfaction questionnaires": Case("/plan/satisfaction/", "office_admin", _surveys),
    "work items under supervision": Case("/supervision/", "office_admin", _work_items("draft")),
    "a work item's progress reports": Case("/supervision/items/{item}/", "office_admin", _progress_reports),
    "a work item's history": Case("/supervision/items/{item}/", "office_admin", _item_history, list="history"),
    "leading group meetings": Case("/supervision/meetings/", "office_admin", _meetings),
    "interviews": Case("/supervision/interviews/", "office_admin", _interviews),
    "evaluation reports": Case("/supervision/evaluations/", "office_admin", _evaluations),
    "a year's budget lines": Case("/supervision/fund/", "unit_staff", _budget_lines, query={"year": "2026"}),
    "changes of who is ranked": Case("/supervision/assessment/", "office_admin", _scope_changes,
                                     query={"year": "2025"}),
    "organizations of one type": Case("/orgs/", "office_admin", _notaries, query={"type": OrgType.NOTARY},
                                      already=_notaries_already),
    "an organization's members": Case("/orgs/{organization}/", "office_admin", _members),
    "one's API tokens": Case("/account/", "enterprise_user", _tokens),
    "a unit's open work items": Case("/workspace/", "unit_staff", _work_items("assigned")),
}


def _page(client, url: str) -> str:
    reply = client.get(url)
    assert reply.status_code == 200, f"{url} answered {reply.status_code}: {reply.content.decode()[:500]}"
    return reply.content.decode()


def _next_links(page: str) -> list[dict]:
    """The query of each pager's 下一页 link on the page."""
    return [{k: v[0] for k, v in parse_qs(html.unescape(query)).items()}
            for query in re.findall(r'<a href="\?([^"]*)" rel="next">下一页</a>', page)]


@pytest.mark.parametrize("case", LISTS.values(), ids=LISTS.keys())
def test_a_long_list_shows_a_page_at_a_time_and_its_next_page_the_rest(client_for, world, two_per_page, case):
    already = case.already(world) if case.already else []
    shown = already + case.make(world, 3 - len(already))
    client = client_for(case.reader)
    first = _page(client, case.url(world))
    on_first = [row for row in shown if row in first]
    assert len(on_first) == 2, (f"{case.url(world)} showed {len(on_first)} of its 3 rows on the first page, not 2: "
                                "the list is not cut into pages")
    wanted = {**case.query, **({"list": case.list} if case.list else {}), "page": "2"}
    assert wanted in _next_links(first), (
        f"no 下一页 link to the rest of the list (keeping its filter): {wanted} is not among {_next_links(first)}, "
        "so the older rows cannot be reached or the filter is lost")
    second = _page(client, case.url(world, page=2))
    assert [row for row in shown if row in second] == [row for row in shown if row not in on_first], (
        "the second page did not show (only) the row the first page left out: a row is lost or shown twice")


@pytest.mark.parametrize("case", LISTS.values(), ids=LISTS.keys())
def test_a_page_of_a_long_list_costs_the_same_queries_with_twice_the_rows(client_for, world, two_per_page, case):
    client = client_for(case.reader)
    url = case.url(world)
    counts = []
    for _ in range(2):
        case.make(world, 3)
        _page(client, url)  # sessions, caches recomputed after a change: not what a visit costs
        with CaptureQueriesContext(connection) as queries:
            _page(client, url)
        counts.append(len(queries))
    assert counts[0] == counts[1], (f"{url}: its first page took {counts[0]} queries with 3 rows and {counts[1]} "
                                    "with 6: the page slows down as the list grows")


def test_a_page_of_several_lists_pages_one_and_shows_the_others_from_their_start(client_for, world, two_per_page):
    offers, needs = _offers("published")(world, 3), _needs("published")(world, 3)
    page = _page(client_for(None), "/operations/?list=needs&page=2")
    assert sum(label in page for label in needs) == 1, "the needs should be on their second page"
    assert sum(label in page for label in offers) == 2, "the offers should stay on their first page"
    assert {"page": "2"} in _next_links(page), "the offers' pager should still lead to their second page"


def test_the_alliance_page_counts_what_each_member_did_through_the_center(client_for, world):
    people, now = world.people, clock.now()
    university, enterprise = _org(people, "university_user"), _org(people, "enterprise_user")
    members = {org.pk: AllianceMember.objects.create(organization=org, joined_on=dt.date(2025, 1, 1))
               for org in (university, enterprise)}
    event = MatchmakingEvent.objects.create(title="产学研对接会", held_on=dt.date(2025, 6, 1), organizer=university,
                                            created_at=now, created_by=people["university_user"])
    event.attendees.set([university, enterprise])
    _offers("published")(world, 1)  # the university's second offer (world.offer is its first)
    _needs("published")(world, 2)
    interest = Interest.objects.create(offer=world.offer, organization=enterprise, updated_at=now, created_at=now,
                                       created_by=people["enterprise_user"])
    Deal.objects.create(interest=interest, offer=world.offer, counterparty=enterprise, kind="ordinary",
                        amount=Decimal(50000), contract_date=dt.date(2025, 7, 1), recordal_date=dt.date(2025, 7, 20),
                        recorded_by=people["university_user"], recorded_at=now)
    page = _page(client_for(None), "/operations/alliance/")
    counts = {pk: [int(n) for n in re.findall(r'<td class="num">(\d+)</td>',
                                              page.split(f'data-member="{m.pk}"')[1].split("</tr>")[0])]
              for pk, m in members.items()}
    # events attended, offers, needs, interests, deals (as seller or buyer)
    assert counts[university.pk] == [1, 2, 0, 0, 1], "the university's activity is miscounted"
    assert counts[enterprise.pk] == [1, 0, 2, 1, 1], "the enterprise's activity is miscounted"
