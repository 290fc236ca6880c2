"""The expert pool: public profiles only with the expert's consent, conflicts and unavailability block assignment,
the expert records an opinion, the office sees everything."""

import datetime as dt
import json

from ipcity.operations.navigation import navigation_create
from ipcity.protection.mediation import mediation_apply
from tests.helpers import json_text, post_json

EXPERT = {"name": "张教授", "title": "教授", "organization_name": "测试大学", "specialties": ["patent", "navigation"],
          "fields": ["新材料"], "bio": "长期从事专利分析"}


def _add(office, **changes):
    return post_json(office, "/api/v1/services/experts", {**EXPERT, "user": "expert", **changes})


def test_a_profile_is_public_only_while_the_expert_consents(client_for, people):
    office, expert, public = client_for("office_admin"), client_for("expert"), client_for(None)
    assert _add(client_for("unit_staff")).status_code == 403
    pk = _add(office).json()["id"]
    assert public.get("/api/v1/services/experts").json() == []
    assert public.get(f"/api/v1/services/experts/{pk}").status_code == 404
    assert public.get(f"/services/experts/{pk}/").status_code == 404
    assert post_json(office, f"/api/v1/services/experts/{pk}/consent", {"consent": True}).status_code == 403
    post_json(expert, f"/api/v1/services/experts/{pk}/consent", {"consent": True})
    shown = public.get(f"/api/v1/services/experts/{pk}").json()
    assert shown["name"] == "张教授" and "public_consent" not in shown and "conflicts" not in shown
    assert [e["name"] for e in public.get("/api/v1/services/experts?specialty=navigation").json()] == ["张教授"]
    assert public.get("/api/v1/services/experts?specialty=law").json() == []
    post_json(expert, f"/api/v1/services/experts/{pk}/consent", {"consent": False})
    assert public.get("/api/v1/services/experts").json() == []
    assert len(office.get("/api/v1/services/experts/pool").json()) == 1
    assert public.get("/api/v1/services/experts/pool").status_code == 401


def test_conflicts_and_unavailability_block_an_assignment_and_the_expert_gives_an_opinion(client_for, people,
                                                                                         frozen_clock):
    office, expert = client_for("office_admin"), client_for("expert")
    pk = _add(office).json()["id"]
    university = people["university_user"].organization  # the expert's own employer
    project = navigation_create(actor=people["agency_user"], kind="enterprise_operation", title="新材料专利导航",
                                undertaker=people["agency_user"].organization, industry="新材料",
                                started_on=dt.date(2026, 10, 1), client=university, scope_ipc="C09K")
    mediation = mediation_apply(actor=people["enterprise_user"], channel="people", body=people["mediator"].organization,
                                respondent="某店", right_type="patent", claim="侵权")
    post_json(expert, f"/api/v1/services/experts/{pk}/conflicts",
              {"organization": people["enterprise_user"].organization_id, "reason": "曾为该企业提供咨询"})
    blocked = post_json(office, f"/api/v1/services/experts/{pk}/assignments", {"kind": "mediation",
                                                                               "mediation": mediation.pk})
    assert blocked.status_code == 422 and "曾为该企业提供咨询" in json_text(blocked)
    own = post_json(office, f"/api/v1/services/experts/{pk}/assignments", {"kind": "navigation",
                                                                           "navigation": project.pk})
    assert own.status_code == 422 and "专家任职于测试大学" in json_text(own)  # the project's client employs the expert
    unavailable = expert.put(f"/api/v1/services/experts/{pk}", json.dumps({**EXPERT, "available": False}),
                             content_type="application/json")
    assert unavailable.status_code == 422 and "说明" in json_text(unavailable)
    expert.put(f"/api/v1/services/experts/{pk}", json.dumps({**EXPERT, "available": False,
                                                             "availability_note": "出国访学至2027年1月"}),
               content_type="application/json")
    away = post_json(office, f"/api/v1/services/experts/{pk}/assignments", {"kind": "assessment", "subject": "品牌机构评审"})
    assert away.status_code == 422 and "出国访学" in json_text(away)
    expert.put(f"/api/v1/services/experts/{pk}", json.dumps({**EXPERT, "available": True}),
               content_type="application/json")
    assigned = post_json(office, f"/api/v1/services/experts/{pk}/assignments",
                         {"kind": "assessment", "subject": "品牌机构评审"}).json()
    assert assigned["state"] == "assigned"
    assert [a["subject"] for a in expert.get("/api/v1/services/expert-assignments").json()] == ["品牌机构评审"]
    assert client_for("agency_user").get("/api/v1/services/expert-assignments").status_code == 403
    empty = post_json(expert, f"/api/v1/services/expert-assignments/{assigned['id']}/close", {})
    assert empty.status_code == 422
    done = post_json(expert, f"/api/v1/services/expert-assignments/{assigned['id']}/close",
                     {"opinion": "建议认定：服务质量优"}).json()
    assert done["state"] == "done" and done["opinion"] == "建议认定：服务质量优"
