"""Who is ranked in the annual assessment: a unit with nothing to assess in the year has no score and no place
(不参与排名, never 100), and the office decides which units are left out of the ranking (courts and procuratorates
until it says otherwise); the page, the API and the 通报 all follow that setting."""

import datetime as dt
import io
import json
import re

from docx import Document

from ipcity.accounts.models import Organization
from ipcity.audit.models import AuditEntry
from ipcity.plan.models import AssessmentScope, KeyTask
from ipcity.plan.supervision import work_item_create, work_item_transition
from tests.helpers import json_text


def _put(client, path, body):
    return client.put(path, json.dumps(body, ensure_ascii=False), content_type="application/json")


def _overdue_item(people, code, task=7):
    """An item of the unit due 2026-11-10 and never reported: by 2026-11-12 it scores 0 for two parts."""
    item = work_item_create(actor=people["office_admin"], task=KeyTask.objects.get(number=task),
                            unit=Organization.objects.get(code=code), year=2026, title="执法专项行动",
                            deadline=dt.date(2026, 11, 10))
    return work_item_transition(actor=people["office_admin"], item=item, action="assign")


def _scores(client, year=2026):
    return {row["unit"]: row for row in client.get("/api/v1/supervision/assessment", {"year": year}).json()}


def _page_row(html: str, unit: str) -> str:
    row = re.search(r'<tr data-unit="' + re.escape(unit) + r'">(.*?)</tr>', html, re.S)
    assert row, f"the assessment page does not list {unit}"
    return row.group(1)


def _bulletin(client, year=2026):
    document = Document(io.BytesIO(client.get("/supervision/assessment/bulletin.docx", {"year": year}).content))
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in document.tables[0].rows[1:]}
    return rows, "\n".join(p.text for p in document.paragraphs)


# ---- nothing to assess: no score, no place ----

def test_a_unit_with_no_items_in_the_year_shows_not_ranked_and_no_score_not_100(client_for, people, frozen_clock):
    office = client_for("office_admin")
    _overdue_item(people, "market_supervision")
    frozen_clock.advance(days=10)
    scores = _scores(office)
    idle = scores["区教育局"]  # a responsible unit with no item in 2026
    assert idle["total"] is None and idle["rank"] is None and not idle["ranked"]
    assert idle["not_ranked_label"] == "不参与排名（无考核事项）"
    assert scores["区市场监管局"]["rank"] == 1 and scores["区市场监管局"]["total"] == 30
    row = _page_row(office.get("/supervision/assessment/", {"year": 2026}).content.decode(), "区教育局")
    assert "不参与排名（无考核事项）" in row and "100" not in row
    assert re.search(r'data-testid="total">—<', row)
    rows, text = _bulletin(office)
    assert rows["区教育局"][0] == "不参与排名（无考核事项）" and rows["区教育局"][-1] == "—"
    assert "区教育局 100" not in text and "本年度无考核事项、不参与排名的单位" in text


def test_a_year_without_any_item_ranks_nobody(client_for, people):
    scores = _scores(client_for("office_admin"), year=2024)
    assert scores and all(not s["ranked"] and s["total"] is None for s in scores.values())


# ---- the office's setting: listed, not ranked ----

def test_courts_and_procuratorates_are_listed_with_their_score_but_not_ranked_by_default(client_for, people,
                                                                                         frozen_clock):
    office = client_for("office_admin")
    _overdue_item(people, "court")
    _overdue_item(people, "market_supervision")
    frozen_clock.advance(days=10)
    scores = _scores(office)
    court = scores["区法院"]
    assert court["total"] == 30 and court["rank"] is None and court["not_ranked_label"] == "不参与排名（办公室设定）"
    assert scores["区市场监管局"]["rank"] == 1  # the court does not take a place ahead of or beside it
    assert [s["rank"] for s in scores.values() if s["ranked"]] == [1]
    page = office.get("/supervision/assessment/", {"year": 2026}).content.decode()
    assert "不参与排名（办公室设定）" in _page_row(page, "区法院")
    assert 'data-interview-unit="区法院"' not in page and 'data-interview-unit="区市场监管局"' in page
    assert "区法院、区检察院" in page and "默认设定" in page
    rows, text = _bulletin(office)
    assert rows["区法院"][0] == "不参与排名（办公室设定）" and rows["区市场监管局"][0] == "1"
    lagging = next(p for p in text.split("\n") if "得分低于60分" in p)
    assert "区市场监管局" in lagging and "区法院" not in lagging
    assert "区法院不参与排名，得分仅供参考" in text


def test_the_office_changes_who_is_ranked_and_the_change_is_audited_and_kept(client_for, people, frozen_clock):
    office = client_for("office_admin")
    _overdue_item(people, "court")
    frozen_clock.advance(days=10)
    procuratorate = Organization.objects.get(code="procuratorate")
    changed = _put(office, "/api/v1/supervision/assessment/scope", {"unranked_units": [procuratorate.pk]})
    assert changed.status_code == 200
    assert [u["name"] for u in changed.json()["unranked_units"]] == ["区检察院"] and not changed.json()["is_default"]
    assert _scores(office)["区法院"]["rank"] == 1
    entry = AuditEntry.objects.get(action="assessment.scope.set")
    assert entry.before == {"unranked_units": ["区法院", "区检察院"]} and entry.after == {"unranked_units": ["区检察院"]}
    # through the page: rank everyone
    frozen_clock.advance(minutes=5)
    posted = office.post("/supervision/assessment/?year=2026", {"form": "scope"})
    assert posted.status_code == 302
    scope = office.get("/api/v1/supervision/assessment/scope").json()
    assert scope["unranked_units"] == []
    history = office.get("/api/v1/supervision/assessment/scope/history").json()
    assert [[u["name"] for u in h["unranked_units"]] for h in history] == [[], ["区检察院"]]
    assert AssessmentScope.objects.count() == 2 and AuditEntry.objects.filter(action="assessment.scope.set").count() == 2
    page = office.get("/supervision/assessment/", {"year": 2026}).content.decode()
    assert "无（全部责任单位参与排名）" in page and 'data-testid="scope-history"' in page


# ---- only the office decides; bad ids are refused in Chinese ----

def test_a_unit_cannot_change_who_is_ranked(client_for, people):
    unit = client_for("unit_staff")
    court = Organization.objects.get(code="court")
    assert _put(unit, "/api/v1/supervision/assessment/scope", {"unranked_units": [court.pk]}).status_code == 403
    assert unit.post("/supervision/assessment/", {"form": "scope", "unranked_units": [court.pk]}).status_code == 403
    assert client_for("enterprise_user").get("/api/v1/supervision/assessment/scope").status_code == 403
    assert unit.get("/api/v1/supervision/assessment/scope").json()["is_default"]  # units read the setting
    assert "scope-form" not in unit.get("/supervision/assessment/").content.decode()
    assert AssessmentScope.objects.count() == 0 and not AuditEntry.objects.filter(action="assessment.scope.set")


def test_an_unknown_or_non_unit_id_is_refused_in_chinese_and_nothing_changes(client_for, people):
    office = client_for("office_admin")
    enterprise = people["enterprise_user"].organization
    unknown = _put(office, "/api/v1/supervision/assessment/scope", {"unranked_units": [999999]})
    assert unknown.status_code == 422 and "以下编号不是责任单位：999999" in json_text(unknown)
    not_a_unit = _put(office, "/api/v1/supervision/assessment/scope", {"unranked_units": [enterprise.pk]})
    assert not_a_unit.status_code == 422 and "不是责任单位" in json_text(not_a_unit)
    garbage = _put(office, "/api/v1/supervision/assessment/scope", {"unranked_units": ["法院"]})
    assert garbage.status_code == 422 and "编号" in json_text(garbage)
    huge = _put(office, "/api/v1/supervision/assessment/scope", {"unranked_units": [2**70]})
    assert huge.status_code == 422
    page = office.post("/supervision/assessment/", {"form": "scope", "unranked_units": ["999999"]})
    assert page.status_code == 200 and "所选单位不是责任单位" in page.content.decode()
    page = office.post("/supervision/assessment/", {"form": "scope", "unranked_units": ["abc"]})
    assert page.status_code == 200 and "单位编号无效" in page.content.decode()
    assert AssessmentScope.objects.count() == 0
