"""IP culture: a public calendar of school activities, salons and live streams with experts; pilot schools; the
selection of demonstration units; talent records whose names stay with the office and units."""

from django.test import Client

from ipcity.accounts.models import Organization, OrgType, User
from ipcity.accounts.roles import Role
from ipcity.services.experts import consent_set, expert_add
from ipcity.services.models import PublicityEvent
from tests.helpers import json_text, post_json


def test_another_unit_cannot_report_on_an_event_it_did_not_organize(client_for, people, frozen_clock):
    event = post_json(client_for("unit_staff"), "/api/v1/services/culture/events",
                      {"kind": "salon", "title": "专利沙龙", "held_on": "2026-10-20", "place": "会议室"}).json()
    other_unit, _ = Organization.objects.get_or_create(name="区教育局", defaults={"org_type": OrgType.GOVERNMENT_UNIT})
    stranger = Client()
    stranger.force_login(User.objects.create(username="jiaoyu_staff", organization=other_unit, role=Role.UNIT_STAFF))
    refused = post_json(stranger, f"/api/v1/services/culture/events/{event['id']}/report",
                        {"participants": 999, "summary": "代为填报"})
    assert refused.status_code == 403 and "主办单位" in json_text(refused)
    assert PublicityEvent.objects.get(pk=event["id"]).participants is None


def test_events_go_on_the_public_calendar_and_a_live_stream_needs_an_expert(client_for, people, frozen_clock):
    unit, public = client_for("unit_staff"), client_for(None)
    assert post_json(client_for("enterprise_user"), "/api/v1/services/culture/schools",
                     {"name": "南开小学", "level": "primary", "joined_on": "2025-09-01"}).status_code == 403
    school = post_json(unit, "/api/v1/services/culture/schools", {"name": "南开实验小学", "level": "primary",
                                                                  "joined_on": "2025-09-01", "street": "xuefu"}).json()
    no_school = post_json(unit, "/api/v1/services/culture/events", {"kind": "competition", "title": "创意大赛",
                                                                    "held_on": "2026-04-26", "place": "礼堂"})
    assert no_school.status_code == 422 and "试点学校" in json_text(no_school)
    post_json(unit, "/api/v1/services/culture/events", {"kind": "competition", "title": "青少年发明创意大赛",
                                                        "held_on": "2026-04-26", "place": "礼堂", "school": school["id"],
                                                        "participants": 320, "summary": "30件作品获奖"})
    no_expert = post_json(unit, "/api/v1/services/culture/events", {"kind": "live_stream", "title": "知识产权公开课",
                                                                    "held_on": "2026-11-20", "place": "政务视频号"})
    assert no_expert.status_code == 422 and "专家" in json_text(no_expert)
    named = expert_add(actor=people["office_admin"], name="张教授", title="教授", organization_name="测试大学",
                       specialties=["patent"], user=people["expert"])
    consent_set(actor=people["expert"], expert=named, consent=True)
    private = expert_add(actor=people["office_admin"], name="李不公开", title="研究员", organization_name="某院",
                         specialties=["law"])
    live = {"kind": "live_stream", "title": "知识产权公开课", "held_on": "2026-11-20", "place": "政务视频号"}
    unconsented = post_json(unit, "/api/v1/services/culture/events", {**live, "experts": [named.pk, private.pk]})
    assert unconsented.status_code == 422 and "已同意公开简介" in json_text(unconsented)
    script = post_json(unit, "/api/v1/services/culture/events", {**live, "experts": [named.pk],
                                                                 "stream_url": "javascript:alert(1)"})
    assert script.status_code == 422 and "http 或 https" in json_text(script)
    future = post_json(unit, "/api/v1/services/culture/events", {**live, "experts": [named.pk],
                                                                 "stream_url": "https://live.example.cn/ip"})
    assert future.status_code == 201
    early = post_json(unit, f"/api/v1/services/culture/events/{future.json()['id']}/report",
                      {"participants": 1000, "summary": "观看"})
    assert early.status_code == 422 and "举办后" in json_text(early)
    events = public.get("/api/v1/services/culture/events").json()
    assert [e["title"] for e in events] == ["知识产权公开课", "青少年发明创意大赛"]
    assert events[0]["experts"] == "张教授"
    page = public.get("/services/culture/").content.decode()
    assert "南开实验小学" in page and "李不公开" not in page and "320" in page
    frozen_clock.advance(days=20)
    reported = post_json(unit, f"/api/v1/services/culture/events/{future.json()['id']}/report",
                         {"participants": 1860, "summary": "在线观看1860人次"})
    assert reported.json()["participants"] == 1860
    consent_set(actor=people["expert"], expert=named, consent=False)  # a later withdrawal hides the name again
    assert public.get("/api/v1/services/culture/events").json()[0]["experts"] == "另有1位专家"


def test_demonstration_units_are_nominated_by_units_and_decided_by_the_office(client_for, people):
    unit, office, public = client_for("unit_staff"), client_for("office_admin"), client_for(None)
    made = post_json(unit, "/api/v1/services/culture/demonstration-units",
                     {"name": "南开实验小学", "kind": "school", "year": 2026, "reason": "课程体系完整"}).json()
    twice = post_json(unit, "/api/v1/services/culture/demonstration-units",
                      {"name": "南开实验小学", "kind": "school", "year": 2026, "reason": "再次推荐"})
    assert twice.status_code == 422 and "已被推荐" in json_text(twice)
    assert public.get("/api/v1/services/culture/demonstration-units").json() == []
    assert post_json(unit, f"/api/v1/services/culture/demonstration-units/{made['id']}/decision",
                     {"selected": True, "note": "同意"}).status_code == 403
    post_json(office, f"/api/v1/services/culture/demonstration-units/{made['id']}/decision",
              {"selected": True, "note": "特色鲜明"})
    assert [u["name"] for u in public.get("/api/v1/services/culture/demonstration-units").json()] == ["南开实验小学"]


def test_talent_names_stay_with_the_office_and_units(client_for, people):
    unit, public = client_for("unit_staff"), client_for(None)
    post_json(unit, "/api/v1/services/culture/talent", {"name": "王代理", "organization_name": "某代理所",
                                                        "category": "patent_attorney", "credential": "专利代理师资格证"})
    assert public.get("/api/v1/services/culture/talent").json()["专利代理师"] == 1
    assert "王代理" not in public.get("/services/culture/").content.decode()
    assert public.get("/api/v1/services/culture/talent/records").status_code == 401
    assert client_for("enterprise_user").get("/api/v1/services/culture/talent/records").status_code == 403
    assert unit.get("/api/v1/services/culture/talent/records").json()[0]["name"] == "王代理"
    assert client_for("enterprise_user").get("/services/talent/").status_code == 403


def test_the_organizer_reports_a_held_event_from_the_calendar_page(client_for, people, frozen_clock):
    unit = client_for("unit_staff")
    event = post_json(unit, "/api/v1/services/culture/events", {"kind": "salon", "title": "开放许可沙龙",
                                                                "held_on": "2026-10-20", "place": "会议室"}).json()
    assert 'data-testid="event-report"' in unit.get("/services/culture/").content.decode()
    unit.post("/services/culture/", {"form": "report", "pk": event["id"], "participants": "45", "summary": "45家企业参加"})
    assert client_for(None).get("/api/v1/services/culture/events").json()[0]["participants"] == 45
    refused = unit.post("/services/culture/", {"form": "report", "pk": event["id"], "participants": "", "summary": ""})
    assert "请填写参与人数和活动情况" in refused.content.decode()
    assert client_for(None).get("/api/v1/services/culture/events").json()[0]["participants"] == 45
