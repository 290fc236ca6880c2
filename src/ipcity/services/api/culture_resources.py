"""Key task 4's culture work: copyright demonstration (自主版权登记数量 by year and the 版权示范单位), cultural resources
(遗传资源、传统知识、民间文艺), 文创 products and activity brands, and the 中医药传承创新发展示范试点 projects with their
TCM traditional-knowledge protection records. Public reads; the office and each kind's responsible unit write,
through the same services as the pages."""

import datetime as dt
from typing import Literal

from ninja import Router, Schema, Status
from pydantic import Field

from ipcity.bounds import Id
from ipcity.inputs import object_or_404
from ipcity.openapi import Rows, paginated
from ipcity.plan.selectors import current_plan, unit_by_code
from ipcity.plan.task_modules import pilot_years
from ipcity.services.api.culture import _unit_out
from ipcity.services.api.schemas import (
    CopyrightWorkOut,
    CulturalProductOut,
    CulturalResourceOut,
    TcmProjectOut,
)
from ipcity.services.culture import demonstration_selected
from ipcity.services.culture_resources import (
    CATEGORIES,
    COPYRIGHT,
    PRODUCT_KINDS,
    PROTECTIONS,
    copyright_years,
    holder_choices,
    product_list,
    product_record,
    resource_list,
    resource_record,
    tcm_knowledge_record,
    tcm_project_create,
    tcm_project_get,
    tcm_project_list,
)

router = Router()


def _codes(choices: dict) -> str:
    return "；".join(f"{value}：{label}" for value, label in choices.items())


def _resource_out(r) -> dict:
    return {"id": r.pk, "category": r.category, "category_label": r.get_category_display(), "name": r.name,
            "description": r.description,
            "holder_organization": r.holder_organization.name if r.holder_organization else None,
            "holder_name": r.holder_name, "protection_status": r.protection_status,
            "protection_status_label": r.get_protection_status_display(), "source": r.source,
            "recorded_on": r.recorded_on, "protected_since": r.protected_since, "tcm_project": r.tcm_project_id,
            "responsible_unit": r.responsible_unit.name, "is_synthetic": r.is_synthetic}


def _product_out(p) -> dict:
    return {"id": p.pk, "kind": p.kind, "kind_label": p.get_kind_display(), "name": p.name,
            "owner_organization": p.owner_organization.name if p.owner_organization else None,
            "owner_name": p.owner_name, "brand": p.brand, "launched_on": p.launched_on, "description": p.description,
            "responsible_unit": p.responsible_unit.name, "is_synthetic": p.is_synthetic}


def _project_out(p) -> dict:
    return {"id": p.pk, "name": p.name, "undertaker": p.undertaker, "approved_on": p.approved_on,
            "summary": p.summary, "responsible_unit": p.responsible_unit.name,
            "knowledge": [_resource_out(k) for k in p.knowledge.all()], "is_synthetic": p.is_synthetic}


def _organization(pk):
    return object_or_404(holder_choices(), "持有单位不存在", pk=pk) if pk is not None else None


def _unit(code):
    return unit_by_code(code) if code else None


# ---- copyright demonstration ----

@router.get("/culture/copyright", auth=None, response=CopyrightWorkOut,
            summary="版权示范：各年度自主版权登记数量和入选的版权示范单位（公开）")
def culture_copyright(request):
    plan = current_plan()
    return {"region": plan.region if plan is not None else "",
            "years": copyright_years(plan=plan, years=pilot_years(plan)) if plan is not None else [],
            "units": [_unit_out(u) for u in demonstration_selected(program=COPYRIGHT)]}


# ---- cultural resources ----

@router.get("/culture/resources", auth=None, response=list[CulturalResourceOut],
            summary="遗传资源、传统知识、民间文艺（公开，含中医药传统知识保护记录）")
@paginated
def culture_resources(request):
    return Rows(resource_list(), _resource_out)


class TcmKnowledgeIn(Schema):
    name: str = Field(title="名称")
    holder_organization: Id | None = Field(None, title="持有单位 id", description="平台上的单位；可不填，改填持有人")
    holder_name: str = Field("", title="持有人或传承人", description="未填持有单位时必填")
    protection_status: Literal[tuple(PROTECTIONS)] = Field(  # type: ignore[valid-type]
        title="保护状态", description=_codes(PROTECTIONS))
    source: str = Field(title="来源", description="如普查、名录、申报")
    recorded_on: dt.date = Field(title="登记日期")
    protected_since: dt.date | None = Field(None, title="建档或保护起始日期")
    description: str = Field("", title="简介")


class CulturalResourceIn(TcmKnowledgeIn):
    category: Literal[tuple(CATEGORIES)] = Field(title="类别", description=_codes(CATEGORIES))  # type: ignore[valid-type]
    responsible_unit: str | None = Field(None, title="记录单位代码",
                                         description="办公室代为登记时填写（如 culture_tourism）；责任单位登记时不填")


@router.post("/culture/resources", response={201: CulturalResourceOut},
             summary="登记遗传资源、传统知识、民间文艺（办公室、区文化和旅游局）")
def culture_resource_new(request, payload: CulturalResourceIn):
    data = payload.dict()
    data["holder_organization"] = _organization(data["holder_organization"])
    data["responsible_unit"] = _unit(data["responsible_unit"])
    return Status(201, _resource_out(resource_record(actor=request.user, **data)))


# ---- 文创 products, activity brands, landmarks ----

@router.get("/culture/products", auth=None, response=list[CulturalProductOut],
            summary="文创产品、活动品牌和文化地标（公开）")
@paginated
def culture_products(request):
    return Rows(product_list(), _product_out)


class CulturalProductIn(Schema):
    kind: Literal[tuple(PRODUCT_KINDS)] = Field(title="类别", description=_codes(PRODUCT_KINDS))  # type: ignore[valid-type]
    name: str = Field(title="名称")
    owner_organization: Id | None = Field(None, title="所有单位 id", description="平台上的单位；可不填，改填所有人")
    owner_name: str = Field("", title="所有人或运营主体", description="未填所有单位时必填")
    brand: str = Field("", title="品牌")
    launched_on: dt.date = Field(title="推出日期")
    description: str = Field("", title="简介")
    responsible_unit: str | None = Field(None, title="记录单位代码",
                                         description="办公室代为登记时填写（culture_tourism 或 publicity）；责任单位登记时不填")


@router.post("/culture/products", response={201: CulturalProductOut},
             summary="登记文创产品、活动品牌或文化地标（办公室、区文化和旅游局、区委宣传部）")
def culture_product_new(request, payload: CulturalProductIn):
    data = payload.dict()
    data["owner_organization"] = _organization(data["owner_organization"])
    data["responsible_unit"] = _unit(data["responsible_unit"])
    return Status(201, _product_out(product_record(actor=request.user, **data)))


# ---- 中医药传承创新发展示范试点 ----

@router.get("/culture/tcm-projects", auth=None, response=list[TcmProjectOut],
            summary="中医药传承创新发展示范试点项目及其传统知识保护记录（公开）")
@paginated
def culture_tcm_projects(request):
    return Rows(tcm_project_list(), _project_out)


class TcmProjectIn(Schema):
    name: str = Field(title="项目名称")
    undertaker: str = Field(title="承担单位")
    approved_on: dt.date = Field(title="立项日期")
    summary: str = Field("", title="建设内容")


@router.post("/culture/tcm-projects", response={201: TcmProjectOut},
             summary="登记中医药传承创新发展示范试点项目（办公室、区卫健委）")
def culture_tcm_project_new(request, payload: TcmProjectIn):
    project = tcm_project_create(actor=request.user, **payload.dict())
    return Status(201, _project_out(tcm_project_get(pk=project.pk)))


@router.post("/culture/tcm-projects/{project_id}/knowledge", response={201: CulturalResourceOut},
             summary="登记示范试点项目的中医药传统知识保护记录（办公室、区卫健委）")
def culture_tcm_knowledge_new(request, project_id: int, payload: TcmKnowledgeIn):
    project = tcm_project_get(pk=project_id)
    data = payload.dict()
    data["holder_organization"] = _organization(data["holder_organization"])
    return Status(201, _resource_out(tcm_knowledge_record(actor=request.user, project=project, **data)))
