from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from ipcity.inputs import object_or_404
from ipcity.plan.selectors import current_plan_or_404, indicator_get
from ipcity.stats import models as m
from ipcity.stats.core.importer import SPECS
from ipcity.stats.forms import ImportForm, ThresholdForm
from ipcity.stats.reports import DOCX_TYPE, indicator_report_docx, indicator_report_xlsx
from ipcity.stats.selectors import (
    BREAKDOWNS,
    REGISTRY_TABLES,
    computed_indicators,
    import_batch_list,
    lineage_columns,
    lineage_kind,
    lineage_masks,
    lineage_rows,
    lineage_unmask_audit,
    lineage_unmasked_for,
    patent_list,
    registry_list,
    registry_row,
    valid_patent_breakdowns,
)
from ipcity.stats.services import (
    engine_setting_set,
    high_value_pledge_threshold,
    import_batch_start,
    import_in_background,
    progress_read,
)
from ipcity.web.paging import page_of
from ipcity.web.params import as_of_param
from ipcity.web.spreadsheets import XLSX_TYPE, csv_response, xlsx_response


@require_safe
def indicator_records(request, code):
    """The records behind a computed indicator value (its lineage), as a page or a download."""
    plan = current_plan_or_404()
    indicator = indicator_get(plan=plan, code=code)
    as_of = as_of_param(request)
    kind = lineage_kind(code)
    result = computed_indicators(plan=plan, as_of=as_of).get(code) if kind else None
    keys = result.records if result else ()
    by, group = request.GET.get("by", ""), request.GET.get("group", "")
    if result is not None and by in BREAKDOWNS and code == "valid_patents":
        keys = tuple(valid_patent_breakdowns(plan=plan, as_of=as_of)[by].get(group, ()))
    unmasked = lineage_unmasked_for(user=request.user, kind=kind)  # the office sees names, audited
    columns = lineage_columns(kind, unmasked=unmasked) if kind else []
    download = request.GET.get("format")
    if download in ("xlsx", "csv") and kind is None:
        raise Http404(f"指标“{indicator.name}”目前不由登记记录计算，没有可下载的记录")
    filename = f"{code}-{as_of.isoformat()}"
    if download in ("xlsx", "csv"):
        if unmasked:
            lineage_unmask_audit(user=request.user, indicator=indicator, kind=kind, keys=keys, channel_format=download)
        rows = lineage_rows(kind=kind, keys=keys, unmasked=unmasked)
        if download == "xlsx":
            return xlsx_response(f"{filename}.xlsx", indicator.name[:31], columns, rows)
        return csv_response(f"{filename}.csv", columns, rows)
    page = page_of(request, keys, per_page=100)
    rows = list(lineage_rows(kind=kind, keys=tuple(page.object_list), unmasked=unmasked)) if kind else []
    if unmasked and rows:
        lineage_unmask_audit(user=request.user, indicator=indicator, kind=kind, keys=page.object_list)
    return render(request, "stats/records.html", {
        "unmasked": unmasked, "masked": bool(kind) and lineage_masks(kind) and not unmasked,
        "nav": "indicators", "indicator": indicator, "as_of": as_of, "result": result, "columns": columns,
        "rows": rows, "page": page, "group": group if by in BREAKDOWNS else "", "by": by,
        "by_label": BREAKDOWNS.get(by, "")})


@login_required
def registry_home(request):
    batches = import_batch_list(user=request.user)
    threshold_form = ThresholdForm(initial={"value": high_value_pledge_threshold()})
    if request.method == "POST" and request.POST.get("form") == "threshold":
        threshold_form = ThresholdForm(request.POST)
        if threshold_form.is_valid():
            engine_setting_set(actor=request.user, key="high_value_pledge_threshold",
                               value=threshold_form.cleaned_data["value"])
            messages.success(request, "门槛已修改，相关指标已按新门槛重新计算")
            return redirect("stats:registry")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and request.POST.get("form") != "threshold" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            form.add_error("file", f"文件超过大小上限 {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB")
        else:
            batch = import_batch_start(kind=form.cleaned_data["kind"], filename=upload.name, actor=request.user,
                                       note=form.cleaned_data["note"])
            import_in_background(batch=batch, data=upload.read())
            return redirect("stats:batch", pk=batch.pk)
    return render(request, "stats/registry.html", {
        "nav": "indicators", "form": form, "batches": batches[:30], "tables": REGISTRY_TABLES,
        "threshold_form": threshold_form, "specs": SPECS.values(),
        "counts": {"专利": m.Patent.objects.count(), "法律事件": m.LegalEvent.objects.count(),
                   "商标": m.Trademark.objects.count(), "质押登记": m.Pledge.objects.count(),
                   "保单": m.InsurancePolicy.objects.count(), "证券化产品": m.SecuritizationProduct.objects.count(),
                   "著作权登记": m.CopyrightRegistration.objects.count(), "地理标志": m.GeographicalIndication.objects.count(),
                   "人口年份": m.PopulationFigure.objects.count(), "战新对照表条目": m.SeiIpcEntry.objects.count()}})


@require_safe
@login_required
def batch_detail(request, pk):
    batch = object_or_404(import_batch_list(user=request.user), pk=pk)
    progress = progress_read(batch.pk) if batch.state == m.ImportBatch.State.RUNNING else None
    template = "stats/_batch_status.html" if request.headers.get("HX-Request") else "stats/batch.html"
    return render(request, template, {"nav": "indicators", "batch": batch, "progress": progress})


@require_safe
@login_required
def registry_records(request, kind):
    if kind not in REGISTRY_TABLES:
        raise Http404("没有这类登记数据")
    table = REGISTRY_TABLES[kind]
    q = request.GET.get("q", "").strip()
    page = page_of(request, registry_list(user=request.user, kind=kind, q=q))
    return render(request, "stats/registry_list.html", {
        "nav": "indicators", "kind": kind, "table": table, "q": q, "page": page,
        "rows": [(record, registry_row(table, record)) for record in page]})


@require_safe
@login_required
def patent_detail(request, number):
    patent = object_or_404(patent_list(user=request.user), application_number=number)
    return render(request, "stats/patent.html", {"nav": "indicators", "patent": patent, "events": patent.events.select_related("batch", "match_batch")})



@require_safe
def indicator_report(request, fmt):
    plan = current_plan_or_404()
    as_of = as_of_param(request)
    if fmt == "xlsx":
        response = HttpResponse(indicator_report_xlsx(plan=plan, as_of=as_of), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(indicator_report_docx(plan=plan, as_of=as_of), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="indicators-{as_of.isoformat()}.{fmt}"'
    return response
