"""One transfer or licence, two records of it: the platform's deal workflow and the official (CNIPA) import.

The registry keeps one legal event per patent, kind and day, so a deal's transfer or licence and the official row
with the same application number, kind and date are the same event: whichever comes first creates it, the other
matches it (stats.services). The official values win: an official row confirming a deal's event replaces the deal's
new owner, address (and so district) and amount with the ones it states, and a deal matching an official event never
rewrites it, since the engine counts by the new owner's district and the registry says who holds the patent. The
match keeps both sides' values (which batch, when), so the event's history shows what the deal had said where the
two differ; the engine sees one event and counts it once."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from ipcity.stats.core.records import EventType

# The kinds of legal event both the deal workflow and the official import record.
MATCHED_KINDS = frozenset({EventType.TRANSFER.value, EventType.LICENCE.value})
DEAL_PREFIX = "operations.deal:"
# The fields both sides state, compared at the match (label for the history).
COMPARED = {"counterparty": "相对方", "amount": "金额（元）", "new_owner_address": "新权利人地址",
            "new_owner_district": "新权利人所在区"}
# The fields an official row's value replaces on the event wherever it states one (the district follows the address).
OFFICIAL_WINS = ("counterparty", "amount", "new_owner_address")
OFFICIAL = "国家知识产权局数据"
ORIGIN_LABELS = {DEAL_PREFIX: "平台交易登记", "operations.offer:": "平台开放许可登记"}


def is_deal(origin: str) -> bool:
    return origin.startswith(DEAL_PREFIX)


def deal_may_link(event) -> bool:
    """A deal recording this event matches it (instead of being refused): an official transfer or licence that no
    deal has matched yet."""
    return event.origin == "" and not event.match_origin and event.event_type in MATCHED_KINDS


def values(fields: dict) -> dict:
    """The compared values of one side, as stored in the match (JSON)."""
    result = {}
    for name in COMPARED:
        value = fields.get(name)
        if isinstance(value, Decimal):
            value = value.quantize(Decimal("0.01"))
        result[name] = None if value in (None, "") else str(value)
    return result


def values_of(event) -> dict:
    return values({name: getattr(event, name) for name in COMPARED})


def differences(match_values: dict) -> list[tuple[str, str, str]]:
    """(label, platform value, official value) for each field both sides state and state differently."""
    platform, official = match_values.get("platform", {}), match_values.get("official", {})
    return [(label, platform[name], official[name]) for name, label in COMPARED.items()
            if platform.get(name) and official.get(name) and platform[name] != official[name]]


def _day(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d") if moment else ""


def _official(batch) -> str:
    return f"{OFFICIAL}（批次{batch.pk}，{_day(batch.started_at)}）" if batch is not None else "登记库数据"


def _platform(origin: str) -> str:
    return next((label for prefix, label in ORIGIN_LABELS.items() if origin.startswith(prefix)), "平台业务登记")


def history(event) -> list[str]:
    """Where the event comes from, in order, for a person: e.g. 平台交易登记 → 与国家知识产权局数据（批次3，2026-11-02）匹配.
    The event's batch and match batch should be loaded (select_related) when listing many."""
    if event.match_origin and event.origin:  # the deal came first; an official import confirmed it
        steps = [_platform(event.origin), f"与{_official(event.match_batch)}匹配"]
    elif event.match_origin:  # the official import came first; a deal recorded the same event
        steps = [_official(event.match_batch or event.batch), f"与{_platform(event.match_origin)}匹配（{_day(event.matched_at)}）"]
    elif event.origin:
        steps = [_platform(event.origin) + ("（尚未与国家知识产权局数据匹配）" if event.event_type in MATCHED_KINDS else "")]
    else:
        steps = [_official(event.batch)]
    return steps


def history_text(event) -> str:
    return " → ".join(history(event))


def difference_notes(event) -> list[str]:
    """The values the two records state differently, in Chinese: the event holds the official value, the platform's
    is shown as history."""
    return [f"{label}：平台登记为“{platform}”，{OFFICIAL}为“{official}”（以{OFFICIAL}为准）"
            for label, platform, official in differences(event.match_values or {})]
