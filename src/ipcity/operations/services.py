"""Technology supply and demand: offers (with open licence declarations checked against the law), needs reviewed
by the office, matchmaking from interest to deal. A deal is written to the patent registry as a legal event
(through an import batch, like every registry write), so the indicators count it."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ipcity import clock
from ipcity.accounts.permissions import has_perm, require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.operations.core.open_licence import Declaration, PatentFacts, refusal_reasons
from ipcity.operations.models import (
    FIELDS,
    MATURITY,
    Deal,
    Interest,
    OpenLicenceDeclaration,
    TechNeed,
    TechOffer,
)
from ipcity.stats import matching
from ipcity.stats.core import records, validity
from ipcity.stats.core.records import EVENT_LABELS, EventType
from ipcity.stats.holders import holding
from ipcity.stats.models import LegalEvent, Patent
from ipcity.stats.services import registry_write
from ipcity.web.spreadsheets import interchange_csv
from ipcity.workflow.core import Workflow, step
from ipcity.workflow.services import workflow_step

Mode = TechOffer.Mode
LICENCE_MODES = {Mode.EXCLUSIVE, Mode.SOLE, Mode.ORDINARY, Mode.OPEN}
# The event names the registry's importer reads (docs/data-formats.md), for the events the center writes.
IMPORT_NAMES = {EventType.TRANSFER: "转让", EventType.LICENCE: "许可", EventType.OPEN_LICENCE: "开放许可声明",
                EventType.OPEN_LICENCE_WITHDRAWN: "开放许可声明撤回"}


def _record(patent: Patent) -> records.Patent:
    return records.Patent(patent.application_number, records.PatentType(patent.patent_type), patent.filing_date,
                          patent.grant_date, tuple(patent.ipc_codes), patent.owner_district or None)


def _event_records(patent: Patent) -> list[records.LegalEvent]:
    return [records.LegalEvent(patent.application_number, EventType(e.event_type), e.date)
            for e in patent.events.all()]


def patent_facts(patent: Patent, *, today: dt.date, pledgee_consents: bool = False,
                 has_evaluation_report: bool = False) -> PatentFacts:
    """The facts the open licence rules need, from the registry's legal events and the platform's own deals."""
    events = sorted(_event_records(patent), key=lambda e: e.date)
    last_termination = max((e.date for e in events if e.event_type == EventType.FEE_TERMINATION), default=None)
    last_restoration = max((e.date for e in events if e.event_type == EventType.RESTORATION), default=None)
    pledges = [e.date for e in events if e.event_type == EventType.PLEDGE and e.date <= today]
    releases = [e.date for e in events if e.event_type == EventType.PLEDGE_RELEASE and e.date <= today]
    exclusive = Deal.objects.filter(offer__patent=patent, kind__in=[Mode.EXCLUSIVE, Mode.SOLE],
                                    contract_date__lte=today).order_by("-term_until").first()
    return PatentFacts(
        patent_type=patent.patent_type, granted=patent.grant_date is not None and patent.grant_date <= today,
        in_force=validity.in_force(_record(patent), events, today),
        fees_unpaid=last_termination is not None and (last_restoration is None or last_restoration < last_termination),
        exclusive_or_sole_licence_until=(exclusive.term_until or dt.date.max) if exclusive else None,
        pledged=len(pledges) > len(releases), pledgee_consents=pledgee_consents, suspended=False,
        has_evaluation_report=has_evaluation_report)


def registry_event_taken(patent: Patent, event_type: str, day: dt.date, *, deal: bool = False) -> str | None:
    """Why the workflow may not write this legal event: the registry keeps one event of a kind per patent and day,
    and one already there was not written by this workflow, so writing would rewrite it. A deal's transfer or licence
    that an official import already holds is the same event: the deal matches it (stats.matching)."""
    existing = LegalEvent.objects.filter(patent=patent, event_type=event_type, date=day).first()
    if existing is not None and not (deal and matching.deal_may_link(existing)):
        return (f"专利{patent.application_number}在{day:%Y-%m-%d}已有一条“{EVENT_LABELS[EventType(event_type)]}”登记"
                "（登记库每件专利每天只记一条同类事件），本次登记不能改写它；请核对日期")
    return None


def _registry_event(*, actor, origin: str, patent: Patent, event_type: str, day: dt.date, counterparty: str = "",
                    amount: Decimal | None = None, new_owner_address: str = "") -> None:
    """Write one legal event through an import batch (the registry's only door, which keeps its caches honest), as a
    new record of the workflow record `origin`; an event already there is refused, never rewritten."""
    data = interchange_csv(["申请号", "法律事件", "生效日", "金额", "相对方", "受让人地址"],
                           [[patent.application_number, IMPORT_NAMES[event_type], day.isoformat(),
                             "" if amount is None else str(amount), counterparty, new_owner_address]])
    registry_write(kind="events", data=data, origin=origin, filename="运营中心交易登记.csv",
                   note=f"运营中心：{actor.organization.name if actor.organization else ''}")


def _official_event(patent: Patent, event_type: str, day: dt.date) -> bool:
    """The official import holds this transfer or licence and no deal has matched it yet: a deal would match it."""
    event = LegalEvent.objects.filter(patent=patent, event_type=event_type, date=day).first()
    return event is not None and event_type == EventType.TRANSFER and matching.deal_may_link(event)


def _normalized_number(text: str) -> str:
    return text.strip().upper().removeprefix("ZL").removeprefix("CN")


def _declared_items(declaration: dict, patent: Patent, organization) -> dict[str, list[str]]:
    """An open licence declaration names the listed patent and its current patentee, as the registry knows them: any
    other number or name is refused (it would be published as it was typed)."""
    problems: dict[str, list[str]] = {}
    number = str(declaration.get("patent_number") or "").strip()
    if number and _normalized_number(number) != patent.application_number:
        problems["declaration.patent_number"] = [
            f"声明的专利号“{number}”不是所列专利ZL{patent.application_number}；开放许可声明只能针对所列专利"]
    patentee = str(declaration.get("patentee") or "").strip()
    if patentee and patentee != organization.name:
        problems["declaration.patentee"] = [
            f"声明的专利权人“{patentee}”不是登记库中该专利的当前专利权人（{holding(patent).label or '未知'}）；"
            "开放许可只能由专利权人本人声明"]
    return problems


# ---- offers ----

@transaction.atomic
def offer_create(*, actor, patent_number: str, mode: str, price_terms: str, field: str, maturity: str,
                 scenarios: str = "", declaration: dict | None = None) -> TechOffer:
    """List a patent. An open licence is checked against the law: when the patent may not be declared, the offer
    is kept as refused with every reason, so the patentee sees why."""
    require_perm(actor, Perm.TECH_OFFER)
    problems: dict[str, list[str]] = {}
    patent = Patent.objects.filter(application_number=_normalized_number(patent_number)).first()
    if patent is None:
        problems["patent_number"] = [f"专利库中没有申请号为“{patent_number}”的专利"]
    elif reason := holding(patent).refusal(actor.organization):
        problems["patent_number"] = [reason]
    elif TechOffer.objects.filter(patent=patent, state=TechOffer.State.PUBLISHED).exists():
        problems["patent_number"] = ["该专利已有发布中的供给信息"]
    if mode not in Mode.values:
        problems["mode"] = [f"未知的方式：{mode}"]
    if field not in FIELDS:
        problems["field"] = [f"技术领域应为：{'、'.join(FIELDS)}"]
    if maturity not in MATURITY:
        problems["maturity"] = [f"成熟度应为：{'、'.join(MATURITY)}"]
    if not price_terms.strip():
        problems["price_terms"] = ["请填写价格条件"]
    if mode == Mode.OPEN and not declaration:
        problems["declaration"] = ["开放许可须填写声明事项"]
    elif mode == Mode.OPEN and patent is not None:
        problems.update(_declared_items(declaration, patent, actor.organization))
        if not problems and (taken := registry_event_taken(patent, EventType.OPEN_LICENCE, clock.today())):
            problems["declaration"] = [taken]
    if problems:
        raise ValidationError(problems)
    now = clock.now()
    reasons: list[str] = []
    if mode == Mode.OPEN:
        items = Declaration(patent_number=f"ZL{patent.application_number}", patentee=actor.organization.name,
                            fee_method=declaration.get("fee_method", ""), fee_standard=declaration.get("fee_standard", ""),
                            term_until=declaration.get("term_until"))
        facts = patent_facts(patent, today=clock.today(), pledgee_consents=bool(declaration.get("pledgee_consents")),
                             has_evaluation_report=bool(declaration.get("evaluation_report", "").strip()))
        reasons = refusal_reasons(facts, items, clock.today(), term_end=validity.term_end(_record(patent)))
    # A declaration that fails the open-licence conditions is kept, refused with its reasons, never published.
    offer = TechOffer.objects.create(organization=actor.organization, patent=patent, mode=mode,
                                     price_terms=price_terms.strip()[:300], field=field, maturity=maturity,
                                     scenarios=scenarios.strip(), created_by=actor, created_at=now, updated_at=now,
                                     state=TechOffer.State.REFUSED if reasons else TechOffer.State.PUBLISHED,
                                     refusal_reasons=reasons)
    if mode == Mode.OPEN:
        OpenLicenceDeclaration.objects.create(
            offer=offer, patent_number=items.patent_number[:32], patentee=items.patentee[:300],
            fee_method=items.fee_method[:100], fee_standard=items.fee_standard[:200], term_until=items.term_until,
            pledgee_consents=bool(declaration.get("pledgee_consents")),
            evaluation_report=declaration.get("evaluation_report", "").strip()[:64], declared_at=now)
        if not reasons:
            _registry_event(actor=actor, origin=f"operations.offer:{offer.pk}", patent=patent,
                            event_type=EventType.OPEN_LICENCE, day=clock.today())
    audit_record(actor=actor, action="operations.offer.create", obj=offer,
                 after={"patent": patent.application_number, "mode": mode, "state": offer.state,
                        "reasons": offer.refusal_reasons})
    return offer


OFFER = Workflow(
    name="operations.offer", label="技术供给", states=dict(TechOffer.State.choices),
    parties={"holder": "发布机构"},
    transitions=(
        step("withdraw", "撤回", TechOffer.State.PUBLISHED, TechOffer.State.WITHDRAWN, by="holder"),
        # an assignment recorded under the offer ends it: the patent is no longer the holder's to offer. An offer
        # taken down while the sale was being negotiated stays down, and the sale is recorded as a licence would be.
        step("assign", "转让成交后下架", {TechOffer.State.PUBLISHED, TechOffer.State.WITHDRAWN}, TechOffer.State.WITHDRAWN,
             by="holder"),
    ))


def offer_parties(actor, offer: TechOffer) -> set[str]:
    return {"holder"} if has_perm(actor, Perm.TECH_OFFER) and offer.organization_id == actor.organization_id else set()


@transaction.atomic
def offer_withdraw(*, actor, offer: TechOffer) -> TechOffer:
    """Withdraw an offer; licences already granted under it stay valid (only new ones stop)."""
    if not offer_parties(actor, offer):
        raise PermissionDenied("只有发布机构可以撤回")

    def apply(locked: TechOffer, transition) -> None:
        locked.updated_at = clock.now()

    offer = workflow_step(offer, workflow=OFFER, action="withdraw", actor=actor, parties={"holder"}, apply=apply)
    if offer.mode == Mode.OPEN:
        OpenLicenceDeclaration.objects.filter(offer=offer).update(withdrawn_at=offer.updated_at)
        if registry_event_taken(offer.patent, EventType.OPEN_LICENCE_WITHDRAWN, clock.today()) is None:
            # (when the registry already records a withdrawal that day, it says what this one would: nothing to add)
            _registry_event(actor=actor, origin=f"operations.offer:{offer.pk}", patent=offer.patent,
                            event_type=EventType.OPEN_LICENCE_WITHDRAWN, day=clock.today())
    return offer


# ---- needs ----

@transaction.atomic
def need_create(*, actor, title: str, problem: str, field: str, deadline: dt.date, ipc: str = "",
                budget: Decimal | None = None, confidential: bool = False) -> TechNeed:
    require_perm(actor, Perm.TECH_NEED)
    problems: dict[str, list[str]] = {}
    if not title.strip():
        problems["title"] = ["请填写需求名称"]
    if len(problem.strip()) < 10:
        problems["problem"] = ["请具体描述需要解决的技术问题（至少10个字）"]
    if field not in FIELDS:
        problems["field"] = [f"技术领域应为：{'、'.join(FIELDS)}"]
    if deadline <= clock.today():
        problems["deadline"] = ["有效期应晚于今天"]
    if budget is not None and budget < 0:
        problems["budget"] = ["预算不能为负数"]
    if problems:
        raise ValidationError(problems)
    now = clock.now()
    need = TechNeed.objects.create(organization=actor.organization, title=title.strip()[:200], problem=problem.strip(),
                                   field=field, ipc=ipc.strip()[:100], budget=budget, deadline=deadline,
                                   confidential=confidential, created_by=actor, created_at=now, updated_at=now)
    audit_record(actor=actor, action="operations.need.create", obj=need, after={"title": need.title})
    return need


NEED = Workflow(
    name="operations.need", label="技术需求", states=dict(TechNeed.State.choices),
    parties={"office": "知识产权办公室", "owner": "发布企业"},
    transitions=(
        step("approve", "审核通过", TechNeed.State.PENDING, TechNeed.State.PUBLISHED, by="office"),
        step("reject", "审核不通过", TechNeed.State.PENDING, TechNeed.State.REJECTED, by="office", needs_reason=True),
        # an expired need is stored as published (expiry is read from its deadline, need_state)
        step("renew", "续期", TechNeed.State.PUBLISHED, TechNeed.State.PUBLISHED, by="owner"),
    ))


@transaction.atomic
def need_review(*, actor, need: TechNeed, approve: bool, note: str = "") -> TechNeed:
    require_perm(actor, Perm.OPERATIONS_MANAGE)
    if not approve and not note.strip():
        raise ValidationError({"note": ["不通过须说明理由"]})

    def apply(locked: TechNeed, transition) -> dict:
        locked.review_note, locked.updated_at = note.strip()[:300], clock.now()
        # (a refusal's note is the step's reason, already in the audit row)
        return {"note": locked.review_note} if approve and locked.review_note else None

    return workflow_step(need, workflow=NEED, action="approve" if approve else "reject", actor=actor,
                         parties={"office"}, reason=note, apply=apply, audit_action="operations.need.review")


def need_state(need: TechNeed, today: dt.date | None = None) -> str:
    """A published need past its deadline reads as expired until it is renewed."""
    if need.state == TechNeed.State.PUBLISHED and need.deadline < (today or clock.today()):
        return TechNeed.State.EXPIRED
    return need.state


@transaction.atomic
def need_renew(*, actor, need: TechNeed, deadline: dt.date) -> TechNeed:
    if not has_perm(actor, Perm.TECH_NEED) or need.organization_id != actor.organization_id:
        raise PermissionDenied("只有发布企业可以续期")
    if deadline <= clock.today():
        raise ValidationError({"deadline": ["新的有效期应晚于今天"]})

    def apply(locked: TechNeed, transition) -> dict:
        before, locked.deadline, locked.updated_at = locked.deadline, deadline, clock.now()
        return {"deadline": deadline, "previous_deadline": before}

    return workflow_step(need, workflow=NEED, action="renew", actor=actor, parties={"owner"}, apply=apply,
                         audit_action="operations.need.renew")


# ---- matchmaking ----

@transaction.atomic
def interest_express(*, actor, offer: TechOffer, need: TechNeed | None = None, message: str = "",
                     channel: str = Interest.Channel.MATCHING, event=None) -> Interest:
    """An enterprise's interest in an offer, from the matcher, a matchmaking event (name it) or the alliance."""
    require_perm(actor, Perm.TECH_NEED)
    if offer.state != TechOffer.State.PUBLISHED:
        raise ValidationError("该供给信息未在发布中")
    if offer.organization_id == actor.organization_id:
        raise ValidationError("不能对本机构的供给表达意向")
    if need is not None and need.organization_id != actor.organization_id:
        raise PermissionDenied("只能关联本企业的需求")
    if channel not in Interest.Channel.values:
        raise ValidationError({"channel": [f"未知的渠道：{channel}"]})
    if event is not None:
        channel = Interest.Channel.EVENT
        if not event.attendees.filter(pk=actor.organization_id).exists():
            raise ValidationError({"event": ["本企业没有参加该对接活动"]})
    now = clock.now()
    interest = Interest.objects.create(offer=offer, need=need, organization=actor.organization, channel=channel,
                                       event=event, message=message.strip(), created_by=actor, created_at=now,
                                       updated_at=now)
    audit_record(actor=actor, action="operations.interest.express", obj=interest,
                 after={"offer": offer.pk, "need": need.pk if need else None})
    return interest


Step = Interest.State
INTEREST = Workflow(
    name="operations.interest", label="对接", states=dict(Step.choices),
    parties={"seeker": "意向方", "holder": "供给方"},
    transitions=(
        step("meet", "约见洽谈", Step.EXPRESSED, Step.MEETING, by={"seeker", "holder"}),
        step("negotiate", "进入谈判", Step.MEETING, Step.NEGOTIATING, by={"seeker", "holder"}),
        step("close", "结束（未成交）", {Step.EXPRESSED, Step.MEETING, Step.NEGOTIATING}, Step.CLOSED, by={"seeker", "holder"}),
        step("deal", "登记成交", {Step.MEETING, Step.NEGOTIATING}, Step.DEAL, by="holder"),
    ))
# The steps either side takes on the interest itself; a deal is recorded with its contract (deal_record).
ADVANCE_ACTIONS = tuple(a for a in INTEREST.actions if a != "deal")


def interest_parties(actor, interest: Interest) -> set[str]:
    """The sides of the matchmaking the actor's organization is on."""
    if not actor.is_authenticated or actor.organization_id is None:
        return set()
    return ({"seeker"} if actor.organization_id == interest.organization_id else set()) | (
        {"holder"} if actor.organization_id == interest.offer.organization_id else set())


@transaction.atomic
def interest_advance(*, actor, interest: Interest, action: str, meeting_on: dt.date | None = None) -> Interest:
    parties = interest_parties(actor, interest)
    if not parties:
        raise PermissionDenied("只有对接双方可以推进")
    if action not in ADVANCE_ACTIONS:
        raise ValidationError(f"未知的操作：{action}")

    def apply(locked: Interest, transition) -> None:
        if action == "meet" and meeting_on is None:
            raise ValidationError({"meeting_on": ["请填写洽谈日期"]})
        locked.updated_at = clock.now()
        locked.meeting_on = meeting_on or locked.meeting_on

    return workflow_step(interest, workflow=INTEREST, action=action, actor=actor, parties=parties, apply=apply)


@transaction.atomic
def deal_record(*, actor, interest: Interest, kind: str, amount: Decimal, contract_date: dt.date,
                recordal_date: dt.date, term_until: dt.date | None = None) -> Deal:
    """The licensor or assignor records the concluded deal; the registry gets the transfer or licence event."""
    if "holder" not in interest_parties(actor, interest):
        raise PermissionDenied("由专利权人登记成交")
    if not any(t.action == "deal" for t in INTEREST.available(interest.state, {"holder"})):  # (rechecked when locked)
        raise ValidationError({"state": [f"当前状态为“{interest.get_state_display()}”，洽谈后才能登记成交"]})
    made: list[Deal] = []

    def apply(locked: Interest, transition) -> dict:
        made.append(_deal_make(actor, locked, kind, amount, contract_date, recordal_date, term_until))
        locked.updated_at = clock.now()
        return {"deal": made[0].pk}

    workflow_step(interest, workflow=INTEREST, action="deal", actor=actor, parties={"holder"}, apply=apply)
    return made[0]


def _deal_make(actor, interest: Interest, kind: str, amount: Decimal, contract_date: dt.date, recordal_date: dt.date,
               term_until: dt.date | None) -> Deal:
    """Check the deal against the locked interest, store it, write the registry event and, on a transfer, withdraw
    the offer."""
    offer = interest.offer
    problems: dict[str, list[str]] = {}
    if kind not in Mode.values:
        problems["kind"] = [f"未知的交易类型：{kind}"]
    elif kind == Mode.TRANSFER and offer.mode != Mode.TRANSFER or kind != Mode.TRANSFER and offer.mode == Mode.TRANSFER:
        problems["kind"] = [f"供给方式为“{offer.get_mode_display()}”，交易类型应与之相符"]
    if amount < 0:
        problems["amount"] = ["金额不能为负数"]
    if recordal_date < contract_date:
        problems["recordal_date"] = ["登记或备案日不能早于合同签订日"]
    if recordal_date > clock.today():
        problems["recordal_date"] = ["登记或备案日不能晚于今天"]
    if kind in LICENCE_MODES and term_until is not None and term_until <= contract_date:
        problems["term_until"] = ["许可期限应晚于合同签订日"]
    event_type = EventType.TRANSFER if kind == Mode.TRANSFER else EventType.LICENCE
    # The official import may already hold this transfer: then the seller is the holder up to the day before it.
    held = holding(offer.patent, before=recordal_date if _official_event(offer.patent, event_type, recordal_date)
                   else None)
    if reason := held.refusal(actor.organization):  # sold (here or in the registry) since it was listed
        problems["patent"] = [reason]
    elif held.transferred_on and recordal_date < held.transferred_on:
        problems["recordal_date"] = [f"登记或备案日不能早于本机构受让该专利的登记日（{held.transferred_on:%Y-%m-%d}）"]
    if "recordal_date" not in problems and (taken := registry_event_taken(offer.patent, event_type, recordal_date,
                                                                          deal=True)):
        problems["recordal_date"] = [taken]
    if problems:
        raise ValidationError(problems)
    deal = Deal.objects.create(interest=interest, offer=offer, counterparty=interest.organization, kind=kind,
                               amount=amount, contract_date=contract_date, recordal_date=recordal_date,
                               term_until=term_until, recorded_by=actor, recorded_at=clock.now())
    buyer = interest.organization
    _registry_event(actor=actor, origin=f"operations.deal:{deal.pk}", patent=offer.patent, day=recordal_date,
                    amount=amount, counterparty=buyer.name, event_type=event_type,
                    new_owner_address=(buyer.address if kind == Mode.TRANSFER else ""))
    if kind == Mode.TRANSFER:
        def apply(locked: TechOffer, transition) -> dict:
            locked.updated_at = clock.now()
            return {"deal": deal.pk}

        workflow_step(offer, workflow=OFFER, action="assign", actor=actor, parties={"holder"}, apply=apply)
    audit_record(actor=actor, action="operations.deal.record", obj=deal,
                 after={"patent": offer.patent.application_number, "kind": kind, "amount": amount,
                        "counterparty": buyer.name})
    return deal


def success_rates() -> list[tuple[str, int, int]]:
    """Per channel: interests expressed and deals concluded."""
    rows = []
    for channel, label in Interest.Channel.choices:
        interests = Interest.objects.filter(channel=channel)
        rows.append((label, interests.count(), interests.filter(state=Interest.State.DEAL).count()))
    return rows

