"""The services area's JSON API (/api/v1/services), one module per topic; `router` is what ipcity.api mounts.

Each topic module keeps its endpoints, their request schemas and the functions that shape their answers; the answers'
schemas are in `schemas.py`. Operation ids stay `ipcity_services_api_<view>` whatever module a view lives in
(`IpcityAPI.get_openapi_operation_id`), so view names must stay unique across the package."""

from ninja import Router

from ipcity.services.api import (
    agencies,
    applications,
    catalogue,
    certification,
    culture,
    culture_resources,
    experts,
    open_data,
    policies,
    training,
)

router = Router(tags=["服务"])
for topic in (catalogue, applications, training, agencies, experts, open_data, certification, culture, culture_resources,
              policies):
    router.add_router("", topic.router)
