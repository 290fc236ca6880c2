"""The official holiday calendar (法定节假日和调休上班日) that statutory time limits count working days by.

Each year the State Council's notice (国务院办公厅关于某年部分节假日安排的通知) sets the public holidays and the weekend
days that become working days (调休上班). The office imports it (.xlsx/.csv, columns 日期、类型、节日) with its source;
a file is checked whole: any bad row refuses it, naming the row and the column, and nothing is stored. An import
replaces every day of the years it covers.

`ipcity.clock.add_working_days` asks `working_calendar()` here: the days as two sets, cached in the process and keyed
by the calendar's version (the newest import's random token; one query to read it). Inside a web request the
version is read once, so a list computing a deadline per row costs one query, not one per row."""

import datetime as dt
import secrets
import threading
from importlib import resources

from django.core.exceptions import ValidationError
from django.core.signals import request_finished, request_started
from django.db import transaction

from ipcity import clock
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.bounds import YEARS
from ipcity.inputs import text_problem
from ipcity.plan.models import HolidayCalendarImport, HolidayDay
from ipcity.stats.core import importer
from ipcity.stats.core.importer import Column, Problem, Spec

SOURCE_MAX = HolidayCalendarImport._meta.get_field("source").max_length
NAME_MAX = HolidayDay._meta.get_field("name").max_length
WEEKDAYS = "一二三四五六日"
_KINDS = {**dict.fromkeys(("放假", "休息", "休", "法定节假日", "节假日", "假日"), HolidayDay.Kind.HOLIDAY),
          **dict.fromkeys(("调休上班", "上班", "班", "补班", "调休工作日", "工作日"), HolidayDay.Kind.WORKDAY)}
DEFINITION = ("办理时限按工作日计算：周一至周五为工作日，法定节假日（放假）除外；国务院办公厅通知中安排调休上班的周六、"
              "周日计为工作日。尚未导入节假日安排的年度只扣除周六、周日。")
# The notices the platform ships (the demo imports them; the office may import them again or correct them).
OFFICIAL = {
    2024: "国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号，2023年10月25日）",
    2025: "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）",
    2026: "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）",
}


class CalendarRejected(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _day(value: str) -> dt.date:
    day = importer.date(value)
    if day is None or not YEARS[0] <= day.year <= YEARS[1]:
        raise importer.CellError(f"应为{YEARS[0]}～{YEARS[1]}年间的日期")
    return day


def _kind(value: str) -> str:
    kind = _KINDS.get(value.strip())
    if kind is None:
        raise importer.CellError("应为“放假”或“调休上班”")
    return kind


def _name(value: str) -> str:
    value = value.strip()
    if problem := text_problem(value, multiline=False, max_length=NAME_MAX):
        raise importer.CellError(problem)
    return value


def _check(row: dict) -> str | None:
    day = row["day"]
    if row["kind"] == HolidayDay.Kind.WORKDAY and day.weekday() < 5:
        return f"{day.isoformat()}是星期{WEEKDAYS[day.weekday()]}，本来就是工作日；调休上班日应为周六或周日"
    return None


CALENDAR = Spec("holidays", "法定节假日安排", (
    Column("day", ("日期",), _day, required=True),
    Column("kind", ("类型", "安排"), _kind, required=True),
    Column("name", ("节日", "节日名称", "名称", "说明"), _name),
), key=("day",), check=_check)


# ---- the working-day rule, cached by the calendar's version ----

_lock = threading.Lock()
_cached: tuple[str, clock.WorkingCalendar] | None = None
_request = threading.local()  # inside a web request: the version read once for the whole request


def _request_started(**_) -> None:
    _request.active, _request.version = True, None


def _request_finished(**_) -> None:
    _request.active, _request.version = False, None


request_started.connect(_request_started, dispatch_uid="ipcity.plan.holidays.started")
request_finished.connect(_request_finished, dispatch_uid="ipcity.plan.holidays.finished")


def calendar_version() -> str:
    """The newest import's token ("" before any import): one query, once per web request."""
    active = getattr(_request, "active", False)
    if active and getattr(_request, "version", None) is not None:
        return _request.version
    version = HolidayCalendarImport.objects.order_by("-id").values_list("token", flat=True).first() or ""
    if active:
        _request.version = version
    return version


def working_calendar() -> clock.WorkingCalendar:
    global _cached
    version = calendar_version()
    with _lock:
        if _cached is not None and _cached[0] == version:
            return _cached[1]
    calendar = clock.WEEKENDS_ONLY
    if version:
        days = list(HolidayDay.objects.values_list("day", "kind"))
        calendar = clock.WorkingCalendar(
            holidays=frozenset(d for d, k in days if k == HolidayDay.Kind.HOLIDAY),
            workdays=frozenset(d for d, k in days if k == HolidayDay.Kind.WORKDAY))
    with _lock:
        _cached = (version, calendar)
    return calendar


def _forget_request_version() -> None:
    _request.version = None


# ---- the import ----

@transaction.atomic
def calendar_import(*, actor, data: bytes, filename: str, source: str) -> HolidayCalendarImport:
    """Import a year's (or several years') official calendar: all its days, or nothing with every problem named.
    The days of each year the file covers replace those imported before."""
    require_perm(actor, Perm.HOLIDAYS_IMPORT)
    source = (source or "").strip()
    if not source:
        raise ValidationError({"source": ["请填写来源（如：国务院办公厅关于2026年部分节假日安排的通知）"]})
    if problem := text_problem(source, multiline=False, max_length=SOURCE_MAX):
        raise ValidationError({"source": [f"来源{problem}"]})
    parsed = importer.parse(CALENDAR, data, filename)
    problems = list(parsed.problems)
    if not parsed.rows and not problems:
        problems.append(Problem(None, "", "", "文件中没有数据行"))
    if problems:
        raise CalendarRejected(problems)
    years = sorted({row["day"].year for row in parsed.rows})
    without_holiday = [y for y in years if not any(r["day"].year == y and r["kind"] == HolidayDay.Kind.HOLIDAY
                                                  for r in parsed.rows)]
    if without_holiday:
        raise CalendarRejected([Problem(None, "类型", "", f"{'、'.join(map(str, without_holiday))}年只有调休上班日，"
                                                         "没有放假日：导入将替换该年度的全部安排，请导入完整的年度安排")])
    replaced = HolidayDay.objects.filter(day__year__in=years)
    before = {"days": replaced.count()}
    replaced.delete()
    made = HolidayCalendarImport.objects.create(source=source, filename=(filename or "")[:200], years=years,
                                                token=secrets.token_hex(16), imported_by=actor,
                                                imported_at=clock.now())
    HolidayDay.objects.bulk_create(HolidayDay(day=row["day"], kind=row["kind"], name=row["name"],
                                              calendar_import=made) for row in parsed.rows)
    audit_record(actor=actor, action="plan.holidays.import", obj=made, before=before,
                 after={"source": source, "years": years, "days": len(parsed.rows),
                        "holidays": sum(1 for r in parsed.rows if r["kind"] == HolidayDay.Kind.HOLIDAY),
                        "workdays": sum(1 for r in parsed.rows if r["kind"] == HolidayDay.Kind.WORKDAY)})
    _forget_request_version()
    return made


def official_file(year: int) -> bytes:
    """The shipped calendar of a year the platform knows (fixtures/holidays-<year>.csv, from the notice in OFFICIAL)."""
    return resources.files("ipcity.plan").joinpath(f"fixtures/holidays-{year}.csv").read_bytes()


# ---- the reading: public, like the notices ----

def calendar_years() -> list[dict]:
    """Per year (newest first): its source, when it was imported, its holidays and its adjusted working days."""
    years: dict[int, dict] = {}
    for day in HolidayDay.objects.select_related("calendar_import", "calendar_import__imported_by"):
        year = years.setdefault(day.day.year, {
            "year": day.day.year, "source": day.calendar_import.source, "imported_at": day.calendar_import.imported_at,
            "holidays": [], "workdays": []})
        entry = {"day": day.day, "weekday": f"星期{WEEKDAYS[day.day.weekday()]}", "name": day.name}
        year["holidays" if day.kind == HolidayDay.Kind.HOLIDAY else "workdays"].append(entry)
    return [years[y] for y in sorted(years, reverse=True)]
