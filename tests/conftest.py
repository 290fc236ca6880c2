import datetime as dt
import os
from importlib import resources
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType, User
from ipcity.accounts.roles import Role
from ipcity.plan.core.schema import parse_plan
from ipcity.plan.services import plan_import

PASSWORD = "Test@Pass2024"
SEED_PLAN = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "nankai-ip-pilot-work-plan-2024.txt"

# persona -> (organization name, organization type, role)
PERSONAS = {
    "office_admin": ("区知识产权工作领导小组办公室", OrgType.LEADING_GROUP_OFFICE, Role.OFFICE_ADMIN),
    "unit_staff": ("区科技局", OrgType.GOVERNMENT_UNIT, Role.UNIT_STAFF),
    "enterprise_user": ("测试企业有限公司", OrgType.ENTERPRISE, Role.ENTERPRISE_USER),
    "university_user": ("测试大学", OrgType.UNIVERSITY, Role.UNIVERSITY_USER),
    "agency_user": ("测试知识产权代理所", OrgType.SERVICE_AGENCY, Role.AGENCY_USER),
    "mediator": ("测试调解委员会", OrgType.MEDIATION_BODY, Role.MEDIATOR),
    "enforcement_officer": ("区市场监管局", OrgType.GOVERNMENT_UNIT, Role.ENFORCEMENT_OFFICER),
    "expert": ("测试大学", OrgType.UNIVERSITY, Role.EXPERT),
    "notary_user": ("测试公证处", OrgType.NOTARY, Role.NOTARY),
    "finance_user": ("测试银行", OrgType.FINANCIAL_INSTITUTION, Role.FINANCE_USER),
}


def seed_plan_text() -> str:
    """The seed work plan the bundled plan quotes. It is the project's source document, kept beside the checkout
    (../shared/seed), not test data in it: a bare clone skips the quoting checks, and CI (CI=true) fails without it."""
    if not SEED_PLAN.exists():
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"the seed plan must be beside the checkout in CI: {SEED_PLAN}")
        pytest.skip(f"the seed work plan is not beside this checkout ({SEED_PLAN}), so the bundled plan's quotations "
                    "of it cannot be checked here (CI runs them)")
    return SEED_PLAN.read_text(encoding="utf-8")


def bundled_plan_bytes() -> bytes:
    return resources.files("ipcity.plan").joinpath("fixtures/nankai-2024.json").read_bytes()


@pytest.fixture(autouse=True)
def _fresh_engine_cache():
    """Test databases roll back and reuse ids, so no computed result may outlive its test."""
    from ipcity.stats.selectors import clear_cache

    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def plan(db):
    return plan_import(plan_data=parse_plan(bundled_plan_bytes()), actor=None)


def make_people() -> dict:
    """One user per persona, written in bulk: nearly every test starts with them, and user_create (its checks and
    audit row, tested on their own) made up a third of a typical test's time."""
    names = {org_name for org_name, _, _ in PERSONAS.values()}
    organizations = {o.name: o for o in Organization.objects.filter(name__in=names)}
    for org_name, org_type, _ in PERSONAS.values():
        if org_name not in organizations:
            organizations[org_name] = Organization.objects.create(name=org_name, org_type=org_type)
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(username=username, organization=organizations[org_name], role=role, full_name=f"{username}姓名",
             phone="13912345678", id_number="120104199001011238", password=password)
        for username, (org_name, _, role) in PERSONAS.items())
    return {user.username: user for user in users}


@pytest.fixture
def people(plan):
    """One user per persona, each in an organization of the right type."""
    return make_people()


@pytest.fixture
def covered_registries(people):
    """The office runs the pilot on the platform: it has recorded every kind of records the indicators count as
    complete from 1 January 2023 (the growth indicators' base year), so each record counts and none is a 0."""
    from ipcity.stats.coverage import coverage_kinds, coverage_set

    for kind in coverage_kinds():
        coverage_set(actor=people["office_admin"], kind=kind, complete_from=dt.date(2023, 1, 1),
                     reason="自基期起的记录均在平台登记")


@pytest.fixture
def client_for(people):
    def make(persona: str | None) -> Client:
        client = Client()
        if persona is not None:
            client.force_login(people[persona])
        return client
    return make


@pytest.fixture
def frozen_clock():
    """A clock the test moves by hand: `frozen_clock.advance(minutes=16)`."""

    class Handle:
        def __init__(self, start):
            self.now = start

        def advance(self, **delta):
            self.now += dt.timedelta(**delta)
            self._cm.__exit__(None, None, None)
            self._cm = clock.frozen_at(self.now)
            self._cm.__enter__()

    handle = Handle(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC))
    handle._cm = clock.frozen_at(handle.now)
    handle._cm.__enter__()
    yield handle
    handle._cm.__exit__(None, None, None)


DEMO_SCALE = 0.02  # a registry of 800 patents keeps the demo tests quick; `ipcity demo` itself uses 1.0


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, built once per module for the tests that only read it, inside a transaction rolled back at the
    module's end (each test runs in its own savepoint, so what it writes, a sign-in included, vanishes after it)."""
    from django.db import transaction

    from ipcity.demo import build_demo

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            build_demo(scale=DEMO_SCALE)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def two_per_page(monkeypatch):
    """HTML lists a page of two rows (web/paging.PER_PAGE), so a test shows paging with three rows, not fifty-one."""
    monkeypatch.setattr("ipcity.web.paging.PER_PAGE", 2)
