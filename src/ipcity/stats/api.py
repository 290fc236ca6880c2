import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from ipcity import clock
from ipcity.bounds import Limit, Offset
from ipcity.inputs import object_or_404
from ipcity.openapi import file_response
from ipcity.plan.selectors import current_plan_or_404, indicator_get
from ipcity.stats.reports import DOCX_TYPE, indicator_report_docx, indicator_report_xlsx
from ipcity.stats.selectors import (
    REGISTRY_TABLES,
    computed_indicators,
    import_batch_list,
    lineage_columns,
    lineage_kind,
    lineage_rows,
    lineage_unmask_audit,
    lineage_unmasked_for,
    patent_list,
    registry_list,
    registry_row,
)
from ipcity.stats.services import engine_setting_set, import_batch_start, import_in_background, progress_read
from ipcity.web.spreadsheets import XLSX_TYPE

router = Router(tags=["登记数据与指标计算"])


class RecordsOut(Schema):
    indicator: str
    as_of: dt.date
    value: str | None
    covered: bool  # False: the records are not complete for the period, so there is no computed value (see note)
    note: str
    count: int
    columns: list[str]
    rows: list[list]


@router.get("/indicators/{code}/records", auth=None, response=RecordsOut, summary="指标计算所依据的记录（数据溯源）")
def indicator_records(request, code: str, as_of: dt.date | None = None, offset: Offset = 0, limit: Limit = 100):
    plan = current_plan_or_404()
    indicator = indicator_get(plan=plan, code=code)
    as_of = min(as_of or clock.today(), clock.today())
    kind = lineage_kind(code)
    result = computed_indicators(plan=plan, as_of=as_of).get(code) if kind else None
    if result is None:
        raise ValidationError(f"指标“{indicator.name}”目前不由登记记录计算")
    limit = max(1, min(limit, 1000))
    keys = result.records[max(0, offset): max(0, offset) + limit]
    user = _caller(request)
    unmasked = lineage_unmasked_for(user=user, kind=kind)  # the office sees names, audited
    rows = [[v.isoformat() if isinstance(v, dt.date) else (None if v is None else str(v)) for v in row]
            for row in lineage_rows(kind=kind, keys=keys, unmasked=unmasked)]
    if unmasked and rows:
        lineage_unmask_audit(user=user, indicator=indicator, kind=kind, keys=keys, channel_format="api")
    return {"indicator": code, "as_of": as_of, "value": None if result.value is None else str(result.value),
            "covered": result.covered, "note": result.note, "count": len(result.records), "columns": lineage_columns(kind, unmasked=unmasked),
            "rows": rows}


def _caller(request):
    """This endpoint is public (auth=None): a signed-in session or an API token still says who is asking."""
    from ipcity.accounts.services import api_token_user

    if request.user.is_authenticated:
        return request.user
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    found = api_token_user(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
    return found or request.user


class BatchOut(Schema):
    id: int
    kind: str
    filename: str
    state: str
    state_label: str
    processed_rows: int
    total_rows: int
    created: int
    updated: int
    problems: list[str]


def _batch_out(batch) -> dict:
    progress = progress_read(batch.pk) if batch.state == "running" else None
    processed, total = progress if progress else (batch.processed_rows, batch.total_rows)
    return {"id": batch.pk, "kind": batch.kind, "filename": batch.filename, "state": batch.state,
            "state_label": batch.get_state_display(), "processed_rows": processed, "total_rows": total,
            "created": batch.created, "updated": batch.updated, "problems": batch.problems}


@router.post("/registries/imports", response={202: BatchOut}, summary="上传并导入登记数据（后台执行，返回导入批次）")
def import_start(request, kind: Form[str], file: File[UploadedFile], note: Form[str] = ""):
    if file.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(f"file: 文件超过大小上限 {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB")
    batch = import_batch_start(kind=kind, filename=file.name or "upload", actor=request.user, note=note)
    import_in_background(batch=batch, data=file.read())
    return Status(202, _batch_out(batch))


@router.get("/registries/imports/{batch_id}", response=BatchOut, summary="导入批次的状态与进度")
def import_status(request, batch_id: int):
    return _batch_out(object_or_404(import_batch_list(user=request.user), pk=batch_id))


class RegistryPage(Schema):
    kind: str
    label: str
    count: int
    columns: list[str]
    fields: list[str]
    rows: list[list]


@router.get("/registries/{kind}", response=RegistryPage, summary="登记数据查询（专利、商标、质押、保单、证券化、著作权、地理标志）")
def registry_page(request, kind: str, q: str = "", offset: Offset = 0, limit: Limit = 100):
    if kind not in REGISTRY_TABLES:
        raise Http404(f"没有这类登记数据：{kind}（可用：{'、'.join(REGISTRY_TABLES)}）")
    table = REGISTRY_TABLES[kind]
    records = registry_list(user=request.user, kind=kind, q=q)
    limit = max(1, min(limit, 1000))
    rows = [[_json_cell(v) for v in registry_row(table, r)] for r in records[max(0, offset): max(0, offset) + limit]]
    return {"kind": kind, "label": table.label, "count": records.count(), "columns": [h for _, h in table.columns],
            "fields": [f for f, _ in table.columns], "rows": rows}


class LegalEventOut(Schema):
    date: dt.date
    event_type: str
    event_label: str
    counterparty: str
    amount: str | None
    new_owner_district: str
    history: str
    matched: bool
    differences: list[str]


class PatentEventsOut(Schema):
    application_number: str
    title: str
    events: list[LegalEventOut]


@router.get("/registries/patents/{number}/events", response=PatentEventsOut,
            summary="一件专利的法律事件及其来源（平台交易登记与国家知识产权局数据的匹配）")
def patent_events(request, number: str):
    patent = object_or_404(patent_list(user=request.user), application_number=number)
    events = patent.events.select_related("batch", "match_batch")
    return {"application_number": patent.application_number, "title": patent.title, "events": [
        {"date": e.date, "event_type": e.event_type, "event_label": e.get_event_type_display(),
         "counterparty": e.counterparty, "amount": None if e.amount is None else str(e.amount),
         "new_owner_district": e.new_owner_district, "history": e.history, "matched": bool(e.match_origin),
         "differences": e.match_differences} for e in events]}


def _json_cell(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def _report(fmt: str, as_of: dt.date | None) -> HttpResponse:
    plan = current_plan_or_404()
    as_of = min(as_of or clock.today(), clock.today())
    build, content_type = {"xlsx": (indicator_report_xlsx, XLSX_TYPE), "docx": (indicator_report_docx, DOCX_TYPE)}[fmt]
    response = HttpResponse(build(plan=plan, as_of=as_of), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="indicators-{as_of.isoformat()}.{fmt}"'
    return response


@router.get("/reports/indicators.xlsx", auth=None, openapi_extra=file_response(XLSX_TYPE),
            summary="指标监测报告（Excel，按季度）")
def report_xlsx(request, as_of: dt.date | None = None):
    return _report("xlsx", as_of)


@router.get("/reports/indicators.docx", auth=None, openapi_extra=file_response(DOCX_TYPE),
            summary="指标监测报告（Word）")
def report_docx(request, as_of: dt.date | None = None):
    return _report("docx", as_of)


class SettingIn(Schema):
    value: str


class SettingOut(Schema):
    key: str
    value: str
    note: str


@router.put("/registries/settings/{key}", response=SettingOut, summary="修改指标口径参数（如高价值专利质押金额门槛）")
def setting_put(request, key: str, payload: SettingIn):
    setting = engine_setting_set(actor=request.user, key=key, value=payload.value)
    return {"key": setting.key, "value": setting.value, "note": setting.note}
