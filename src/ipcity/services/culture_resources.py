"""Key task 4 beyond trademarks (实施商标品牌运用促进工程): the copyright demonstration work (自主版权登记数量 by year
from the copyright registry, beside the selected 版权示范单位), the district's cultural resources (遗传资源、传统知识、
民间文艺) with their holders and protection status, the 文创 products, activity brands and cultural landmarks launched
from them, and the 中医药传承创新发展示范试点 projects with their TCM traditional-knowledge protection records.

Who records what follows the plan's responsible units for task 4 (units are named by their code in the plan file,
src/ipcity/plan/fixtures/nankai-2024.json): the office records any of them for any of those units; a unit records
its own kind only: 区文化和旅游局 the cultural resources, 区文化和旅游局 or 区委宣传部 the 文创 products and brands,
区卫健委 the TCM pilot projects and their knowledge records. Everything here is public (the heritage lists are
published), so the reads need no user."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet

from ipcity import clock
from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.inputs import object_or_404, text_problem
from ipcity.services.models import CulturalProduct, CulturalResource, DemonstrationUnit, TcmProject

# What each kind of record is, and the plan's units (by code) that record it besides the office.
KINDS = {
    "resource": ("遗传资源、传统知识、民间文艺", ("culture_tourism",)),
    "product": ("文创产品、活动品牌和文化地标", ("culture_tourism", "publicity")),
    "tcm": ("中医药传承创新发展示范试点项目及其传统知识保护记录", ("health",)),
}
CATEGORIES = dict(CulturalResource.Category.choices)
PROTECTIONS = dict(CulturalResource.Protection.choices)
PRODUCT_KINDS = dict(CulturalProduct.Kind.choices)
DESCRIPTION_MAX = 2000


# ---------------------------------------------------------------- who records

def responsible_units(kind: str) -> list[Organization]:
    """The units that record this kind, in the order the plan's codes are listed here."""
    codes = KINDS[kind][1]
    found = {o.code: o for o in Organization.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def may_record(user, kind: str) -> bool:
    """The office, or staff of one of the kind's responsible units."""
    if not user.is_authenticated:
        return False
    if has_perm(user, Perm.CULTURE_RESOURCE_MANAGE):
        return True
    return has_perm(user, Perm.CULTURE_RESOURCE_RECORD) and user.organization is not None and \
        user.organization.code in KINDS[kind][1]


def _recorder_unit(actor, kind: str, unit: Organization | None) -> Organization:
    """The unit the record is kept under: the office names one of the kind's units (the first by default); a unit
    records under itself only."""
    label, _codes = KINDS[kind]
    units = responsible_units(kind)
    if not may_record(actor, kind):
        names = "、".join(u.name for u in units) or "责任单位"
        raise PermissionDenied(f"只有知识产权办公室或{names}可以登记{label}")
    if has_perm(actor, Perm.CULTURE_RESOURCE_MANAGE):
        if unit is None:
            if not units:
                raise ValidationError({"responsible_unit": ["记录单位：工作方案中没有该事项的责任单位"]})
            return units[0]
        if unit.pk not in {u.pk for u in units}:
            raise ValidationError({"responsible_unit": [
                f"记录单位应为{'、'.join(u.name for u in units)}"]})
        return unit
    if unit is not None and unit.pk != actor.organization_id:
        raise PermissionDenied("责任单位只能以本单位名义登记")
    return actor.organization


# ---------------------------------------------------------------- checking what is sent

def _text(problems: dict, field: str, label: str, value, *, max_length: int, required: bool = True,
          multiline: bool = False) -> str:
    """The text as sent (stripped at its ends); missing, over-long or with a control character is a problem naming
    the field in Chinese. Never cut short."""
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if required and not value:
        problems.setdefault(field, []).append(f"{label}：请填写{label}")
    elif value and (problem := text_problem(value, multiline=multiline, max_length=max_length)):
        problems.setdefault(field, []).append(f"{label}{problem}")
    return value


def _choice(problems: dict, field: str, label: str, value, choices: dict) -> str:
    if value not in choices:
        problems.setdefault(field, []).append(f"{label}应为{'、'.join(choices.values())}")
    return value


def _past(problems: dict, field: str, label: str, day: dt.date | None, *, required: bool = True) -> None:
    if day is None:
        if required:
            problems.setdefault(field, []).append(f"{label}：请填写{label}")
    elif day > clock.today():
        problems.setdefault(field, []).append(f"{label}不能晚于今天")


def _holder(problems: dict, organization: Organization | None, name: str, *, field: str, label: str) -> None:
    if organization is None and not name:
        problems.setdefault(field, []).append(f"{label}：请选择平台上的单位或填写{label}")


# ---------------------------------------------------------------- copyright demonstration work

def copyright_years(*, plan, years: list[int]) -> list[dict]:
    """自主版权登记数量: the district's own copyright registrations (owner in the plan's region) per registration year,
    works and software apart; one aggregate query."""
    from ipcity.stats.models import CopyrightRegistration

    years = sorted(set(years))
    records = CopyrightRegistration.objects.filter(owner_district=plan.region if plan is not None else "")
    aggregates = {}
    for year in years:
        in_year = Q(registered_on__gte=dt.date(year, 1, 1), registered_on__lt=dt.date(year + 1, 1, 1))
        aggregates[f"w{year}"] = Count("pk", filter=in_year & Q(kind=CopyrightRegistration.Kind.WORK))
        aggregates[f"s{year}"] = Count("pk", filter=in_year & Q(kind=CopyrightRegistration.Kind.SOFTWARE))
    counted = records.aggregate(**aggregates) if aggregates else {}
    return [{"year": y, "works": counted[f"w{y}"] or 0, "software": counted[f"s{y}"] or 0,
             "total": (counted[f"w{y}"] or 0) + (counted[f"s{y}"] or 0)} for y in years]


COPYRIGHT = DemonstrationUnit.Program.COPYRIGHT


# ---------------------------------------------------------------- cultural resources

def resource_list(*, category: str = "") -> QuerySet[CulturalResource]:
    """Public: every recorded item, newest first (the TCM knowledge records among them)."""
    records = CulturalResource.objects.select_related("holder_organization", "responsible_unit", "tcm_project")
    if category:
        if category not in CATEGORIES:
            raise ValidationError({"category": [f"类别应为{'、'.join(CATEGORIES.values())}"]})
        records = records.filter(category=category)
    return records


def _resource_fields(problems: dict, *, category, name, holder_organization, holder_name, protection_status, source,
                     recorded_on, protected_since, description) -> dict:
    fields = {
        "category": _choice(problems, "category", "类别", category, CATEGORIES),
        "name": _text(problems, "name", "名称", name, max_length=200),
        "holder_organization": holder_organization,
        "holder_name": _text(problems, "holder_name", "持有人或传承人", holder_name, max_length=200, required=False),
        "protection_status": _choice(problems, "protection_status", "保护状态", protection_status, PROTECTIONS),
        "source": _text(problems, "source", "来源", source, max_length=200),
        "recorded_on": recorded_on, "protected_since": protected_since,
        "description": _text(problems, "description", "简介", description, max_length=DESCRIPTION_MAX,
                             required=False, multiline=True),
    }
    _holder(problems, holder_organization, fields["holder_name"], field="holder_name", label="持有人或传承人")
    _past(problems, "recorded_on", "登记日期", recorded_on)
    _past(problems, "protected_since", "建档或保护起始日期", protected_since, required=False)
    if protected_since is not None and recorded_on is not None and protected_since > recorded_on \
            and "protected_since" not in problems:
        problems.setdefault("protected_since", []).append("建档或保护起始日期不能晚于登记日期")
    if fields["name"] and category in CATEGORIES and CulturalResource.objects.filter(
            category=category, name=fields["name"]).exists():
        problems.setdefault("name", []).append(f"名称：该{CATEGORIES[category]}已登记")
    return fields


def _record_resource(actor, kind: str, *, responsible_unit, tcm_project, is_synthetic, **given) -> CulturalResource:
    unit = _recorder_unit(actor, kind, responsible_unit)
    problems: dict[str, list[str]] = {}
    fields = _resource_fields(problems, **given)
    recorded_on = given["recorded_on"]
    if tcm_project is not None and recorded_on is not None and recorded_on < tcm_project.approved_on:
        problems.setdefault("recorded_on", []).append(
            f"登记日期不能早于项目立项日期（{tcm_project.approved_on:%Y-%m-%d}）")
    if problems:
        raise ValidationError(problems)
    resource = CulturalResource.objects.create(**fields, tcm_project=tcm_project, responsible_unit=unit,
                                               is_synthetic=is_synthetic, created_by=actor, created_at=clock.now())
    audit_record(actor=actor, action="services.culture.resource", obj=resource,
                 after={"category": resource.category, "name": resource.name,
                        "protection_status": resource.protection_status, "recorded_on": resource.recorded_on,
                        "tcm_project": tcm_project.pk if tcm_project else None, "responsible_unit": unit.name})
    return resource


@transaction.atomic
def resource_record(*, actor, category: str, name: str, protection_status: str, source: str,
                    recorded_on: dt.date | None, holder_organization: Organization | None = None,
                    holder_name: str = "", protected_since: dt.date | None = None, description: str = "",
                    responsible_unit: Organization | None = None, is_synthetic: bool = False) -> CulturalResource:
    """The office or 区文化和旅游局 records an item of genetic resources, traditional knowledge or folk art."""
    return _record_resource(actor, "resource", responsible_unit=responsible_unit, tcm_project=None,
                            is_synthetic=is_synthetic, category=category, name=name,
                            holder_organization=holder_organization, holder_name=holder_name,
                            protection_status=protection_status, source=source, recorded_on=recorded_on,
                            protected_since=protected_since, description=description)


# ---------------------------------------------------------------- 文创 products, activity brands, landmarks

def product_list() -> QuerySet[CulturalProduct]:
    return CulturalProduct.objects.select_related("owner_organization", "responsible_unit")


@transaction.atomic
def product_record(*, actor, kind: str, name: str, launched_on: dt.date | None,
                   owner_organization: Organization | None = None, owner_name: str = "", brand: str = "",
                   description: str = "", responsible_unit: Organization | None = None,
                   is_synthetic: bool = False) -> CulturalProduct:
    unit = _recorder_unit(actor, "product", responsible_unit)
    problems: dict[str, list[str]] = {}
    fields = {
        "kind": _choice(problems, "kind", "类别", kind, PRODUCT_KINDS),
        "name": _text(problems, "name", "名称", name, max_length=200),
        "owner_organization": owner_organization,
        "owner_name": _text(problems, "owner_name", "所有人或运营主体", owner_name, max_length=200, required=False),
        "brand": _text(problems, "brand", "品牌", brand, max_length=100, required=False),
        "launched_on": launched_on,
        "description": _text(problems, "description", "简介", description, max_length=DESCRIPTION_MAX,
                             required=False, multiline=True),
    }
    _holder(problems, owner_organization, fields["owner_name"], field="owner_name", label="所有人或运营主体")
    _past(problems, "launched_on", "推出日期", launched_on)
    if fields["name"] and kind in PRODUCT_KINDS and CulturalProduct.objects.filter(kind=kind,
                                                                                   name=fields["name"]).exists():
        problems.setdefault("name", []).append(f"名称：该{PRODUCT_KINDS[kind]}已登记")
    if problems:
        raise ValidationError(problems)
    product = CulturalProduct.objects.create(**fields, responsible_unit=unit, is_synthetic=is_synthetic,
                                             created_by=actor, created_at=clock.now())
    audit_record(actor=actor, action="services.culture.product", obj=product,
                 after={"kind": product.kind, "name": product.name, "brand": product.brand,
                        "launched_on": product.launched_on, "responsible_unit": unit.name})
    return product


# ---------------------------------------------------------------- 中医药传承创新发展示范试点

def tcm_project_list() -> QuerySet[TcmProject]:
    """Public: the pilot projects, each with its traditional-knowledge protection records."""
    return TcmProject.objects.select_related("responsible_unit").prefetch_related(Prefetch(
        "knowledge", queryset=CulturalResource.objects.select_related("holder_organization").order_by(
            "-recorded_on", "-pk")))


def tcm_project_get(*, pk) -> TcmProject:
    return object_or_404(tcm_project_list(), "中医药示范试点项目不存在", pk=pk)


@transaction.atomic
def tcm_project_create(*, actor, name: str, undertaker: str, approved_on: dt.date | None, summary: str = "",
                       is_synthetic: bool = False) -> TcmProject:
    """The office or 区卫健委 records a pilot project; 区卫健委 is its responsible unit."""
    unit = _recorder_unit(actor, "tcm", None)
    problems: dict[str, list[str]] = {}
    fields = {"name": _text(problems, "name", "项目名称", name, max_length=200),
              "undertaker": _text(problems, "undertaker", "承担单位", undertaker, max_length=200),
              "approved_on": approved_on,
              "summary": _text(problems, "summary", "建设内容", summary, max_length=DESCRIPTION_MAX, required=False,
                               multiline=True)}
    _past(problems, "approved_on", "立项日期", approved_on)
    if fields["name"] and TcmProject.objects.filter(name=fields["name"]).exists():
        problems.setdefault("name", []).append("项目名称：该项目已登记")
    if problems:
        raise ValidationError(problems)
    project = TcmProject.objects.create(**fields, responsible_unit=unit, is_synthetic=is_synthetic,
                                        created_by=actor, created_at=clock.now())
    audit_record(actor=actor, action="services.culture.tcm_project", obj=project,
                 after={"name": project.name, "undertaker": project.undertaker, "approved_on": project.approved_on})
    return project


@transaction.atomic
def tcm_knowledge_record(*, actor, project: TcmProject, name: str, protection_status: str, source: str,
                         recorded_on: dt.date | None, holder_organization: Organization | None = None,
                         holder_name: str = "", protected_since: dt.date | None = None, description: str = "",
                         is_synthetic: bool = False) -> CulturalResource:
    """A TCM traditional-knowledge protection record of a pilot project (a 传统知识 item linked to the project),
    kept by the office or 区卫健委 under the project's responsible unit."""
    office = has_perm(actor, Perm.CULTURE_RESOURCE_MANAGE)
    return _record_resource(actor, "tcm", responsible_unit=project.responsible_unit if office else None,
                            tcm_project=project, is_synthetic=is_synthetic,
        category=CulturalResource.Category.TRADITIONAL_KNOWLEDGE, name=name,
        holder_organization=holder_organization, holder_name=holder_name, protection_status=protection_status,
        source=source, recorded_on=recorded_on, protected_since=protected_since, description=description)


def holder_choices() -> QuerySet[Organization]:
    """Organizations a record may name as holder or owner (any organization on the platform but the office)."""
    return Organization.objects.exclude(org_type="leading_group_office").order_by("org_type", "name")
