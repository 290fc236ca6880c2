"""Open data (开放数据): the public datasets, as JSON records or a CSV download."""

from ninja import Router

from ipcity.services.api.schemas import OpenDatasetOut, OpenDatasetRecordsOut
from ipcity.services.open_data import DATASETS, as_records, csv_response, dataset_get

router = Router()


@router.get("/open-data", auth=None, response=list[OpenDatasetOut], summary="开放数据集目录（公开）")
def open_data_index(request):
    return [{"code": d.code, "title": d.title, "description": d.description, "headers": list(d.headers)}
            for d in DATASETS.values()]


@router.get("/open-data/{code}", auth=None, response=OpenDatasetRecordsOut,
            summary="开放数据集；format=csv 下载 CSV（公开）",
            openapi_extra={"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}})
def open_data_get(request, code: str, format: str = "json"):
    dataset = dataset_get(code)
    if format == "csv":
        return csv_response(dataset)
    return {"dataset": code, "title": dataset.title, "records": as_records(dataset)}
