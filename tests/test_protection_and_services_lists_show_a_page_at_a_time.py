"""The HTML lists of protection and services that grow with use show one page at a time (web/paging.page_of and
the pager web/_pager.html), as the API's lists do: a list of thousands of cases, contracts or awards was read and
drawn whole on every visit, and a list cut at its first N rows hid the older ones for good. A page's filters stay in
the pager's links; a second list on the same page is paged by ?list=<name>&page= (web/paging.pages_of). A page
costs the same database queries whatever the number of rows behind it."""

import datetime as dt
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import parse_qs

import pytest

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType
from ipcity.protection.models import (
    AgencyConductRecord,
    AssistanceRequest,
    CooperationRecord,
    DishonestyListing,
    EnforcementCase,
    InspectionPlan,
    MediationCase,
    SecretAssessment,
)
from ipcity.services.models import (
    AgencyProfile,
    CertificationGuidance,
    ComplianceCertification,
    CulturalProduct,
    CulturalResource,
    CustodyContract,
    Expert,
    Policy,
    PolicyApplication,
    PolicyAward,
    PolicyMeasure,
    PublicityEvent,
    ServiceApplication,
    ServiceGuide,
    ServiceItem,
    TalentRecord,
    Training,
)
from tests.helpers import query_count

# A page's list must be ordered for its pages not to overlap: Django warns when it is not, and the warning fails here.
pytestmark = pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning")


# ---------------------------------------------------------------- the rows each list shows, made directly
# Each maker adds the rows numbered `numbers` that the page's user sees and answers, per row, a text only that row
# shows in the list.

def _org(people, persona):
    return people[persona].organization


def _day(n: int) -> dt.date:
    """Distinct past days, a later number a later day."""
    return clock.today() - dt.timedelta(days=100 - n)


def _plans(people, numbers):
    office = people["office_admin"]
    return [InspectionPlan.objects.create(code=f"paging-plan-{n}", title=f"分页抽查计划{n}", subject_types=["enterprise"],
                                          quotas={"high": 1}, created_at=clock.now(), created_by=office).title
            for n in numbers]


def _assessments(people, numbers):
    user = people["enterprise_user"]
    for n in numbers:
        SecretAssessment.objects.create(organization=user.organization, answers={}, score=60 + n, grade="中",
                                        assessed_by=user, assessed_at=clock.now() - dt.timedelta(days=100 - n))
    return [f'<td class="num">{60 + n}</td>' for n in numbers]


def _cases(people, numbers):
    officer = people["enforcement_officer"]
    return [EnforcementCase.objects.create(kind="trademark", source="complaint", unit=officer.organization,
                                           party=f"分页当事人{n}", facts="销售假冒商品", received_on=_day(n),
                                           created_by=officer).party for n in numbers]


def _mediations(people, numbers):
    return [MediationCase.objects.create(channel="people", body=_org(people, "mediator"),
                                         applicant=_org(people, "enterprise_user"), respondent=f"分页被申请人{n}",
                                         right_type="patent", claim="请求停止侵权",
                                         applied_by=people["enterprise_user"],
                                         applied_at=clock.now() - dt.timedelta(days=100 - n)).respondent
            for n in numbers]


def _assistance(people, numbers):
    user = people["enterprise_user"]
    return [AssistanceRequest.objects.create(organization=user.organization, topic=f"分页援助事项{n}", description="情况",
                                             submitted_by=user,
                                             submitted_at=clock.now() - dt.timedelta(days=100 - n)).topic
            for n in numbers]


def _cooperation(people, numbers):
    return [CooperationRecord.objects.create(kind="regional", title=f"分页协作{n}", partners="北京市", started_on=_day(n),
                                             recorded_by=people["office_admin"]).title for n in numbers]


def _conduct(people, numbers):
    return [AgencyConductRecord.objects.create(agency=_org(people, "agency_user"), source="inspection",
                                               occurred_on=_day(n), finding=f"分页检查发现{n}", measure="none",
                                               recorded_by=people["office_admin"], recorded_at=clock.now()).finding
            for n in numbers]


def _listings(people, numbers):
    names = []
    for n in numbers:
        subject = Organization.objects.create(name=f"分页失信主体{n}", org_type=OrgType.ENTERPRISE)
        DishonestyListing.objects.create(
            organization=subject, grounds=[{"code": "repeat", "label": "重复侵权", "basis": "依据", "penalties": ["文号"]}],
            measures=["限制"], listed_on=_day(n), ends_on=clock.today() + dt.timedelta(days=300),
            listed_by=people["office_admin"])
        names.append(subject.name)
    return names


def _items(people, numbers):
    names = []
    for n in numbers:
        item = ServiceItem.objects.create(code=f"PAGING-{n}", name=f"分页事项{n}", item_type="public_service",
                                          unit=_org(people, "unit_staff"), created_at=clock.now())
        ServiceGuide.objects.create(item=item, version=1, content={}, published_at=clock.now())
        names.append(item.name)
    return names


def _applications(people, numbers):
    user = people["enterprise_user"]
    item = ServiceItem.objects.get_or_create(code="PAGING-APPLIED", defaults={
        "name": "分页申请事项", "item_type": "public_service", "unit": _org(people, "unit_staff"),
        "created_at": clock.now()})[0]
    guide = ServiceGuide.objects.get_or_create(item=item, version=1, defaults={"content": {},
                                                                               "published_at": clock.now()})[0]
    made = [ServiceApplication.objects.create(item=item, guide=guide, applicant=user.organization, submitted_by=user,
                                              description="申请", submitted_on=_day(n), accept_due=_day(n + 5),
                                              created_at=clock.now() - dt.timedelta(days=100 - n)) for n in numbers]
    return [f'data-application="{application.pk}"' for application in made]


def _agencies(people, numbers):
    names = []
    for n in numbers:
        agency = Organization.objects.create(name=f"分页代理机构{n}", org_type=OrgType.SERVICE_AGENCY)
        AgencyProfile.objects.create(organization=agency, services=["patent_agency"], updated_at=clock.now())
        names.append(agency.name)
    return names


def _contracts(people, numbers):
    return [f'data-contract="{_contract(people, _org(people, "enterprise_user"), n).pk}"' for n in numbers]


def _contract(people, enterprise, n):
    return CustodyContract.objects.create(
        agency=_org(people, "agency_user"), enterprise=enterprise, enterprise_size="small", scope=["patent"],
        starts_on=_day(n), ends_on=_day(n) + dt.timedelta(days=365), state="confirmed",
        recorded_by=people["agency_user"], created_at=clock.now())


def _certificates(people, numbers, enterprise=None):
    return [ComplianceCertification.objects.create(
        enterprise=enterprise or _org(people, "enterprise_user"), certifier="认证中心", certificate_number=f"PAGING-CERT-{n}",
        scope="研发", issued_on=_day(n), valid_until=_day(n) + dt.timedelta(days=1000),
        recorded_by=people["enterprise_user"], created_at=clock.now()).certificate_number for n in numbers]


def _guidance(people, numbers):
    names = []
    for n in numbers:
        agency = Organization.objects.create(name=f"分页辅导机构{n}", org_type=OrgType.SERVICE_AGENCY)
        CertificationGuidance.objects.create(agency=agency, enterprise=_org(people, "enterprise_user"),
                                             started_on=_day(n), created_at=clock.now())
        names.append(agency.name)
    return names


def _events(people, numbers):
    return [PublicityEvent.objects.create(kind="salon", title=f"分页活动{n}", held_on=_day(n), place="会议室",
                                          organizer=_org(people, "unit_staff"), created_at=clock.now(),
                                          created_by=people["office_admin"]).title for n in numbers]


def _talent(people, numbers):
    return [TalentRecord.objects.create(name=f"分页人才{n}", organization_name="某公司", category="ip_engineer",
                                        recorded_on=_day(n), recorded_by=people["office_admin"]).name for n in numbers]


def _resources(people, numbers):
    return [CulturalResource.objects.create(category="folk_art", name=f"分页民间文艺{n}", protection_status="archived",
                                            source="普查", recorded_on=_day(n),
                                            responsible_unit=_org(people, "unit_staff"), created_at=clock.now(),
                                            created_by=people["office_admin"]).name for n in numbers]


def _products(people, numbers):
    return [CulturalProduct.objects.create(kind="product", name=f"分页文创{n}", launched_on=_day(n),
                                           responsible_unit=_org(people, "unit_staff"), created_at=clock.now(),
                                           created_by=people["office_admin"]).name for n in numbers]


def _experts(people, numbers):
    return [Expert.objects.create(name=f"分页专家{n}", title="研究员", organization_name="某大学", specialties=["patent"],
                                  public_consent=True, created_at=clock.now()).name for n in numbers]


def _policy(people, n):
    return Policy.objects.create(level="district", issuer="区政府", document_number=f"南开政〔2025〕{n}号",
                                 title=f"分页政策{n}", summary="摘要", issued_on=_day(n), effective_from=_day(n),
                                 responsible_unit=_org(people, "unit_staff"), updated_at=clock.now(),
                                 created_at=clock.now(), created_by=people["office_admin"])


def _policies(people, numbers):
    return [_policy(people, n).title for n in numbers]


def _measure(people):
    policy = Policy.objects.filter(title="分页兑现政策").first()
    if policy is None:
        policy = _policy(people, 0)
        policy.title = "分页兑现政策"
        policy.save()
    return PolicyMeasure.objects.get_or_create(policy=policy, name="专利资助", defaults={
        "position": 1, "kind": "subsidy", "standard": "每件1000元"})[0]


def _policy_applications(people, numbers):
    measure, user = _measure(people), people["enterprise_user"]
    return [PolicyApplication.objects.create(policy=measure.policy, measure=measure, enterprise=user.organization,
                                             submitted_by=user, description=f"分页兑现申请{n}",
                                             created_at=clock.now() - dt.timedelta(days=100 - n)).description
            for n in numbers]


def _awards(people, numbers):
    measure = _measure(people)
    for n in numbers:
        PolicyAward.objects.create(policy=measure.policy, measure=measure, enterprise=_org(people, "enterprise_user"),
                                   amount=Decimal(1000 + n), granted_on=_day(n), source="import",
                                   recorded_by=people["unit_staff"], created_at=clock.now())
    return [f"{1000 + n}.00 元" for n in numbers]


def _trainings(people, numbers):
    return [Training.objects.create(title=f"分页培训{n}", audience="officers", held_on=_day(n), hours=Decimal(2),
                                    place="会议室", organizer=_org(people, "unit_staff"), sign_in_token=f"paging-{n}",
                                    created_at=clock.now(), created_by=people["office_admin"]).title
            for n in numbers]


# ---------------------------------------------------------------- the lists

@dataclass(frozen=True)
class Listing:
    what: str  # what the list shows, as the user would say it
    persona: str | None  # who looks (None: the public)
    path: str
    starts: str  # where the list starts in the page; its pager is the next one after it
    make: Callable
    query: str = ""  # a filter of the page, kept in the pager's links
    paged_by: str = ""  # a second list on the page: ?list=<name>

    def __str__(self):
        return self.what


POLICY_APPLICATIONS = Listing("an enterprise's policy applications", "enterprise_user",
                              "/services/policies/applications/", 'data-testid="policy-applications"',
                              _policy_applications)
POLICY_AWARDS = Listing("an enterprise's policy awards", "enterprise_user", "/services/policies/applications/",
                        'data-testid="policy-awards-list"', _awards, paged_by="list=awards")

LISTINGS = [
    Listing("inspection plans on the protection home page", "office_admin", "/protection/", "<h2>抽查计划</h2>", _plans),
    Listing("an enterprise's past trade secret self-assessments", "enterprise_user", "/protection/trade-secrets/",
            'data-testid="assessment-history"', _assessments),
    Listing("a bureau's enforcement cases", "enforcement_officer", "/protection/cases/", "<h1>行政执法案件</h1>",
            _cases),
    Listing("a mediation body's cases", "mediator", "/protection/mediations/", "<h2>案件</h2>", _mediations),
    Listing("an enterprise's assistance requests", "enterprise_user", "/protection/assistance/",
            "<h1>维权援助与海外纠纷应对</h1>", _assistance),
    Listing("cooperation records", None, "/protection/markets/", 'data-testid="cooperation-records"', _cooperation),
    Listing("agency conduct records", "office_admin", "/protection/agency-conduct/", 'data-testid="conduct-records"',
            _conduct),
    Listing("the public dishonesty list", None, "/protection/credit/", 'data-testid="public-list"', _listings,
            query="q=分页失信主体"),
    Listing("the office's list of every dishonesty listing", "office_admin", "/protection/credit/", "全部列入记录",
            _listings, query="q=分页失信主体", paged_by="list=listings"),
    Listing("the service catalogue", None, "/services/", 'data-testid="catalogue"', _items, query="q=分页事项"),
    Listing("an enterprise's service applications", "enterprise_user", "/services/applications/", "<h1>办件</h1>",
            _applications),
    Listing("the agency directory", None, "/services/agencies/", 'data-testid="agencies"', _agencies,
            query="q=分页代理机构&service=patent_agency"),
    Listing("an agency's custody contracts", "agency_user", "/services/custody/", 'data-testid="contracts"',
            _contracts),
    Listing("an enterprise's certificates", "enterprise_user", "/services/certifications/",
            'data-testid="certificates"', _certificates),
    Listing("an enterprise's certification guidance", "enterprise_user", "/services/certifications/",
            'data-testid="guidance"', _guidance, paged_by="list=guidance"),
    Listing("past culture events", None, "/services/culture/", 'data-testid="past-events"', _events),
    Listing("talent records", "office_admin", "/services/talent/", 'data-testid="talent"', _talent),
    Listing("cultural resources", None, "/services/cultural-resources/", 'data-testid="cultural-resources"',
            _resources),
    Listing("cultural products", None, "/services/cultural-products/", 'data-testid="cultural-products"', _products),
    Listing("the public expert profiles", None, "/services/experts/", 'data-testid="public-experts"', _experts,
            query="q=分页专家&specialty=patent"),
    Listing("the office's expert pool", "office_admin", "/services/experts/", 'data-testid="expert-pool"', _experts,
            query="q=分页专家", paged_by="list=pool"),
    Listing("the policy library", None, "/services/policies/", 'data-testid="policies"', _policies,
            query="level=district"),
    POLICY_APPLICATIONS,
    POLICY_AWARDS,
    Listing("past trainings", None, "/services/trainings/", "<h2>已举办</h2>", _trainings),
]


def _section(response, listing: Listing) -> tuple[str, str]:
    """The list's part of the page and its pager."""
    assert response.status_code == 200, response.content[:300]
    page = response.content.decode()
    start = page.find(listing.starts)
    assert start >= 0, f"the page does not show {listing.what}"
    pager = page.find('data-testid="pager"', start)
    assert pager >= 0, f"{listing.what} have no pager under them"
    return page[start:pager], page[pager:page.index("</p>", pager)]


def _next_link(pager: str) -> str | None:
    found = re.search(r'href="([^"]*)" rel="next">下一页<', pager)
    return html.unescape(found.group(1)) if found else None


@pytest.mark.parametrize("listing", LISTINGS, ids=str)
def test_a_long_list_shows_a_page_at_a_time_and_its_pager_keeps_the_filters(client_for, people, monkeypatch,
                                                                             listing):
    monkeypatch.setattr("ipcity.web.paging.PER_PAGE", 2)
    rows = listing.make(people, range(3))
    client = client_for(listing.persona)
    first = "&".join(p for p in (listing.query, listing.paged_by) if p)
    rows_first, pager = _section(client.get(f"{listing.path}?{first}" if first else listing.path), listing)
    shown_first = [row for row in rows if row in rows_first]
    assert len(shown_first) == 2, f"the first page of {listing.what} showed {len(shown_first)} of 3 rows, not 2"
    assert "第 1 / 2 页" in pager, f"the pager under {listing.what} did not say page 1 of 2: {pager}"
    link = _next_link(pager)
    assert link is not None, f"the first page of {listing.what} offers no 下一页 link to the third row"
    asked = parse_qs(link.lstrip("?"))
    assert asked.pop("page") == ["2"], f"下一页 under {listing.what} does not lead to page 2: {link}"
    kept = parse_qs(first)
    assert asked == kept, f"下一页 under {listing.what} drops or adds a filter: {link}, the page had ?{first}"
    rows_second, pager = _section(client.get(listing.path + link), listing)
    shown_second = [row for row in rows if row in rows_second]
    assert len(shown_second) == 1 and not set(shown_second) & set(shown_first), (
        f"the second page of {listing.what} showed {shown_second} after {shown_first} on the first: the third row "
        "is missing or a row shows on both pages")
    assert "上一页" in pager and "下一页" not in pager, f"the last page of {listing.what} has the wrong links: {pager}"


@pytest.mark.parametrize("listing", LISTINGS, ids=str)
def test_a_list_page_costs_the_same_queries_with_twice_the_rows(client_for, people, listing):
    client = client_for(listing.persona)
    path = "?".join(p for p in (listing.path, "&".join(q for q in (listing.query, listing.paged_by) if q)) if p)
    rows = listing.make(people, range(3))
    client.get(path)  # once first, so what a first visit loads once is not counted
    with_three = query_count(client, path)
    rows += listing.make(people, range(3, 6))
    client.get(path)
    rows_shown, _ = _section(client.get(path), listing)
    assert all(row in rows_shown for row in rows), f"not all six rows of {listing.what} are on the first page"
    assert query_count(client, path) == with_three, (
        f"the page of {listing.what} took more database queries with six rows than with three: a query per row")


def test_paging_one_list_of_a_page_shows_the_other_from_its_first_page(client_for, people, monkeypatch):
    monkeypatch.setattr("ipcity.web.paging.PER_PAGE", 2)
    applications = _policy_applications(people, range(3))
    awards = _awards(people, range(3))
    client = client_for("enterprise_user")
    page = client.get("/services/policies/applications/?list=awards&page=2")
    shown_awards, _ = _section(page, POLICY_AWARDS)
    shown_applications, pager = _section(page, POLICY_APPLICATIONS)
    assert sum(award in shown_awards for award in awards) == 1, "the second page of awards is not shown"
    assert sum(a in shown_applications for a in applications) == 2, "the applications are not at their first page"
    assert _next_link(pager) == "?page=2", f"the applications' 下一页 should page them alone: {pager}"


def test_counts_above_a_paged_list_count_every_row_not_only_the_page(client_for, people, monkeypatch, frozen_clock):
    """The custody page's covered enterprises, the certified enterprises and this year's training totals are counted
    in the database over the whole list, not over the one row a page shows."""
    monkeypatch.setattr("ipcity.web.paging.PER_PAGE", 1)
    for n in range(3):
        _contract(people, Organization.objects.create(name=f"分页托管企业{n}", org_type=OrgType.ENTERPRISE), n)
    custody = client_for("agency_user").get("/services/custody/").content.decode()
    assert "已确认的托管覆盖企业 3 家" in custody, "the covered enterprises were counted from the page's contract only"

    for n in range(3):
        _certificates(people, [n], Organization.objects.create(name=f"分页贯标企业{n}", org_type=OrgType.ENTERPRISE))
    certifications = client_for("office_admin").get("/services/certifications/").content.decode()
    assert "持有效证书的企业 3 家" in certifications, "the certified enterprises were counted from the page's one only"

    for n, title in enumerate(_trainings(people, range(3))):
        training = Training.objects.get(title=title)
        training.held_on = dt.date(2026, 10, 1 + n)  # the frozen clock's 2026, before its 2 November
        training.save()
        for m in range(n + 1):
            training.attendances.create(name=f"学员{m}", organization_name="某单位", phone=f"1391234{n}{m:03d}",
                                        source="import", signed_at=clock.now())
    trainings = client_for(None).get("/services/trainings/").content.decode()
    assert "2026 年计入指标的培训已举办 3 场，6 人次" in trainings, (
        "this year's trainings and person-times were counted from the page's sessions only")
