"""The evidence package (佐证材料包) of a pilot year: one .zip for the assessors, with a folder per indicator
("指标/07 专利行政查处案件/"), per key task ("重点任务/08 构建知识产权协同保护工作格局/") and per safeguard
("保障措施/一 加强组织领导/"), each holding the supporting files of that year attached to a record that belongs
to it, and 目录.xlsx listing every file in the package: folder, name, source record (kind, title, link), uploader,
date, SHA-256.

Where a record's files go:
- a reported indicator value → its indicator;
- a progress report → its work item's task and the indicators linked to the work item;
- a leading group meeting → 保障措施（一）加强组织领导, and the tasks its decisions name;
- an enforcement case → task 7 (执法能力建设); and the indicator counting its kind of case only when the engine
  counts it (filed: 立案), in the year it counts;
- a mediation → task 8 (协同保护) only once the mediation body accepted it (an application alone is nobody's work
  yet); and the indicator counting its channel only when the engine counts it (concluded with an agreement; for
  administrative mediation, judicially confirmed), in the year it counts.
The files of a record that belongs nowhere that year are left out, and the 目录 says nothing of them. Which records
the indicators count is read from the engine's own activity sources (stats/activities.py), so the package and the
indicator values cannot disagree. A record's year otherwise is the year its evidence counts for (a report's period,
a value's date, a meeting's day, a case's filing, a mediation's conclusion), read when the package is built.

A file that belongs in several folders is copied into each (assessors open one folder and expect everything that
supports it there), so the package can be larger than the files it holds: its size is bounded by
EVIDENCE_PACKAGE_MAX_BYTES, checked before anything is written, and refused in Chinese past it.

The zip is written file by file from disk into a temporary file under DATA_DIR/exports (memory stays bounded
whatever the files' sizes); the download streams that file, which is removed as soon as it is open. A build
interrupted before that (the process killed) leaves its temporary file behind: each build first removes those
older than an hour."""

import datetime as dt
import os
import re
import shutil
import tempfile
import time
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils import timezone

from ipcity import clock
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.accounts.system import system_actor
from ipcity.audit.services import audit_record
from ipcity.web.models import Attachment, SupportingFile
from ipcity.web.spreadsheets import xlsx_bytes
from ipcity.web.supporting import LEGACY_FIELD, SUBJECTS, Kind
from ipcity.web.uploads import human_size, safe_file_name, upload_path

CASE_TASK = 7  # 着力加强知识产权执法能力建设
MEDIATION_TASK = 8  # 构建知识产权协同保护工作格局
MEETING_SAFEGUARD = 1  # 加强组织领导
INDEX_NAME = "目录.xlsx"
INDEX_HEADERS = ["序号", "文件夹", "文件名", "来源记录类型", "来源记录", "链接", "上传单位", "上传人", "上传日期", "SHA-256"]
ZIP_TYPE = "application/zip"
STALE_AFTER_SECONDS = 3600  # a temporary package file this old is a build that never finished


@dataclass(frozen=True)
class Entry:
    folder: str  # "指标/07 专利行政查处案件/"
    name: str  # the file's name inside the folder, unique there
    attachment: Attachment
    kind: str
    title: str
    link: str


def year_param(raw) -> int:
    """A pilot year from a query (?year=2025), refused in Chinese when it is not one; none given: the pilot year
    we are in (the last one once the pilot is over)."""
    from ipcity.plan.selectors import current_plan_or_404

    plan = current_plan_or_404()
    first, last = plan.period_start.year, plan.period_end.year
    text = str(raw or "").strip()
    if not text:
        return min(max(clock.today().year, first), last)
    year = int(text) if text.isascii() and text.isdigit() and len(text) == 4 else None
    if year is None or not first <= year <= last:
        raise ValidationError(f"年度应为试点期内的年份（{first}～{last}）")
    return year


_FOLDER_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\/:*?\"<>|\u202a-\u202e\u2066-\u2069]")


def _component(text: str) -> str:
    """One folder name: no separator, control or reserved character, never '.' or '..', at most 60 characters."""
    cleaned = _FOLDER_UNSAFE.sub("_", text).strip().strip(".")[:60].strip()
    return cleaned or "未命名"


class _Folders:
    """The plan's folders: indicators numbered in the plan's order, tasks by number, safeguards by numeral."""

    def __init__(self, plan):
        from ipcity.stats.core import engine

        self.indicators = {}
        for number, indicator in enumerate(plan.indicators.order_by("goal__number", "position", "pk"), start=1):
            self.indicators[indicator.code] = f"指标/{_component(f'{number:02d} {indicator.name}')}/"
        self.tasks = {t.number: f"重点任务/{_component(f'{t.number:02d} {t.title}')}/" for t in plan.tasks.all()}
        self.safeguards = {s.number: f"保障措施/{_component(f'{s.numeral} {s.title}')}/" for s in plan.safeguards.all()}
        self.by_activity = defaultdict(list)  # "case_patent" -> indicator folders
        for code, definition in engine.DEFINITIONS.items():
            lineage = definition[1] or ""
            if lineage.startswith("activity:") and code in self.indicators:
                self.by_activity[lineage.removeprefix("activity:")].append(self.indicators[code])

    def task(self, number) -> list[str]:
        return [self.tasks[number]] if number in self.tasks else []

    def placements(self, kind: str, subject, counted: dict[str, list]) -> list[tuple[int, str]]:
        """(year, folder) for each folder the record's files go in; `counted` maps an activity key ("MED-12",
        "CASE-3") to the engine's activities for it."""
        year = SUBJECTS[kind].year(subject)
        if kind == Kind.INDICATOR_VALUE:
            return [(year, f) for f in [self.indicators.get(subject.indicator.code)] if f]
        if kind == Kind.PROGRESS_REPORT:
            item = subject.work_item
            return [(year, f) for f in self.task(item.task.number) + [
                self.indicators[i.code] for i in item.indicators.all() if i.code in self.indicators]]
        if kind == Kind.MEETING:
            folders = [self.safeguards[MEETING_SAFEGUARD]] if MEETING_SAFEGUARD in self.safeguards else []
            return [(year, f) for f in folders + [
                f for d in subject.decisions.all() if d.task_id for f in self.task(d.task.number)]]
        if kind == Kind.CASE:
            return [(year, f) for f in self.task(CASE_TASK)] + self._counted(counted.get(f"CASE-{subject.pk}", []))
        if kind == Kind.MEDIATION:
            accepted = subject.accepted_on is not None and subject.state != subject.State.APPLIED
            work = [(year, f) for f in self.task(MEDIATION_TASK)] if accepted else []
            return work + self._counted(counted.get(f"MED-{subject.pk}", []))
        return []

    def _counted(self, activities) -> list[tuple[int, str]]:
        return [(a.day.year, f) for a in activities if a.day for f in self.by_activity.get(a.kind, [])]


def _counted_activities() -> dict[str, list]:
    """The engine's activities of enforcement cases and mediations, by key ("CASE-3", "MED-12")."""
    from ipcity.stats.activities import source_for

    found = defaultdict(list)
    for kind in ("case_patent", "mediation_people"):  # one kind of each source: the source lists all its kinds
        for activity in source_for(kind).records():
            if activity.key.startswith(("CASE-", "MED-")):
                found[activity.key].append(activity)
    return found


def _links():
    """(kind, subject, attachment) for every supporting file, oldest first within a kind."""
    from ipcity.plan.models import IndicatorValue, LeadingGroupMeeting, ProgressReport
    from ipcity.protection.models import EnforcementCase, MediationCase

    models = {Kind.PROGRESS_REPORT: ProgressReport.objects.select_related("work_item__task", "work_item__unit")
              .prefetch_related("work_item__indicators"),
              Kind.INDICATOR_VALUE: IndicatorValue.objects.select_related("indicator", "reporting_unit"),
              Kind.MEETING: LeadingGroupMeeting.objects.prefetch_related("decisions__task"),
              Kind.CASE: EnforcementCase.objects.select_related("unit"),
              Kind.MEDIATION: MediationCase.objects.select_related("body")}
    links = defaultdict(list)
    for link in SupportingFile.objects.select_related("attachment__uploaded_by", "attachment__organization"):
        links[link.subject_kind].append((link.subject_id, link.attachment))
    for kind, field in LEGACY_FIELD.items():  # the single file a report or value was given before
        linked = {(s, a.pk) for s, a in links[kind]}
        legacy = [pair for pair in models[kind].filter(**{f"{field}__isnull": False}).values_list("pk", f"{field}_id")
                  if pair not in linked]
        found = Attachment.objects.select_related("uploaded_by", "organization").in_bulk({a for _s, a in legacy})
        links[kind] += [(s, found[a]) for s, a in legacy]
    for kind, pairs in links.items():
        subjects = models[kind].in_bulk({s for s, _a in pairs})
        for subject_id, attachment in sorted(pairs, key=lambda p: (p[1].uploaded_at, p[1].pk)):
            subject = subjects.get(subject_id)
            if subject is not None:
                yield kind, subject, attachment


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, extension = name.rpartition(".")
    stem, extension = (stem, "." + extension) if dot and stem else (name, "")
    candidate, number = name, 2
    while candidate.lower() in taken:
        candidate = f"{stem} ({number}){extension}"
        number += 1
    taken.add(candidate.lower())
    return candidate


def package_entries(*, plan, year: int) -> list[Entry]:
    """Every file the package of `year` holds, folder by folder, with its source record."""
    folders = _Folders(plan)
    counted = _counted_activities()
    entries, taken = [], defaultdict(set)
    for kind, subject, attachment in _links():
        spec = SUBJECTS[kind]
        placed = [folder for when, folder in folders.placements(kind, subject, counted) if when == year]
        for folder in dict.fromkeys(placed):
            name = _unique(safe_file_name(attachment.original_name), taken[folder])
            entries.append(Entry(folder, name, attachment, spec.label, spec.title(subject), spec.url(subject)))
    return sorted(entries, key=lambda e: (e.folder, e.name))


def _index_rows(entries: list[Entry], base_url: str):
    for number, e in enumerate(entries, start=1):
        a = e.attachment
        yield [number, e.folder, e.name, e.kind, e.title, base_url + e.link, a.organization.name,
               a.uploaded_by.display_name, clock.localdate(a.uploaded_at), a.sha256]


def _zip_time(moment: dt.datetime) -> tuple:
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return (max(local.year, 1980), local.month, local.day, local.hour, local.minute, local.second)


def package_size_problem(year: int, size: int) -> str | None:
    limit = settings.EVIDENCE_PACKAGE_MAX_BYTES
    if size <= limit:
        return None
    return (f"{year}年佐证材料包共 {human_size(size)}，超过 {human_size(limit)} 的上限，未生成；"
            "请联系系统管理员调高佐证材料包的大小上限")


def remove_stale_exports(folder: Path) -> int:
    """Remove the temporary package files of builds that never finished (older than an hour); how many. File ages
    are the file system's own clock, so they are compared with it, not with ipcity.clock."""
    removed, cutoff = 0, time.time() - STALE_AFTER_SECONDS
    for path in folder.glob("evidence-*.zip"):
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            pass  # another build removed it first
    return removed


def package_write(*, actor, year: int, target, base_url: str = "") -> dict:
    """Write the package of `year` to `target` (a path or a binary file); the office only (SUPERVISION_MANAGE),
    or the command line (actor None). Returns {"files", "folders", "missing"}; audited."""
    from ipcity.plan.selectors import current_plan_or_404

    if actor is not None:
        require_perm(actor, Perm.SUPERVISION_MANAGE)
    plan = current_plan_or_404()
    entries = package_entries(plan=plan, year=year)
    present, missing = [], []
    for entry in entries:
        (present if upload_path(entry.attachment.stored_name).exists() else missing).append(entry)
    size_problem = package_size_problem(year, sum(e.attachment.size for e in present))
    if size_problem:
        raise ValidationError(size_problem)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in present:
            info = zipfile.ZipInfo(entry.folder + entry.name, date_time=_zip_time(entry.attachment.uploaded_at))
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(upload_path(entry.attachment.stored_name), "rb") as source, \
                    archive.open(info, "w", force_zip64=True) as out:
                shutil.copyfileobj(source, out, 1024 * 1024)
        sheets = [(f"{year}年佐证材料目录", INDEX_HEADERS, _index_rows(present, base_url))]
        if missing:
            sheets.append(("文件缺失", INDEX_HEADERS, _index_rows(missing, base_url)))
        info = zipfile.ZipInfo(INDEX_NAME, date_time=_zip_time(clock.now()))
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, xlsx_bytes(sheets))
    summary = {"year": year, "files": len(present), "folders": len({e.folder for e in present}),
               "missing": len(missing)}
    audit_record(actor=actor or system_actor(), action="evidence_package.export", obj=plan, after=summary)
    return summary


def package_response(*, actor, year: int, base_url: str = ""):
    """The package as a download, built in a temporary file under the data folder and streamed from it."""
    require_perm(actor, Perm.SUPERVISION_MANAGE)
    folder = Path(settings.DATA_DIR) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_exports(folder)
    handle = tempfile.NamedTemporaryFile(dir=folder, prefix="evidence-", suffix=".zip", delete=False)  # noqa: SIM115
    try:
        package_write(actor=actor, year=year, target=handle, base_url=base_url)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    finally:
        os.unlink(handle.name)  # the open handle keeps the content until the response is sent
    response = FileResponse(handle, as_attachment=True, filename=f"{year}年佐证材料.zip", content_type=ZIP_TYPE)
    response["X-Content-Type-Options"] = "nosniff"
    return response
