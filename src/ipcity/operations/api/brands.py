"""Brands: holders of well-known marks and time-honored brands, geographical indications, and the office's
watch list of enterprises."""

import datetime as dt

from ninja import Router, Schema, Status

from ipcity.accounts.models import Organization
from ipcity.bounds import Id
from ipcity.inputs import object_or_404
from ipcity.openapi import Rows, paginated
from ipcity.operations.brands import (
    brand_holders,
    geographical_indications,
    watch_add,
    watch_entries,
    watch_remove,
    with_profiles,
)
from ipcity.operations.models import WatchListEntry

router = Router()


class BrandHolderOut(Schema):
    holder: str
    marks: int  # the holder's whole trademark portfolio
    valid: int
    well_known: int
    time_honored: int
    madrid: int


class GeographicalIndicationOut(Schema):
    name: str
    kind: str
    product: str
    holder: str
    registered_on: dt.date


@router.get("/brands/holders", auth=None, response=list[BrandHolderOut],
            summary="驰名商标与老字号注册人及其商标组合（公开）")
@paginated
def brand_holder_list(request):
    return brand_holders()


def _geographical_indication_out(g) -> dict:
    return {"name": g.name, "kind": g.kind, "product": g.product, "holder": g.holder, "registered_on": g.registered_on}


@router.get("/brands/geographical-indications", auth=None, response=list[GeographicalIndicationOut],
            summary="地理标志（公开）")
@paginated
def geographical_indication_list(request):
    return Rows(geographical_indications(), _geographical_indication_out)


class WatchIn(Schema):
    organization: Id
    reason: str
    added_on: dt.date


class IpProfileOut(Schema):
    patents: int  # patents the organization holds now (after recorded transfers)
    granted_inventions: int
    valid_marks: int
    well_known: int
    time_honored: int
    madrid: int


class WatchOut(Schema):
    id: int
    organization: str
    reason: str
    added_on: dt.date
    removed_on: dt.date | None
    profile: IpProfileOut


def _watch_out(e) -> dict:
    """An entry that carries its profile (brands.with_profiles)."""
    return {"id": e.pk, "organization": e.organization.name, "reason": e.reason, "added_on": e.added_on,
            "removed_on": e.removed_on, "profile": e.profile}


@router.get("/watch-list", response=list[WatchOut], summary="重点企业关注名录及各企业知识产权概况（办公室）")
@paginated
def watch(request):
    # A page's profiles are worked out together, in the same few queries however long the page.
    return Rows(watch_entries(user=request.user), out_page=lambda page: [_watch_out(e) for e in with_profiles(page)])


@router.post("/watch-list", response={201: WatchOut}, summary="列入关注名录（办公室）")
def watch_new(request, payload: WatchIn):
    organization = object_or_404(Organization, pk=payload.organization)
    added = watch_add(actor=request.user, organization=organization, reason=payload.reason, added_on=payload.added_on)
    return Status(201, _watch_out(*with_profiles([added])))


class UnwatchIn(Schema):
    removed_on: dt.date


@router.post("/watch-list/{entry_id}/remove", response=WatchOut, summary="移出关注名录（办公室）")
def watch_drop(request, entry_id: int, payload: UnwatchIn):
    entry = object_or_404(WatchListEntry, pk=entry_id)
    return _watch_out(*with_profiles([watch_remove(actor=request.user, entry=entry, removed_on=payload.removed_on)]))
