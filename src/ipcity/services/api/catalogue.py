"""The public service catalogue (事项清单) and its versioned guides (办事指南)."""

from ninja import Router, Schema, Status

from ipcity.accounts.models import Organization
from ipcity.bounds import Id, bounded_int
from ipcity.inputs import object_or_404
from ipcity.openapi import Rows, paginated
from ipcity.services.api.schemas import ServiceItemOut
from ipcity.services.catalogue import guide_get, guide_publish, item_create, item_get, item_list
from ipcity.services.models import ServiceGuide

router = Router()


def _item_out(item, guide=None) -> dict:
    guide = guide or item.guide
    return {"code": item.code, "name": item.name, "item_type": item.item_type, "unit": item.unit.name,
            "online": item.online, "version": guide.version, "published_at": guide.published_at,
            "change_note": guide.change_note, "guide": guide.content}


@router.get("/items", auth=None, response=list[ServiceItemOut], summary="公共服务事项清单（公开）")
@paginated
def items(request, q: str = ""):
    return Rows(item_list(query=q), _item_out)


@router.get("/items/{code}", auth=None, response=ServiceItemOut, summary="办事指南；version 取历史版本（公开）")
def item(request, code: str, version: bounded_int(ServiceGuide, "version", label="版本") | None = None):
    found = item_get(code=code)
    return _item_out(found, guide_get(item=found, version=version))


class ItemIn(Schema):
    code: str
    name: str
    item_type: str
    unit: Id
    online: bool = True
    guide: dict


@router.post("/items", response={201: ServiceItemOut}, summary="新增服务事项及第1版办事指南（办公室）")
def item_new(request, payload: ItemIn):
    data = payload.dict()
    data["unit"] = object_or_404(Organization, pk=data["unit"])
    return Status(201, _item_out(item_create(actor=request.user, **data)))


class GuideIn(Schema):
    guide: dict
    change_note: str


@router.post("/items/{code}/guides", response={201: ServiceItemOut}, summary="发布办事指南新版本（办公室）")
def guide_new(request, code: str, payload: GuideIn):
    found = item_get(code=code)
    published = guide_publish(actor=request.user, item=found, guide=payload.guide, change_note=payload.change_note)
    return Status(201, _item_out(found, published))
