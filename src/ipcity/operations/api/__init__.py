"""The operation center's JSON API (/api/v1/operations), one module per topic; `router` is what ipcity.api
mounts.

Every method of one path lives in one topic module (two routers holding the same path would hide the second's
methods). Operation ids stay `ipcity_operations_api_<view>` whatever module a view lives in
(`IpcityAPI.get_openapi_operation_id`), so view names must stay unique across the package."""

from ninja import Router

from ipcity.operations.api import brands, clusters, community, finance, matchmaking, navigation, offers_needs

router = Router(tags=["运营中心"])
for topic in (offers_needs, matchmaking, navigation, community, finance, brands, clusters):
    router.add_router("", topic.router)
