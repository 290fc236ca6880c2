"""Matchmaking events and their attendees, the industry-university-research alliance, and patent product records."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractYear

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.inputs import object_or_404
from ipcity.operations.models import (
    AllianceMember,
    Deal,
    Interest,
    MatchmakingEvent,
    PatentProduct,
    TechNeed,
    TechOffer,
)
from ipcity.stats.holders import holdings
from ipcity.stats.models import Patent

# The organizations that take part in matchmaking and the alliance (the forms offer only these).
PARTNER_ORG_TYPES = (OrgType.ENTERPRISE, OrgType.UNIVERSITY, OrgType.SERVICE_AGENCY, OrgType.FINANCIAL_INSTITUTION)
PARTNER_LABEL = "企业、高校院所、服务机构或金融机构"


# ---- the public lists: one read behind the page and the API ----

def event_list() -> QuerySet[MatchmakingEvent]:
    return MatchmakingEvent.objects.select_related("organizer").prefetch_related("attendees", "interests")


def alliance_member_list() -> QuerySet[AllianceMember]:
    return AllianceMember.objects.select_related("organization")


def alliance_member_get(*, pk) -> AllianceMember:
    return object_or_404(alliance_member_list(), pk=pk)


def product_list() -> QuerySet[PatentProduct]:
    return PatentProduct.objects.select_related("organization").prefetch_related("patents")


# The plan indicator the product records inform (专利产品产值比重: reported by its unit; the platform shows beside it
# what the register holds).
PRODUCT_INDICATOR = "patent_product_output_share"


def product_output_by_year(years: list[int]) -> list[dict]:
    """Patent products recorded in each year (by 备案日期) and the annual sales their holders declared, summed (万元;
    products without a declared figure counted apart): one aggregate query, however many products."""
    rows = {r["year"]: r for r in PatentProduct.objects.filter(recorded_on__year__in=years)
            .annotate(year=ExtractYear("recorded_on")).values("year")
            .annotate(count=Count("pk"), declared=Count("annual_sales"), sales=Sum("annual_sales")).order_by()}
    return [{"year": year, "count": rows[year]["count"] if year in rows else 0,
             "declared": rows[year]["declared"] if year in rows else 0,
             "sales": rows[year]["sales"] if year in rows and rows[year]["sales"] is not None else Decimal(0)}
            for year in sorted(years)]


@transaction.atomic
def event_record(*, actor, title: str, held_on: dt.date, attendees: list[Organization],
                 organizer: Organization | None = None, place: str = "", summary: str = "",
                 kind: str = MatchmakingEvent.Kind.INDUSTRY_UNIVERSITY) -> MatchmakingEvent:
    """Record a matchmaking event the caller's organization held (the organizer is always the caller's own)."""
    require_perm(actor, Perm.EVENTS_MANAGE)
    organizer = organizer or actor.organization
    problems = {}
    if not title.strip():
        problems["title"] = ["请填写活动名称"]
    if held_on > clock.today():
        problems["held_on"] = ["活动举办后再记录（日期不能晚于今天）"]
    if organizer.pk != actor.organization_id:
        problems["organizer"] = ["主办单位只能是本机构"]
    if not attendees:
        problems["attendees"] = ["请选择参加的机构"]
    elif others := [a.name for a in attendees if a.org_type not in PARTNER_ORG_TYPES]:
        problems["attendees"] = [f"参加机构应为{PARTNER_LABEL}：{'、'.join(others)}不是"]
    if kind not in MatchmakingEvent.Kind.values:
        problems["kind"] = [f"未知的活动类型：{kind}"]
    if problems:
        raise ValidationError(problems)
    event = MatchmakingEvent.objects.create(kind=kind, title=title.strip()[:200], held_on=held_on, place=place.strip()[:200],
                                            organizer=organizer, summary=summary.strip(), created_by=actor,
                                            created_at=clock.now())
    event.attendees.set(attendees)
    audit_record(actor=actor, action="operations.event.record", obj=event,
                 after={"title": event.title, "attendees": len(attendees)})
    return event


@transaction.atomic
def alliance_join(*, actor, organization: Organization, joined_on: dt.date,
                  role: str = AllianceMember.Role.MEMBER) -> AllianceMember:
    require_perm(actor, Perm.OPERATIONS_MANAGE)
    if role not in AllianceMember.Role.values:
        raise ValidationError({"role": [f"未知的身份：{role}"]})
    if organization.org_type not in PARTNER_ORG_TYPES:
        raise ValidationError({"organization": [f"联盟成员应为{PARTNER_LABEL}"]})
    existing = AllianceMember.objects.filter(organization=organization).first()
    if existing is not None and existing.left_on is None:
        raise ValidationError({"organization": ["该机构已是联盟成员"]})
    member, _ = AllianceMember.objects.update_or_create(organization=organization, defaults={
        "role": role, "joined_on": joined_on, "left_on": None})
    audit_record(actor=actor, action="operations.alliance.join", obj=member,
                 after={"organization": organization.name, "role": role})
    return member


@transaction.atomic
def alliance_leave(*, actor, member: AllianceMember, left_on: dt.date) -> AllianceMember:
    require_perm(actor, Perm.OPERATIONS_MANAGE)
    if member.left_on is not None:
        raise ValidationError("该机构已退出联盟")
    if left_on < member.joined_on:
        raise ValidationError({"left_on": ["退出日期不能早于加入日期"]})
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    audit_record(actor=actor, action="operations.alliance.leave", obj=member, after={"left_on": left_on})
    return member


def alliance_activity(member: AllianceMember) -> dict:
    """What a member did through the center: events attended, offers, needs, interests and deals."""
    return alliance_activities([member])[member.organization_id]


def alliance_activities(members) -> dict[int, dict]:
    """alliance_activity of each member, by its organization: six queries however many members there are."""
    ids = [m.organization_id for m in members]
    if not ids:
        return {}

    def per_organization(rows, field: str) -> dict[int, int]:
        return dict(rows.filter(**{f"{field}__in": ids}).values_list(field).annotate(n=Count("pk")).order_by())

    events = per_organization(MatchmakingEvent.attendees.through.objects, "organization_id")
    offers = per_organization(TechOffer.objects, "organization_id")
    needs = per_organization(TechNeed.objects, "organization_id")
    interests = per_organization(Interest.objects, "organization_id")
    bought = per_organization(Deal.objects, "counterparty_id")
    sold = per_organization(Deal.objects, "offer__organization_id")
    return {i: {"events": events.get(i, 0), "offers": offers.get(i, 0), "needs": needs.get(i, 0),
                "interests": interests.get(i, 0), "deals": bought.get(i, 0) + sold.get(i, 0)} for i in ids}


@transaction.atomic
def product_record(*, actor, name: str, patent_numbers: list[str], recorded_on: dt.date, model_number: str = "",
                   record_number: str = "", annual_sales: Decimal | None = None) -> PatentProduct:
    require_perm(actor, Perm.TECH_OFFER)
    problems: dict[str, list[str]] = {}
    if not name.strip():
        problems["name"] = ["请填写产品名称"]
    patents = list(Patent.objects.filter(application_number__in=patent_numbers))
    missing = sorted(set(patent_numbers) - {p.application_number for p in patents})
    if not patent_numbers:
        problems["patent_numbers"] = ["请填写产品实施的专利"]
    if missing:
        problems.setdefault("patent_numbers", []).append(f"专利库中没有：{'、'.join(missing)}")
    held = holdings(patents)
    foreign = [f"{p.application_number}（当前专利权人：{held[p.pk].label or '登记库未写明'}）" for p in patents
               if not held[p.pk].held_by(actor.organization)]
    if foreign:
        problems.setdefault("patent_numbers", []).append(f"不是本机构的专利：{'、'.join(foreign)}")
    ungranted = [p.application_number for p in patents if p.grant_date is None]
    if ungranted:
        problems.setdefault("patent_numbers", []).append(f"尚未授权，不能作为专利产品备案：{'、'.join(ungranted)}")
    if recorded_on > clock.today():
        problems["recorded_on"] = ["备案日期不能晚于今天"]
    if annual_sales is not None and annual_sales < 0:
        problems["annual_sales"] = ["销售额不能为负数"]
    if problems:
        raise ValidationError(problems)
    product = PatentProduct.objects.create(
        organization=actor.organization, name=name.strip()[:200], model_number=model_number.strip()[:100],
        record_number=record_number.strip()[:64], recorded_on=recorded_on, annual_sales=annual_sales,
        created_by=actor, created_at=clock.now())
    product.patents.set(patents)
    audit_record(actor=actor, action="operations.product.record", obj=product,
                 after={"name": product.name, "patents": [p.application_number for p in patents]})
    return product
