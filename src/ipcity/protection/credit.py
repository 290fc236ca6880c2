"""Credit supervision: commitments, listings decided by the rules in core/credit.py, repair, the public query (only
what may be published) and the export for the city credit platform (docs/credit-export.md)."""

import datetime as dt
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, JSONField, Q, QuerySet, Value

from ipcity import clock
from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import has_perm, require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.protection.agency_conduct import DISHONESTY_GROUNDS, in_force
from ipcity.protection.core import credit as rules
from ipcity.protection.models import AgencyConductRecord, CreditCommitment, DishonestyListing
from ipcity.web.spreadsheets import CSV_TYPE, csv_bytes
from ipcity.workflow.core import Workflow, step
from ipcity.workflow.services import workflow_step

EXPORT_FORMAT = "ipcity-credit-export/v1"
EXPORT_COLUMNS = ("统一社会信用代码", "主体名称", "列入事由", "法律依据", "列入日期", "期满日期", "状态", "惩戒措施")
State = DishonestyListing.State
LISTED_ORGANIZATION, OFFICE = "listed", "office"


def _not_expired(listing: DishonestyListing) -> str | None:
    if clock.today() >= listing.ends_on:
        return f"当前状态为“{State.EXPIRED.label}”，不能申请修复"
    return None


# A listing ends by repair or by its period running out; the latter is not a step: `current_state` reads it off the
# date, so a listing is never changed to say so.
LISTING = Workflow(
    name="protection.credit", label="失信名单列入记录", states=dict(State.choices),
    parties={LISTED_ORGANIZATION: "被列入的主体", OFFICE: "领导小组办公室"},
    transitions=(
        step("repair_apply", "申请信用修复", State.LISTED, State.REPAIR_APPLIED, by=LISTED_ORGANIZATION,
             guard=_not_expired),
        step("repair_grant", "准予信用修复", State.REPAIR_APPLIED, State.REPAIRED, by=OFFICE),
        step("repair_refuse", "不予信用修复", State.REPAIR_APPLIED, State.LISTED, by=OFFICE, needs_reason=True),
    ))


@transaction.atomic
def commitment_sign(*, actor, text: str, signed_on: dt.date) -> CreditCommitment:
    """An organization commits to lawful conduct in its own name."""
    if not actor.is_authenticated or actor.organization_id is None:
        raise PermissionDenied("请以机构账号作出信用承诺")
    if not text.strip():
        raise ValidationError({"text": ["请填写承诺内容"]})
    if signed_on > clock.today():
        raise ValidationError({"signed_on": ["承诺日期不能晚于今天"]})
    commitment = CreditCommitment.objects.create(organization=actor.organization, text=text.strip(),
                                                 signed_on=signed_on, signed_by=actor)
    audit_record(actor=actor, action="protection.credit.commit", obj=commitment, after={"signed_on": signed_on})
    return commitment


@transaction.atomic
def listing_create(*, actor, organization: Organization, penalties: list[rules.Penalty],
                   listed_on: dt.date) -> DishonestyListing:
    """List an organization when the rules say so; the grounds, basis, period and measures come from the rules."""
    require_perm(actor, Perm.CREDIT_MANAGE)
    if DishonestyListing.objects.filter(organization=organization, ends_on__gt=clock.today(), state__in=[
            DishonestyListing.State.LISTED, DishonestyListing.State.REPAIR_APPLIED]).exists():
        raise ValidationError("该主体已在失信名单中")
    if listed_on > clock.today():
        raise ValidationError({"listed_on": ["列入日期不能晚于今天"]})
    grounds = rules.listing_grounds(penalties, listed_on)
    if not grounds:
        raise ValidationError("所录处罚记录不满足列入失信名单的条件（五年内两次以上侵权处罚、故意侵权或严重违法失信）")
    start, end = rules.listing_period(listed_on)
    if end <= clock.today():
        raise ValidationError({"listed_on": ["按此列入日期，公示期已经届满，不能再列入"]})
    listing = DishonestyListing.objects.create(
        organization=organization, grounds=[g.__dict__ | {"penalties": list(g.penalties)} for g in grounds],
        measures=list(rules.MEASURES), listed_on=start, ends_on=end, listed_by=actor)
    audit_record(actor=actor, action="protection.credit.list", obj=listing,
                 after={"organization": organization.name, "grounds": [g.code for g in grounds]})
    return listing


def current_state(listing: DishonestyListing, today: dt.date | None = None) -> str:
    if listing.state in (DishonestyListing.State.LISTED, DishonestyListing.State.REPAIR_APPLIED) \
            and (today or clock.today()) >= listing.ends_on:
        return DishonestyListing.State.EXPIRED
    return listing.state


@transaction.atomic
def repair_apply(*, actor, listing: DishonestyListing, statement: str) -> DishonestyListing:
    if not actor.is_authenticated or actor.organization_id != listing.organization_id:
        raise PermissionDenied("只有被列入的主体可以申请信用修复")

    def apply(listing: DishonestyListing, transition) -> None:
        if not statement.strip():
            raise ValidationError({"statement": ["请说明整改和履行情况"]})
        listing.repair_statement = statement.strip()

    return workflow_step(listing, workflow=LISTING, action="repair_apply", actor=actor,
                         parties={LISTED_ORGANIZATION}, apply=apply)


@transaction.atomic
def repair_decide(*, actor, listing: DishonestyListing, grant: bool, penalties_fulfilled: bool,
                  new_violations: bool, note: str = "") -> DishonestyListing:
    """Grant only when the rules allow it (listed a year, penalties fulfilled, no new violation, a commitment)."""
    require_perm(actor, Perm.CREDIT_MANAGE)

    def apply(listing: DishonestyListing, transition) -> dict:
        today = clock.today()
        if grant:
            committed = CreditCommitment.objects.filter(organization=listing.organization,
                                                        signed_on__gte=listing.listed_on).exists()
            problems = rules.repair_problems(listed_on=listing.listed_on, today=today,
                                             penalties_fulfilled=penalties_fulfilled, new_violations=new_violations,
                                             commitment_signed=committed)
            if problems:
                raise ValidationError(problems)
            listing.removed_on = today
        listing.repair_decision_note = note.strip()[:300]
        return {"note": listing.repair_decision_note}

    if not grant and not note.strip():
        raise ValidationError({"note": ["不予修复须说明理由"]})
    return workflow_step(listing, workflow=LISTING, action="repair_grant" if grant else "repair_refuse", actor=actor,
                         parties={OFFICE}, reason="" if grant else note, apply=apply)


def listings_for(*, user) -> QuerySet[DishonestyListing]:
    listings = DishonestyListing.objects.select_related("organization")
    if user.is_authenticated and has_perm(user, Perm.PROTECTION_READ_ALL):
        return listings
    if user.is_authenticated and user.organization_id:
        return listings.filter(organization_id=user.organization_id)
    raise PermissionDenied("请登录")


def public_entry(listing: DishonestyListing) -> dict:
    """What may be published: the subject, the grounds and their basis, the period and the measures; never the
    penalty references, statements or notes."""
    return {"credit_code": listing.organization.credit_code, "name": listing.organization.name,
            "grounds": [g["label"] for g in listing.grounds], "basis": sorted({g["basis"] for g in listing.grounds}),
            "listed_on": listing.listed_on.isoformat(), "ends_on": listing.ends_on.isoformat(),
            "state": current_state(listing), "measures": listing.measures}


LISTING_ROW, AGENCY_ROW = 0, 1  # where a public row comes from; on one day, listings come first


def public_query(query: str = "") -> QuerySet:
    """Listings in force (listed, or repair pending), and the service agencies under a dishonesty measure in force
    for their practice (protection/agency_conduct.py), searchable by name or credit code; newest first. One query of
    both, so a page of it is cut in the database; `public_row` writes a row out for the public."""
    today = clock.today()
    listings = DishonestyListing.objects.filter(
        state__in=[DishonestyListing.State.LISTED, DishonestyListing.State.REPAIR_APPLIED], ends_on__gt=today)
    agencies = AgencyConductRecord.objects.filter(in_force(today), measure=AgencyConductRecord.Measure.DISHONEST)
    if query.strip():
        listings = listings.filter(Q(organization__name__icontains=query.strip())
                                   | Q(organization__credit_code=query.strip().upper()))
        agencies = agencies.filter(Q(agency__name__icontains=query.strip())
                                   | Q(agency__credit_code=query.strip().upper()))
    columns = ("entry_kind", "id", "credit_code", "name", "grounds", "basis", "listed_on", "ends_on", "state", "measures")
    listings = listings.annotate(
        entry_kind=Value(LISTING_ROW), credit_code=F("organization__credit_code"), name=F("organization__name"),
        basis=Value("")).values(*columns).order_by()
    agencies = agencies.annotate(
        entry_kind=Value(AGENCY_ROW), credit_code=F("agency__credit_code"), name=F("agency__name"),
        grounds=Value(None, output_field=JSONField()), listed_on=F("occurred_on"), ends_on=F("valid_until"),
        state=Value(DishonestyListing.State.LISTED.value), measures=Value(None, output_field=JSONField()),
    ).values(*columns).order_by()
    # Each part unordered (SQLite refuses an ordered part of a union when it is counted); the union is ordered.
    return listings.union(agencies, all=True).order_by("-listed_on", "entry_kind", "-id")


def public_row(row: dict) -> dict:
    """A row of public_query as the public sees it (public_entry's shape). An agency's measure applies through its
    last valid day, so its `ends_on`, as a listing's, is the day after."""
    if row["entry_kind"] == AGENCY_ROW:
        grounds, basis = [DISHONESTY_GROUNDS], [row["basis"] or rules.BASIS_IP]
        ends_on, measures = row["ends_on"] + dt.timedelta(days=1), list(rules.MEASURES)
    else:
        grounds, basis = [g["label"] for g in row["grounds"]], sorted({g["basis"] for g in row["grounds"]})
        ends_on, measures = row["ends_on"], row["measures"]
    return {"credit_code": row["credit_code"], "name": row["name"], "grounds": grounds, "basis": basis,
            "listed_on": row["listed_on"].isoformat(), "ends_on": ends_on.isoformat(), "state": row["state"],
            "measures": measures}


def export(fmt: str) -> tuple[bytes, str]:
    entries = [public_row(row) for row in public_query()]
    if fmt == "json":
        return (json.dumps({"format": EXPORT_FORMAT, "generated_on": clock.today().isoformat(), "entries": entries},
                           ensure_ascii=False, indent=1).encode(), "application/json; charset=utf-8")
    rows = ([e["credit_code"], e["name"], "；".join(e["grounds"]), "；".join(e["basis"]), e["listed_on"], e["ends_on"],
             e["state"], "；".join(e["measures"])] for e in entries)
    return csv_bytes(list(EXPORT_COLUMNS), rows), CSV_TYPE
