"""In a real headless Chromium, on the demo: every persona (and an anonymous visitor) opens its workspace and every
page the permission table lets it open, and reads what the page shows. No internal code (a state, an action, a kind,
a permission, an audit action, a field name: `under_review`, `copyright_work`, `auth.login`, `protection.cases`) may
be visible, and no link a persona's own workspace offers may refuse that persona.

One demo is built for the whole module and walked once by one browser; each test then reads what the walk saw. Pages
are requested through Django's test client and handed to the browser (a fetch through the browser and the live server
took five times as long); the browser renders them with their style sheets and reads what a person would see."""

import datetime as dt
import re
from dataclasses import dataclass, field

import pytest
from django.core.management import call_command

from ipcity.accounts.models import Organization, User
from ipcity.demo import PERSONAS
from tests.conftest import DEMO_SCALE
from tests.conftest import PERSONAS as TABLE_PERSONAS
from tests.permission_world import PAGES

pytestmark = pytest.mark.browser

# An internal code as it would leak: lower-case words joined by "_" or ".".
CODE = re.compile(r"\b[a-z]+(?:[_.][a-z]+)+\b")
# What legitimately looks like one, removed before matching: web addresses, e-mail addresses, and file names a page
# offers or asks for (名单.xlsx, 证书.pdf).
NOT_CODES = [re.compile(r"https?://\S+"), re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
             re.compile(r"[\w.-]+\.(?:xlsx|xls|docx|doc|pdf|csv|zip|json|txt|svg)\b")]
# Shown on purpose, and so not read: an account's sign-in name (what a person types at 登录; the account page, the
# organization's members and the audit trail name accounts by it), taken from the database; and text marked
# data-verbatim, a signed text reproduced byte for byte (a checkpoint names its log, evidence.ipcity.local/nankai,
# and cannot be translated without breaking its signature).
READ_TEXT = """() => {
    document.querySelectorAll("[data-verbatim]").forEach(e => { e.style.display = "none"; });
    return document.body.innerText;
}"""
# Responses that are files, not pages (the permission table holds their status; there is no text to read). A file
# the pattern misses is fetched and left unread (it is not HTML).
FILES = re.compile(r"\.(?:xlsx|docx|csv|pdf|svg|zip)$|/bundle$|^/files/|/files/\{material\}/$|^/evidence/log/")
# Scripts add no text to a page as it loads (charts draw on a canvas; htmx and the evidence page's hashing act only
# later), so the walk does not load them: it halves the time a page takes.
NO_TEXT_RESOURCES = re.compile(r"\.js$")

# The permission table's personas are the test suite's; the demo's are named after their organizations.
TABLE_PERSONA_OF_ROLE = {role: name for name, (_, _, role) in TABLE_PERSONAS.items()}
DEMO_USERS = [username for username, *_ in PERSONAS]
# Pages a persona may open that the demo has no record for, and why (kept short).
LEFT_OUT = {
    ("kejiju_staff", "/services/applications/{service_application}/"):
        "区科技局 implements no service item of the demo; 区市场监管局's staff (scjgj_staff) open an application",
}


def _first(queryset):
    record = queryset.order_by("pk").first()
    return record.pk if record is not None else None


def _complete_the_demo() -> None:
    """Records the demo does not hold but the table's pages are about: a draft final evaluation, an interview of each
    demo unit, a mediation the demo enterprise applied for."""
    from ipcity.plan.assessment import interview_record
    from ipcity.plan.evaluation import evaluation_draft
    from ipcity.plan.selectors import current_plan
    from ipcity.protection.mediation import mediation_apply

    office, enterprise = User.objects.get(username="office_admin"), User.objects.get(username="enterprise_user")
    evaluation_draft(actor=office, plan=current_plan(), kind="final")
    for username in ("kejiju_staff", "scjgj_staff"):
        interview_record(actor=office, unit=User.objects.get(username=username).organization, year=2025,
                         held_on=dt.date(2025, 11, 20), interviewer="办公室主任（演示）", interviewees="分管副局长（演示）",
                         reason="报送迟缓（演示）", content="分析原因（演示）", requirements="按期报送（演示）",
                         rectification_deadline=dt.date(2025, 12, 31))
    mediation_apply(actor=enterprise, channel="people", body=User.objects.get(username="mediator_user").organization,
                    respondent="某经营部（演示）", right_type="trademark", claim="销售假冒注册商标商品（演示）")


def _placeholders(user) -> dict:
    """The demo's record for each of the table's placeholders, as this user reaches it (its own organization's
    where the table's row is about the persona's own record); None where the demo has none."""
    from ipcity.evidence.models import Registration
    from ipcity.operations.models import (
        HighValuePortfolio,
        NavigationProject,
        PatentCluster,
        TechNeed,
        TechOffer,
    )
    from ipcity.plan.models import (
        EvaluationReport,
        Interview,
        LeadingGroupMeeting,
        SatisfactionSurvey,
        WorkItem,
    )
    from ipcity.protection.models import EnforcementCase, InspectionPlan, MediationCase
    from ipcity.services.models import (
        Expert,
        Policy,
        PolicyApplication,
        ServiceApplication,
        ServiceItem,
        Training,
    )
    from ipcity.stats.models import ImportBatch, Patent

    org = user.organization if user is not None else None
    office = user is not None and user.username == "office_admin"

    def own(queryset, *fields):
        """All of them for the office; else those where one of `fields` is the user's organization."""
        if office:
            return queryset
        mine = queryset.none()
        for name in fields:
            mine = mine | queryset.filter(**{name: org})
        return mine

    persona_orgs = set(User.objects.filter(username__in=DEMO_USERS).values_list("organization", flat=True))
    survey = SatisfactionSurvey.objects.exclude(state="draft").order_by("pk").first()
    application = own(ServiceApplication.objects.all(), "applicant", "item__unit").order_by("pk").first()
    return {
        "own_org": org.pk if org else Organization.objects.get(org_type="leading_group_office").pk,
        "other_org": _first(Organization.objects.exclude(pk__in=persona_orgs)),
        "unit": Organization.objects.get(code="culture_tourism").pk,
        "survey": survey.pk if survey else None,
        "survey_token": survey.token if survey else None,
        "registration": _first(Registration.objects.filter(organization=org)),
        "offer": _first(TechOffer.objects.filter(state="published")),
        "need": _first(TechNeed.objects.filter(state="published")),
        "navigation": _first(NavigationProject.objects.all()),
        "portfolio": _first(own(HighValuePortfolio.objects.all(), "organization")),
        "inspection": _first(InspectionPlan.objects.exclude(state="draft")),
        "case": _first(own(EnforcementCase.objects.all(), "unit")),
        "mediation": _first(own(MediationCase.objects.all(), "applicant", "body")),
        "service_item": ServiceItem.objects.order_by("pk").values_list("code", flat=True).first(),
        "service_application": application.pk if application else None,
        "expert_record": _first(Expert.objects.filter(public_consent=True)),
        "agency": User.objects.get(username="agency_user").organization_id,
        "training": _first(Training.objects.all()),
        "policy": _first(own(Policy.objects.all(), "responsible_unit")) or _first(Policy.objects.all()),
        "policy_application": _first(own(PolicyApplication.objects.all(), "enterprise", "policy__responsible_unit")),
        "batch": _first(ImportBatch.objects.all()),
        "patent": Patent.objects.order_by("pk").values_list("application_number", flat=True).first(),
        "cluster": _first(PatentCluster.objects.all()),
        "evaluation": _first(EvaluationReport.objects.all()),
        "meeting": _first(LeadingGroupMeeting.objects.all()),
        "interview": _first(own(Interview.objects.all(), "unit")),
        "item": _first(own(WorkItem.objects.all(), "unit")),
    }


def pages_for(user) -> tuple[list[str], list[str]]:
    """The paths this user may open by the permission table (its 200 GET rows, files left out), and the rows the
    demo has no record for."""
    persona = TABLE_PERSONA_OF_ROLE[user.role] if user is not None else None
    values = _placeholders(user)
    paths, unresolved = [], []
    for method, path, _body, expected in PAGES:
        if method != "get" or expected[persona] != 200 or FILES.search(path):
            continue
        names = re.findall(r"\{(\w+)\}", path)
        if any(values.get(name) is None for name in names):
            unresolved.append(path)
            continue
        paths.append(path.format(**{name: values[name] for name in names}))
    return paths, unresolved


def codes_in(text: str, allowed: set[str]) -> set[str]:
    for pattern in NOT_CODES:
        text = pattern.sub(" ", text)
    return set(CODE.findall(text)) - allowed


@dataclass
class Walk:
    """What one persona saw: each page's status, the codes a page showed, the workspace links that refused it."""
    statuses: dict[str, int | str] = field(default_factory=dict)  # a refusal to load says why, as text
    codes: dict[str, set[str]] = field(default_factory=dict)
    refused_links: dict[str, int] = field(default_factory=dict)
    unresolved: list[str] = field(default_factory=list)


def _main(html: str) -> str:
    """The page's own content (what differs from page to page), without the form tokens that differ per visit."""
    main = html[html.find("<main>"):html.find("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)


def _walk(browser, base_url: str, username: str | None, allowed: set[str], read: set[str]) -> Walk:
    """Every page is requested through Django's test client as the persona (its status checked); the browser renders
    and reads a page only when its content is new to the walk (`read`: the contents already read, by any persona;
    most public pages read the same to everyone), and is handed that same response instead of asking the server
    again (the live server still serves the style sheets, which decide what is visible). The persona's own header
    and menu are read on its workspace, which is always rendered."""
    from django.test import Client
    from playwright.sync_api import Error as PlaywrightError

    walk = Walk()
    client = Client()
    user = None
    if username is not None:
        user = User.objects.get(username=username)
        client.force_login(user)
    context = browser.new_context(base_url=base_url, locale="zh-CN")
    context.route(NO_TEXT_RESOURCES, lambda route: route.abort())
    fetched = {}  # address -> the response already fetched, handed to the browser instead of asking again

    def hand_over(route):
        response = fetched.pop(route.request.url)
        route.fulfill(status=response.status_code, content_type=response["Content-Type"], body=response.content)

    context.route(lambda url: url in fetched, hand_over)
    try:
        page = context.new_page()
        paths, walk.unresolved = pages_for(user)
        links = []
        for path in dict.fromkeys(["/workspace/", *paths]) if user else paths:
            response = client.get(path)
            walk.statuses[path] = response.status_code
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            content = _main(response.content.decode())
            if content in read and path != "/workspace/":
                continue
            read.add(content)
            page_url = base_url + path
            fetched[page_url] = response
            try:
                page.goto(page_url, wait_until="domcontentloaded")
            except PlaywrightError as exc:
                walk.statuses[path] = str(exc).splitlines()[0]
                continue
            if fetched.pop(page_url, None) is not None:  # the browser asked the server instead: it would read that
                walk.statuses[path] = "the browser was not handed the persona's page"
                continue
            found = codes_in(page.evaluate(READ_TEXT), allowed)
            if found:
                walk.codes[path] = found
            if path == "/workspace/":
                links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        for link in dict.fromkeys(links):  # the workspace's links, each asked once (most were walked above)
            if link.startswith("/") and not link.startswith("/logout"):
                status = walk.statuses.get(link) or client.get(link).status_code
                if status == 403 or (isinstance(status, int) and status >= 500):
                    walk.refused_links[link] = status
    finally:
        context.close()
    return walk


@pytest.fixture(scope="module")
def walks(browser, live_server, django_db_setup, django_db_blocker):
    """The demo (with _complete_the_demo), walked once by every persona. The data is committed for the live server
    to read, so it is flushed at the end (the tests only read what the walk saw)."""
    from ipcity.demo import build_demo

    with django_db_blocker.unblock():
        try:
            build_demo(scale=DEMO_SCALE)
            _complete_the_demo()
            usernames, read = set(User.objects.values_list("username", flat=True)), set()
            yield {username: _walk(browser, live_server.url, username, usernames, read)
                   for username in [None, *DEMO_USERS]}
        finally:
            call_command("flush", interactive=False, verbosity=0)


PERSONA_PARAMS = [pytest.param(None, id="anonymous"), *(pytest.param(u, id=u) for u in DEMO_USERS)]


@pytest.mark.parametrize("username", PERSONA_PARAMS)
def test_every_page_a_persona_may_open_opens_and_shows_no_internal_code(walks, username):
    walk = walks[username]
    assert {path: status for path, status in walk.statuses.items() if status != 200} == {}
    assert walk.codes == {}


@pytest.mark.parametrize("username", PERSONA_PARAMS[1:])
def test_no_link_in_a_persona_workspace_refuses_that_persona(walks, username):
    assert walks[username].refused_links == {}


def test_only_the_stated_pages_are_left_out_for_want_of_a_demo_record(walks):
    left_out = {(username, path) for username, walk in walks.items() for path in walk.unresolved}
    assert left_out == set(LEFT_OUT)
