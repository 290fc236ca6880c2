"""`ipcity demo` builds the same synthetic data every time, each persona sees its own workspace, every module shows
records, and no page a persona opens costs more than a fixed number of queries on it."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client

from ipcity.accounts.models import Organization, User
from ipcity.demo import DEMO_PASSWORD, PERSONAS, build_demo
from ipcity.plan.models import IndicatorValue, SatisfactionSurvey
from ipcity.protection.models import DishonestyListing, EnforcementCase, InspectionPlan, MediationCase
from ipcity.stats.models import LegalEvent, Patent, RegistryCoverage, Trademark
from tests.conftest import DEMO_SCALE
from tests.helpers import query_count
from tests.permission_world import API, PAGES


def _snapshot():
    return (
        list(Organization.objects.order_by("name").values_list("name", "org_type", "street", "tags", "credit_code")),
        list(User.objects.order_by("username").values_list("username", "role", "phone", "id_number", "organization__name")),
        list(IndicatorValue.objects.order_by("indicator__code", "as_of").values_list("indicator__code", "as_of", "value")),
        list(Patent.objects.order_by("application_number").values_list("application_number", "filing_date", "grant_date",
                                                                      "owner_district", "ipc_codes")),
        list(LegalEvent.objects.order_by("patent__application_number", "date", "event_type").values_list(
            "patent__application_number", "event_type", "date")),
        Trademark.objects.count(),
        list(EnforcementCase.objects.order_by("kind", "received_on", "party").values_list(
            "kind", "received_on", "state", "filed_on", "closed_on", "fine")),
        list(MediationCase.objects.order_by("channel", "applied_at", "respondent").values_list(
            "channel", "applied_at", "state", "concluded_on")),
        list(DishonestyListing.objects.order_by("listed_on").values_list("organization__name", "state")),
    )


@pytest.mark.django_db(transaction=True)
def test_the_demo_is_deterministic_and_a_second_run_changes_nothing():
    build_demo(scale=DEMO_SCALE)
    first = _snapshot()
    assert "已存在" in build_demo(scale=DEMO_SCALE)
    assert _snapshot() == first
    build_demo(reset=True, scale=DEMO_SCALE)
    assert _snapshot() == first


@pytest.mark.django_db(transaction=True)
def test_after_the_demo_a_refused_step_inside_a_larger_transaction_undoes_only_itself():
    """The demo builds without savepoints; what runs after it in the same process must have them back, or one
    refused step would undo everything its caller's transaction had done."""
    build_demo(scale=DEMO_SCALE)
    with transaction.atomic():
        Organization.objects.create(name="演示之后新建的机构", org_type="enterprise")
        with pytest.raises(RuntimeError), transaction.atomic():
            Organization.objects.create(name="被撤销的机构", org_type="enterprise")
            raise RuntimeError
    assert Organization.objects.filter(name="演示之后新建的机构").exists()
    assert not Organization.objects.filter(name="被撤销的机构").exists()


@pytest.mark.django_db
def test_every_demo_record_is_marked_synthetic_and_the_ui_says_so(demo):
    assert not Organization.objects.filter(org_type__in=["enterprise", "university", "service_agency"], is_synthetic=False).exists()
    assert all(name.endswith("（演示）") for name in
               Organization.objects.filter(is_synthetic=True).values_list("name", flat=True))
    assert not IndicatorValue.objects.filter(is_synthetic=False).exists()
    from ipcity.operations.demo import UNIVERSITY_PATENTS

    assert not Patent.objects.filter(is_synthetic=False).exists()
    assert Patent.objects.count() == 800 + len(UNIVERSITY_PATENTS)  # the registry, and the demo university's own
    assert "合成数据（非真实数据）" in Client().get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "title", "must_see", "must_not_see"), [
    ("office_admin", "知识产权办公室工作台", ["指标状态", "审计日志（查询与导出）"], []),
    ("kejiju_staff", "责任单位工作台", ["待办工作事项", "本单位重点任务", "实施天开高教科创园核心区知识产权强基行动"],
     ["审计日志"]),
    ("enterprise_user", "企业工作台", ["技术需求发布与对接", "国家高新技术企业"], ["审计日志", "本单位重点任务"]),
    ("university_user", "高校院所工作台", ["专利技术供给（含开放许可）"], ["审计日志"]),
    ("agency_user", "服务机构工作台", ["托管合同管理"], ["审计日志"]),
    # mediators and enforcement officers share a workspace; each is offered only its own kind of case
    ("mediator_user", "保护工作台", ['href="/protection/mediations/"'], ['href="/protection/cases/"']),
    ("officer_user", "保护工作台", ['href="/protection/cases/"'], ['href="/protection/mediations/"']),
])
def test_each_demo_persona_signs_in_and_sees_a_different_workspace(demo, username, title, must_see, must_not_see):
    client = Client()
    assert client.post("/login/", {"username": username, "password": DEMO_PASSWORD}).status_code == 302
    page = client.get("/workspace/").content.decode()
    assert f'data-testid="workspace-title">{title}<' in page
    for text in must_see:
        assert text in page, text
    for text in must_not_see:
        assert text not in page, text


@pytest.mark.django_db
def test_every_persona_in_the_readme_exists_with_the_documented_password(demo):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for username, *_ in PERSONAS:
        assert f"`{username}`" in readme, username
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in readme


@pytest.mark.django_db
def test_every_demo_account_signs_in_with_the_documented_password(demo):
    accounts = list(User.objects.filter(is_synthetic=True))
    assert len(accounts) > len(PERSONAS)  # the units' liaisons, agencies, custody clients and experts too
    for user in accounts:
        assert Client().post("/login/", {"username": user.username, "password": DEMO_PASSWORD}).status_code == 302, \
            user.username


@pytest.mark.django_db
def test_every_write_of_the_demo_has_its_audit_row(demo):
    from ipcity.audit.models import AuditEntry
    from ipcity.plan.models import ProgressReport

    reports = AuditEntry.objects.filter(action="supervision.progress_report.submit")
    assert reports.count() == ProgressReport.objects.count() > 0
    assert AuditEntry.objects.filter(action="accounts.user.create").count() == User.objects.filter(is_synthetic=True).count()


@pytest.mark.django_db
def test_the_demo_shows_protection_at_work_and_its_indicators_count_records(demo):
    client = Client()
    client.post("/login/", {"username": "office_admin", "password": DEMO_PASSWORD})
    referred = EnforcementCase.objects.filter(referral__receipt_number__gt="").get()
    assert referred.state == "closed" and referred.kind == "trademark"
    assert MediationCase.objects.filter(channel="administrative", state="confirmed").exists()
    assert list(DishonestyListing.objects.order_by("listed_on").values_list("state", flat=True)) == ["repaired", "listed"]
    inspection = InspectionPlan.objects.get(code="2026-q2-ip")
    assert inspection.state == "results_published"
    page = client.get(f"/protection/inspections/{inspection.pk}/").content.decode()
    assert "平台按公布数据复算，结果一致" in page and "立案查处" in page and "未发现问题" in page
    assert InspectionPlan.objects.get(code="2026-q3-ip").state == "drawn"  # its results are still being recorded
    assert 'data-testid="conduct-mark"' in client.get("/services/agencies/").content.decode()
    for code in ("city_standardized_markets", "trademark_enforcement_cases", "mediation_people",
                 "certified_patent_enforcement_officers"):
        records = client.get(f"/api/v1/indicators/{code}/records").json()
        assert records["count"] > 0, code


def _indicator(client, code, as_of):
    return next(r for r in client.get("/api/v1/plan/indicators", {"as_of": as_of}).json() if r["code"] == code)


@pytest.mark.django_db
def test_the_demo_keeps_2024_reported_values_and_computes_2025_from_the_records(demo):
    """The demo's office records realistic registry coverage: activity records start in 2025, so 2024 keeps the units'
    reported values while 2025 is computed from the records; recognitions are on record since the pilot began."""
    client = Client()
    at_2024 = _indicator(client, "patent_enforcement_cases", "2024-12-31")
    at_2025 = _indicator(client, "patent_enforcement_cases", "2025-12-31")
    assert not at_2024["computed"] and at_2024["latest"]["source"].startswith("演示数据")
    assert at_2025["computed"] and at_2025["latest"]["source"].startswith("由登记记录计算")
    markets = _indicator(client, "national_standardized_markets", "2024-12-31")
    assert markets["computed"] and Decimal(markets["latest"]["value"]) == 0
    assert Decimal(_indicator(client, "operation_centers", "2026-06-30")["latest"]["value"]) == 1
    assert RegistryCoverage.objects.filter(kind="activity:case_patent").get().complete_from.isoformat() == "2025-01-01"


@pytest.mark.django_db
def test_the_demo_has_a_synthetic_survey_for_each_pilot_year_and_the_six_districts_counts(demo, client):
    from ipcity.plan.models import HighTechCount

    surveys = SatisfactionSurvey.objects.order_by("year")
    assert [(s.year, s.state, s.is_synthetic) for s in surveys] == [
        (2024, "closed", True), (2025, "closed", True), (2026, "closed", True)]
    rates = [row["rate"] for row in sorted(client.get("/api/v1/plan/satisfaction").json(), key=lambda r: r["year"])]
    assert all(60 < rate < 100 for rate in rates) and all(s.responses.exists() for s in surveys)
    figures = HighTechCount.objects.all()
    assert figures.count() == 24 and not figures.filter(is_synthetic=False).exists()
    assert set(figures.values_list("source", flat=True)) == {"演示数据"}
    assert {y["year"]: y["nankai_rank"] for y in client.get("/api/v1/plan/high-tech").json()} == {
        2023: 2, 2024: 1, 2025: 1, 2026: 1}
    assert "演示数据" in client.get(f"/plan/satisfaction/{surveys.last().pk}/").content.decode()


# A page that queried once per row would be far over this on the demo (hundreds of registry records, work items,
# cases and organizations); lists that hold the same count as rows are added: tests/test_query_counts.py.
QUERY_BUDGET = 32
BUDGET_PERSONAS = ["office_admin", "kejiju_staff", "enterprise_user", "agency_user", "mediator_user"]
DOWNLOADS = (".xlsx", ".docx", ".pdf", ".csv", ".zip")
LISTS = sorted({path for method, path, _, _ in PAGES + API
                if method == "get" and "{" not in path and not path.split("?")[0].endswith(DOWNLOADS)})


def _signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    client.get("/")  # the session's first touch is written once; what follows is what every visit costs
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("username", BUDGET_PERSONAS)
def test_every_page_and_list_a_persona_opens_on_the_demo_stays_within_the_query_budget(demo, username):
    client = _signed_in(username)
    for path in LISTS:  # computed values are made once per change of the data, then shared: not a visit's cost
        client.get(path)
    over = {path: n for path in LISTS if (n := query_count(client, path)) > QUERY_BUDGET}
    assert not over, f"{username}: more than {QUERY_BUDGET} queries: {over}"




@pytest.mark.django_db
def test_the_demo_counts_the_district_s_own_copyright_registrations_each_pilot_year(demo, client):
    years = client.get("/api/v1/services/culture/copyright").json()["years"]
    assert [y["year"] for y in years] == [2024, 2025, 2026]
    assert all(y["total"] > 0 for y in years), years
