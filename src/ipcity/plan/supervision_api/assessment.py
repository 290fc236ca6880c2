"""The annual assessment (考核评价): scores and ranking, the units left out of it, the office's ratings, the
weights and the bulletin (通报)."""

import datetime as dt
from decimal import Decimal

from django.http import HttpResponse
from ninja import Router, Schema

from ipcity.bounds import Id, Year, bounded_decimal, bounded_number
from ipcity.openapi import Rows, file_response, paginated
from ipcity.plan.assessment import (
    assessment_scheme_set,
    assessment_scope_records,
    assessment_scope_set,
    bulletin_docx,
    office_rating_set,
    unit_scores,
    unranked_units,
)
from ipcity.plan.models import OfficeRating
from ipcity.plan.selectors import current_plan_or_404, unit_by_code
from ipcity.stats.reports import DOCX_TYPE

router = Router()


class ScoreOut(Schema):
    rank: int | None  # None: not ranked
    unit: str
    total: float | None  # None: nothing to assess in the year
    components: dict[str, float | None]
    ranked: bool
    not_ranked: str  # "", nothing_to_assess or left_out
    not_ranked_label: str  # 不参与排名（无考核事项） / 不参与排名（办公室设定）


@router.get("/assessment", response=list[ScoreOut], summary="年度考核评分与排名（无考核事项或办公室设定的单位不参与排名）")
def assessment(request, year: Year, as_of: dt.date | None = None):
    return [{"rank": s.rank, "unit": s.unit, "total": s.total, "components": s.components, "ranked": s.ranked,
             "not_ranked": s.not_ranked, "not_ranked_label": s.not_ranked_label}
            for s in unit_scores(user=request.user, plan=current_plan_or_404(), year=year, as_of=as_of)]


class ScopeUnitOut(Schema):
    id: int
    code: str | None
    name: str


class ScopeChangeOut(Schema):
    set_at: dt.datetime
    set_by: str | None
    unranked_units: list[ScopeUnitOut]


class ScopeOut(Schema):
    unranked_units: list[ScopeUnitOut]
    is_default: bool  # no setting yet: courts and procuratorates are not ranked


class ScopeIn(Schema):
    unranked_units: list[Id]  # organization ids; an empty list ranks every unit


def _scope_unit(u) -> dict:
    return {"id": u.pk, "code": u.code, "name": u.name}


def _scope_out(user) -> dict:
    return {"unranked_units": [_scope_unit(u) for u in unranked_units()],
            "is_default": not assessment_scope_records(user=user).exists()}


def _scope_change_out(change) -> dict:
    return {"set_at": change.set_at,
            "set_by": (change.set_by.full_name or change.set_by.username) if change.set_by else None,
            "unranked_units": [_scope_unit(u) for u in change.unranked_units.all()]}


@router.get("/assessment/scope", response=ScopeOut, summary="不参与排名的单位")
def assessment_scope(request):
    return _scope_out(request.user)


@router.put("/assessment/scope", response=ScopeOut, summary="设定不参与排名的单位（仅领导小组办公室）")
def assessment_scope_put(request, payload: ScopeIn):
    assessment_scope_set(actor=request.user, unit_ids=payload.unranked_units)
    return _scope_out(request.user)


@router.get("/assessment/scope/history", response=list[ScopeChangeOut], summary="不参与排名单位的设定历史（新的在前）")
@paginated
def assessment_scope_history(request):
    return Rows(assessment_scope_records(user=request.user), _scope_change_out)


class UnitRatingIn(Schema):
    year: Year
    score: bounded_decimal(OfficeRating, "score")
    note: str = ""


class RatingOut(Schema):
    unit: str
    year: int
    score: Decimal


@router.put("/assessment/ratings/{unit_code}", response=RatingOut, summary="办公室评分（仅领导小组办公室）")
def rating(request, unit_code: str, payload: UnitRatingIn):
    unit = unit_by_code(unit_code)
    saved = office_rating_set(actor=request.user, unit=unit, year=payload.year, score=payload.score, note=payload.note)
    return {"unit": unit.name, "year": saved.year, "score": saved.score}


class SchemeIn(Schema):
    weights: dict[str, bounded_number(label="权重", minimum=0, maximum=100, decimal_places=4, python_type=float)]


@router.put("/assessment/schemes/{year}", response=SchemeIn, summary="设置年度评分权重（仅领导小组办公室）")
def scheme(request, year: Year, payload: SchemeIn):
    return {"weights": assessment_scheme_set(actor=request.user, year=year, weights=payload.weights).weights}


@router.get("/assessment/bulletin.docx", openapi_extra=file_response(DOCX_TYPE),
            summary="生成考核通报（Word，公文格式；document_number 为文号，可不填）")
def bulletin(request, year: Year, document_number: str = ""):
    response = HttpResponse(bulletin_docx(user=request.user, plan=current_plan_or_404(), year=year,
                                          document_number=document_number.strip()), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="bulletin-{year}.docx"'
    return response
