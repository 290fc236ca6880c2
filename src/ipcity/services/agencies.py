"""Service agencies (服务机构) and the service cluster (聚集区), brand agency designation, custody (托管) contracts and
the ratings enterprises give the agencies that served them. Agencies in the cluster count toward the plan's 30 while
they are there; SMEs covered by a custody contract the enterprise confirmed count once each toward 150."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.permissions import has_perm, require_perm, scoped
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.inputs import object_or_404
from ipcity.services.models import (
    AGENCY_SERVICES,
    AgencyProfile,
    AgencyRating,
    BrandDesignation,
    ClusterMembership,
    CustodyContract,
)
from ipcity.stats.core.records import Activity
from ipcity.workflow.core import Workflow, step
from ipcity.workflow.services import workflow_step

CUSTODY_SCOPE = {"filing": "专利商标申请管理", "fees": "年费监控与缴纳", "monitoring": "侵权与竞争对手监测",
                 "portfolio": "专利布局与分级管理", "certification": "贯标辅导", "finance": "质押融资对接",
                 "contracts": "许可转让合同管理"}
PILOT_START = dt.date(2024, 1, 1)


def _in_cluster(day: dt.date):
    return Q(joined_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gt=day))


def _with_directory_facts(agencies: QuerySet[Organization]) -> QuerySet[Organization]:
    """Each agency with its profile, rating, cluster stays and brand years, in the same few queries however many
    agencies are listed."""
    return agencies.annotate(
        in_cluster=Exists(ClusterMembership.objects.filter(_in_cluster(clock.today()), agency=OuterRef("pk"))),
        rating_mean=Avg("agency_ratings__rating"), ratings=Count("agency_ratings", distinct=True),
    ).select_related("agency_profile").prefetch_related(
        Prefetch("brand_designations", queryset=BrandDesignation.objects.order_by("year")),
        Prefetch("cluster_memberships", queryset=ClusterMembership.objects.order_by("joined_on")))


def agency_list(*, query: str = "", service: str = "", cluster_only: bool = False) -> QuerySet[Organization]:
    """The public directory: agencies that agreed to be listed, with their rating and whether they are in the
    cluster today."""
    agencies = _with_directory_facts(Organization.objects.filter(
        org_type=OrgType.SERVICE_AGENCY, agency_profile__listed=True)).order_by("name", "pk")
    if query.strip():
        agencies = agencies.filter(Q(name__icontains=query.strip()) | Q(agency_profile__description__icontains=query.strip()))
    if service:  # a short list kept as JSON: filtered here the same way on every database
        agencies = agencies.filter(pk__in=[organization_id for organization_id, services in
                                           AgencyProfile.objects.values_list("organization_id", "services")
                                           if service in services])
    if cluster_only:
        agencies = agencies.filter(in_cluster=True)
    return agencies


def agency_get(*, user, pk: int) -> Organization:
    """A listed agency is public; an unlisted one is seen by its own people, its custody clients and the office."""
    agency = _with_directory_facts(Organization.objects.filter(pk=pk, org_type=OrgType.SERVICE_AGENCY)).first()
    if agency is None:
        raise Http404("服务机构不存在")
    profile = getattr(agency, "agency_profile", None)
    if profile and profile.listed:
        return agency
    known = user.is_authenticated and (
        user.organization_id == agency.pk or has_perm(user, Perm.AGENCY_MANAGE)
        or CustodyContract.objects.filter(agency=agency, enterprise_id=user.organization_id).exists())
    if not known:
        raise Http404("服务机构不存在")
    return agency


def agency_rating(agency: Organization) -> dict:
    """From an agency as agency_list or agency_get give it."""
    return {"ratings": agency.ratings, "mean": round(agency.rating_mean, 2) if agency.ratings else None}


def cluster_count(day: dt.date | None = None) -> int:
    return ClusterMembership.objects.filter(_in_cluster(day or clock.today())).values("agency").distinct().count()


def _qualifications(raw) -> list[dict]:
    problems, cleaned = [], []
    for n, q in enumerate(raw or [], start=1):
        if not isinstance(q, dict) or not str(q.get("name", "")).strip() or not str(q.get("number", "")).strip():
            problems.append(f"第{n}项资质缺少名称或证号")
            continue
        valid_until = q.get("valid_until") or None
        if valid_until:
            try:
                valid_until = dt.date.fromisoformat(str(valid_until)).isoformat()
            except ValueError:
                problems.append(f"第{n}项资质的有效期不是日期（YYYY-MM-DD）")
                continue
        cleaned.append({"name": str(q["name"]).strip()[:100], "number": str(q["number"]).strip()[:64],
                        "valid_until": valid_until})
    if problems:
        raise ValidationError({"qualifications": problems})
    return cleaned


@transaction.atomic
def profile_save(*, actor, services: list[str], qualifications: list[dict], staff: int, attorneys: int,
                 description: str, contact_phone: str = "", listed: bool = True) -> AgencyProfile:
    """An agency keeps its own entry; what it claims is shown as it wrote it, with its qualification numbers."""
    require_perm(actor, Perm.AGENCY_PROFILE)
    problems: dict[str, list[str]] = {}
    unknown = set(services) - set(AGENCY_SERVICES)
    if not services or unknown:
        problems["services"] = [f"请选择服务类型：{'、'.join(AGENCY_SERVICES.values())}"]
    if not 0 <= staff <= 100_000 or attorneys < 0 or attorneys > staff:
        problems["attorneys"] = ["人数不能为负，专利代理师人数不能超过从业人员数"]
    if "patent_agency" in services and not attorneys:
        problems["attorneys"] = ["提供专利代理服务的机构应至少有1名专利代理师"]
    try:
        cleaned = _qualifications(qualifications)
    except ValidationError as exc:
        problems.update(exc.message_dict)
        cleaned = []
    if problems:
        raise ValidationError(problems)
    profile, created = AgencyProfile.objects.update_or_create(organization=actor.organization, defaults={
        "services": sorted(services), "qualifications": cleaned, "staff": staff, "attorneys": attorneys,
        "description": description.strip(), "contact_phone": contact_phone.strip()[:20], "listed": listed,
        "updated_at": clock.now()})
    audit_record(actor=actor, action="services.agency.profile", obj=profile,
                 after={"services": profile.services, "listed": listed, "created": created})
    return profile


@transaction.atomic
def cluster_join(*, actor, agency: Organization, place: str, joined_on: dt.date) -> ClusterMembership:
    require_perm(actor, Perm.AGENCY_MANAGE)
    if agency.org_type != OrgType.SERVICE_AGENCY:
        raise ValidationError({"agency": ["只有服务机构可以入驻聚集区"]})
    if not place.strip():
        raise ValidationError({"place": ["请填写入驻位置"]})
    if joined_on > clock.today():
        raise ValidationError({"joined_on": ["入驻日期不能晚于今天"]})
    if ClusterMembership.objects.filter(agency=agency, left_on__isnull=True).exists():
        raise ValidationError({"agency": ["该机构已在聚集区内"]})
    last = ClusterMembership.objects.filter(agency=agency).order_by("-left_on").first()
    if last is not None and joined_on < last.left_on:
        raise ValidationError({"joined_on": [f"入驻日期不能早于上次迁出日期 {last.left_on}"]})
    membership = ClusterMembership.objects.create(agency=agency, place=place.strip()[:200], joined_on=joined_on,
                                                  recorded_by=actor)
    audit_record(actor=actor, action="services.cluster.join", obj=membership, after={"agency": agency.name})
    return membership


@transaction.atomic
def cluster_leave(*, actor, agency: Organization, left_on: dt.date) -> ClusterMembership:
    require_perm(actor, Perm.AGENCY_MANAGE)
    membership = ClusterMembership.objects.select_for_update().filter(agency=agency, left_on__isnull=True).first()
    if membership is None:
        raise ValidationError("该机构不在聚集区内")
    if left_on <= membership.joined_on or left_on > clock.today():
        raise ValidationError({"left_on": ["迁出日期应在入驻日期之后、今天之前"]})
    membership.left_on = left_on
    membership.save(update_fields=["left_on"])
    audit_record(actor=actor, action="services.cluster.leave", obj=membership, after={"left_on": left_on})
    return membership


@transaction.atomic
def brand_designate(*, actor, agency: Organization, year: int, designated_on: dt.date,
                    reason: str) -> BrandDesignation:
    require_perm(actor, Perm.AGENCY_MANAGE)
    if agency.org_type != OrgType.SERVICE_AGENCY:
        raise ValidationError({"agency": ["只能认定服务机构"]})
    if not reason.strip():
        raise ValidationError({"reason": ["请填写认定理由"]})
    if designated_on.year != year or designated_on > clock.today():
        raise ValidationError({"designated_on": ["认定日期应在认定年度内，且不晚于今天"]})
    if BrandDesignation.objects.filter(agency=agency, year=year).exists():
        raise ValidationError({"year": [f"该机构已获{year}年度认定"]})
    designation = BrandDesignation.objects.create(agency=agency, year=year, designated_on=designated_on,
                                                  reason=reason.strip()[:300], designated_by=actor)
    audit_record(actor=actor, action="services.agency.brand", obj=designation, after={"year": year})
    return designation


# ---- custody ----

def custody_list(*, user) -> QuerySet[CustodyContract]:
    return scoped(user, CustodyContract.objects.select_related("agency", "enterprise"), (
        (Perm.AGENCY_MANAGE, None), (Perm.AGENCY_PROFILE, "agency"), (Perm.CUSTODY_CONFIRM, "enterprise")),
        what="托管合同")


def custody_get(*, user, pk: int) -> CustodyContract:
    return object_or_404(custody_list(user=user), "托管合同不存在或无权查看", pk=pk)


@transaction.atomic
def custody_record(*, actor, enterprise: Organization, enterprise_size: str, scope: list[str], starts_on: dt.date,
                   ends_on: dt.date, fee: Decimal | None = None, renewal_of: CustodyContract | None = None,
                   note: str = "") -> CustodyContract:
    """The agency records a contract; it counts only after the enterprise confirms it."""
    require_perm(actor, Perm.AGENCY_PROFILE)
    problems: dict[str, list[str]] = {}
    if enterprise.org_type != OrgType.ENTERPRISE:
        problems["enterprise"] = ["托管对象应为企业"]
    if enterprise_size not in CustodyContract.Size.values:
        problems["enterprise_size"] = ["托管覆盖的是中小微企业：请选择中型、小型或微型"]
    if not scope or set(scope) - set(CUSTODY_SCOPE):
        problems["scope"] = [f"请选择托管范围：{'、'.join(CUSTODY_SCOPE.values())}"]
    if ends_on <= starts_on:
        problems["ends_on"] = ["结束日期应晚于开始日期"]
    if fee is not None and not 0 <= fee < Decimal("100000000"):
        problems["fee"] = ["服务费（万元）应在 0～99999999.99 之间"]
    if renewal_of is not None:
        if renewal_of.agency_id != actor.organization_id or renewal_of.enterprise_id != enterprise.pk:
            problems["renewal_of"] = ["只能续签本机构与同一企业的合同"]
        elif renewal_of.state != CustodyContract.State.CONFIRMED:
            problems["renewal_of"] = ["只能续签已确认的合同"]
        elif starts_on > renewal_of.ends_on + dt.timedelta(days=1) or starts_on <= renewal_of.starts_on:
            problems["starts_on"] = [f"续签应在原合同到期（{renewal_of.ends_on}）后次日前开始"]
    overlapping = CustodyContract.objects.filter(
        agency=actor.organization, enterprise=enterprise, state__in=[CustodyContract.State.PROPOSED,
                                                                     CustodyContract.State.CONFIRMED],
        starts_on__lte=ends_on, ends_on__gte=starts_on).exclude(pk=getattr(renewal_of, "pk", None))
    if overlapping.exists():
        problems["starts_on"] = ["与本机构同该企业的另一份合同期限重叠"]
    if problems:
        raise ValidationError(problems)
    contract = CustodyContract.objects.create(
        agency=actor.organization, enterprise=enterprise, enterprise_size=enterprise_size, scope=sorted(scope),
        starts_on=starts_on, ends_on=ends_on, fee=fee, renewal_of=renewal_of, note=note.strip()[:300],
        recorded_by=actor, created_at=clock.now())
    audit_record(actor=actor, action="services.custody.record", obj=contract,
                 after={"enterprise": enterprise.name, "starts_on": starts_on, "ends_on": ends_on})
    return contract


Custody = CustodyContract.State
CUSTODY = Workflow(
    name="services.custody", label="托管合同", states=dict(Custody.choices),
    parties={"enterprise": "被托管企业", "agency": "托管服务机构"},
    transitions=(
        step("confirm", "确认", Custody.PROPOSED, Custody.CONFIRMED, by="enterprise"),
        step("decline", "不认可", Custody.PROPOSED, Custody.DECLINED, by="enterprise"),
        step("terminate", "提前终止", Custody.CONFIRMED, Custody.TERMINATED, by={"enterprise", "agency"}),
    ))


@transaction.atomic
def custody_answer(*, actor, contract: CustodyContract, confirm: bool, note: str = "") -> CustodyContract:
    """The enterprise confirms (or declines) what the agency recorded in its name."""
    require_perm(actor, Perm.CUSTODY_CONFIRM)
    if contract.enterprise_id != actor.organization_id:
        raise PermissionDenied("只有被托管企业可以确认")

    def apply(locked: CustodyContract, transition) -> None:
        if not confirm and not note.strip():
            raise ValidationError({"note": ["请说明不认可的原因"]})
        locked.confirmed_on = clock.today() if confirm else None
        if note.strip():
            locked.note = note.strip()[:300]

    return workflow_step(contract, workflow=CUSTODY, action="confirm" if confirm else "decline", actor=actor,
                         parties={"enterprise"}, apply=apply)


@transaction.atomic
def custody_terminate(*, actor, contract: CustodyContract, terminated_on: dt.date, note: str) -> CustodyContract:
    """Either party ends a confirmed contract early; coverage already counted stays counted (it is cumulative)."""
    parties = ({"agency"} if actor.organization_id == contract.agency_id and has_perm(actor, Perm.AGENCY_PROFILE)
               else set()) | ({"enterprise"} if actor.organization_id == contract.enterprise_id
                              and has_perm(actor, Perm.CUSTODY_CONFIRM) else set())
    if not parties:
        raise PermissionDenied("只有合同双方可以终止")

    def apply(locked: CustodyContract, transition) -> dict:
        if not note.strip():
            raise ValidationError({"note": ["请说明终止原因"]})
        if not locked.starts_on <= terminated_on <= min(locked.ends_on, clock.today()):
            raise ValidationError({"terminated_on": ["终止日期应在合同期内且不晚于今天"]})
        locked.terminated_on, locked.note = terminated_on, note.strip()[:300]
        return {"on": terminated_on}

    return workflow_step(contract, workflow=CUSTODY, action="terminate", actor=actor, parties=parties, apply=apply)


@transaction.atomic
def agency_rate(*, actor, agency: Organization, rating: int, comment: str = "") -> AgencyRating:
    """An enterprise rates an agency that served it under a confirmed contract; a new rating replaces its last."""
    require_perm(actor, Perm.CUSTODY_CONFIRM)
    served = CustodyContract.objects.filter(agency=agency, enterprise_id=actor.organization_id, state__in=[
        CustodyContract.State.CONFIRMED, CustodyContract.State.TERMINATED]).exists()
    if not served:
        raise PermissionDenied("只有接受过该机构托管服务的企业可以评价")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": ["评价为1～5星"]})
    if rating <= 2 and not comment.strip():
        raise ValidationError({"comment": ["差评请说明原因"]})
    before = AgencyRating.objects.filter(agency=agency, enterprise_id=actor.organization_id).first()
    made, _ = AgencyRating.objects.update_or_create(agency=agency, enterprise_id=actor.organization_id, defaults={
        "rating": rating, "comment": comment.strip()[:300], "rated_at": clock.now()})
    audit_record(actor=actor, action="services.agency.rate", obj=made,
                 before={"rating": before.rating} if before else None, after={"rating": rating})
    return made


# ---- what the indicator engine counts ----

_COUNTED = [CustodyContract.State.CONFIRMED, CustodyContract.State.TERMINATED]  # confirmed at some point


def custody_covered(contracts: QuerySet[CustodyContract]) -> int:
    """How many enterprises the contracts cover once confirmed (the custody page's count of its own contracts)."""
    return contracts.filter(state__in=_COUNTED).values("enterprise_id").distinct().count()


def _first_contracts() -> list[CustodyContract]:
    """Per SME, its first contract confirmed since the pilot began: the SME counts once, from that day."""
    first: dict[int, CustodyContract] = {}
    for contract in CustodyContract.objects.filter(state__in=_COUNTED, starts_on__gte=PILOT_START).order_by(
            "starts_on", "pk"):
        first.setdefault(contract.enterprise_id, contract)
    return list(first.values())


def activity_records() -> list[Activity]:
    """Cluster stays (standing between joining and leaving) and each SME's first confirmed custody contract, keyed
    by the contract so the public lineage carries no enterprise identifier."""
    records = [Activity("cluster_agency", f"CLU-{m.pk}", m.joined_on,
                        m.left_on - dt.timedelta(days=1) if m.left_on else None)
               for m in ClusterMembership.objects.all()]
    return records + [Activity("custody_sme", f"SME-{c.pk}", c.starts_on) for c in _first_contracts()]


def activity_rows(keys: list[str]) -> list[list]:
    prefix = keys[0].split("-")[0] if keys else ""
    ids = [int(k.split("-")[1]) for k in keys]
    if prefix == "CLU":
        found = {f"CLU-{m.pk}": m for m in ClusterMembership.objects.select_related(
            "agency__agency_profile").filter(pk__in=ids)}
        return [[k, _public_name(found[k].agency), found[k].place, found[k].joined_on] for k in keys]
    # Lineage is public and a custody relationship is not: an SME shows as its size and street, never its name.
    found = {f"SME-{c.pk}": c for c in CustodyContract.objects.select_related("enterprise").filter(pk__in=ids)}
    return [[k, found[k].get_enterprise_size_display(), found[k].enterprise.get_street_display() or "—",
             found[k].starts_on] for k in keys]


def activity_rows_unmasked(keys: list[str]) -> list[list]:
    """The custody lineage as the office sees it: each SME's name beside its size and street (audited by the
    caller, stats.selectors.lineage_unmask_audit)."""
    ids = [int(k.split("-")[1]) for k in keys if k.startswith("SME-")]
    found = {f"SME-{c.pk}": c for c in CustodyContract.objects.select_related("enterprise", "agency").filter(pk__in=ids)}
    return [[k, found[k].enterprise.name, found[k].get_enterprise_size_display(),
             found[k].enterprise.get_street_display() or "—", found[k].agency.name, found[k].starts_on] for k in keys]


def _public_name(agency: Organization) -> str:
    profile = getattr(agency, "agency_profile", None)
    return agency.name if profile is not None and profile.listed else "（未在公开名录中展示的机构）"
