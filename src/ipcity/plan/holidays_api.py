"""The official holiday calendar in the API (/api/v1/plan/holidays): public; importing is the office's."""

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from ipcity.plan.holidays import DEFINITION, CalendarRejected, calendar_import, calendar_years

router = Router()


class HolidayDayOut(Schema):
    day: dt.date
    weekday: str  # 星期一…星期日
    name: str  # the holiday the day belongs to (春节…)


class HolidayYearOut(Schema):
    year: int
    source: str  # the notice the year's calendar was imported from
    imported_at: dt.datetime
    holidays: list[HolidayDayOut]  # 放假
    workdays: list[HolidayDayOut]  # 调休上班 (a Saturday or Sunday that is a working day)
    definition: str


@router.get("/holidays", auth=None, response=list[HolidayYearOut],
            summary="法定节假日和调休上班日（按年度，附来源；办理时限据此计算工作日）")
def holiday_calendar(request):
    return [{**year, "definition": DEFINITION} for year in calendar_years()]


class HolidayImportOut(Schema):
    id: int
    source: str
    years: list[int]
    days: int


@router.post("/holidays/import", response={201: HolidayImportOut},
             summary="导入法定节假日安排（.xlsx/.csv：日期、类型（放假/调休上班）、节日；附来源；有误则整体不导入；仅领导小组办公室）")
def holiday_calendar_import(request, file: File[UploadedFile], source: Form[str] = ""):
    try:
        made = calendar_import(actor=request.user, data=file.read(), filename=file.name or "", source=source)
    except CalendarRejected as rejected:
        raise ValidationError([str(p) for p in rejected.problems]) from None
    return Status(201, {"id": made.pk, "source": made.source, "years": made.years, "days": made.days.count()})
