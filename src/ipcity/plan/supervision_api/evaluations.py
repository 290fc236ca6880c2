"""Evaluation reports (评估报告), annual or final: drafted from the data, edited, released and downloaded as
official documents."""

import datetime as dt

from django.http import HttpResponse
from ninja import Router, Schema, Status

from ipcity.bounds import Year
from ipcity.openapi import Rows, file_response, paginated
from ipcity.plan.evaluation import (
    DOCUMENT_TYPES,
    EDITABLE,
    evaluation_draft,
    evaluation_file,
    evaluation_release,
    evaluation_report_get,
    evaluation_report_list,
    evaluation_update,
    report_counts,
)
from ipcity.plan.models import EvaluationReport
from ipcity.plan.selectors import current_plan_or_404

router = Router()


class EvaluationListOut(Schema):
    id: int
    kind: str
    year: int | None
    title: str
    as_of: dt.date
    released: bool
    document_number: str


class EvaluationIn(Schema):
    kind: str
    year: Year | None = None


class EvaluationOut(Schema):
    id: int
    kind: str
    kind_label: str
    year: int | None
    title: str
    as_of: dt.date
    released: bool
    document_number: str
    issuer: str
    written_on: dt.date | None
    overview: str
    highlights: str
    problems: str
    next_steps: str
    indicators_met: int
    indicators_not_met: int
    indicators_pending: int
    indicators_without_annual_target: int


def _evaluation_out(report) -> dict:
    counts = report_counts(report)
    return {"id": report.pk, "kind": report.kind, "kind_label": report.get_kind_display(), "year": report.year,
            "title": report.title, "as_of": report.as_of, "released": report.released_at is not None,
            **{field: getattr(report, field) for field in EDITABLE},
            "indicators_met": counts["met"], "indicators_not_met": counts["not_met"],
            "indicators_pending": counts["pending"], "indicators_without_annual_target": counts["no_target"]}


def _evaluation(request, report_id: int) -> EvaluationReport:
    return evaluation_report_get(user=request.user, pk=report_id)


@router.get("/evaluations", response=list[EvaluationListOut], summary="评估报告列表")
@paginated
def evaluation_list(request):
    return Rows(evaluation_report_list(user=request.user, plan=current_plan_or_404()),
                lambda r: {"id": r.pk, "kind": r.kind, "year": r.year, "title": r.title, "as_of": r.as_of,
                           "released": r.released_at is not None, "document_number": r.document_number})


@router.post("/evaluations", response={201: EvaluationOut},
             summary="生成评估报告草稿（终期或年度；年度报告按该年12月31日的数值）")
def evaluation_create(request, payload: EvaluationIn):
    report = evaluation_draft(actor=request.user, plan=current_plan_or_404(), kind=payload.kind, year=payload.year)
    return Status(201, _evaluation_out(report))


@router.get("/evaluations/{report_id}", response=EvaluationOut, summary="查看评估报告")
def evaluation_get(request, report_id: int):
    return _evaluation_out(_evaluation(request, report_id))


class EvaluationPatch(Schema):
    document_number: str | None = None
    issuer: str | None = None
    written_on: dt.date | None = None
    overview: str | None = None
    highlights: str | None = None
    problems: str | None = None
    next_steps: str | None = None


@router.patch("/evaluations/{report_id}", response=EvaluationOut,
              summary="修改评估报告草稿：文号、发文机关、成文日期和基本情况、特色亮点与典型案例、存在问题、下一步打算")
def evaluation_patch(request, report_id: int, payload: EvaluationPatch):
    report = evaluation_update(actor=request.user, report=_evaluation(request, report_id),
                               **payload.dict(exclude_unset=True))
    return _evaluation_out(report)


@router.post("/evaluations/{report_id}/release", response=EvaluationOut, summary="发布评估报告（发布后不能再改）")
def evaluation_publish(request, report_id: int):
    return _evaluation_out(evaluation_release(actor=request.user, report=_evaluation(request, report_id)))


@router.get("/evaluations/{report_id}/document", openapi_extra=file_response(*DOCUMENT_TYPES.values()),
            summary="下载评估报告（format=docx 或 pdf，公文格式）")
def evaluation_document(request, report_id: int, format: str = "pdf"):
    report = _evaluation(request, report_id)
    body, content_type = evaluation_file(report, format, user=request.user)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="evaluation-{report.pk}.{format}"'
    return response
