"""知识产权保护社会满意度 (issue 15, part 6): the office writes a questionnaire for a year, opens and closes it; the
public answers through a link without an account, once per mobile number (kept only as a salted hash); the results
by year (responses, 满意率, each question's distribution) show on the survey pages, beside the plan's overall goal and
in the evaluation report."""

import datetime as dt
import io

import pytest
from docx import Document

from ipcity import clock
from ipcity.audit.models import AuditEntry
from ipcity.plan.models import SatisfactionSurvey, SurveyAnswer, SurveyResponse
from ipcity.plan.survey import RATE_LIMIT
from tests.helpers import json_text, post_json

QUESTIONS = [
    {"kind": "scale", "text": "您对南开区知识产权保护工作的总体评价"},
    {"kind": "scale", "text": "您对侵权假冒行为查处力度的评价"},
    {"kind": "choice", "text": "您的身份", "options": ["企业经营管理人员", "高校院所人员", "其他社会公众"]},
]


def _survey(client_for, *, year=2026, state="open") -> SatisfactionSurvey:
    office = client_for("office_admin")
    made = post_json(office, "/api/v1/plan/surveys", {"year": year, "title": f"{year}年知识产权保护社会满意度调查",
                                                      "questions": QUESTIONS})
    assert made.status_code == 201, made.content
    survey = SatisfactionSurvey.objects.get(pk=made.json()["id"])
    if state in ("open", "closed"):
        assert post_json(office, f"/api/v1/plan/surveys/{survey.pk}/transitions", {"action": "open"}).status_code == 200
    if state == "closed":
        assert post_json(office, f"/api/v1/plan/surveys/{survey.pk}/transitions", {"action": "close"}).status_code == 200
    survey.refresh_from_db()
    return survey


def _link(survey) -> str:
    return f"/plan/satisfaction/answer/{survey.token}/"


def _answer(client, survey, phone="13812345678", q1="5", q2="4", q3="2", **extra):
    return client.post(_link(survey), {"phone": phone, "q1": q1, "q2": q2, "q3": q3, **extra})


def _nothing_written() -> bool:
    return not SurveyResponse.objects.exists() and not SurveyAnswer.objects.exists()


# ---------------------------------------------------------------------------------------------- answering

def test_a_member_of_the_public_answers_through_the_link_without_signing_in(client, client_for):
    survey = _survey(client_for)
    page = client.get(_link(survey))
    assert page.status_code == 200 and "您对侵权假冒行为查处力度的评价" in page.content.decode()
    assert "非常满意（5分）" in page.content.decode()
    answered = _answer(client, survey)
    assert answered.status_code == 200 and "提交成功" in answered.content.decode()
    response = SurveyResponse.objects.get()
    assert sorted(response.answers.values_list("question__number", "value")) == [(1, 5), (2, 4), (3, 2)]
    assert AuditEntry.objects.filter(action="plan.survey.answer", actor_name="system").count() == 1


def test_one_phone_answers_once_and_only_a_salted_hash_of_it_is_kept(client, client_for):
    survey, other_year = _survey(client_for), _survey(client_for, year=2025)
    assert "提交成功" in _answer(client, survey).content.decode()
    again = _answer(client, survey, q1="1")
    assert "该手机号已参加过本次调查，每个手机号只能填写一次" in again.content.decode()
    assert SurveyResponse.objects.count() == 1
    stored = SurveyResponse.objects.get()
    assert "13812345678" not in stored.phone_hash and len(stored.phone_hash) == 64
    # the same number in another survey is another hash (its own salt), and may answer there
    assert "提交成功" in _answer(client, other_year).content.decode()
    assert SurveyResponse.objects.filter(survey=other_year).get().phone_hash != stored.phone_hash
    assert "13812345678" not in str(list(AuditEntry.objects.values_list("before", "after")))


def test_the_same_number_written_with_full_width_or_other_script_digits_is_not_a_second_answer(client, client_for):
    survey = _survey(client_for)
    assert "提交成功" in _answer(client, survey).content.decode()
    for disguised in ("1381234567８", "１３８１２３４５６７８", "138123456٧8"):  # full-width 8, all full-width, Arabic-Indic 7
        refused = _answer(client, survey, phone=disguised)
        assert "手机号应为以1开头的11位数字" in refused.content.decode()
    assert SurveyResponse.objects.count() == 1


@pytest.mark.parametrize(("changes", "message"), [
    ({"phone": "12345"}, "手机号应为以1开头的11位数字"),
    ({"phone": "23812345678"}, "手机号应为以1开头的11位数字"),
    ({"phone": ""}, "请填写手机号"),
    ({"q2": ""}, "第2题：请选择一项"),
    ({"q1": "6"}, "第1题：不是本题的选项"),
    ({"q3": "4"}, "第3题：不是本题的选项"),
])
def test_a_bad_phone_or_answer_is_refused_in_chinese_naming_the_field_and_nothing_is_written(
        client, client_for, changes, message):
    survey = _survey(client_for)
    refused = _answer(client, survey, **changes)
    assert refused.status_code == 200 and message in refused.content.decode()
    assert _nothing_written()


def test_a_closed_survey_refuses_answers_and_a_drafts_link_leads_nowhere(client, client_for):
    closed = _survey(client_for, state="closed")
    page = client.get(_link(closed))
    assert page.status_code == 200 and "本次调查已结束" in page.content.decode()
    refused = _answer(client, closed)
    assert "本次调查已结束，不再接收答卷" in refused.content.decode()
    draft = _survey(client_for, year=2025, state="draft")
    assert client.get(_link(draft)).status_code == 404
    assert client.post(_link(draft), {"phone": "13812345678", "q1": "5"}).status_code == 404
    assert _nothing_written()


def test_one_network_address_may_send_only_so_many_answers_in_ten_minutes(client, client_for, frozen_clock):
    survey = _survey(client_for)
    for n in range(RATE_LIMIT):
        assert "提交成功" in _answer(client, survey, phone=f"139{n:08d}").content.decode()
    flooded = _answer(client, survey, phone="13700000000")
    assert "同一网络提交的答卷过多，请10分钟后再试" in flooded.content.decode()
    assert "提交成功" in client.post(_link(survey), {"phone": "13700000001", "q1": "5", "q2": "5", "q3": "1"},
                                     REMOTE_ADDR="10.0.0.9").content.decode()  # another network
    frozen_clock.advance(minutes=11)
    assert "提交成功" in _answer(client, survey, phone="13700000000").content.decode()
    assert SurveyResponse.objects.count() == RATE_LIMIT + 2


# ------------------------------------------------------------------------------------------- the office's

def test_only_the_office_writes_opens_and_closes_a_survey(client, client_for):
    body = {"year": 2026, "title": "调查", "questions": QUESTIONS}
    assert post_json(client, "/api/v1/plan/surveys", body).status_code == 401
    for persona in ("unit_staff", "enterprise_user"):
        assert post_json(client_for(persona), "/api/v1/plan/surveys", body).status_code == 403
        assert client_for(persona).post("/plan/satisfaction/", {"year": "2026", "title": "调查",
                                                                "questions": "满意吗"}).status_code == 403
    assert not SatisfactionSurvey.objects.exists()
    survey = _survey(client_for, state="draft")
    assert post_json(client_for("unit_staff"), f"/api/v1/plan/surveys/{survey.pk}/transitions",
                     {"action": "open"}).status_code == 403
    assert client_for("unit_staff").get(f"/plan/satisfaction/{survey.pk}/").status_code == 404  # the office's draft
    office = client_for("office_admin")
    assert office.post(f"/plan/satisfaction/{survey.pk}/", {"action": "open"}).status_code == 302
    survey.refresh_from_db()
    assert survey.state == "open" and survey.opened_at is not None
    assert client_for("unit_staff").post(f"/plan/satisfaction/{survey.pk}/", {"action": "close"}).status_code == 403
    assert post_json(client_for("unit_staff"), f"/api/v1/plan/surveys/{survey.pk}/transitions",
                     {"action": "close"}).status_code == 403
    assert client.get(f"/plan/satisfaction/{survey.pk}/qr.svg").status_code == 403
    qr = office.get(f"/plan/satisfaction/{survey.pk}/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert survey.token in office.get(f"/plan/satisfaction/{survey.pk}/").content.decode()
    assert survey.token not in client.get(f"/plan/satisfaction/{survey.pk}/").content.decode()
    closed = post_json(office, f"/api/v1/plan/surveys/{survey.pk}/transitions", {"action": "close"})
    assert closed.status_code == 200 and closed.json()["state_label"] == "已结束"
    reopened = post_json(office, f"/api/v1/plan/surveys/{survey.pk}/transitions", {"action": "open"})
    assert reopened.status_code == 422 and "当前状态为“已结束”，不能开放填写" in json_text(reopened)
    assert list(AuditEntry.objects.filter(action__startswith="plan.survey.").values_list("action", flat=True)
                .order_by("pk")) == ["plan.survey.create", "plan.survey.open", "plan.survey.close"]


def test_a_draft_is_discarded_only_with_a_reason(client_for):
    survey = _survey(client_for, state="draft")
    office = client_for("office_admin")
    refused = post_json(office, f"/api/v1/plan/surveys/{survey.pk}/transitions", {"action": "discard"})
    assert refused.status_code == 422 and "作废须填写理由" in json_text(refused)
    done = post_json(office, f"/api/v1/plan/surveys/{survey.pk}/transitions", {"action": "discard", "reason": "题目有误"})
    assert done.json()["state_label"] == "已作废"


@pytest.mark.parametrize(("questions", "message"), [
    ([], "请至少设置1道题"),
    ([{"kind": "scale", "text": ""}], "第1题：请填写题目"),
    ([{"kind": "scale", "text": "满意吗"}, {"kind": "choice", "text": "身份", "options": ["企业"]}],
     "第2题：单选题应有2～10个选项（现有1个）"),
    ([{"kind": "choice", "text": "身份", "options": ["企业", "企业"]}], "第1题：选项重复"),
    ([{"kind": "scale", "text": "长" * 201}], "第1题：超过 200 字的上限"),
    ([{"kind": "scale", "text": "满意吗"}] * 31, "最多30道题"),
])
def test_a_questionnaire_with_a_bad_question_is_refused_naming_the_question_and_nothing_is_written(
        client_for, questions, message):
    refused = post_json(client_for("office_admin"), "/api/v1/plan/surveys",
                        {"year": 2026, "title": "调查", "questions": questions})
    assert refused.status_code == 422 and message in json_text(refused)
    assert not SatisfactionSurvey.objects.exists()


def test_the_office_writes_a_questionnaire_on_the_page_one_question_a_line(client_for):
    office = client_for("office_admin")
    made = office.post("/plan/satisfaction/", {"year": "2026", "title": "2026年满意度调查",
                                                "questions": "总体评价\n您的身份|企业|公众\n"})
    assert made.status_code == 302
    survey = SatisfactionSurvey.objects.get()
    assert [(q.kind, q.text, q.options) for q in survey.questions.all()] == [
        ("scale", "总体评价", []), ("choice", "您的身份", ["企业", "公众"])]
    refused = office.post("/plan/satisfaction/", {"year": "2026", "title": "调查", "questions": "身份|企业"})
    assert refused.status_code == 200 and "第1题：单选题应有2～10个选项" in refused.content.decode()
    assert SatisfactionSurvey.objects.count() == 1


# ---------------------------------------------------------------------------------------------- results

def test_the_results_count_answers_and_the_rate_is_the_share_of_satisfied_answers_to_scale_questions(
        client, client_for):
    survey = _survey(client_for)
    # scale answers: (5,4) (3,2) (4,1) -> six answers, three of them 4 or 5 -> 50 %; the choice never counts
    for n, (q1, q2, q3) in enumerate([("5", "4", "1"), ("3", "2", "1"), ("4", "1", "3")]):
        assert "提交成功" in _answer(client, survey, phone=f"1380000000{n}", q1=q1, q2=q2, q3=q3).content.decode()
    result = client.get(f"/api/v1/plan/surveys/{survey.pk}").json()
    assert (result["responses"], result["scale_answers"], result["satisfied"], result["rate"]) == (3, 6, 3, 50.0)
    first, second, choice = result["questions"]
    assert [o["count"] for o in first["options"]] == [0, 0, 1, 1, 1] and first["rate"] == 66.7 and first["mean"] == 4.0
    assert second["rate"] == 33.3
    assert [(o["label"], o["count"], o["share"]) for o in choice["options"]] == [
        ("企业经营管理人员", 2, 66.7), ("高校院所人员", 0, 0.0), ("其他社会公众", 1, 33.3)]
    assert choice["rate"] is None
    years = client.get("/api/v1/plan/satisfaction").json()
    assert [(y["year"], y["responses"], y["rate"]) for y in years] == [(2026, 3, 50.0)]
    page = client.get("/plan/satisfaction/").content.decode()
    assert "满意率＝满意度题中回答“满意”（4分）或“非常满意”（5分）的人次" in page and "50.0%" in page
    detail = client.get(f"/plan/satisfaction/{survey.pk}/").content.decode()
    assert "66.7%" in detail and "企业经营管理人员" in detail


def test_the_rate_by_year_shows_beside_the_overall_goal_and_drafts_stay_out(client, client_for):
    survey = _survey(client_for)
    _survey(client_for, year=2025, state="draft")
    _answer(client, survey, q1="5", q2="3")
    home = client.get("/").content.decode()
    assert "知识产权保护社会满意度</a>（问卷调查满意率）：2026年 50.0%（1份）" in home
    assert "2025年" not in client.get("/api/v1/plan/satisfaction").content.decode()
    assert [s["year"] for s in client.get("/api/v1/plan/surveys").json()] == [2026]
    assert sorted(s["year"] for s in client_for("office_admin").get("/api/v1/plan/surveys").json()) == [2025, 2026]


def test_the_evaluation_report_states_the_rate_of_each_year(client, client_for):
    with clock.frozen_at(dt.datetime(2025, 9, 10, 9, tzinfo=dt.UTC)):
        survey = _survey(client_for, year=2025)
        _answer(client, survey, q1="5", q2="5")
    with clock.frozen_at(dt.datetime(2027, 1, 8, 9, tzinfo=dt.UTC)):
        office = client_for("office_admin")
        report = post_json(office, "/api/v1/supervision/evaluations", {"kind": "final"}).json()
        document = Document(io.BytesIO(office.get(f"/api/v1/supervision/evaluations/{report['id']}/document",
                                                  {"format": "docx"}).content))
        text = "\n".join(p.text for p in document.paragraphs)
        assert "知识产权保护社会满意度（平台问卷调查" in text and "2025年100%（有效答卷1份）" in text
        assert "2025年100%（有效答卷1份）" in office.get(f"/supervision/evaluations/{report['id']}/").content.decode()
