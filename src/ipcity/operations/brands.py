"""Brands: the holders of well-known marks and time-honored brands with their trademark portfolios and Madrid
filings, geographical indications, and the key-enterprise watch list with each enterprise's IP profile."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.operations.models import WatchListEntry
from ipcity.stats.core.records import EventType
from ipcity.stats.holders import holdings
from ipcity.stats.models import GeographicalIndication, Patent, Trademark


def _valid_marks(today: dt.date) -> Q:
    return (Q(registration_date__lte=today) & (Q(valid_until__gte=today) | Q(valid_until__isnull=True))
            & Q(cancelled_on__isnull=True))


def brand_holders(today: dt.date | None = None) -> list[dict]:
    """Every holder of a well-known mark or a time-honored brand, with its whole trademark portfolio."""
    today = today or clock.today()
    holders = (Trademark.objects.filter(Q(well_known=True) | Q(time_honored=True)).values_list("holder", flat=True)
               .distinct())
    rows = (Trademark.objects.filter(holder__in=list(holders)).values("holder").annotate(
        marks=Count("id"), valid=Count("id", filter=_valid_marks(today)),
        well_known=Count("id", filter=Q(well_known=True)), time_honored=Count("id", filter=Q(time_honored=True)),
        madrid=Count("id", filter=Q(madrid_filing_date__isnull=False))).order_by("-well_known", "-time_honored",
                                                                                 "holder"))
    return list(rows)


def geographical_indications():
    return GeographicalIndication.objects.order_by("registered_on", "id")


def ip_profile(organization: Organization, today: dt.date | None = None) -> dict:
    today = today or clock.today()
    # Who holds a patent now follows recorded transfers and co-owners (stats.holders), not the patentee at filing.
    name = organization.name
    candidates = list(Patent.objects.filter(Q(patentee__contains=name) | Q(
        events__event_type=EventType.TRANSFER, events__counterparty__contains=name)).distinct())
    held = holdings(candidates)
    patents = [p for p in candidates if held[p.pk].held_by(organization)]
    marks = Trademark.objects.filter(holder=name)
    return {"patents": len(patents),
            "granted_inventions": sum(p.patent_type == "invention" and p.grant_date is not None for p in patents),
            "valid_marks": marks.filter(_valid_marks(today)).count(), "well_known": marks.filter(well_known=True).count(),
            "time_honored": marks.filter(time_honored=True).count(),
            "madrid": marks.filter(madrid_filing_date__isnull=False).count()}


def watch_list(*, user) -> list[WatchListEntry]:
    """The office's working list of enterprises to watch, each with its IP profile: the office's alone."""
    return with_profiles(watch_entries(user=user))


def watch_entries(*, user) -> QuerySet[WatchListEntry]:
    """The enterprises on the watch list, newest first, without their profiles (a page of them takes with_profiles)."""
    require_perm(user, Perm.OPERATIONS_MANAGE)
    return WatchListEntry.objects.filter(removed_on__isnull=True).select_related("organization")


def with_profiles(entries) -> list[WatchListEntry]:
    """The entries, each with its organization's IP profile (`profile`)."""
    entries = list(entries)
    for entry in entries:
        entry.profile = ip_profile(entry.organization)
    return entries


@transaction.atomic
def watch_add(*, actor, organization: Organization, reason: str, added_on: dt.date) -> WatchListEntry:
    require_perm(actor, Perm.OPERATIONS_MANAGE)
    problems = {}
    if organization.org_type != OrgType.ENTERPRISE:
        problems["organization"] = ["关注名录只列企业"]
    elif WatchListEntry.objects.filter(organization=organization, removed_on__isnull=True).exists():
        problems["organization"] = ["该企业已在关注名录中"]
    if not reason.strip():
        problems["reason"] = ["请填写列入理由"]
    if added_on > clock.today():
        problems["added_on"] = ["列入日期不能晚于今天"]
    if problems:
        raise ValidationError(problems)
    entry = WatchListEntry.objects.create(organization=organization, reason=reason.strip()[:300], added_on=added_on,
                                          added_by=actor)
    audit_record(actor=actor, action="operations.watch.add", obj=entry, after={"organization": organization.name})
    return entry


@transaction.atomic
def watch_remove(*, actor, entry: WatchListEntry, removed_on: dt.date) -> WatchListEntry:
    require_perm(actor, Perm.OPERATIONS_MANAGE)
    if entry.removed_on is not None:
        raise ValidationError("该企业已移出关注名录")
    if removed_on < entry.added_on:
        raise ValidationError({"removed_on": ["移出日期不能早于列入日期"]})
    entry.removed_on = removed_on
    entry.save(update_fields=["removed_on"])
    audit_record(actor=actor, action="operations.watch.remove", obj=entry, after={"removed_on": removed_on})
    return entry
