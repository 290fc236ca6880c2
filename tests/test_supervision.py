"""Pilot supervision: the office assigns work items, units acknowledge and report, the office reviews,
returns or closes; reminders and chasers go out once per lapse."""

import datetime as dt
import json

from django.core import mail

from ipcity.accounts.models import User
from ipcity.cli import main as ipcity_main
from ipcity.plan.models import IndicatorValue, Reminder, WorkItem
from tests.helpers import post_json


def _create_item(office, deadline="2026-12-15"):
    response = post_json(office, "/api/v1/supervision/items", {"task": 2, "unit": "science_technology", "year": 2026,
                                                            "title": "培育产业规划类专利导航项目", "deadline": deadline})
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_a_whole_cycle_through_the_api_with_a_return(client_for, people, frozen_clock):
    office, unit = client_for("office_admin"), client_for("unit_staff")
    item = _create_item(office)
    assert unit.get(f"/api/v1/supervision/items/{item}").status_code == 404  # not visible before it is assigned
    for client, action in [(office, "assign"), (unit, "acknowledge"), (unit, "start")]:
        assert post_json(client, f"/api/v1/supervision/items/{item}/transitions", {"action": action}).status_code == 200
    report = post_json(unit, f"/api/v1/supervision/items/{item}/reports", {
        "period": "2026-10", "text": "完成两个导航项目的立项", "figures": {"navigation_projects_industry_planning": 2}})
    assert report.status_code == 201 and report.json()["state"] == "reported"
    assert IndicatorValue.objects.get(indicator__code="navigation_projects_industry_planning").value == 2
    post_json(office, f"/api/v1/supervision/items/{item}/transitions", {"action": "review"})
    refused = post_json(office, f"/api/v1/supervision/items/{item}/transitions", {"action": "return"})
    assert refused.status_code == 422 and refused.json()["detail"] == ["退回须填写理由"]
    returned = post_json(office, f"/api/v1/supervision/items/{item}/transitions", {"action": "return", "reason": "缺少佐证"})
    assert returned.json()["state"] == "in_progress"
    post_json(unit, f"/api/v1/supervision/items/{item}/reports", {"period": "2026-11", "text": "补充了佐证材料"})
    post_json(office, f"/api/v1/supervision/items/{item}/transitions", {"action": "review"})
    closed = post_json(office, f"/api/v1/supervision/items/{item}/transitions", {"action": "close"})
    assert closed.json()["state_label"] == "已办结"
    history = list(WorkItem.objects.get(pk=item).history.values_list("action", flat=True))
    assert history == ["assign", "acknowledge", "start", "report", "review", "return", "report", "review", "close"]


def test_a_unit_cannot_act_for_the_office_or_for_another_unit(client_for, people):
    office, unit = client_for("office_admin"), client_for("unit_staff")
    item = _create_item(office)
    post_json(office, f"/api/v1/supervision/items/{item}/transitions", {"action": "assign"})
    refused = post_json(unit, f"/api/v1/supervision/items/{item}/transitions", {"action": "close"})
    assert refused.status_code == 422 and "只能由领导小组办公室操作" in refused.json()["detail"][0]
    assert client_for("enterprise_user").get(f"/api/v1/supervision/items/{item}").status_code == 403


def test_an_item_for_a_unit_not_responsible_for_the_task_is_refused(client_for, people):
    response = post_json(client_for("office_admin"), "/api/v1/supervision/items", {
        "task": 16, "unit": "science_technology", "year": 2026, "title": "x", "deadline": "2026-12-01"})
    assert response.status_code == 422 and "不是重点任务16的责任单位" in response.json()["detail"][0]


def test_exactly_one_chaser_goes_out_when_an_item_falls_overdue(client_for, people, frozen_clock):
    User.objects.filter(username="unit_staff").update(email="kejiju@example.gov.cn")
    office = client_for("office_admin")
    item = _create_item(office, deadline="2026-11-10")
    post_json(office, f"/api/v1/supervision/items/{item}/transitions", {"action": "assign"})
    frozen_clock.advance(days=4)  # 2026-11-06: within seven days of the deadline
    assert ipcity_main(["remind"]) == 0
    frozen_clock.advance(days=5)  # 2026-11-11: one day late
    assert ipcity_main(["remind"]) == 0
    assert ipcity_main(["remind"]) == 0
    assert post_json(office, "/api/v1/supervision/reminders/run", {}).json() == {"reminder": 0, "chaser": 0}
    assert list(Reminder.objects.order_by("kind").values_list("kind", flat=True)) == ["chaser", "reminder"]
    assert [m.subject.split("】")[0] for m in mail.outbox] == ["【临近提醒", "【催办"]
    assert mail.outbox[1].to == ["kejiju@example.gov.cn"]
    page = client_for("unit_staff").get(f"/supervision/items/{item}/").content.decode()
    assert "逾期" in page and "到期催办" in page


def test_the_unit_walks_its_part_in_the_pages(client_for, people):
    office, unit = client_for("office_admin"), client_for("unit_staff")
    from ipcity.accounts.models import Organization

    tech = Organization.objects.get(code="science_technology")
    response = office.post("/supervision/tasks/2/new/", {"unit": tech.pk, "year": 2026, "title": "开展专利导航",
                                                          "deliverable": "导航报告", "deadline": "2026-12-20"})
    item = WorkItem.objects.get(title="开展专利导航")
    assert response["Location"] == f"/supervision/items/{item.pk}/"
    office.post(f"/supervision/items/{item.pk}/", {"action": "assign"})
    unit.post(f"/supervision/items/{item.pk}/", {"action": "acknowledge"})
    page = unit.get(f"/supervision/items/{item.pk}/").content.decode()
    assert 'data-testid="progress-form"' in page and "产业规划类专利导航项目（个，选填）" in page
    unit.post(f"/supervision/items/{item.pk}/", {"form": "report", "period": "2026-11", "text": "完成", "request_review": "on"})
    item.refresh_from_db()
    assert item.state == "reported"
    overview = office.get("/supervision/").content.decode()
    assert f'data-item="{item.pk}"' in overview
    refused = unit.post(f"/supervision/items/{item.pk}/", {"action": "close"}).content.decode()
    assert "只能由领导小组办公室操作" in refused
    assert dt.date(2026, 12, 20) == item.deadline


def test_an_approved_extension_moves_the_deadline_and_clears_the_lapse(client_for, people, frozen_clock):
    office, unit = client_for("office_admin"), client_for("unit_staff")
    item = _create_item(office, deadline="2026-11-10")
    post_json(office, f"/api/v1/supervision/items/{item}/transitions", {"action": "assign"})
    too_early = post_json(unit, f"/api/v1/supervision/items/{item}/extensions",
                      {"requested_deadline": "2026-11-01", "reason": "等待数据"})
    assert too_early.status_code == 422 and "应晚于现有完成时限" in json.dumps(too_early.json(), ensure_ascii=False)
    asked = post_json(unit, f"/api/v1/supervision/items/{item}/extensions",
                  {"requested_deadline": "2026-12-10", "reason": "等待统计数据发布"})
    assert asked.status_code == 201
    again = post_json(unit, f"/api/v1/supervision/items/{item}/extensions",
                  {"requested_deadline": "2026-12-20", "reason": "再等等"})
    assert again.status_code == 422 and "待审批" in again.json()["detail"][0]
    assert post_json(unit, f"/api/v1/supervision/extensions/{asked.json()['id']}/decision", {"approve": True}).status_code == 403
    decided = post_json(office, f"/api/v1/supervision/extensions/{asked.json()['id']}/decision", {"approve": True})
    assert decided.json()["decision"] == "approved"
    assert WorkItem.objects.get(pk=item).deadline == dt.date(2026, 12, 10)
    frozen_clock.advance(days=10)  # 2026-11-12: past the old deadline, not the new one
    ipcity_main(["remind"])
    assert not Reminder.objects.filter(kind="chaser").exists()


def test_status_lights_follow_the_deadline_and_the_rules_are_shown(client_for, people, frozen_clock):
    office = client_for("office_admin")
    green = _create_item(office, deadline="2026-12-20")
    red = _create_item(office, deadline="2026-11-01")
    for item in (green, red):
        post_json(office, f"/api/v1/supervision/items/{item}/transitions", {"action": "assign"})
    page = office.get("/supervision/").content.decode()
    assert f'data-item="{green}" data-light="green"' in page and f'data-item="{red}" data-light="red"' in page
    assert 'data-unit-light="red"' in page and "红灯：未反馈且已过完成时限" in page
    frozen_clock.advance(days=44)  # 2026-12-16: within seven days of the green item's deadline
    page = office.get("/supervision/").content.decode()
    assert f'data-item="{green}" data-light="yellow"' in page
