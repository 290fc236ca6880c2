"""The policy library (政策库) and 政策兑现: public reads of the library and its yearly figures; the office or the
responsible unit keeps policies; enterprises apply under a measure, the responsible unit decides and records awards
in bulk from a spreadsheet. The same services as the pages, so the two doors allow the same things."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from ipcity.bounds import Id, Year, bounded_decimal, bounded_int
from ipcity.inputs import object_or_404
from ipcity.openapi import Rows, paginated
from ipcity.plan.selectors import current_plan, unit_by_code
from ipcity.services.models import Policy, PolicyApplication, PolicyAward, PolicyMeasure
from ipcity.services.policies import (
    KINDS,
    LEVELS,
    POLICY_APPLICATION,
    AwardsRejected,
    force_label,
    granted,
    policy_application_get,
    policy_application_list,
    policy_application_step,
    policy_apply,
    policy_award_list,
    policy_awards_import,
    policy_create,
    policy_figures,
    policy_get,
    policy_list,
    policy_update,
)
from ipcity.stats.by_year import pilot_years

router = Router()


def _codes(choices: dict) -> str:
    return "；".join(f"{value}：{label}" for value, label in choices.items())


# ---- what the endpoints answer ----

class PolicyMeasureOut(Schema):
    id: int
    kind: str = Field(description=_codes(KINDS), title="措施类别")
    kind_label: str = Field(title="措施类别（中文）")
    name: str = Field(title="措施名称")
    standard: str = Field(title="支持标准")
    cap: Decimal | None = Field(title="单项上限（元）", description="不设上限或服务类措施为空")


class PolicyOut(Schema):
    id: int
    level: str = Field(description=_codes(LEVELS), title="政策层级")
    level_label: str = Field(title="政策层级（中文）")
    issuer: str = Field(title="发文机关")
    document_number: str = Field(title="文号")
    title: str = Field(title="政策名称")
    summary: str = Field(title="政策摘要")
    issued_on: dt.date = Field(title="印发日期")
    effective_from: dt.date = Field(title="施行日期")
    effective_until: dt.date | None = Field(title="有效期至", description="长期有效为空")
    status: str = Field(title="效力状态", description="有效、尚未施行或已失效（按今天）")
    responsible_unit: str = Field(title="责任单位")
    responsible_unit_code: str | None = Field(title="责任单位代码")
    task_numbers: list[int] = Field(title="服务的重点任务（工作方案任务序号）")
    measures: list[PolicyMeasureOut] = Field(title="政策措施")
    synthetic: bool = Field(title="演示数据")


class PolicyIssuedOut(Schema):
    district: int = Field(title="区级")
    city: int = Field(title="市级")
    national: int = Field(title="国家级")


class PolicyYearOut(Schema):
    year: int = Field(title="年度")
    issued: PolicyIssuedOut = Field(title="当年印发的政策（按层级）")
    issued_total: int = Field(title="当年印发的政策合计")
    awards: int = Field(title="兑现笔数")
    enterprises: int = Field(title="支持企业数（去重）")
    amount: Decimal = Field(title="兑现金额（元）")


class PolicyApplicationOut(Schema):
    id: int
    policy: int = Field(title="政策编号")
    policy_title: str = Field(title="政策名称")
    document_number: str = Field(title="文号")
    measure: int = Field(title="措施编号")
    measure_name: str = Field(title="措施名称")
    enterprise: str = Field(title="申请企业")
    responsible_unit: str = Field(title="责任单位")
    description: str = Field(title="申请说明")
    amount_requested: Decimal | None = Field(title="申请金额（元）")
    state: str = Field(description="；".join(f"{k}：{v}" for k, v in POLICY_APPLICATION.states.items()), title="状态")
    state_label: str = Field(title="状态（中文）")
    submitted_on: dt.date = Field(title="提交日期")
    decided_on: dt.date | None = Field(title="审核日期")
    amount_granted: Decimal | None = Field(title="核定金额（元）")
    reason: str = Field(title="不予兑现理由")


class PolicyAwardOut(Schema):
    id: int
    policy: int = Field(title="政策编号")
    policy_title: str = Field(title="政策名称")
    measure_name: str = Field(title="措施名称")
    enterprise: str = Field(title="受益企业")
    amount: Decimal | None = Field(title="兑现金额（元）", description="服务类措施为空")
    granted_on: dt.date = Field(title="兑现日期")
    source: str = Field(description="application：申请审核；import：批量登记", title="来源")
    application: int | None = Field(title="对应的兑现申请")


class PolicyAwardsImportOut(Schema):
    recorded: int = Field(title="登记的兑现记录数")
    enterprises: int = Field(title="涉及企业数")
    amount: Decimal = Field(title="兑现金额合计（元）")


def _policy_out(p: Policy) -> dict:
    return {"id": p.pk, "level": p.level, "level_label": p.get_level_display(), "issuer": p.issuer,
            "document_number": p.document_number, "title": p.title, "summary": p.summary, "issued_on": p.issued_on,
            "effective_from": p.effective_from, "effective_until": p.effective_until, "status": force_label(p),
            "responsible_unit": p.responsible_unit.name, "responsible_unit_code": p.responsible_unit.code,
            "task_numbers": p.task_numbers, "synthetic": p.is_synthetic,
            "measures": [{"id": m.pk, "kind": m.kind, "kind_label": m.get_kind_display(), "name": m.name,
                          "standard": m.standard, "cap": m.cap} for m in p.measures.all()]}


def _application_out(a: PolicyApplication) -> dict:
    award = granted(a)
    return {"id": a.pk, "policy": a.policy_id, "policy_title": a.policy.title,
            "document_number": a.policy.document_number, "measure": a.measure_id, "measure_name": a.measure.name,
            "enterprise": a.enterprise.name, "responsible_unit": a.policy.responsible_unit.name,
            "description": a.description, "amount_requested": a.amount_requested, "state": a.state,
            "state_label": a.get_state_display(), "submitted_on": a.created_at.date(), "decided_on": a.decided_on,
            "amount_granted": award.amount if award else None, "reason": a.reason}


def _award_out(w: PolicyAward) -> dict:
    return {"id": w.pk, "policy": w.policy_id, "policy_title": w.policy.title, "measure_name": w.measure.name,
            "enterprise": w.enterprise.name, "amount": w.amount, "granted_on": w.granted_on, "source": w.source,
            "application": w.application_id}


# ---- the library ----

@router.get("/policies", auth=None, response=list[PolicyOut],
            summary="政策库（公开）：按层级、是否有效筛选")
@paginated
def policies(request, level: Literal[tuple(LEVELS)] | None = None, in_force: bool | None = None):
    return Rows(policy_list(level=level, in_force=in_force), _policy_out)


@router.get("/policies/figures", auth=None, response=list[PolicyYearOut],
            summary="政策体系建设情况（公开）：各年度印发政策（按层级）、支持企业数、兑现金额")
def policy_year_figures(request, year: Year | None = None):
    plan = current_plan()
    years = [year] if year else (pilot_years(plan) if plan is not None else [])
    return policy_figures(years=years)


class PolicyMeasureIn(Schema):
    kind: Literal[tuple(KINDS)] = Field(description=_codes(KINDS))
    name: str
    standard: str
    cap: bounded_decimal(PolicyMeasure, "cap") | None = None


class PolicyIn(Schema):
    level: Literal[tuple(LEVELS)] = Field(description=_codes(LEVELS))
    issuer: str
    document_number: str
    title: str
    summary: str
    issued_on: dt.date
    effective_from: dt.date
    effective_until: dt.date | None = None
    responsible_unit: str | None = Field(None, description="责任单位代码（工作方案的单位代码）；责任单位登记本单位政策时可不填")
    task_numbers: list[bounded_int(label="重点任务序号", minimum=1, maximum=99)]
    measures: list[PolicyMeasureIn]


def _policy_args(payload: PolicyIn) -> dict:
    data = payload.dict()
    data["responsible_unit"] = unit_by_code(data["responsible_unit"]) if data["responsible_unit"] else None
    return data


@router.post("/policies", response={201: PolicyOut}, summary="登记政策（办公室；责任单位登记本单位政策）")
def policy_new(request, payload: PolicyIn):
    made = policy_create(actor=request.user, **_policy_args(payload))
    return Status(201, _policy_out(policy_get(pk=made.pk)))


@router.get("/policies/{policy_id}", auth=None, response=PolicyOut, summary="政策详情与措施（公开）")
def policy(request, policy_id: int):
    return _policy_out(policy_get(pk=policy_id))


@router.put("/policies/{policy_id}", response=PolicyOut,
            summary="修改政策（办公室；责任单位修改本单位政策）；措施按名称对应，已有兑现的措施不能删除")
def policy_edit(request, policy_id: int, payload: PolicyIn):
    found = policy_get(pk=policy_id)
    policy_update(actor=request.user, policy=found, **_policy_args(payload))
    return _policy_out(policy_get(pk=policy_id))


@router.post("/policies/{policy_id}/awards/import", response=PolicyAwardsImportOut,
             summary="批量登记兑现记录（责任单位；.xlsx/.csv：措施、企业名称、统一社会信用代码、兑现金额（元）、兑现日期、说明）")
def policy_awards_upload(request, policy_id: int, file: File[UploadedFile]):
    found = policy_get(pk=policy_id)
    try:
        return policy_awards_import(actor=request.user, policy=found, data=file.read(), filename=file.name or "")
    except AwardsRejected as rejected:
        raise ValidationError([str(p) for p in rejected.problems]) from None


# ---- 政策兑现 ----

@router.get("/policy-applications", response=list[PolicyApplicationOut],
            summary="政策兑现申请（企业看本企业的，责任单位看本单位政策的，办公室看全部）")
@paginated
def policy_applications(request):
    return Rows(policy_application_list(user=request.user).select_related("award"), _application_out)


class PolicyApplicationIn(Schema):
    measure: Id = Field(description="政策措施编号（政策详情的 measures[].id）")
    amount_requested: bounded_decimal(PolicyApplication, "amount_requested") | None = None
    description: str


@router.post("/policy-applications", response={201: PolicyApplicationOut},
             summary="申请政策兑现（企业；政策须在有效期内，申请金额不超过措施上限）")
def policy_application_new(request, payload: PolicyApplicationIn):
    measure = object_or_404(PolicyMeasure.objects.select_related("policy"), "政策措施不存在", pk=payload.measure)
    made = policy_apply(actor=request.user, measure=measure, amount_requested=payload.amount_requested,
                        description=payload.description)
    return Status(201, _application_out(policy_application_get(user=request.user, pk=made.pk)))


@router.get("/policy-applications/{application_id}", response=PolicyApplicationOut, summary="政策兑现申请详情")
def policy_application(request, application_id: int):
    return _application_out(policy_application_get(user=request.user, pk=application_id))


class PolicyStepIn(Schema):
    action: Literal[POLICY_APPLICATION.actions] = Field(
        description="；".join(f"{k}：{v}" for k, v in POLICY_APPLICATION.action_labels.items()))
    amount_granted: bounded_decimal(PolicyAward, "amount") | None = Field(None, description="准予兑现时的核定金额（元）")
    reason: str = Field("", description="不予兑现须说明理由")


@router.post("/policy-applications/{application_id}/steps", response=PolicyApplicationOut,
             summary="审核：approve（准予兑现，附核定金额）、reject（不予兑现，附理由）由责任单位；withdraw 由申请企业")
def policy_application_act(request, application_id: int, payload: PolicyStepIn):
    found = policy_application_get(user=request.user, pk=application_id)
    policy_application_step(actor=request.user, application=found, **payload.dict())
    return _application_out(policy_application_get(user=request.user, pk=application_id))


@router.get("/policy-awards", response=list[PolicyAwardOut],
            summary="政策兑现记录（企业看本企业的，责任单位看本单位政策的，办公室看全部）")
@paginated
def policy_awards(request):
    return Rows(policy_award_list(user=request.user), _award_out)
