"""Reads: the public lists, each organization's own records, and the matches for a need or an offer."""

import threading

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ipcity import clock
from ipcity.accounts.models import OrgType
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.inputs import object_or_404
from ipcity.operations.core.matching import Document, Match, MatchIndex
from ipcity.operations.models import Interest, TechNeed, TechOffer
from ipcity.stats.models import ImportBatch, Patent

_lock = threading.Lock()
_indexes: dict[str, tuple[tuple, MatchIndex]] = {}


def offers_public() -> QuerySet[TechOffer]:
    return TechOffer.objects.filter(state=TechOffer.State.PUBLISHED).select_related("patent", "organization")


def offer_get(*, user, pk: int) -> TechOffer:
    """Published offers are public; refused and withdrawn ones only to their organization and the office."""
    offer = object_or_404(TechOffer.objects.select_related("patent", "organization"), "供给信息不存在", pk=pk)
    visible = offer.state == TechOffer.State.PUBLISHED or user.is_authenticated and (
        offer.organization_id == user.organization_id or has_perm(user, Perm.OPERATIONS_MANAGE))
    if not visible:
        raise Http404("供给信息不存在")
    return offer


def needs_public() -> QuerySet[TechNeed]:
    return TechNeed.objects.filter(state=TechNeed.State.PUBLISHED, deadline__gte=clock.today()).select_related(
        "organization")


def needs_visible(*, user) -> QuerySet[TechNeed]:
    """The office sees every need (it reviews them); an enterprise its own and the published ones."""
    if user.is_authenticated and has_perm(user, Perm.OPERATIONS_MANAGE):
        return TechNeed.objects.select_related("organization")
    if user.is_authenticated:
        return (needs_public() | TechNeed.objects.filter(organization_id=user.organization_id)).select_related(
            "organization")
    return needs_public()


def need_get(*, user, pk: int) -> TechNeed:
    return object_or_404(needs_visible(user=user), "需求不存在或尚未发布", pk=pk)


def offers_own(*, user) -> QuerySet[TechOffer]:
    """The user's organization's offers in every state (published, withdrawn, refused)."""
    if not user.is_authenticated:
        return TechOffer.objects.none()
    return TechOffer.objects.filter(organization_id=user.organization_id).select_related("patent")


def needs_own(*, user) -> QuerySet[TechNeed]:
    """The user's organization's needs in every state."""
    if not user.is_authenticated:
        return TechNeed.objects.none()
    return TechNeed.objects.filter(organization_id=user.organization_id)


def needs_pending(*, user) -> QuerySet[TechNeed]:
    """Needs waiting for review: the office's queue, nobody else's."""
    if not (user.is_authenticated and has_perm(user, Perm.OPERATIONS_MANAGE)):
        return TechNeed.objects.none()
    return TechNeed.objects.filter(state=TechNeed.State.PENDING).select_related("organization")


def interests_for(*, user) -> QuerySet[Interest]:
    if not any(has_perm(user, p) for p in (Perm.TECH_OFFER, Perm.TECH_NEED, Perm.OPERATIONS_MANAGE)):
        raise PermissionDenied("无权查看技术对接")
    interests = Interest.objects.select_related("offer__patent", "offer__organization", "organization", "need")
    if has_perm(user, Perm.OPERATIONS_MANAGE):
        return interests
    return interests.filter(organization_id=user.organization_id) | interests.filter(
        offer__organization_id=user.organization_id)


def _synced(name: str, base_key: tuple, documents) -> MatchIndex:
    """The named index, in step with `documents` (key → Document). A change of `base_key` (the registry behind it)
    rebuilds it; otherwise only the documents that appeared, changed or went away are added or removed, so a new
    offer or need is matchable at once without re-segmenting everything else."""
    with _lock:
        hit = _indexes.get(name)
        if hit is None or hit[0] != base_key:
            index = MatchIndex.build(documents.values())
            _indexes[name] = (base_key, index)
            return index
        index = hit[1]
        for key in [k for k in index.keys() if k not in documents]:
            index.remove(key)
        for key, document in documents.items():
            if index.document(key) != document:
                index.add(document)
        return index


def _patent_document(key: str, patent: Patent, fields=(), region: str = "") -> Document:
    return Document(key, patent.title, patent.abstract, tuple(patent.ipc_codes), tuple(fields),
                    region or patent.owner_street)


def supply_index() -> MatchIndex:
    """Published offers, and the in-registry patents of the universities and institutes on the platform (their
    "sleeping" patents), each keyed `offer:<id>` or `patent:<number>`."""
    offers = list(offers_public())
    universities = Patent.objects.filter(patentee__in=_university_names())
    base_key = (ImportBatch.objects.filter(state=ImportBatch.State.DONE).count(), universities.count())
    documents = {f"offer:{o.pk}": _patent_document(f"offer:{o.pk}", o.patent, (o.field,), o.organization.street or "")
                 for o in offers}
    offered = {o.patent_id for o in offers}
    documents.update({f"patent:{p.application_number}": _patent_document(f"patent:{p.application_number}", p)
                      for p in universities.exclude(pk__in=offered)[:20000]})
    return _synced("supply", base_key, documents)


def _university_names() -> list[str]:
    from ipcity.accounts.models import Organization

    return list(Organization.objects.filter(org_type=OrgType.UNIVERSITY).values_list("name", flat=True))


def demand_index() -> MatchIndex:
    return _synced("demand", (), {f"need:{n.pk}": _need_document(n) for n in needs_public()})


def _need_document(need: TechNeed) -> Document:
    return Document(f"need:{need.pk}", need.title, need.problem, tuple(c for c in need.ipc.replace("，", ",").split(",")
                                                                       if c.strip()), (need.field,),
                    need.organization.street or "")


def need_matches(need: TechNeed, *, user, limit: int = 10) -> list[tuple[Match, object]]:
    """The patents and offers matching a need: for the enterprise that posted it and the office only."""
    owner = has_perm(user, Perm.TECH_NEED) and need.organization_id == user.organization_id
    if not owner and not has_perm(user, Perm.OPERATIONS_MANAGE):
        raise PermissionDenied("只有发布企业和知识产权办公室可以查看匹配结果")
    matches = supply_index().search(_need_document(need), limit=limit)
    offers = {f"offer:{o.pk}": o for o in offers_public().filter(pk__in=[int(m.key[6:]) for m in matches
                                                                           if m.key.startswith("offer:")])}
    patents = {f"patent:{p.application_number}": p for p in Patent.objects.filter(
        application_number__in=[m.key[7:] for m in matches if m.key.startswith("patent:")])}
    return [(m, offers.get(m.key) or patents.get(m.key)) for m in matches if m.key in offers or m.key in patents]


def offer_matches(offer: TechOffer, *, user, limit: int = 10) -> list[tuple[Match, TechNeed]]:
    """The needs matching an offer: for the organization that listed it only."""
    if not has_perm(user, Perm.TECH_OFFER) or offer.organization_id != user.organization_id:
        raise PermissionDenied("只有发布机构可以查看匹配结果")
    matches = demand_index().search(_patent_document("query", offer.patent, (offer.field,)), limit=limit)
    needs = {f"need:{n.pk}": n for n in needs_public().filter(pk__in=[int(m.key[5:]) for m in matches])}
    return [(m, needs[m.key]) for m in matches if m.key in needs]
