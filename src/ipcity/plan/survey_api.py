"""The 知识产权保护社会满意度 surveys in the API (/api/v1/plan/surveys, /api/v1/plan/satisfaction): the results are
public; writing, opening and closing a questionnaire is the office's. Answering is the public page's (the link and the
QR code), not the API's."""

import datetime as dt
from typing import Literal

from ninja import Router, Schema, Status

from ipcity.bounds import Year
from ipcity.openapi import Rows, paginated
from ipcity.plan.survey import (
    SATISFACTION_DEFINITION,
    SURVEY,
    Kind,
    QuestionIn,
    may_manage,
    require_manager,
    satisfaction_by_year,
    survey_create,
    survey_get,
    survey_list,
    survey_results,
    survey_transition,
)

router = Router()


class QuestionSpec(Schema):
    kind: Literal[tuple(Kind.values)]
    text: str
    options: list[str] = []


class SurveyIn(Schema):
    year: Year
    title: str
    questions: list[QuestionSpec]


class SurveyOut(Schema):
    id: int
    year: int
    title: str
    state: str
    state_label: str
    responses: int
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    is_synthetic: bool
    answer_path: str  # the public link's path (the office only; empty for others)


class OptionCountOut(Schema):
    value: int
    label: str
    count: int
    share: float | None


class QuestionResultOut(Schema):
    number: int
    kind: str
    kind_label: str
    text: str
    answers: int
    options: list[OptionCountOut]
    satisfied: int | None
    rate: float | None
    mean: float | None


class SurveyDetailOut(SurveyOut):
    scale_answers: int
    satisfied: int
    rate: float | None
    definition: str
    questions: list[QuestionResultOut]


def _survey_out(survey, user) -> dict:
    from django.urls import reverse

    return {"id": survey.pk, "year": survey.year, "title": survey.title, "state": survey.state,
            "state_label": survey.get_state_display(), "responses": survey.responses.count(),
            "opened_at": survey.opened_at, "closed_at": survey.closed_at, "is_synthetic": survey.is_synthetic,
            "answer_path": reverse("plan:survey_answer", args=[survey.token]) if may_manage(user) else ""}


@router.get("/surveys", auth=None, response=list[SurveyOut],
            summary="知识产权保护社会满意度调查问卷（公开已开展的；办公室另见草稿）")
@paginated
def surveys(request):
    return Rows(survey_list(user=request.user), lambda s: _survey_out(s, request.user))


@router.post("/surveys", response={201: SurveyOut}, summary="新建调查问卷（草稿，仅领导小组办公室）")
def survey_create_api(request, payload: SurveyIn):
    require_manager(request.user)
    created = survey_create(actor=request.user, year=payload.year, title=payload.title,
                            questions=[QuestionIn(kind=q.kind, text=q.text, options=tuple(q.options))
                                       for q in payload.questions])
    return Status(201, _survey_out(created, request.user))


@router.get("/surveys/{survey_id}", auth=None, response=SurveyDetailOut, summary="一份调查问卷及其结果（满意率、各题分布）")
def survey(request, survey_id: int):
    found = survey_get(user=request.user, pk=survey_id)
    results = survey_results(found)
    return {**_survey_out(found, request.user), "scale_answers": results["scale_answers"],
            "satisfied": results["satisfied"], "rate": results["rate"], "definition": SATISFACTION_DEFINITION,
            "questions": results["questions"]}


class SurveyTransitionIn(Schema):
    action: Literal[SURVEY.actions]
    reason: str = ""


@router.post("/surveys/{survey_id}/transitions", response=SurveyOut,
             summary="开放填写、结束调查或作废草稿（仅领导小组办公室）")
def survey_transition_api(request, survey_id: int, payload: SurveyTransitionIn):
    require_manager(request.user)
    found = survey_get(user=request.user, pk=survey_id)
    return _survey_out(survey_transition(actor=request.user, survey=found, action=payload.action,
                                         reason=payload.reason), request.user)


class SatisfactionYearOut(Schema):
    year: int
    responses: int
    scale_answers: int
    satisfied: int
    rate: float | None
    surveys: list[int]
    is_synthetic: bool
    definition: str


@router.get("/satisfaction", auth=None, response=list[SatisfactionYearOut],
            summary="知识产权保护社会满意度：各年度答卷数和满意率（公开）")
def satisfaction(request):
    return [{**{k: row[k] for k in ("year", "responses", "scale_answers", "satisfied", "rate", "is_synthetic")},
             "surveys": [s.pk for s in row["surveys"]], "definition": SATISFACTION_DEFINITION}
            for row in satisfaction_by_year()]
