"""Imports into the registries: a file is checked whole, then stored whole in one transaction, or not at all."""

import functools
import json
import os
import sys
import time
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ipcity import clock
from ipcity.accounts.models import Street
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.accounts.system import system_actor
from ipcity.audit.services import audit_record
from ipcity.bounds import YUAN_MAX
from ipcity.stats import bulk, matching
from ipcity.stats import models as m
from ipcity.stats.batches import IMPORT_BATCH, SYSTEM
from ipcity.stats.core import importer
from ipcity.stats.core.addresses import resolve
from ipcity.stats.core.records import EVENT_LABELS
from ipcity.workflow.services import workflow_step

STREET_NAMES = tuple(label for _, label in Street.choices)
STREET_CODES = {label: code for code, label in Street.choices}


class ImportRejected(Exception):
    def __init__(self, batch: m.ImportBatch):
        self.batch = batch
        super().__init__("\n".join(batch.problems))


@functools.lru_cache(maxsize=65_536)  # a district's addresses repeat across a file: resolve each once
def _place(address: str) -> tuple[str, str]:
    place = resolve(address, STREET_NAMES)
    return place.district or "", STREET_CODES.get(place.street, "") if place.street else ""


# ---- bulk writes for the registries' own imports ----
# A file is stored in two steps. First every existing record it names is looked up (stats.bulk.having), before
# anything is written: while a table grows inside the import's transaction its planner statistics go stale, and
# PostgreSQL would scan the whole table for each later lookup. Then the new records are inserted and the changed ones
# updated, CHUNK at a time, each chunk by one statement (stats.bulk), the progress reported after each. The counts
# are the per-row ones: a row whose record exists counts as updated (and is left as it is when it states nothing
# new); a key met again later in the file counts as updated and its later row wins.
CHUNK = 900


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _refresh(record: dict, fields: dict) -> bool:
    """Give an existing record (its stored values, by field name) the row's values; True when one differs (then it
    takes the row's batch too, as its source)."""
    changed = False
    for name, value in fields.items():
        if name != "batch" and record[name] != value:
            record[name] = value
            changed = True
    if changed and "batch" in fields:
        record["batch"] = fields["batch"]
    return changed


def _bulk_upsert(model, key: str, rows, batch, report, build: Callable[[dict], dict], *, lock: bool = True):
    """Create or refresh one record per row by `key`. `lock` holds the existing records (SELECT … FOR UPDATE) so that
    a workflow writing one at the same time waits for the import to commit.

    Every existing record is looked up before the first write (see above)."""
    if not rows:
        return 0, 0
    names = list(dict.fromkeys([*build(rows[0]), "batch"]))  # PostgreSQL refuses a column set twice
    queryset = model.objects.values("id", key, *names)
    existing = {record[key]: record for record in bulk.having(queryset.select_for_update() if lock else queryset, key,
                                                          [r[key] for r in rows])}
    new, changed = {}, {}
    for row in rows:
        fields = build(row)
        fields["batch"] = batch
        value = row[key]
        if value in new:  # the key again in the same file: the later row wins
            new[value].update(fields)
        elif (record := existing.get(value)) is None:
            new[value] = {key: value, **fields}
        elif _refresh(record, fields):
            changed[value] = record
    writer = bulk.Writer(model, updated=names)
    _write_in_chunks(len(rows), report, (writer.insert, new.values()), (writer.update, changed.values()))
    bulk.analyze(model, len(new))
    return len(new), len(rows) - len(new)


def _write_in_chunks(rows: int, report, *writes: tuple[Callable, Iterable[dict]]) -> None:
    """Each (write, records) a chunk of records at a time; the progress reported after each chunk, as the share of
    the file's rows the chunks written so far stand for."""
    chunks = [(write, part) for write, records in writes for part in _chunks(list(records))]
    for done, (write, part) in enumerate(chunks, start=1):
        write(part)
        report(rows * done // len(chunks))
    if not chunks:
        report(rows)


def _patent_fields(row: dict, batch) -> dict:
    district, street = _place(row["address"])
    return {"patent_type": row["patent_type"].value, "filing_date": row["filing_date"], "grant_date": row["grant_date"],
            "title": row["title"][:500], "abstract": row["abstract"], "applicants": list(row["applicants"]),
            "patentee": row["patentee"][:300], "address": row["address"][:300], "owner_district": district,
            "owner_street": street, "main_ipc": row["main_ipc"] or (row["ipc_codes"][0] if row["ipc_codes"] else ""),
            "ipc_codes": list(row["ipc_codes"]), "legal_status": row["legal_status"][:100], "batch": batch}


def _store_patents(rows, batch, report):
    # Only the registries' own imports write patents (no workflow does), and nothing else changes one meanwhile.
    return _bulk_upsert(m.Patent, "application_number", rows, batch, report,
                        lambda row: _patent_fields(row, batch), lock=False)


def _patent_ids(numbers) -> dict[str, int]:
    return dict(record for record in bulk.having(m.Patent.objects.values_list("application_number", "id"),
                                             "application_number", numbers))


def _check_events(rows) -> list[importer.Problem]:
    known = _patent_ids(r["application_number"] for r in rows)
    return [importer.Problem(r["_row"], "申请号", r["application_number"], "专利库中没有这个申请号，请先导入专利")
            for r in rows if r["application_number"] not in known]


class ForeignRecord(Exception):
    """A workflow's batch met a registry record it did not create (found while storing: a concurrent write)."""


def _write(model, lookup: dict, fields: dict, batch) -> bool:
    """Store one registry record; True when it was created. The registries' own imports (no origin) refresh any
    record. A workflow's batch (with an origin) creates its records with that origin and may change only the records
    the same origin created; anything else is refused, never rewritten, and each change it makes is audited with the
    values it replaced."""
    if not batch.origin:
        _, created = model.objects.update_or_create(**lookup, defaults=fields)
        return created
    existing = model.objects.select_for_update().filter(**lookup).first()
    if existing is None:
        model.objects.create(**lookup, **fields, origin=batch.origin)
        return True
    if existing.origin != batch.origin:
        raise ForeignRecord(f"{model._meta.verbose_name} {existing}")
    changed = {name: value for name, value in fields.items() if name != "batch" and getattr(existing, name) != value}
    before = {name: getattr(existing, name) for name in changed}
    for name, value in fields.items():
        setattr(existing, name, value)
    existing.save()
    audit_record(actor=batch_actor(batch), action="stats.registry.update", obj=existing, before=before, after=changed)
    return False


def _event_fields(row: dict, batch) -> dict:
    district = _place(row["new_owner_address"])[0] if row["new_owner_address"] else ""
    return {"amount": row["amount"], "counterparty": row["counterparty"][:300],
            "new_owner_address": row["new_owner_address"][:300], "new_owner_district": district, "batch": batch}


EVENT_REFRESHED = ["amount", "counterparty", "new_owner_address", "new_owner_district", "batch"]


def _store_events(rows, batch, report):
    if batch.origin:
        return _store_workflow_events(rows, batch, report)
    patents = _patent_ids(r["application_number"] for r in rows)
    existing = _stored_events(patents.values())
    new, changed, rematched = {}, {}, {}
    for row in rows:
        key = (patents[row["application_number"]], row["event_type"].value, row["date"])
        fields = _event_fields(row, batch)
        if key in new:  # the same event again in the same file: the later row wins
            new[key].update(fields)
            continue
        event = existing.get(key)
        if event is None:
            new[key] = {"patent": key[0], "event_type": key[1], "date": key[2], **fields}
            continue
        if key[1] in matching.MATCHED_KINDS and matching.is_deal(event["origin"]):
            # a deal's event: the match and its audit, one by one (a later row of it reads what this one wrote)
            _official_confirms(m.LegalEvent.objects.select_for_update().get(pk=event["id"]), fields, batch)
            continue
        refreshed, rematch = _official_refresh(event, fields)
        if rematch:
            rematched[key] = event
        elif refreshed:
            changed[key] = event
    writer = bulk.Writer(m.LegalEvent, updated=EVENT_REFRESHED)
    rematch_writer = bulk.Writer(m.LegalEvent, updated=[*EVENT_REFRESHED, "match_values"])
    _write_in_chunks(len(rows), report, (writer.insert, new.values()),
                     (writer.update, (v for k, v in changed.items() if k not in rematched)),
                     (rematch_writer.update, rematched.values()))
    bulk.analyze(m.LegalEvent, len(new))
    return len(new), len(rows) - len(new)


def _stored_events(patent_ids) -> dict[tuple, dict]:
    """The stored events of these patents, by (patent, kind, date), locked for the import's transaction; with the
    match values of those a deal matched (the others have none). By patent alone: the unique index (patent, kind,
    date) finds them, where a filter on the dates too lets SQLite walk the date index instead."""
    stored = m.LegalEvent.objects.select_for_update().values(
        "id", "patent", "event_type", "date", "origin", "match_origin", *EVENT_REFRESHED)
    existing = {(e["patent"], e["event_type"], e["date"]): e for e in bulk.having(stored, "patent", patent_ids)}
    matched = {e["id"]: e for e in existing.values() if e["match_origin"]}
    for event in existing.values():
        event["match_values"] = {}
    for record_id, match_values in bulk.having(m.LegalEvent.objects.values_list("id", "match_values"), "id", matched):
        matched[record_id]["match_values"] = match_values
    return existing


def _official_refresh(event: dict, fields: dict) -> tuple[bool, bool]:
    """The registries' own imports refresh the events they hold (as every registry record): the row's values, and a
    deal that matched the event keeps its values beside the new official ones. Returns (anything changed, the
    match's official values changed)."""
    changed = _refresh(event, fields)
    if event["event_type"] in matching.MATCHED_KINDS and event["match_origin"]:
        official = matching.values(fields)
        if event["match_values"].get("official") != official:
            event["match_values"] = {**event["match_values"], "official": official}
            event["batch"] = fields["batch"]
            return True, True
    return changed, False


def _store_workflow_events(rows, batch, report):
    """A workflow's events (a deal's transfer or licence, an open licence declaration), one by one: each may match an
    official event, and each change is audited (see _write and _write_dealing). A handful of rows at a time."""
    patents = _patent_ids(r["application_number"] for r in rows)
    created = updated = 0
    for i, row in enumerate(rows, 1):
        lookup = {"patent_id": patents[row["application_number"]], "event_type": row["event_type"].value,
                  "date": row["date"]}
        write = _write_dealing if lookup["event_type"] in matching.MATCHED_KINDS else _write
        was_created = write(m.LegalEvent, lookup, _event_fields(row, batch), batch)
        created, updated = created + was_created, updated + (not was_created)
        report(i)
    return created, updated


def _write_dealing(model, lookup: dict, fields: dict, batch) -> bool:
    """Store one transfer or licence a workflow records. The deal workflow and the official import may both record
    it: whichever comes second matches the event the first created (same patent, kind and date) instead of adding or
    rewriting one, so it stays one event, counted once (stats.matching; the official side is in _store_events)."""
    existing = model.objects.select_for_update().filter(**lookup).first()
    if existing is None:
        model.objects.create(**lookup, **fields, origin=batch.origin)
        return True
    if matching.is_deal(batch.origin) and matching.deal_may_link(existing):
        _deal_links(existing, fields, batch)
        return False
    return _write(model, lookup, fields, batch)  # its own event again, or refused (ForeignRecord)


def _audit_match(event, actor, before: dict | None = None) -> None:
    audit_record(actor=actor, action="stats.legal_event.match", obj=event, before=before, after={
        "platform": event.match_origin, "official_batch": event.match_batch_id, "matched_at": event.matched_at,
        "history": matching.history_text(event), "differences": matching.difference_notes(event)})


def _take_official(event, fields: dict) -> dict:
    """The official values win: each value the official row states replaces the event's (the new owner, its
    address and so its district, the amount), since the engine and the registry read them. What the official row
    leaves blank keeps the event's value. Returns the replaced values (name -> value before)."""
    replaced = {}
    for name in matching.OFFICIAL_WINS:
        value = fields[name]
        if value in (None, "") or getattr(event, name) == value:
            continue
        replaced[name] = getattr(event, name)
        setattr(event, name, value)
    if fields["new_owner_address"] and event.new_owner_district != fields["new_owner_district"]:
        replaced["new_owner_district"] = event.new_owner_district  # the district follows the official address
        event.new_owner_district = fields["new_owner_district"]
    return replaced


def _official_confirms(event, fields: dict, batch) -> None:
    """An official row for an event a deal recorded: the event takes the official values (the deal's fill in only
    what the official row leaves blank) and records the match with both sides' values, so the event's history
    shows what the deal had said. A later official row saying something else wins again; the same official row
    again changes nothing."""
    official = matching.values(fields)
    if event.match_batch_id is None:
        event.match_values = {"platform": matching.values_of(event), "official": official}
        replaced = _take_official(event, fields)
        event.match_origin, event.match_batch, event.matched_at = event.origin, batch, clock.now()
        event.save()
        _audit_match(event, batch_actor(batch), before={"replaced": replaced} if replaced else None)
    elif event.match_values.get("official") != official:  # a later official file says something else: it wins
        before = event.match_values.get("official")
        replaced = _take_official(event, fields)
        event.match_values = {**event.match_values, "official": official}
        event.save()
        audit_record(actor=batch_actor(batch), action="stats.legal_event.official_values", obj=event,
                     before={"official": before, "batch": event.match_batch_id, "replaced": replaced},
                     after={"official": official, "batch": batch.pk})


def _deal_links(event, fields: dict, batch) -> None:
    """A deal recording an event an official import already holds: the deal matches it, never rewrites it."""
    event.match_origin, event.match_batch_id, event.matched_at = batch.origin, event.batch_id, clock.now()
    event.match_values = {"platform": matching.values(fields), "official": matching.values_of(event)}
    event.save(update_fields=["match_origin", "match_batch", "matched_at", "match_values"])
    _audit_match(event, batch_actor(batch))


def _upsert(model, key: str, rows, batch, report, build: Callable[[dict], dict]):
    if not batch.origin:
        return _bulk_upsert(model, key, rows, batch, report, build)
    created = updated = 0
    for i, row in enumerate(rows, 1):
        was_created = _write(model, {key: row[key]}, {**build(row), "batch": batch}, batch)
        created, updated = created + was_created, updated + (not was_created)
        report(i)
    return created, updated


def _store_trademarks(rows, batch, report):
    def build(row):
        return {"name": row["name"][:200], "nice_class": row["nice_class"][:16], "holder": row["holder"][:300],
                "address": row["address"][:300], "owner_district": _place(row["address"])[0],
                **{f: row[f] for f in ("filing_date", "registration_date", "valid_until", "cancelled_on",
                                       "madrid_filing_date", "well_known", "time_honored")}}
    return _upsert(m.Trademark, "registration_number", rows, batch, report, build)


def _store_pledges(rows, batch, report):
    def build(row):
        amount = row["amount"] if row["amount"] is not None else row["amount_10k"]
        return {"pledgor": row["pledgor"][:300], "address": row["address"][:300], "pledgor_district": _place(row["address"])[0],
                "pledgee": row["pledgee"][:300], "amount": amount, "registered_on": row["registered_on"],
                "released_on": row["released_on"], "patents": list(row["patents"]), "trademarks": list(row["trademarks"])}
    return _upsert(m.Pledge, "reference", rows, batch, report, build)


def _store_population(rows, batch, report):
    return _upsert(m.PopulationFigure, "year", rows, batch, report,
                   lambda r: {"residents_10k": r["residents_10k"], "source": r["source"][:200]})


def _store_sei(rows, batch, report):
    m.SeiIpcEntry.objects.all().delete()
    version = batch.note or batch.filename
    m.SeiIpcEntry.objects.bulk_create(m.SeiIpcEntry(version=version, ipc=r["ipc"].replace(" ", "").upper(),
                                                    industry=r["industry"], batch=batch) for r in rows)
    report(len(rows))
    return len(rows), 0


def _store_policies(rows, batch, report):
    return _upsert(m.InsurancePolicy, "policy_number", rows, batch, report, lambda r: {
        "kind": r["kind"], "insured": r["insured"][:300], "address": r["address"][:300],
        "insured_district": _place(r["address"])[0], "insurer": r["insurer"][:200], "start_date": r["start_date"],
        "sum_insured": r["sum_insured"]})


def _store_securitizations(rows, batch, report):
    return _upsert(m.SecuritizationProduct, "name", rows, batch, report, lambda r: {
        "issued_on": r["issued_on"], "amount": r["amount"], "underlying": r["underlying"]})


def _store_copyrights(rows, batch, report):
    return _upsert(m.CopyrightRegistration, "registration_number", rows, batch, report, lambda r: {
        "kind": r["kind"], "title": r["title"][:300], "work_type": r["work_type"][:64], "owner": r["owner"][:300],
        "address": r["address"][:300], "owner_district": _place(r["address"])[0], "completed_on": r["completed_on"],
        "registered_on": r["registered_on"]})


def _store_gis(rows, batch, report):
    return _upsert(m.GeographicalIndication, "name", rows, batch, report, lambda r: {
        "kind": r["kind"], "product": r["product"][:200], "holder": r["holder"][:300], "registered_on": r["registered_on"]})


STORES = {"patents": _store_patents, "events": _store_events, "trademarks": _store_trademarks, "pledges": _store_pledges,
          "population": _store_population, "sei": _store_sei, "policies": _store_policies,
          "securitizations": _store_securitizations, "copyrights": _store_copyrights, "gis": _store_gis}
EXTRA_CHECKS = {"events": _check_events}


def _events_taken(rows, origin: str) -> list[importer.Problem]:
    numbers = {r["application_number"] for r in rows}
    taken = {(e.patent.application_number, e.event_type, e.date)
             for e in m.LegalEvent.objects.filter(patent__application_number__in=numbers).exclude(origin=origin)
             .select_related("patent")
             if not (matching.is_deal(origin) and matching.deal_may_link(e))}  # a deal matches an official event
    return [importer.Problem(r["_row"], "生效日", r["date"].isoformat(),
                             f"专利{r['application_number']}在{r['date']:%Y-%m-%d}已有一条"
                             f"“{EVENT_LABELS[r['event_type']]}”登记，"
                             "业务流程只能新建自己的记录，不能改写")
            for r in rows if (r["application_number"], r["event_type"].value, r["date"]) in taken]


def _pledges_taken(rows, origin: str) -> list[importer.Problem]:
    taken = set(m.Pledge.objects.filter(reference__in=[r["reference"] for r in rows]).exclude(origin=origin)
                .values_list("reference", flat=True))
    return [importer.Problem(r["_row"], "质押登记号", r["reference"], "质押登记库中已有这个登记号，业务流程不能改写它")
            for r in rows if r["reference"] in taken]


# The registries a platform workflow may write to, and how to find the rows that would touch a record it did not create.
WORKFLOW_CHECKS = {"events": _events_taken, "pledges": _pledges_taken}
PROGRESS_EVERY = 200


def import_batch_start(*, kind: str, filename: str, actor, note: str = "", origin: str = "") -> m.ImportBatch:
    if actor is not None:
        require_perm(actor, Perm.REGISTRY_IMPORT)
    if kind not in importer.SPECS:
        raise ValidationError(f"kind: 未知的导入类型 {kind!r}（可用：{'、'.join(importer.SPECS)}）")
    if origin and kind not in WORKFLOW_CHECKS:
        raise ValidationError(f"业务流程不能写入“{importer.SPECS[kind].title}”登记库")
    return m.ImportBatch.objects.create(kind=kind, filename=filename[:255], note=note[:200], started_by=actor,
                                        started_at=clock.now(), origin=origin)


def registry_write(*, kind: str, data: bytes, origin: str, filename: str, note: str = "") -> m.ImportBatch:
    """A platform workflow's write to a registry (a deal's transfer or licence, an open licence declaration, a bank's
    pledge), through an import batch like every registry write. `origin` names the workflow record
    ("operations.deal:12"); the write creates records with that origin and may change only records of the same
    origin. A record someone else created is refused, never rewritten: ValidationError with the reasons."""
    batch = import_batch_start(kind=kind, filename=filename, actor=None, note=note, origin=origin)
    parsed = importer.parse(importer.SPECS[kind], data, filename)
    taken = [] if parsed.problems else WORKFLOW_CHECKS[kind](parsed.rows, origin)
    if taken:
        raise ValidationError([problem.reason for problem in taken])
    try:
        return import_batch_run(batch=batch, data=data)
    except ImportRejected as rejected:
        raise ValidationError(rejected.batch.problems) from None
    except (ForeignRecord, IntegrityError):
        raise ValidationError("登记库中已有同一条记录（刚由其他登记写入），未作改写，请核对后重试") from None


def batch_actor(batch: m.ImportBatch):
    """Who a batch's audit rows name: the person who uploaded it, or the platform for its own writes."""
    return batch.started_by or system_actor()


def _batch_step(batch: m.ImportBatch, action: str, *, reason: str = "", apply=None) -> m.ImportBatch:
    return workflow_step(batch, workflow=IMPORT_BATCH, action=action, actor=batch_actor(batch), parties={SYSTEM},
                         reason=reason, apply=apply)


def import_batch_run(*, batch: m.ImportBatch, data: bytes, progress: Callable[[int, int], None] | None = None) -> m.ImportBatch:
    """Check every row, then store all rows in one transaction. Raises ImportRejected listing every problem.
    A batch left running by a worker that died is resumed: its rows were never committed, so it starts again."""
    spec = importer.SPECS[batch.kind]
    batch = _batch_step(batch, "start" if batch.state == m.ImportBatch.State.QUEUED else "resume")
    parsed = importer.parse(spec, data, batch.filename)
    problems = parsed.problems or (EXTRA_CHECKS[batch.kind](parsed.rows) if batch.kind in EXTRA_CHECKS else [])
    if not problems and batch.origin:
        problems = WORKFLOW_CHECKS[batch.kind](parsed.rows, batch.origin)
    if problems:
        def reject(locked, _):
            locked.encoding = parsed.encoding
            locked.total_rows = len(parsed.rows) + len({p.row for p in problems if p.row is not None})
            locked.problems = [str(p) for p in sorted(problems, key=lambda p: (p.row or 0))]
            locked.finished_at = clock.now()
            return {"kind": locked.kind, "file": locked.filename, "problems": len(problems)}

        raise ImportRejected(_batch_step(batch, "rejected", apply=reject))

    reported = 0

    def report(done: int) -> None:  # the stores call it after each row or each chunk of rows
        nonlocal reported
        if progress and (done - reported >= PROGRESS_EVERY or done == len(parsed.rows)):
            reported = done
            progress(done, len(parsed.rows))

    with transaction.atomic():
        created, updated = STORES[batch.kind](parsed.rows, batch, report)
        _pause_for_crash_test()

        def finish(locked, _):
            locked.encoding = parsed.encoding
            locked.total_rows = locked.processed_rows = len(parsed.rows)
            locked.created, locked.updated = created, updated
            locked.finished_at = clock.now()
            return {"kind": locked.kind, "file": locked.filename, "created": created, "updated": updated}

        transaction.on_commit(_warm_after_import)
        return _batch_step(batch, "done", apply=finish)


def _warm_after_import() -> None:
    from ipcity.jobs import enqueue_once
    from ipcity.stats.tasks import warm_indicators

    enqueue_once(warm_indicators)


def import_batch_abandon(batch: m.ImportBatch, reason: str) -> m.ImportBatch:
    """Give up on a batch that cannot finish (its file is gone, its worker died too often): failed, nothing stored,
    and the reason, in Chinese, is what the page and the API show."""
    def note(locked, _):
        locked.problems = [reason]
        locked.finished_at = clock.now()

    return _batch_step(batch, "abandon", reason=reason, apply=note)


def _pause_for_crash_test() -> None:
    """A pause for the worker crash test to kill the worker with the rows written but not committed."""
    pause = float(os.environ.get("IPCITY_IMPORT_TEST_PAUSE", "0") or 0)
    if pause:
        print("import: rows stored, not yet committed", file=sys.stderr, flush=True)
        time.sleep(pause)


def import_in_background(*, batch: m.ImportBatch, data: bytes) -> None:
    """Queue the import for the task worker (`ipcity worker`), so the page returns at once and polls the batch for
    progress. The file waits in the data folder until the batch finishes; the task row commits with the batch."""
    from ipcity.stats.tasks import import_batch_task

    path = upload_path(batch.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    import_batch_task.enqueue(batch_id=batch.pk)


def import_stored_upload(batch: m.ImportBatch) -> m.ImportBatch:
    """Run a queued batch from its stored file (the task's body). A batch already finished is left as it is, so a
    task run again after its worker died never imports twice."""
    if batch.state in (m.ImportBatch.State.DONE, m.ImportBatch.State.FAILED):
        return batch
    try:
        data = upload_path(batch.pk).read_bytes()
    except FileNotFoundError:
        return import_batch_abandon(batch, "上传的文件已不在服务器上，未导入任何数据，请重新上传")
    try:
        batch = import_batch_run(batch=batch, data=data, progress=lambda done, total: progress_write(batch.pk, done, total))
    except ImportRejected as rejected:
        batch = rejected.batch  # the batch records its problems for the page and the API
    except Exception:
        import_batch_abandon(m.ImportBatch.objects.get(pk=batch.pk), "导入时发生内部错误，未导入任何数据；请联系平台管理员")
        upload_path(batch.pk).unlink(missing_ok=True)
        raise
    upload_path(batch.pk).unlink(missing_ok=True)
    _progress_path(batch.pk).unlink(missing_ok=True)
    return batch


def upload_path(batch_id: int) -> Path:
    return Path(settings.DATA_DIR) / "imports" / f"batch-{batch_id}"


def _progress_path(batch_id: int) -> Path:
    return Path(settings.DATA_DIR) / "progress" / f"import-{batch_id}.json"


def progress_write(batch_id: int, done: int, total: int) -> None:
    """Progress of a running import, kept outside the database: the import's own transaction holds the
    write lock (SQLite) and hides its rows until commit, so progress rows in the database could not be seen."""
    path = _progress_path(batch_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"done": done, "total": total}), encoding="utf-8")
    temporary.replace(path)


def progress_read(batch_id: int) -> tuple[int, int] | None:
    try:
        data = json.loads(_progress_path(batch_id).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    return data["done"], data["total"]


def high_value_pledge_threshold() -> Decimal:
    setting = m.EngineSetting.objects.filter(key="high_value_pledge_threshold").first()
    return Decimal(setting.value) if setting else ENGINE_SETTINGS["high_value_pledge_threshold"][1]


ENGINE_SETTINGS = {
    "high_value_pledge_threshold": ("高价值发明专利：质押融资金额门槛（元）", Decimal("10000000")),
}


@transaction.atomic
def engine_setting_set(*, actor, key: str, value: str) -> m.EngineSetting:
    """Change a parameter of an indicator definition; computed values follow at once (the write moves the registry
    version)."""
    require_perm(actor, Perm.REGISTRY_IMPORT)
    if key not in ENGINE_SETTINGS:
        raise ValidationError(f"key: 未知的参数 {key!r}（可用：{'、'.join(ENGINE_SETTINGS)}）")
    try:
        number = Decimal(str(value).replace(",", ""))
    except (ArithmeticError, ValueError):
        raise ValidationError(f"value: “{value}”不是有效数字") from None
    if not number.is_finite() or not 0 < number <= YUAN_MAX:
        raise ValidationError(f"value: 应为大于0、不超过{YUAN_MAX:,f}的数字")
    setting = m.EngineSetting.objects.filter(key=key).first()
    before = setting.value if setting else str(ENGINE_SETTINGS[key][1])
    setting, _ = m.EngineSetting.objects.update_or_create(key=key, defaults={"value": str(number),
                                                                            "note": ENGINE_SETTINGS[key][0]})
    audit_record(actor=actor, action="stats.engine_setting.set", obj=setting, before={key: before}, after={key: str(number)})
    return setting
