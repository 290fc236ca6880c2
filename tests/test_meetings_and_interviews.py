"""Leading group meetings record decisions that become supervised work items; lagging units are interviewed
(约谈) and report their rectification, which the office accepts or sends back."""

import json

from ipcity.accounts.models import Organization
from ipcity.audit.models import AuditEntry
from ipcity.plan.models import Interview, KeyTask, LeadingGroupMeeting, WorkItem
from tests.helpers import json_text


def _send(client, method, path, body=None):
    return getattr(client, method)(path, json.dumps(body or {}), content_type="application/json")


MEETING = {"title": "2026年区知识产权工作领导小组第二次全体会议", "kind": "plenary", "held_on": "2026-10-28",
           "place": "区政府第一会议室", "chaired_by": "区长", "attendees": ["market_supervision", "science_technology"],
           "summary": "听取试点推进情况汇报，研究部署第四季度重点工作。",
           "decisions": [{"text": "区科技局牵头，年底前完成两个产业规划类专利导航项目", "task": 2,
                          "unit": "science_technology", "deadline": "2026-12-25"},
                         {"text": "各成员单位加强信息报送"}]}


def test_a_decision_becomes_a_work_item_that_the_unit_then_sees(client_for, people, frozen_clock):
    office, unit = client_for("office_admin"), client_for("unit_staff")
    created = _send(office, "post", "/api/v1/supervision/meetings", MEETING)
    assert created.status_code == 201, created.content
    meeting = created.json()
    assert [d["number"] for d in meeting["decisions"]] == [1, 2] and meeting["attendees"] == ["区市场监管局", "区科技局"]
    response = _send(office, "post", f"/api/v1/supervision/meetings/{meeting['id']}/decisions/1/work-item")
    assert response.status_code == 201, response.content
    item = WorkItem.objects.get(pk=response.json()["id"])
    assert (item.task.number, item.unit.code, str(item.deadline), item.state) == (
        2, "science_technology", "2026-12-25", "draft")
    assert item.title.startswith("区科技局牵头") and "议定事项第1项" in item.deliverable
    _send(office, "post", f"/api/v1/supervision/items/{item.pk}/transitions", {"action": "assign"})
    page = unit.get(f"/supervision/items/{item.pk}/").content.decode()
    assert 'data-testid="item-source"' in page and MEETING["title"] in page
    minutes = unit.get(f"/supervision/meetings/{meeting['id']}/").content.decode()
    assert MEETING["summary"] in minutes and "已转为工作事项" in minutes and 'data-testid="decision-form"' not in minutes
    again = _send(office, "post", f"/api/v1/supervision/meetings/{meeting['id']}/decisions/1/work-item")
    assert again.status_code == 422 and "已转为工作事项" in json_text(again)
    assert WorkItem.objects.count() == 1
    assert AuditEntry.objects.filter(action="supervision.meeting.decision_to_item").count() == 1


def test_a_decision_without_a_unit_needs_one_when_it_becomes_an_item(client_for, people, frozen_clock):
    office = client_for("office_admin")
    meeting = _send(office, "post", "/api/v1/supervision/meetings", MEETING).json()
    bare = _send(office, "post", f"/api/v1/supervision/meetings/{meeting['id']}/decisions/2/work-item")
    assert bare.status_code == 422 and "请选择该事项所属的重点任务" in json_text(bare) and "请选择承办单位" in json_text(bare)
    named = _send(office, "post", f"/api/v1/supervision/meetings/{meeting['id']}/decisions/2/work-item",
                  {"task": 18, "unit": "market_supervision", "deadline": "2026-12-31", "title": "建立信息报送制度"})
    assert named.status_code == 201 and named.json()["title"] == "建立信息报送制度"


def test_a_meeting_with_a_bad_decision_is_refused_whole(client_for, people, frozen_clock):
    office = client_for("office_admin")
    bad = {**MEETING, "decisions": [{"text": "好的事项"}, {"text": "时限超出试点期", "deadline": "2027-03-01"}, {"text": " "}]}
    response = _send(office, "post", "/api/v1/supervision/meetings", bad)
    assert response.status_code == 422
    assert "第2项议定事项：完成时限应在试点期内" in json_text(response) and "第3项议定事项：请填写内容" in json_text(response)
    future = _send(office, "post", "/api/v1/supervision/meetings", {**MEETING, "held_on": "2026-12-01"})
    assert future.status_code == 422 and "召开日期不能晚于今天" in json_text(future)
    assert LeadingGroupMeeting.objects.count() == 0


def test_the_office_records_a_meeting_in_the_page_and_turns_a_decision_into_an_item(client_for, people, frozen_clock):
    office = client_for("office_admin")
    tech = Organization.objects.get(code="science_technology")
    response = office.post("/supervision/meetings/new/", {
        "title": "专题会议", "kind": "special", "held_on": "2026-10-30", "chaired_by": "分管副区长",
        "summary": "研究专利导航", "attendees": [tech.pk], "decisions": "开展产业规划类导航\n\n加强宣传"})
    meeting = LeadingGroupMeeting.objects.get()
    assert response["Location"] == f"/supervision/meetings/{meeting.pk}/"
    assert [d.text for d in meeting.decisions.all()] == ["开展产业规划类导航", "加强宣传"]
    decision = meeting.decisions.get(number=1)
    task = KeyTask.objects.get(number=2).pk
    page = office.get(f"/supervision/meetings/{meeting.pk}/").content.decode()
    assert page.count('data-testid="decision-form"') == 2
    bad = office.post(f"/supervision/meetings/{meeting.pk}/", {"decision": decision.pk, f"d{decision.pk}-task": task,
                                                              f"d{decision.pk}-unit": tech.pk,
                                                              f"d{decision.pk}-deadline": "2027-05-01"})
    assert bad.status_code == 200 and "完成时限应在试点期内" in bad.content.decode()
    ok = office.post(f"/supervision/meetings/{meeting.pk}/", {"decision": decision.pk, f"d{decision.pk}-task": task,
                                                             f"d{decision.pk}-unit": tech.pk,
                                                             f"d{decision.pk}-deadline": "2026-12-15"})
    item = WorkItem.objects.get()
    assert ok["Location"] == f"/supervision/items/{item.pk}/" and item.title == "开展产业规划类导航"


INTERVIEW = {"unit": "science_technology", "year": 2026, "held_on": "2026-10-30", "interviewer": "领导小组办公室主任",
             "interviewees": "区科技局分管副局长", "reason": "2026年度考核得分52分，三项工作事项逾期",
             "content": "通报逾期情况，听取原因说明", "requirements": "十个工作日内补报进展并提出整改措施",
             "rectification_deadline": "2026-11-13"}


def test_an_interviewed_unit_reports_its_rectification_and_the_office_sends_it_back_then_accepts(
        client_for, people, frozen_clock):
    office, unit = client_for("office_admin"), client_for("unit_staff")
    created = _send(office, "post", "/api/v1/supervision/interviews", INTERVIEW)
    assert created.status_code == 201 and created.json()["state"] == "rectifying"
    pk = created.json()["id"]
    assert [i["id"] for i in unit.get("/api/v1/supervision/interviews").json()] == [pk]
    assert _send(office, "post", f"/api/v1/supervision/interviews/{pk}/decision", {"accept": True}).status_code == 422
    assert unit.post(f"/supervision/interviews/{pk}/", {"form": "rectification", "text": "已补报三项进展"}).status_code == 302
    no_reason = _send(office, "post", f"/api/v1/supervision/interviews/{pk}/decision", {"accept": False})
    assert no_reason.status_code == 422 and "退回整改须说明理由" in json_text(no_reason)
    back = _send(office, "post", f"/api/v1/supervision/interviews/{pk}/decision",
                 {"accept": False, "note": "缺少整改措施"})
    assert back.json()["state"] == "rectifying" and back.json()["office_note"] == "缺少整改措施"
    _send(unit, "post", f"/api/v1/supervision/interviews/{pk}/rectification", {"text": "补充整改措施：建立月报制度"})
    accepted = _send(office, "post", f"/api/v1/supervision/interviews/{pk}/decision", {"accept": True})
    assert accepted.json()["state"] == "accepted" and accepted.json()["state_label"] == "整改完成"
    actions = list(AuditEntry.objects.filter(action__startswith="assessment.interview").values_list("action", flat=True))
    assert sorted(actions) == sorted(["assessment.interview.record", "assessment.interview.rectification_report",
                                      "assessment.interview.return", "assessment.interview.rectification_report",
                                      "assessment.interview.accept"])


def test_another_unit_cannot_see_or_answer_an_interview(client_for, people, frozen_clock):
    office = client_for("office_admin")
    pk = _send(office, "post", "/api/v1/supervision/interviews", {**INTERVIEW, "unit": "culture_tourism"}).json()["id"]
    unit = client_for("unit_staff")  # 区科技局
    assert unit.get("/api/v1/supervision/interviews").json() == []
    assert unit.get(f"/supervision/interviews/{pk}/").status_code == 404
    assert _send(unit, "post", f"/api/v1/supervision/interviews/{pk}/rectification", {"text": "x"}).status_code == 404
    assert Interview.objects.get(pk=pk).state == "rectifying"


def test_the_assessment_page_offers_an_interview_for_a_unit_under_sixty(client_for, people, frozen_clock):
    office = client_for("office_admin")
    created = _send(office, "post", "/api/v1/supervision/items", {
        "task": 2, "unit": "science_technology", "year": 2026, "title": "导航", "deadline": "2026-11-05"})
    _send(office, "post", f"/api/v1/supervision/items/{created.json()['id']}/transitions", {"action": "assign"})
    frozen_clock.advance(days=10)
    page = office.get("/supervision/assessment/").content.decode()
    tech = Organization.objects.get(code="science_technology")
    assert 'data-interview-unit="区科技局"' in page and f"/supervision/interviews/new/?unit={tech.pk}" in page
    form = office.get(f"/supervision/interviews/new/?unit={tech.pk}").content.decode()
    assert "低于60分" in form
    bad = office.post("/supervision/interviews/new/", {**INTERVIEW, "unit": tech.pk, "rectification_deadline": "2026-10-01"})
    assert bad.status_code == 200 and "整改时限不能早于约谈日期" in bad.content.decode()
    assert Interview.objects.count() == 0


def test_people_outside_supervision_see_no_meetings_or_interviews(client_for, people):
    for persona in ("enterprise_user", "agency_user", "expert"):
        assert client_for(persona).get("/api/v1/supervision/meetings").status_code == 403
        assert client_for(persona).get("/supervision/interviews/").status_code == 403
