"""The office sets how often units report; periodic reports are checked against the schedule, and late or
missing ones are flagged on the item, the dashboard and the unit's score."""

import json

from ipcity.audit.models import AuditEntry
from ipcity.plan.models import WorkItem
from tests.helpers import json_text


def _send(client, method, path, body=None):
    return getattr(client, method)(path, json.dumps(body or {}), content_type="application/json")


def _acknowledged_item(office, unit, deadline="2026-12-20"):
    created = _send(office, "post", "/api/v1/supervision/items", {
        "task": 2, "unit": "science_technology", "year": 2026, "title": "培育专利导航项目", "deadline": deadline})
    item = created.json()["id"]
    _send(office, "post", f"/api/v1/supervision/items/{item}/transitions", {"action": "assign"})
    _send(unit, "post", f"/api/v1/supervision/items/{item}/transitions", {"action": "acknowledge"})
    return item


def _standings(client, item):
    return {row["period"]: row["standing"] for row in client.get(f"/api/v1/supervision/items/{item}/report-standings").json()}


def test_a_periodic_report_keeps_the_item_with_the_unit_and_counts_as_on_time(client_for, people, frozen_clock):
    office, unit = client_for("office_admin"), client_for("unit_staff")
    item = _acknowledged_item(office, unit)
    response = _send(unit, "post", f"/api/v1/supervision/items/{item}/reports",
                     {"period": "2026-11", "text": "完成两家企业调研", "request_review": False})
    assert response.status_code == 201 and response.json()["state"] == "acknowledged"
    assert _standings(unit, item) == {"2026-11": "on_time"}


def test_a_period_past_its_due_date_without_a_report_is_flagged_and_a_late_report_stays_late(
        client_for, people, frozen_clock):
    office, unit = client_for("office_admin"), client_for("unit_staff")
    item = _acknowledged_item(office, unit, deadline="2026-12-31")
    frozen_clock.advance(days=34)  # 2026-12-06: November's report was due on 12-05
    assert _standings(office, item) == {"2026-11": "missing", "2026-12": "open"}
    owed = office.get("/api/v1/supervision/dashboard").json()["reports_owed"]
    assert [(r["id"], r["period"], r["standing"]) for r in owed] == [(item, "2026-11", "missing")]
    page = office.get("/supervision/").content.decode()
    assert 'data-standing="missing"' in page and "逾期未报" in page
    _send(unit, "post", f"/api/v1/supervision/items/{item}/reports",
          {"period": "2026-11", "text": "补报十一月进展", "request_review": False})
    assert _standings(unit, item)["2026-11"] == "late"
    assert office.get("/api/v1/supervision/dashboard").json()["reports_owed"] == []


def test_a_missing_periodic_report_lowers_the_units_timeliness(client_for, people, frozen_clock):
    office, unit = client_for("office_admin"), client_for("unit_staff")
    _acknowledged_item(office, unit, deadline="2026-12-31")

    def timeliness():
        rows = office.get("/api/v1/supervision/assessment", {"year": 2026}).json()
        return next(r for r in rows if r["unit"] == "区科技局")["components"]["timeliness"]

    assert timeliness() is None  # nothing due yet
    frozen_clock.advance(days=34)
    assert timeliness() == 0


def test_a_period_in_the_wrong_form_is_refused_and_nothing_is_stored(client_for, people, frozen_clock):
    office, unit = client_for("office_admin"), client_for("unit_staff")
    item = _acknowledged_item(office, unit)
    response = _send(unit, "post", f"/api/v1/supervision/items/{item}/reports", {"period": "2026Q4", "text": "进展"})
    assert response.status_code == 422
    assert "按月报送" in json_text(response)
    assert WorkItem.objects.get(pk=item).reports.count() == 0


def test_a_unit_must_acknowledge_before_it_reports(client_for, people, frozen_clock):
    office, unit = client_for("office_admin"), client_for("unit_staff")
    created = _send(office, "post", "/api/v1/supervision/items", {
        "task": 2, "unit": "science_technology", "year": 2026, "title": "导航", "deadline": "2026-12-20"})
    item = created.json()["id"]
    _send(office, "post", f"/api/v1/supervision/items/{item}/transitions", {"action": "assign"})
    response = _send(unit, "post", f"/api/v1/supervision/items/{item}/reports", {"period": "2026-11", "text": "进展"})
    assert response.status_code == 422 and "请先签收" in json_text(response)


def test_the_office_switches_to_quarterly_reports_and_the_change_is_audited(client_for, people, frozen_clock):
    office, unit = client_for("office_admin"), client_for("unit_staff")
    item = _acknowledged_item(office, unit)
    changed = _send(office, "put", "/api/v1/supervision/settings",
                    {"report_frequency": "quarterly", "report_due_days": 10, "reminder_days": 7})
    assert changed.status_code == 200
    assert unit.get("/api/v1/supervision/settings").json()["report_frequency"] == "quarterly"
    refused = _send(unit, "post", f"/api/v1/supervision/items/{item}/reports", {"period": "2026-11", "text": "进展"})
    assert refused.status_code == 422 and "按季度报送" in json_text(refused)
    assert _send(unit, "post", f"/api/v1/supervision/items/{item}/reports",
                 {"period": "2026Q4", "text": "进展", "request_review": False}).status_code == 201
    entry = AuditEntry.objects.filter(action="supervision.settings.set").get()
    assert entry.before["report_frequency"] == "monthly" and entry.after["report_frequency"] == "quarterly"


def test_bad_settings_are_refused_with_the_field_named(client_for, people):
    office = client_for("office_admin")
    response = _send(office, "put", "/api/v1/supervision/settings",
                     {"report_frequency": "weekly", "report_due_days": 0, "reminder_days": 7})
    assert response.status_code == 422 and "报告期结束后几日内报送应在1～60之间" in json_text(response)
    response = _send(office, "put", "/api/v1/supervision/settings",
                     {"report_frequency": "weekly", "report_due_days": 5, "reminder_days": 7})
    assert response.status_code == 422 and "报送频次" in json_text(response)
    page = office.post("/supervision/settings/", {"report_frequency": "monthly", "report_due_days": "abc",
                                                   "reminder_days": "7"})
    assert page.status_code == 200 and "整数" in page.content.decode()


def test_more_reminder_days_turn_the_light_yellow_earlier_and_send_the_reminder_earlier(
        client_for, people, frozen_clock):
    office, unit = client_for("office_admin"), client_for("unit_staff")
    item = _acknowledged_item(office, unit, deadline="2026-11-20")  # 18 days away
    assert office.get("/supervision/").content.decode().count(f'data-item="{item}" data-light="green"') == 1
    _send(office, "put", "/api/v1/supervision/settings",
          {"report_frequency": "monthly", "report_due_days": 5, "reminder_days": 20})
    assert f'data-item="{item}" data-light="yellow"' in office.get("/supervision/").content.decode()
    assert "20天" in office.get("/supervision/settings/").content.decode()
    assert _send(office, "post", "/api/v1/supervision/reminders/run").json() == {"reminder": 1, "chaser": 0}


def test_the_unit_reports_a_period_in_the_page_without_asking_for_review(client_for, people, frozen_clock):
    office, unit = client_for("office_admin"), client_for("unit_staff")
    item = _acknowledged_item(office, unit)
    page = unit.get(f"/supervision/items/{item}/").content.decode()
    assert 'value="2026-10"' in page  # October's report is still due until 11-05
    response = unit.post(f"/supervision/items/{item}/", {"form": "report", "period": "2026-10", "text": "十月进展"})
    assert response.status_code == 302
    page = unit.get(f"/supervision/items/{item}/").content.decode()
    assert 'data-period="2026-11" data-standing="open"' in page
    assert WorkItem.objects.get(pk=item).state == "acknowledged"
