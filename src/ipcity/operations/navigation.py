"""Patent navigation projects and high-value portfolios: recorded here, analysed against the registry, and
counted by the indicator engine as activities once completed (导航项目验收) or confirmed (组合认定)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.permissions import has_perm, require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.inputs import object_or_404
from ipcity.operations.core.landscape import Landscape, analyse
from ipcity.operations.models import FIELDS, HighValuePortfolio, NavigationProject
from ipcity.stats.core.records import Activity
from ipcity.stats.holders import holdings
from ipcity.stats.models import Patent
from ipcity.web.spreadsheets import DocxReport
from ipcity.workflow.core import Workflow, step
from ipcity.workflow.services import workflow_step

NAVIGATION_CLIENT_TYPES = (OrgType.ENTERPRISE, OrgType.UNIVERSITY)  # whom a micro-navigation serves (the form offers these)
MIN_PORTFOLIO_PATENTS = 5  # a portfolio "of some scale": at least five granted inventions


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.replace("，", ",").replace("；", ",").split(",") if part.strip())


# ---- navigation projects ----

def navigation_project_list() -> QuerySet[NavigationProject]:
    """Every navigation project: public, as their reports are."""
    return NavigationProject.objects.select_related("undertaker", "client")


def navigation_project_get(*, pk) -> NavigationProject:
    return object_or_404(navigation_project_list(), pk=pk)


@transaction.atomic
def navigation_create(*, actor, kind: str, title: str, industry: str, started_on: dt.date,
                      undertaker: Organization | None = None, client: Organization | None = None,
                      scope_ipc: str = "", scope_keywords: str = "", deliverables: str = "") -> NavigationProject:
    """Start a navigation project; its undertaker is the caller's own organization unless the office names another."""
    require_perm(actor, Perm.NAVIGATION_MANAGE)
    undertaker = undertaker or actor.organization
    problems: dict[str, list[str]] = {}
    if kind not in NavigationProject.Kind.values:
        problems["kind"] = [f"未知的类型：{kind}"]
    if not title.strip():
        problems["title"] = ["请填写项目名称"]
    if industry not in FIELDS:
        problems["industry"] = [f"产业领域应为：{'、'.join(FIELDS)}"]
    if not has_perm(actor, Perm.OPERATIONS_MANAGE) and undertaker.pk != actor.organization_id:
        problems["undertaker"] = ["承担单位只能是本机构（为其他机构立项须由知识产权办公室办理）"]
    if kind == NavigationProject.Kind.ENTERPRISE_OPERATION and client is None:
        problems["client"] = ["企业运营类微导航须写明服务的企业"]
    elif client is not None and client.org_type not in NAVIGATION_CLIENT_TYPES:
        problems["client"] = [f"服务对象应为企业或高校院所，“{client.name}”是{client.get_org_type_display()}"]
    if not (_split(scope_ipc) or _split(scope_keywords)):
        problems["scope_ipc"] = ["请至少给出一个IPC前缀或关键词，用于专利分析"]
    if started_on > clock.today():
        problems["started_on"] = ["立项日期不能晚于今天"]
    if problems:
        raise ValidationError(problems)
    project = NavigationProject.objects.create(
        kind=kind, title=title.strip()[:200], undertaker=undertaker, client=client, industry=industry,
        scope_ipc=",".join(_split(scope_ipc))[:200], scope_keywords=",".join(_split(scope_keywords))[:200],
        deliverables=deliverables.strip(), started_on=started_on, created_by=actor, created_at=clock.now())
    audit_record(actor=actor, action="operations.navigation.create", obj=project, after={"title": project.title})
    return project


NAVIGATION = Workflow(
    name="operations.navigation", label="专利导航项目", states=dict(NavigationProject.State.choices),
    parties={"office": "知识产权办公室", "undertaker": "承担单位"},
    transitions=(step("complete", "验收", NavigationProject.State.IN_PROGRESS, NavigationProject.State.COMPLETED,
                      by={"office", "undertaker"}),))


def navigation_parties(user, project: NavigationProject) -> set[str]:
    if not (user.is_authenticated and has_perm(user, Perm.NAVIGATION_MANAGE)):
        return set()
    return ({"office"} if has_perm(user, Perm.OPERATIONS_MANAGE) else set()) | (
        {"undertaker"} if user.organization_id == project.undertaker_id else set())


def navigation_may_act(user, project: NavigationProject) -> bool:
    """Who may act on a project: its undertaker (the organization doing the work) or the office."""
    return bool(navigation_parties(user, project))


@transaction.atomic
def navigation_complete(*, actor, project: NavigationProject, completed_on: dt.date) -> NavigationProject:
    require_perm(actor, Perm.NAVIGATION_MANAGE)
    parties = navigation_parties(actor, project)
    if not parties:
        raise PermissionDenied("只有项目的承担单位或知识产权办公室可以验收")

    def apply(locked: NavigationProject, transition) -> dict:
        if not (locked.started_on <= completed_on <= clock.today()):
            raise ValidationError({"completed_on": ["验收日期应在立项日期之后、今天之前"]})
        locked.completed_on = completed_on
        return {"completed_on": completed_on}

    return workflow_step(project, workflow=NAVIGATION, action="complete", actor=actor, parties=parties, apply=apply)


def landscape_of(project: NavigationProject, *, as_of: dt.date | None = None) -> Landscape:
    from ipcity.plan.selectors import current_plan
    from ipcity.stats.selectors import registry_snapshot

    plan = current_plan()
    registry = registry_snapshot(district=plan.region if plan else "")
    return analyse(registry.patents, registry.events, as_of=as_of or clock.today(), district=registry.district,
                   ipc_prefixes=_split(project.scope_ipc), keywords=_split(project.scope_keywords))


def navigation_report_docx(project: NavigationProject) -> bytes:
    """The navigation report: scope, then each breakdown of the landscape as a table."""
    result = landscape_of(project)
    document = DocxReport()
    document.heading(f"{project.title}专利导航分析报告", level=0, align="center")
    document.paragraph(f"项目类型：{project.get_kind_display()}；承担单位：{project.undertaker.name}"
                       + (f"；服务企业：{project.client.name}" if project.client else "")
                       + f"；产业领域：{project.industry}。")
    document.paragraph(f"分析范围：IPC {project.scope_ipc or '—'}；关键词 {project.scope_keywords or '—'}。"
                       f"数据截至{clock.today():%Y年%m月%d日}，共检索到专利 {result.total} 件。")
    sections = [("一、申请趋势", ["申请年", "件数"], list(result.by_year.items())),
                ("二、主要申请人", ["申请人", "件数"], result.top_applicants),
                ("三、技术构成（IPC小类）", ["IPC小类", "件数"], result.ipc),
                ("四、法律状态", ["状态", "件数"], list(result.status.items())),
                ("五、本区与区外", ["归属", "件数"], list(result.local.items())),
                ("六、本区主要创新主体", ["专利权人", "件数"], result.local_applicants)]
    for heading, columns, rows in sections:
        document.heading(heading, level=1)
        if rows:
            document.table(columns, rows)
        else:
            document.paragraph("无")
    document.heading("七、成果形式", level=1)
    document.paragraph(project.deliverables or "—")
    return document.bytes()


# ---- high-value portfolios ----

def portfolios_visible(*, user) -> QuerySet[HighValuePortfolio]:
    """The office sees every portfolio; a patentee (enterprise, university) its own organization's; nobody else any:
    the one rule behind the list page, the detail page and the API."""
    portfolios = HighValuePortfolio.objects.select_related("organization")
    if has_perm(user, Perm.OPERATIONS_MANAGE):
        return portfolios
    if has_perm(user, Perm.TECH_OFFER):
        return portfolios.filter(organization_id=user.organization_id)
    return portfolios.none()


def portfolio_get(*, user, pk) -> HighValuePortfolio:
    return object_or_404(portfolios_visible(user=user), pk=pk)


@transaction.atomic
def portfolio_create(*, actor, name: str, industry: str, patent_numbers: list[str],
                     milestones: list[dict]) -> HighValuePortfolio:
    require_perm(actor, Perm.TECH_OFFER)
    problems: dict[str, list[str]] = {}
    if not name.strip():
        problems["name"] = ["请填写组合名称"]
    if industry not in FIELDS:
        problems["industry"] = [f"领域应为：{'、'.join(FIELDS)}"]
    patents = list(Patent.objects.filter(application_number__in=patent_numbers))
    missing = sorted(set(patent_numbers) - {p.application_number for p in patents})
    if missing:
        problems["patent_numbers"] = [f"专利库中没有：{'、'.join(missing)}"]
    if foreign := _not_held(actor.organization, patents):
        problems.setdefault("patent_numbers", []).append(f"不是本机构的专利：{'、'.join(foreign)}")
    # A portfolio counts toward the plan's indicator, so one patent may stand in one portfolio only.
    if taken := sorted(set(Patent.objects.filter(pk__in=[p.pk for p in patents], portfolios__isnull=False)
                           .values_list("application_number", flat=True))):
        problems.setdefault("patent_numbers", []).append(f"已在其他高价值专利组合中：{'、'.join(taken)}")
    for number, milestone in enumerate(milestones, start=1):
        if not str(milestone.get("name", "")).strip() or not milestone.get("due"):
            problems.setdefault("milestones", []).append(f"第{number}个节点须有名称和计划日期")
    if problems:
        raise ValidationError(problems)
    now = clock.now()
    portfolio = HighValuePortfolio.objects.create(
        name=name.strip()[:200], organization=actor.organization, industry=industry, created_by=actor,
        milestones=[{"name": str(s["name"]).strip(), "due": str(s["due"]), "done_on": None} for s in milestones],
        created_at=now, updated_at=now)
    portfolio.patents.set(patents)
    audit_record(actor=actor, action="operations.portfolio.create", obj=portfolio,
                 after={"name": portfolio.name, "patents": len(patents)})
    return portfolio


@transaction.atomic
def portfolio_milestone_done(*, actor, portfolio: HighValuePortfolio, index: int, done_on: dt.date) -> None:
    # Locked and read afresh: two milestones marked at once must both stay marked.
    portfolio.refresh_from_db(from_queryset=HighValuePortfolio.objects.select_for_update())
    if not has_perm(actor, Perm.TECH_OFFER) or portfolio.organization_id != actor.organization_id:
        raise PermissionDenied("只有培育企业可以填报节点")
    if not 0 <= index < len(portfolio.milestones):
        raise ValidationError("没有这个节点")
    if done_on > clock.today():
        raise ValidationError({"done_on": ["完成日期不能晚于今天"]})
    portfolio.milestones[index]["done_on"] = done_on.isoformat()
    portfolio.updated_at = clock.now()
    portfolio.save(update_fields=["milestones", "updated_at"])
    audit_record(actor=actor, action="operations.portfolio.milestone", obj=portfolio,
                 after={"milestone": portfolio.milestones[index]["name"], "done_on": done_on})


def _not_held(organization, patents) -> list[str]:
    """Those of `patents` the organization does not hold now, each with its current patentee."""
    held = holdings(patents)
    return [f"{p.application_number}（当前专利权人：{held[p.pk].label or '登记库未写明'}）" for p in patents
            if not held[p.pk].held_by(organization)]


def establishment_problems(portfolio: HighValuePortfolio, today: dt.date) -> list[str]:
    from ipcity.operations.services import patent_facts

    problems = [f"培育节点“{s['name']}”尚未完成" for s in portfolio.milestones if not s.get("done_on")]
    patents = list(portfolio.patents.all())
    held = holdings(patents)  # a patent the enterprise has since transferred no longer counts for it
    granted_inventions = [p for p in patents if p.patent_type == "invention" and held[p.pk].held_by(
        portfolio.organization) and patent_facts(p, today=today).in_force]
    if len(granted_inventions) < MIN_PORTFOLIO_PATENTS:
        sold = _not_held(portfolio.organization, patents)
        note = f"（已转出、不计入：{'、'.join(sold)}）" if sold else ""
        problems.append(f"有效发明专利 {len(granted_inventions)} 件{note}，形成高价值组合至少需要 {MIN_PORTFOLIO_PATENTS} 件")
    return problems


PORTFOLIO = Workflow(
    name="operations.portfolio", label="高价值专利组合", states=dict(HighValuePortfolio.State.choices),
    parties={"office": "知识产权办公室"},
    transitions=(step("establish", "认定形成", HighValuePortfolio.State.CULTIVATING,
                      HighValuePortfolio.State.ESTABLISHED, by="office"),))


@transaction.atomic
def portfolio_establish(*, actor, portfolio: HighValuePortfolio, established_on: dt.date) -> HighValuePortfolio:
    """The office confirms the portfolio as formed when every milestone is done and it holds enough granted
    inventions in force."""
    require_perm(actor, Perm.OPERATIONS_MANAGE)

    def apply(locked: HighValuePortfolio, transition) -> dict:
        problems = establishment_problems(locked, established_on)
        if established_on > clock.today():
            problems.append("认定日期不能晚于今天")
        if problems:
            raise ValidationError(problems)
        locked.established_on, locked.updated_at = established_on, clock.now()
        return {"established_on": established_on}

    return workflow_step(portfolio, workflow=PORTFOLIO, action="establish", actor=actor, parties={"office"},
                         apply=apply)


# ---- what the indicator engine counts ----

def activity_records() -> list[Activity]:
    done = [Activity(f"navigation_{p.kind}", f"NAV-{p.pk}", p.completed_on)
            for p in NavigationProject.objects.filter(state=NavigationProject.State.COMPLETED)]
    return done + [Activity("high_value_portfolio", f"HVP-{p.pk}", p.established_on)
                   for p in HighValuePortfolio.objects.filter(state=HighValuePortfolio.State.ESTABLISHED)]


def activity_rows(keys: list[str]) -> list[list]:
    projects = {f"NAV-{p.pk}": p for p in NavigationProject.objects.select_related("undertaker").filter(
        pk__in=[int(k[4:]) for k in keys if k.startswith("NAV-")])}
    portfolios = {f"HVP-{p.pk}": p for p in HighValuePortfolio.objects.select_related("organization").filter(
        pk__in=[int(k[4:]) for k in keys if k.startswith("HVP-")])}
    rows = []
    for key in keys:
        if key in projects:
            p = projects[key]
            rows.append([key, p.title, p.undertaker.name, p.get_kind_display(), p.completed_on])
        else:
            p = portfolios[key]
            rows.append([key, p.name, p.organization.name, f"高价值专利组合（{p.industry}）", p.established_on])
    return rows
