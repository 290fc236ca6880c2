from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from ipcity.accounts.models import Organization
from ipcity.protection.inspections import (
    conflict_declare,
    plan_create,
    plan_draw,
    plan_publish,
    plan_visible,
    public_record,
    require_visible,
    risk_set,
)
from ipcity.protection.models import InspectionPlan

router = Router(tags=["保护"])


@router.get("/inspections", auth=None, summary="已公布的双随机抽查计划及结果（公开）")
def inspections(request):
    return [public_record(p) for p in InspectionPlan.objects.all() if plan_visible(request.user, p)]


class PlanIn(Schema):
    code: str
    title: str
    quotas: dict[str, int]  # {"high": 2, "medium": 2, "low": 1}
    inspectors_per_subject: int = 2


@router.post("/inspections", response={201: dict}, summary="草拟抽查计划（办公室）")
def inspection_new(request, payload: PlanIn):
    return Status(201, public_record(plan_create(actor=request.user, **payload.dict())))


def _plan(request, plan_id: int) -> InspectionPlan:
    plan = get_object_or_404(InspectionPlan, pk=plan_id)
    require_visible(request.user, plan)
    return plan


@router.get("/inspections/{plan_id}", auth=None, summary="抽查计划的公示数据（可据此复算）")
def inspection(request, plan_id: int):
    return public_record(_plan(request, plan_id))


@router.post("/inspections/{plan_id}/publish", summary="公布计划：冻结名录和随机种子（办公室）")
def inspection_publish(request, plan_id: int):
    return public_record(plan_publish(actor=request.user, plan=_plan(request, plan_id)))


@router.post("/inspections/{plan_id}/draw", summary="按公布的种子抽取并公示（办公室）")
def inspection_draw(request, plan_id: int):
    return public_record(plan_draw(actor=request.user, plan=_plan(request, plan_id)))


class RiskIn(Schema):
    level: str
    reason: str


@router.put("/risk/{organization_id}", summary="设置机构的信用风险等级（办公室）")
def risk(request, organization_id: int, payload: RiskIn):
    rating = risk_set(actor=request.user, organization=get_object_or_404(Organization, pk=organization_id),
                      **payload.dict())
    return {"organization": rating.organization.name, "level": rating.level, "reason": rating.reason}


class ConflictIn(Schema):
    organization: int
    reason: str


@router.post("/conflicts", response={201: dict}, summary="声明回避（执法人员）")
def conflict(request, payload: ConflictIn):
    made = conflict_declare(actor=request.user, organization=get_object_or_404(Organization, pk=payload.organization),
                            reason=payload.reason)
    return Status(201, {"organization": made.organization.name, "reason": made.reason})
