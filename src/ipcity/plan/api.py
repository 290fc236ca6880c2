import datetime as dt
from decimal import Decimal

from django.http import Http404, HttpResponse
from ninja import Router, Schema, Status

from ipcity.accounts.models import Organization
from ipcity.bounds import bounded_decimal, bounded_int
from ipcity.plan import holidays_api, ranking_api, services, survey_api
from ipcity.plan.core import schema
from ipcity.plan.core.status import STATUS_LABELS
from ipcity.plan.models import Indicator, IndicatorValue, KeyTask
from ipcity.plan.selectors import (
    current_plan_or_404,
    indicator_get,
    plan_export,
    task_get,
    task_list,
)
from ipcity.plan.task_modules import one_task_modules, pilot_years
from ipcity.stats.selectors import indicator_table

router = Router(tags=["工作方案"])
router.add_router("", survey_api.router)  # 知识产权保护社会满意度调查
router.add_router("", ranking_api.router)  # 国家高新技术企业数量：中心城区排名
router.add_router("", holidays_api.router)  # 法定节假日安排：办理时限的工作日


@router.get("", auth=None, response=schema.WorkPlan, summary="当前工作方案全文（与 ipcity plan export 相同格式）")
def plan_get(request):
    plan = plan_export(plan=current_plan_or_404())
    return HttpResponse(schema.dump_plan(plan), content_type="application/json; charset=utf-8")


class PlanImportOut(Schema):
    id: int
    code: str
    version: int


@router.post("/import", response={201: PlanImportOut}, summary="导入新版本工作方案（仅知识产权办公室）")
def plan_import(request):
    plan_data = schema.parse_plan(request.body)
    plan = services.plan_import(plan_data=plan_data, actor=request.user)
    return Status(201, {"id": plan.pk, "code": plan.code, "version": plan.version})


class GoalOut(Schema):
    code: str
    number: int
    name: str
    text: str
    qualitative: list[str]


@router.get("/goals", auth=None, response=list[GoalOut], summary="六大目标领域")
def goals(request):
    return list(current_plan_or_404().goals.all())


class ValueOut(Schema):
    as_of: dt.date
    value: Decimal
    source: str
    reporting_unit: str | None
    is_synthetic: bool


class ForecastOut(Schema):
    projected: float
    low: float
    high: float
    method: str
    horizon: dt.date
    risk: str
    risk_label: str


class IndicatorOut(Schema):
    code: str
    goal: str
    name: str
    target: Decimal | None
    target_display: str
    unit: str
    comparison: str
    period_type: str
    deadline: dt.date
    data_source: str
    reading: str
    source_sentence: str
    key_tasks: list[int]
    latest: ValueOut | None
    status: str
    status_label: str
    computed: bool
    computation_note: str
    forecast: ForecastOut | None


def _indicator_out(row) -> dict:
    i, latest = row["indicator"], row["latest"]
    return {
        "code": i.code, "goal": i.goal.code, "name": i.name, "target": i.target, "target_display": i.target_display,
        "unit": i.unit, "comparison": i.comparison, "period_type": i.period_type, "deadline": i.deadline,
        "data_source": i.data_source, "reading": i.reading, "source_sentence": i.source_sentence,
        "key_tasks": sorted(t.number for t in i.key_tasks.all()),
        "latest": None if latest is None else {
            "as_of": latest.as_of, "value": latest.value, "source": latest.source,
            "reporting_unit": latest.reporting_unit.name if latest.reporting_unit else None,
            "is_synthetic": latest.is_synthetic},
        "status": row["status"].value, "status_label": STATUS_LABELS[row["status"]],
        "computed": row.get("computed") is not None,
        "computation_note": row["computed"].note if row.get("computed") is not None else "",
        "forecast": _forecast_out(row.get("forecast")),
    }


def _forecast_out(entry) -> dict | None:
    if not entry:
        return None
    f = entry["forecast"]
    return {"projected": round(f.projected, 4), "low": round(f.low, 4), "high": round(f.high, 4), "method": f.method,
            "horizon": f.horizon, "risk": entry["risk"], "risk_label": entry["risk_label"]}


@router.get("/indicators", auth=None, response=list[IndicatorOut], summary="全部量化指标及最新值")
def indicators(request, as_of: dt.date | None = None):
    return [_indicator_out(r) for r in indicator_table(plan=current_plan_or_404(), as_of=as_of, with_forecast=True)]


def _row_for(code: str):
    plan = current_plan_or_404()
    indicator = indicator_get(plan=plan, code=code)
    return next(r for r in indicator_table(plan=plan, with_forecast=True) if r["indicator"].pk == indicator.pk)


@router.get("/indicators/{code}", auth=None, response=IndicatorOut, summary="单个指标")
def indicator(request, code: str):
    return _indicator_out(_row_for(code))


class IndicatorPatch(Schema):
    name: str | None = None
    target: bounded_decimal(Indicator, "target") | None = None
    unit: str | None = None
    comparison: str | None = None
    period_type: str | None = None
    deadline: dt.date | None = None
    reading: str | None = None
    data_source: str | None = None


@router.patch("/indicators/{code}", response=IndicatorOut, summary="修改指标目标值或口径（仅知识产权办公室）")
def indicator_patch(request, code: str, payload: IndicatorPatch):
    indicator = indicator_get(plan=current_plan_or_404(), code=code)
    services.indicator_update(indicator=indicator, actor=request.user, **payload.dict(exclude_unset=True))
    return _indicator_out(_row_for(code))


class ValueIn(Schema):
    as_of: dt.date
    value: bounded_decimal(IndicatorValue, "value")
    source: str
    note: str = ""


@router.post("/indicators/{code}/values", response={201: ValueOut}, summary="报送指标数值")
def indicator_value_report(request, code: str, payload: ValueIn):
    indicator = indicator_get(plan=current_plan_or_404(), code=code)
    v = services.indicator_value_report(indicator=indicator, actor=request.user, **payload.dict())
    return Status(201, {"as_of": v.as_of, "value": v.value, "source": v.source, "reporting_unit": v.reporting_unit.name,
                 "is_synthetic": v.is_synthetic})


class UnitRef(Schema):
    id: int
    code: str | None
    name: str
    is_lead: bool


class TaskOut(Schema):
    number: int
    title: str
    action: str
    text: str
    units_text: str
    units: list[UnitRef]
    members_clause: str
    members_clause_label: str


def _task_out(t) -> dict:
    return {"number": t.number, "title": t.title, "action": str(t.action), "text": t.text, "units_text": t.units_text,
            "units": [{"id": a.unit.pk, "code": a.unit.code, "name": a.unit.name, "is_lead": a.is_lead}
                      for a in t.assignments.all()],
            "members_clause": t.members_clause, "members_clause_label": t.members_clause_label}


@router.get("/tasks", auth=None, response=list[TaskOut], summary="18项重点任务")
def tasks(request):
    return [_task_out(t) for t in task_list(plan=current_plan_or_404())]


@router.get("/tasks/{number}", auth=None, response=TaskOut, summary="单项重点任务")
def task(request, number: bounded_int(KeyTask, "number", label="任务序号")):
    return _task_out(task_get(plan=current_plan_or_404(), number=number))


class YearCountOut(Schema):
    year: int
    count: int


class TaskModuleOut(Schema):
    label: str
    unit_label: str
    url: str
    counts: list[YearCountOut]


@router.get("/tasks/{number}/modules", auth=None, response=list[TaskModuleOut],
            summary="重点任务的承载模块及试点各年度记录数")
def task_modules(request, number: bounded_int(KeyTask, "number", label="任务序号")):
    plan = current_plan_or_404()
    years = pilot_years(plan)
    return [{"label": m.label, "unit_label": m.unit_label, "url": m.url,
             "counts": [{"year": y, "count": m.counts[y]} for y in years]}
            for m in one_task_modules(task=task_get(plan=plan, number=number), years=years)]


class TaskUnitsIn(Schema):
    units: list[str]
    members_clause: str = "none"


@router.put("/tasks/{number}/units", response=TaskOut, summary="调整重点任务责任单位，首位为牵头单位（仅知识产权办公室）")
def task_units(request, number: bounded_int(KeyTask, "number", label="任务序号"), payload: TaskUnitsIn):
    plan = current_plan_or_404()
    task = task_get(plan=plan, number=number)
    by_code = {o.code: o for o in Organization.objects.filter(code__in=payload.units)}
    missing = [c for c in payload.units if c not in by_code]
    if missing:
        raise Http404(f"未知的单位代码：{'、'.join(missing)}")
    services.task_units_set(task=task, actor=request.user, units=[by_code[c] for c in payload.units],
                            members_clause=payload.members_clause)
    return _task_out(task_get(plan=plan, number=number))


class SafeguardOut(Schema):
    code: str
    numeral: str
    title: str
    text: str
    units_text: str
    units: list[str]
    members_clause: str


@router.get("/safeguards", auth=None, response=list[SafeguardOut], summary="四项保障措施")
def safeguards(request):
    return [{"code": s.code, "numeral": s.numeral, "title": s.title, "text": s.text, "units_text": s.units_text,
             "units": [u.name for u in s.ordered_units], "members_clause": s.members_clause}
            for s in current_plan_or_404().safeguards.all()]
