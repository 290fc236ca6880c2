"""Assessment: a unit's score follows its work items; the office rates, weighs and circulates a bulletin."""

import datetime as dt
import io
import json

from docx import Document

from ipcity.accounts.models import Organization
from ipcity.cli import main as ipcity_main
from ipcity.plan.models import KeyTask, Reminder
from ipcity.plan.supervision import work_item_create, work_item_transition


def _assigned_item(people, deadline):
    item = work_item_create(actor=people["office_admin"], task=KeyTask.objects.get(number=2),
                            unit=Organization.objects.get(code="science_technology"), year=2026, title="导航项目",
                            deadline=deadline)
    return work_item_transition(actor=people["office_admin"], item=item, action="assign")


def _score(client, **query):
    rows = client.get("/api/v1/supervision/assessment", {"year": 2026, **query}).json()
    return next(r for r in rows if r["unit"] == "区科技局")


def test_when_an_item_falls_overdue_one_chaser_goes_out_and_the_units_score_drops(client_for, people, frozen_clock):
    office = client_for("office_admin")
    _assigned_item(people, dt.date(2026, 11, 10))
    before = _score(office)
    assert before["components"]["timeliness"] is None  # nothing due yet: nothing to assess, no score, no place
    assert before["total"] is None and before["rank"] is None and before["not_ranked_label"] == "不参与排名（无考核事项）"
    frozen_clock.advance(days=9)  # 2026-11-11, one day past the deadline
    ipcity_main(["remind"])
    ipcity_main(["remind"])
    assert Reminder.objects.filter(kind="chaser").count() == 1
    after = _score(office)
    assert after["components"]["timeliness"] == 0 and after["components"]["completion"] == 0
    assert after["total"] == 100 - 70 and after["ranked"]  # timeliness 30 and completion 40 lost


def test_reporting_on_time_and_closing_give_full_marks_for_those_parts(client_for, people, frozen_clock):
    office, unit = client_for("office_admin"), client_for("unit_staff")
    item = _assigned_item(people, dt.date(2026, 11, 10))
    for client, action in [(unit, "acknowledge")]:
        client.post(f"/api/v1/supervision/items/{item.pk}/transitions", json.dumps({"action": action}),
                    content_type="application/json")
    unit.post(f"/api/v1/supervision/items/{item.pk}/reports", json.dumps({"period": "2026-11", "text": "完成"}),
              content_type="application/json")
    for action in ("review", "close"):
        office.post(f"/api/v1/supervision/items/{item.pk}/transitions", json.dumps({"action": action}),
                    content_type="application/json")
    frozen_clock.advance(days=20)
    score = _score(office)
    assert score["components"]["timeliness"] == 1 and score["components"]["completion"] == 1


def test_the_office_rating_and_weights_count_and_bad_weights_are_refused(client_for, people):
    office = client_for("office_admin")
    _assigned_item(people, dt.date(2026, 12, 20))
    bad = office.put("/api/v1/supervision/assessment/schemes/2026", json.dumps({"weights": {"timeliness": 50}}),
                     content_type="application/json")
    assert bad.status_code == 422 and "权重之和应为100，实际为50" in bad.json()["detail"]
    office.put("/api/v1/supervision/assessment/schemes/2026", json.dumps(
        {"weights": {"timeliness": 20, "completion": 20, "indicators": 10, "office": 50}}), content_type="application/json")
    office.put("/api/v1/supervision/assessment/ratings/science_technology", json.dumps({"year": 2026, "score": 60}),
               content_type="application/json")
    score = _score(office)
    assert score["components"]["office"] == 0.6
    # nothing due and no indicators tied yet: those parts count in full; the office's 60 % of 50 gives 30
    assert score["total"] == 20 + 20 + 10 + 30
    refused = office.put("/api/v1/supervision/assessment/ratings/science_technology",
                         json.dumps({"year": 2026, "score": 120}), content_type="application/json")
    assert refused.status_code == 422


def test_the_bulletin_names_the_ranking_and_the_lagging_units(client_for, people, frozen_clock):
    office = client_for("office_admin")
    _assigned_item(people, dt.date(2026, 11, 10))
    frozen_clock.advance(days=30)
    document = Document(io.BytesIO(office.get("/supervision/assessment/bulletin.docx", {"year": 2026}).content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2026年度考核情况的通报" in text and "区科技局" in text
    assert "得分低于60分" in text
    assert document.tables[0].rows[1].cells[1].text == "区科技局"
    page = office.get("/supervision/assessment/", {"year": 2026}).content.decode()
    assert 'data-unit="区科技局"' in page
