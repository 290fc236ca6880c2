"""Deterministic synthetic demo data. Every organization and person is fictional and flagged
`is_synthetic`, and the UI shows a banner while any exist."""

import contextlib
import datetime as dt
import random
from decimal import Decimal
from importlib import resources

from django.core.management import call_command
from django.db import connection, transaction

from ipcity import clock
from ipcity.accounts.credit_code import CREDIT_CODE_ALPHABET, with_check_character
from ipcity.accounts.demo import DEMO_PASSWORD, demo_account
from ipcity.accounts.models import EnterpriseTag, Organization, OrgType, Street, User
from ipcity.accounts.permissions import users_with_perm
from ipcity.accounts.roles import Perm, Role
from ipcity.accounts.validators import id_check_character
from ipcity.audit.services import audit_rows_written_together
from ipcity.evidence.demo import build_evidence
from ipcity.operations.demo import build_operation_centers, build_operations
from ipcity.plan.core.schema import Comparison, PeriodType, parse_plan
from ipcity.plan.demo import build_holidays, build_supervision
from ipcity.plan.models import WorkPlan
from ipcity.plan.services import indicator_value_report, plan_import
from ipcity.protection.demo import build_protection
from ipcity.services.demo import build_services
from ipcity.stats.demo import build_demo_coverage, build_demo_registry

SEED = 20240228
SUFFIX = "（演示）"

PERSONAS = [
    # username, organization, role, full name
    ("office_admin", "区知识产权工作领导小组办公室", Role.OFFICE_ADMIN, "王演示"),
    ("kejiju_staff", "区科技局", Role.UNIT_STAFF, "李演示"),
    ("scjgj_staff", "区市场监管局", Role.UNIT_STAFF, "赵演示"),
    ("enterprise_user", "海河智芯科技有限公司" + SUFFIX, Role.ENTERPRISE_USER, "陈演示"),
    ("university_user", "津沽理工大学" + SUFFIX, Role.UNIVERSITY_USER, "刘演示"),
    ("agency_user", "卫津知识产权代理事务所" + SUFFIX, Role.AGENCY_USER, "周演示"),
    ("mediator_user", "南开区知识产权纠纷人民调解委员会" + SUFFIX, Role.MEDIATOR, "吴演示"),
    ("officer_user", "区市场监管局", Role.ENFORCEMENT_OFFICER, "郑演示"),
    ("notary_user", "南开公证处" + SUFFIX, Role.NOTARY, "孙演示"),
    ("finance_user", "津沽银行南开支行" + SUFFIX, Role.FINANCE_USER, "钱演示"),
    ("expert_user", "津沽理工大学" + SUFFIX, Role.EXPERT, "冯演示"),
]

_PREFIXES = ["海河", "津沽", "卫津", "鼓楼", "长虹", "华苑", "水上", "学府", "王顶堤", "天开", "南开湖", "北洋", "启航", "聚英", "星河"]
_FIELDS = ["智芯", "生物医药", "数据科技", "精密仪器", "新材料", "智能装备", "软件", "医疗器械", "环保科技", "文创", "食品", "化妆品", "光电", "信息安全"]


def _id_number(rng: random.Random) -> str:
    """A well-formed but fictional 18-digit number (南开区 area code 120104, valid check digit)."""
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randrange(0, 12000))
    body = f"120104{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + id_check_character(body)


def _phone(rng: random.Random) -> str:
    return "139" + f"{rng.randrange(0, 10**8):08d}"


def _synthetic_org(name: str, org_type: str, rng: random.Random, tags=()) -> Organization:
    return Organization.objects.create(
        name=name, full_name=name, org_type=org_type, street=rng.choice(Street.values), tags=list(tags),
        credit_code=with_check_character("91120104" + "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(9))),
        address=f"天津市南开区{rng.choice(['红旗南路', '鞍山西道', '复康路', '卫津路', '白堤路', '黄河道'])}{rng.randrange(1, 400)}号（虚构）",
        is_synthetic=True)


def _organizations(rng: random.Random) -> None:
    tags_pool = [t.value for t in EnterpriseTag]
    _synthetic_org("海河智芯科技有限公司" + SUFFIX, OrgType.ENTERPRISE, rng,
                   ["high_tech", "specialized", "tiankai_core", "tech_sme"])
    names = set()
    while len(names) < 39:
        names.add(f"{rng.choice(_PREFIXES)}{rng.choice(_FIELDS)}有限公司{SUFFIX}")
    for name in sorted(names):
        _synthetic_org(name, OrgType.ENTERPRISE, rng, sorted(rng.sample(tags_pool, rng.randrange(0, 4))))
    for name in ["津沽理工大学", "南开湖医科大学", "海河师范学院", "天开先进材料研究院", "北洋数字经济研究所", "卫津中医药研究院"]:
        _synthetic_org(name + SUFFIX, OrgType.UNIVERSITY, rng)
    agencies = ["卫津知识产权代理事务所"] + [f"{p}知识产权服务有限公司" for p in _PREFIXES[:11]]
    for name in agencies:
        _synthetic_org(name + SUFFIX, OrgType.SERVICE_AGENCY, rng)
    for name in ["南开区知识产权纠纷人民调解委员会", "南开区知识产权保护协会调解中心"]:
        _synthetic_org(name + SUFFIX, OrgType.MEDIATION_BODY, rng)
    for name in ["津沽银行南开支行", "海河财产保险南开营业部"]:
        _synthetic_org(name + SUFFIX, OrgType.FINANCIAL_INSTITUTION, rng)
    _synthetic_org("南开公证处" + SUFFIX, OrgType.NOTARY, rng)
    _synthetic_org("南开区知识产权维权工作站" + SUFFIX, OrgType.MEDIATION_BODY, rng)


def _unit_staff(plan: WorkPlan, rng: random.Random) -> dict[int, User]:
    """A synthetic staff member for every responsible unit that has no demo persona, so every unit can act."""
    staff = {u.organization_id: u for u in users_with_perm(Perm.WORKSPACE_UNIT).filter(is_synthetic=True)}
    for unit in plan.members.all():
        if unit.pk not in staff:
            staff[unit.pk] = demo_account(username=f"staff_{unit.code}", organization=unit, role=Role.UNIT_STAFF,
                                          full_name=f"{unit.name}联络员（演示）", phone=_phone(rng), id_number=_id_number(rng))
    return staff


def _indicator_values(plan: WorkPlan, office: User, rng: random.Random) -> None:
    today = clock.today()
    dates = [d for d in (dt.date(2024, 12, 31), dt.date(2025, 12, 31), dt.date(today.year, today.month, 1) - dt.timedelta(days=1))
             if d <= today and d.year >= plan.period_start.year]
    for indicator in plan.indicators.all():
        if rng.random() < 0.15:
            continue  # some indicators have no value yet, as in a real pilot
        for step, as_of in enumerate(dates):
            if indicator.comparison == Comparison.INCREASE:
                value = Decimal("8.0") + Decimal(step) * Decimal("0.3") + Decimal(rng.randrange(-20, 20)) / 100
            elif indicator.period_type == PeriodType.AVERAGE_ANNUAL_GROWTH:
                value = Decimal(rng.randrange(30, 140)) / 10
            elif indicator.period_type in (PeriodType.PER_YEAR, PeriodType.ANNUAL_AVERAGE):
                value = (indicator.target * Decimal(rng.randrange(60, 140)) / 100).quantize(Decimal(1))
            else:
                share = Decimal(72 + step * 9 + rng.randrange(0, 8)) / 100
                value = (indicator.target * share).quantize(Decimal("0.1") if indicator.code.endswith("_per_10k") else Decimal(1))
            indicator_value_report(indicator=indicator, actor=office, as_of=as_of, value=value,
                                   source="演示数据（程序生成的合成数值）", is_synthetic=True)


@contextlib.contextmanager
def _one_transaction_without_savepoints():
    """The demo is built in one transaction that stands or falls whole, through the real services, whose own atomic
    blocks would each open and release a savepoint: 41 % of the demo's statements, each a round trip to PostgreSQL.
    Nothing in the demo recovers from a failed step, so their blocks go without (Django then marks the whole
    transaction for rollback on any error, which is what the demo wants anyway). Django's SQLite backend keeps its
    savepoints whatever the feature says; there they are calls inside the process and cost little."""
    features = connection.features
    with transaction.atomic():
        features.uses_savepoints = False
        try:
            yield
        finally:
            del features.uses_savepoints  # back to the backend's own answer


def build_demo(*, reset: bool = False, scale: float = 1.0) -> str:
    """`scale` shrinks the synthetic registry (tests use a small one); 1.0 is the district-sized demo."""
    if reset:
        call_command("flush", interactive=False, verbosity=0)
    if User.objects.filter(is_synthetic=True).exists():
        return "演示数据已存在，未作改动（如需重建：ipcity demo --reset）"
    rng = random.Random(SEED)
    plan_file = resources.files("ipcity.plan").joinpath("fixtures/nankai-2024.json").read_bytes()
    with _one_transaction_without_savepoints(), audit_rows_written_together():
        plan_data = parse_plan(plan_file)
        plan = WorkPlan.objects.filter(code=plan_data.code, version=plan_data.version).first()
        if plan is None:
            plan = plan_import(plan_data=plan_data, actor=None)
        _organizations(rng)
        users = {}
        for username, org_name, role, full_name in PERSONAS:
            users[username] = demo_account(
                username=username, organization=Organization.objects.get(name=org_name), role=role, full_name=full_name,
                phone=_phone(rng), id_number=_id_number(rng))
        _indicator_values(plan, users["office_admin"], rng)
        build_demo_registry(seed=SEED, scale=scale)
        build_holidays(office=users["office_admin"])
        build_supervision(plan=plan, office=users["office_admin"], unit_users=_unit_staff(plan, rng), seed=SEED)
        build_evidence(users=users, seed=SEED)
        build_operations(users=users, university_name=users["university_user"].organization.name)
        build_protection(users=users, seed=SEED, scale=scale)
        build_services(users=users, seed=SEED, scale=scale)
        build_operation_centers(office=users["office_admin"])
        build_demo_coverage(office=users["office_admin"])
    return (f"演示数据已生成：方案《{plan.title}》，机构 {Organization.objects.count()} 个，"
            f"演示账号 {len(PERSONAS)} 个，另有各责任单位联络员 staff_<单位代码>（密码均为 {DEMO_PASSWORD}）")
