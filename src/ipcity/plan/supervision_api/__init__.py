"""The supervision JSON API (/api/v1/supervision), one module per topic; `router` is what ipcity.api mounts.

Every method of one path lives in one topic module (two routers holding the same path would hide the second's
methods). Operation ids stay `ipcity_plan_supervision_api_<view>` whatever module a view lives in
(`IpcityAPI.get_openapi_operation_id`), so view names must stay unique across the package."""

from ninja import Router

from ipcity.plan.supervision_api import (
    assessment,
    dashboard,
    evaluations,
    fund,
    interviews,
    items,
    ledger,
    meetings,
)

router = Router(tags=["任务督办"])
for topic in (items, ledger, assessment, fund, evaluations, dashboard, meetings, interviews):
    router.add_router("", topic.router)
