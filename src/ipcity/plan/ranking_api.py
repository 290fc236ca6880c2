"""Goal 一's 国家高新技术企业数量中心城区领先 in the API (/api/v1/plan/high-tech): every central district's count year by
year with its source and 南开's rank (public); entering a figure and importing a sheet are the office's."""

from typing import Literal

from django.core.exceptions import ValidationError
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from ipcity.bounds import bounded_int
from ipcity.plan.models import CentralDistrict, HighTechCount
from ipcity.plan.ranking import (
    DEFINITION,
    HighTechRejected,
    high_tech_import,
    high_tech_record,
    high_tech_years,
    rank_label,
)

router = Router()


class HighTechFigureOut(Schema):
    district: str
    district_label: str
    count: int | None
    source: str
    is_synthetic: bool
    rank: int | None


class HighTechYearOut(Schema):
    year: int
    figures: list[HighTechFigureOut]
    nankai_count: int | None
    nankai_rank: int | None
    rank_label: str
    ranked: int
    leading: bool
    complete: bool
    missing: list[str]
    is_synthetic: bool
    definition: str


@router.get("/high-tech", auth=None, response=list[HighTechYearOut],
            summary="中心城区国家高新技术企业数量及南开区排名（公开）")
def high_tech(request):
    return [{**row, "rank_label": rank_label(row), "definition": DEFINITION} for row in high_tech_years()]


class HighTechIn(Schema):
    year: bounded_int(HighTechCount, "year")
    district: Literal[tuple(CentralDistrict.values)]
    count: bounded_int(HighTechCount, "count")
    source: str


class HighTechRecordedOut(Schema):
    year: int
    district: str
    district_label: str
    count: int
    source: str


@router.post("/high-tech", response={201: HighTechRecordedOut},
             summary="登记一个区某年度的国家高新技术企业数量（仅领导小组办公室；同区同年再次登记则替换）")
def high_tech_record_api(request, payload: HighTechIn):
    figure = high_tech_record(actor=request.user, **payload.dict())
    return Status(201, {"year": figure.year, "district": figure.district,
                        "district_label": figure.get_district_display(), "count": figure.count,
                        "source": figure.source})


class HighTechImportOut(Schema):
    imported: int
    replaced: int


@router.post("/high-tech/import", response=HighTechImportOut,
             summary="导入国家高新技术企业数量（.xlsx/.csv：年度、区、国家高新技术企业数量、来源；有误则整体不导入）")
def high_tech_import_api(request, file: File[UploadedFile]):
    try:
        return high_tech_import(actor=request.user, data=file.read(), filename=file.name or "")
    except HighTechRejected as rejected:
        raise ValidationError([str(p) for p in rejected.problems]) from None
