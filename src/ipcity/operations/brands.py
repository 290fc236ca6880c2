"""Brands: the holders of well-known marks and time-honored brands with their trademark portfolios and Madrid
filings, geographical indications, and the key-enterprise watch list with each enterprise's IP profile."""

import datetime as dt
from collections import defaultdict

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
from ipcity.stats.models import GeographicalIndication, LegalEvent, Patent, Trademark


def _valid_marks(today: dt.date) -> Q:
    return (Q(registration_date__lte=today) & (Q(valid_until__gte=today) | Q(valid_until__isnull=True))
            & Q(cancelled_on__isnull=True))


def _portfolio(today: dt.date) -> dict:
    """A holder's trademarks counted, for a query grouped by holder."""
    return {"marks": Count("id"), "valid": Count("id", filter=_valid_marks(today)),
            "well_known": Count("id", filter=Q(well_known=True)),
            "time_honored": Count("id", filter=Q(time_honored=True)),
            "madrid": Count("id", filter=Q(madrid_filing_date__isnull=False))}


def brand_holders(today: dt.date | None = None) -> QuerySet:
    """Every holder of a well-known mark or a time-honored brand, with its whole trademark portfolio: one row (a
    dict) per holder, in an order that tells every row apart, so a page of it is read and counted in the database."""
    today = today or clock.today()
    branded = Trademark.objects.filter(Q(well_known=True) | Q(time_honored=True)).values("holder")
    return (Trademark.objects.filter(holder__in=branded).values("holder").annotate(**_portfolio(today))
            .order_by("-well_known", "-time_honored", "holder"))


def geographical_indications():
    return GeographicalIndication.objects.order_by("registered_on", "id")


def ip_profiles(organizations, today: dt.date | None = None) -> dict[int, dict]:
    """Each organization's IP profile, by its id: the same three queries for one organization or a page of them."""
    organizations = list(organizations)
    if not organizations:
        return {}
    today = today or clock.today()
    names = {organization.name for organization in organizations}
    # Who holds a patent now follows recorded transfers and co-owners (stats.holders), not the patentee at filing:
    # a candidate names one of the organizations as patentee or as a transfer's assignee, and holdings decides.
    transferred = LegalEvent.objects.filter(Q(*(("counterparty__contains", name) for name in names), _connector=Q.OR),
                                            event_type=EventType.TRANSFER)
    candidates = list(Patent.objects.filter(Q(*(("patentee__contains", name) for name in names), _connector=Q.OR)
                                            | Q(pk__in=transferred.values("patent_id"))))
    held = holdings(candidates)
    patents_of = defaultdict(list)
    for patent in candidates:
        for name in held[patent.pk].names:
            patents_of[name].append(patent)
    marks_of = {row["holder"]: row for row in Trademark.objects.filter(holder__in=names).values("holder").annotate(
        **_portfolio(today))}
    profiles = {}
    for organization in organizations:
        patents = patents_of.get(organization.name.strip(), [])
        marks = marks_of.get(organization.name, {})
        profiles[organization.pk] = {
            "patents": len(patents),
            "granted_inventions": sum(p.patent_type == "invention" and p.grant_date is not None for p in patents),
            "valid_marks": marks.get("valid", 0), "well_known": marks.get("well_known", 0),
            "time_honored": marks.get("time_honored", 0), "madrid": marks.get("madrid", 0)}
    return profiles


def watch_entries(*, user) -> QuerySet[WatchListEntry]:
    """The enterprises on the watch list, newest first, without their profiles (a page of them takes with_profiles)."""
    require_perm(user, Perm.OPERATIONS_MANAGE)
    return WatchListEntry.objects.filter(removed_on__isnull=True).select_related("organization")


def with_profiles(entries) -> list[WatchListEntry]:
    """The entries, each with its organization's IP profile (`profile`), worked out for all of them together."""
    entries = list(entries)
    profiles = ip_profiles(entry.organization for entry in entries)
    for entry in entries:
        entry.profile = profiles[entry.organization_id]
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
