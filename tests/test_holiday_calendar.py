"""The official holiday calendar: the office imports a year's 法定节假日 and 调休上班 days with the notice they come from
(all or nothing, a refusal naming the row and the column), anyone reads it, and every statutory time limit counted in
working days (an enforcement case's filing check, a service application's acceptance) skips the holidays and counts
an adjusted working Saturday."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ipcity import clock
from ipcity.plan.holidays import OFFICIAL, official_file
from ipcity.plan.models import HolidayCalendarImport, HolidayDay
from tests.helpers import json_text, post_json
from tests.protection.helpers import CASE
from tests.services.helpers import make_item

NOTICE_2026 = OFFICIAL[2026]


def _import_page(client, data: bytes, source: str = NOTICE_2026):
    return client.post("/plan/holidays/", {"source": source, "file": SimpleUploadedFile("2026.csv", data)}, follow=True)


def _import_api(client, data: bytes, source: str = NOTICE_2026):
    return client.post("/api/v1/plan/holidays/import", {"source": source, "file": SimpleUploadedFile("2026.csv", data)})


# ---- importing and reading the calendar ----

def test_the_office_imports_a_years_calendar_with_its_source_and_anyone_reads_it(client_for, people):
    page = _import_page(client_for("office_admin"), official_file(2026)).content.decode()
    assert "已导入2026年的法定节假日安排" in page
    public = client_for(None).get("/plan/holidays/").content.decode()
    assert "2026年" in public and NOTICE_2026 in public and "10月10日（星期六，国庆节）" in public
    year = client_for(None).get("/api/v1/plan/holidays").json()[0]
    assert year["year"] == 2026 and year["source"] == NOTICE_2026
    assert {"day": "2026-10-10", "weekday": "星期六", "name": "国庆节"} in year["workdays"]
    assert len(year["holidays"]) == 33 and len(year["workdays"]) == 6


def test_importing_a_year_again_replaces_that_years_days_only(client_for, people):
    office = client_for("office_admin")
    assert _import_api(office, official_file(2025), source=OFFICIAL[2025]).status_code == 201
    assert _import_api(office, official_file(2026)).status_code == 201
    corrected = "日期,类型,节日\n2026-10-01,放假,国庆节\n2026-10-10,调休上班,国庆节\n".encode()
    made = _import_api(office, corrected, source="更正后的2026年安排（测试）").json()
    assert made["years"] == [2026] and made["days"] == 2
    assert HolidayDay.objects.filter(day__year=2026).count() == 2
    assert HolidayDay.objects.filter(day__year=2025).count() == 33


def test_only_the_office_imports_a_calendar(client_for, people):
    for persona in ("unit_staff", "enterprise_user", "enforcement_officer"):
        assert _import_page(client_for(persona), official_file(2026)).status_code == 403
        assert _import_api(client_for(persona), official_file(2026)).status_code == 403
    assert _import_api(client_for(None), official_file(2026)).status_code == 401
    assert not HolidayDay.objects.exists() and not HolidayCalendarImport.objects.exists()


def test_a_file_with_a_bad_row_is_refused_whole_naming_the_row_and_column(client_for, people):
    office = client_for("office_admin")
    bad = ("日期,类型,节日\n2026-10-01,放假,国庆节\n2026-13-01,放假,国庆节\n2026-10-09,调休上班,国庆节\n"
           "2026-10-02,休假吧,国庆节\n").encode()
    refused = _import_api(office, bad)
    text = json_text(refused)
    assert refused.status_code == 422
    assert "第3行“日期”列" in text and "第4行" in text and "调休上班日应为周六或周日" in text and "第5行“类型”列" in text
    page = _import_page(office, bad).content.decode()
    assert "文件未导入" in page and "第3行“日期”列" in page
    assert not HolidayDay.objects.exists() and not HolidayCalendarImport.objects.exists()


def test_a_calendar_without_its_source_is_refused_naming_the_field(client_for, people):
    office = client_for("office_admin")
    refused = _import_api(office, official_file(2026), source="  ")
    assert refused.status_code == 422 and "source: 请填写来源" in json_text(refused)
    assert "来源：请填写来源" in _import_page(office, official_file(2026), source="").content.decode()
    assert not HolidayDay.objects.exists()


# ---- time limits count the calendar's working days ----

def test_a_case_filing_check_skips_the_national_day_holiday_and_counts_the_adjusted_saturday(client_for, people,
                                                                                               frozen_clock):
    officer = client_for("enforcement_officer")
    pk = post_json(officer, "/api/v1/protection/cases", {**CASE, "received_on": "2026-09-30"}).json()["id"]
    # Weekends only: 15 working days after Wednesday 09-30 end on 10-21.
    assert "2026-10-21" in officer.get(f"/api/v1/protection/cases/{pk}").json()["overdue"][0]
    assert _import_api(client_for("office_admin"), official_file(2026)).status_code == 201
    # 10-01…10-07 are holidays and Saturday 10-10 is a working day: 10-08 is the 1st, 10-10 the 3rd, 10-27 the 15th.
    assert "2026-10-27" in officer.get(f"/api/v1/protection/cases/{pk}").json()["overdue"][0]
    assert "立案核查至 2026-10-27" in officer.get(f"/protection/cases/{pk}/").content.decode()


def test_a_service_applications_acceptance_limit_skips_the_holiday_and_counts_the_adjusted_saturday(client_for,
                                                                                                     people):
    office, enterprise = client_for("office_admin"), client_for("enterprise_user")
    assert _import_api(office, official_file(2026)).status_code == 201
    make_item(office, people["unit_staff"].organization_id)
    pdf = b"%PDF-1.4 application material"
    with clock.frozen_at(timezone.make_aware(dt.datetime(2026, 9, 29, 10))):  # a Tuesday
        filed = enterprise.post("/api/v1/services/applications", {
            "item": "NK-TEST-001", "description": "申请资助",
            "files": [SimpleUploadedFile("申请表.pdf", pdf), SimpleUploadedFile("执照.pdf", pdf)]}).json()
    # 5 working days: 09-30, 10-08, 10-09, Saturday 10-10 (调休上班) and Monday 10-12.
    assert filed["accept_due"] == "2026-10-12"


def test_working_days_follow_the_rule_of_the_calendar_passed_in():
    calendar = clock.WorkingCalendar(holidays=frozenset({dt.date(2026, 10, 1), dt.date(2026, 10, 2)}),
                                     workdays=frozenset({dt.date(2026, 10, 10)}))
    assert clock.add_working_days(dt.date(2026, 9, 30), 1, calendar=calendar) == dt.date(2026, 10, 5)
    assert clock.add_working_days(dt.date(2026, 10, 9), 1, calendar=calendar) == dt.date(2026, 10, 10)
    assert clock.add_working_days(dt.date(2026, 10, 9), 1, calendar=clock.WEEKENDS_ONLY) == dt.date(2026, 10, 12)
