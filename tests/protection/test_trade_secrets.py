"""The trade secret self-assessment: a weighted score, a grade, and the advice for each weak point."""

import json

import pytest

from ipcity.protection.core.trade_secret import QUESTIONS, assess

ALL_YES = {q.code: True for q in QUESTIONS}


def test_all_yes_scores_100_and_each_no_costs_its_weight_and_brings_its_advice():
    assert assess(ALL_YES).score == 100 and assess(ALL_YES).guidance == []
    result = assess({**ALL_YES, "agreements": False})
    assert result.score == 85 and result.grade == "良好"
    assert result.guidance == [("保密协议", next(q.guidance for q in QUESTIONS if q.code == "agreements"))]
    assert result.by_area["保密协议"] == 40
    weak = assess(dict.fromkeys(ALL_YES, False))
    assert (weak.score, weak.grade) == (0, "薄弱") and len(weak.guidance) == len(QUESTIONS)
    with pytest.raises(ValueError, match="尚未回答"):
        assess({"inventory": True})


def test_an_enterprise_assesses_itself_in_the_page_and_the_api(client_for, people):
    enterprise = client_for("enterprise_user")
    page = enterprise.post("/protection/trade-secrets/", {**{q.code: "yes" for q in QUESTIONS}, "departure": "no"})
    text = page.content.decode()
    assert 'data-testid="score">90<' in text and "离职交接清单" in text
    response = enterprise.post("/api/v1/protection/trade-secrets/assessments", json.dumps({"answers": ALL_YES}),
                               content_type="application/json")
    assert response.status_code == 201 and response.json()["score"] == 100
    assert len(enterprise.get("/api/v1/protection/trade-secrets/assessments").json()) == 2
    partial = enterprise.post("/api/v1/protection/trade-secrets/assessments", json.dumps({"answers": {"x": True}}),
                              content_type="application/json")
    assert partial.status_code == 422
    assert client_for("university_user").get("/protection/trade-secrets/").status_code == 403
