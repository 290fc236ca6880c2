"""知识产权保护社会满意度调查: the overall goal's "知识产权保护社会满意度明显提升", measured by asking the public.

The office writes a questionnaire for a year (satisfaction questions scored 1～5, and single-choice questions), opens it
and closes it (the SURVEY table below). While it is open anyone answers through its public link, without an account:
one answer per mobile number, kept only as a salted hash (`SurveyResponse.phone_hash`), and at most `RATE_LIMIT`
answers from one network address within `RATE_WINDOW`, so a script cannot fill the survey.

The satisfaction rate (满意率) is the share of the satisfaction questions' answers that are 4 (满意) or 5 (非常满意):
`SATISFACTION_DEFINITION` says so on every page showing it. Single-choice questions are shown as their distribution and
never enter the rate. This is a figure of its own: the services module's 办件满意度 (applicants rating their
applications) is another measure and stays separate.
"""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.crypto import salted_hmac

from ipcity import clock
from ipcity.accounts.permissions import has_perm, require_perm
from ipcity.accounts.roles import Perm
from ipcity.accounts.system import system_actor
from ipcity.accounts.validators import phone_problem
from ipcity.audit.services import audit_record
from ipcity.bounds import YEARS
from ipcity.inputs import object_or_404, text_problem
from ipcity.plan.models import SatisfactionSurvey, SurveyAnswer, SurveyQuestion, SurveyResponse
from ipcity.workflow.core import Workflow, step
from ipcity.workflow.services import workflow_step

State = SatisfactionSurvey.State
Kind = SurveyQuestion.Kind

TITLE_MAX = 100
QUESTIONS_MAX = 30
QUESTION_MAX = 200  # characters of one question
OPTIONS_MIN, OPTIONS_MAX = 2, 10
OPTION_MAX = 50  # characters of one option
RATE_WINDOW = dt.timedelta(minutes=10)
RATE_LIMIT = 30  # answers to one survey from one network address within the window (a room of people behind one NAT)
SCALE = {1: "非常不满意", 2: "不满意", 3: "一般", 4: "满意", 5: "非常满意"}
SATISFIED = (4, 5)
SATISFACTION_DEFINITION = ("满意率＝满意度题中回答“满意”（4分）或“非常满意”（5分）的人次 ÷ 满意度题回答总人次；"
                           "单选题只统计各选项的分布，不计入满意率。")

SURVEY = Workflow(
    name="plan.survey", label="满意度调查", states=dict(State.choices),
    parties={"office": "领导小组办公室"},
    transitions=(
        step("open", "开放填写", State.DRAFT, State.OPEN, by="office"),
        step("close", "结束调查", State.OPEN, State.CLOSED, by="office"),
        step("discard", "作废", State.DRAFT, State.DISCARDED, by="office", needs_reason=True),
    ))


@dataclass(frozen=True)
class QuestionIn:
    kind: str
    text: str
    options: tuple[str, ...] = ()


# ---- reads ----

def may_manage(user) -> bool:
    return has_perm(user, Perm.SURVEY_MANAGE)


def survey_list(*, user) -> QuerySet[SatisfactionSurvey]:
    """The office sees every survey; anyone else those that were opened (their results are public)."""
    surveys = SatisfactionSurvey.objects.annotate(response_count=Count("responses"))
    return surveys if may_manage(user) else surveys.filter(state__in=[State.OPEN, State.CLOSED])


def survey_get(*, user, pk) -> SatisfactionSurvey:
    return object_or_404(survey_list(user=user), "满意度调查不存在或无权查看", pk=pk)


def survey_by_token(*, token: str) -> SatisfactionSurvey:
    """What the public link opens: a survey that is or was open. A draft's link leads nowhere yet."""
    survey = SatisfactionSurvey.objects.filter(token=token or "", state__in=[State.OPEN, State.CLOSED]).first()
    if survey is None:
        raise Http404("调查不存在或尚未开放")
    return survey


# ---- writes ----

def questions_problems(questions: list[QuestionIn]) -> list[str]:
    """Every problem of a questionnaire, each naming its question (第3题：…)."""
    if not questions:
        return ["请至少设置1道题"]
    if len(questions) > QUESTIONS_MAX:
        return [f"最多{QUESTIONS_MAX}道题（共{len(questions)}道）"]
    problems = []
    for number, q in enumerate(questions, start=1):
        where = f"第{number}题"
        if q.kind not in Kind.values:
            problems.append(f"{where}：题型应为满意度（1～5分）或单选")
            continue
        text_bad = text_problem(q.text, multiline=False, max_length=QUESTION_MAX)
        if not q.text.strip():
            problems.append(f"{where}：请填写题目")
        elif text_bad:
            problems.append(f"{where}：{text_bad}")
        if q.kind == Kind.SCALE and q.options:
            problems.append(f"{where}：满意度题的选项固定为1～5分，不需填写选项")
        if q.kind == Kind.CHOICE:
            options = [o.strip() for o in q.options]
            if not OPTIONS_MIN <= len(options) <= OPTIONS_MAX:
                problems.append(f"{where}：单选题应有{OPTIONS_MIN}～{OPTIONS_MAX}个选项（现有{len(options)}个）")
            for index, option in enumerate(options, start=1):
                bad = text_problem(option, multiline=False, max_length=OPTION_MAX)
                if not option:
                    problems.append(f"{where}：第{index}个选项为空")
                elif bad:
                    problems.append(f"{where}第{index}个选项：{bad}")
            if len(set(options)) < len(options):
                problems.append(f"{where}：选项重复")
    return problems


@transaction.atomic
def survey_create(*, actor, year: int, title: str, questions: list[QuestionIn],
                  is_synthetic: bool = False) -> SatisfactionSurvey:
    require_perm(actor, Perm.SURVEY_MANAGE)
    problems: dict[str, list[str]] = {}
    if not isinstance(year, int) or not YEARS[0] <= year <= YEARS[1]:
        problems["year"] = [f"调查年度应在{YEARS[0]}～{YEARS[1]}之间"]
    bad_title = text_problem(title or "", multiline=False, max_length=TITLE_MAX)
    if not (title or "").strip():
        problems["title"] = ["请填写标题"]
    elif bad_title:
        problems["title"] = [bad_title]
    question_problems = questions_problems(questions)
    if question_problems:
        problems["questions"] = question_problems
    if problems:
        raise ValidationError(problems)
    survey = SatisfactionSurvey.objects.create(
        year=year, title=title.strip(), token=secrets.token_urlsafe(24), phone_salt=secrets.token_hex(16),
        is_synthetic=is_synthetic, created_by=actor, created_at=clock.now())
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(survey=survey, number=number, kind=q.kind, text=q.text.strip(),
                       options=[o.strip() for o in q.options] if q.kind == Kind.CHOICE else [])
        for number, q in enumerate(questions, start=1))
    audit_record(actor=actor, action="plan.survey.create", obj=survey,
                 after={"year": year, "title": survey.title, "questions": len(questions)})
    return survey


def survey_transition(*, actor, survey: SatisfactionSurvey, action: str, reason: str = "") -> SatisfactionSurvey:
    """Open, close or discard: only the office, only as the SURVEY table allows."""
    require_perm(actor, Perm.SURVEY_MANAGE)

    def apply(locked: SatisfactionSurvey, transition) -> dict:
        if transition.action == "open":
            locked.opened_at = clock.now()
            return {"opened_at": locked.opened_at}
        if transition.action == "close":
            locked.closed_at = clock.now()
            return {"closed_at": locked.closed_at, "responses": locked.responses.count()}
        return {}

    return workflow_step(survey, workflow=SURVEY, action=action, actor=actor, parties={"office"}, reason=reason,
                         apply=apply)


def _hash(survey: SatisfactionSurvey, purpose: str, value: str) -> str:
    """HMAC-SHA256 keyed by the platform's secret key and the survey's own salt: the same number gives the same hash
    within one survey (so a second answer is recognized) and nothing that links it to other surveys or reads back."""
    return salted_hmac(f"ipcity.plan.survey.{purpose}:{survey.phone_salt}", value, algorithm="sha256").hexdigest()


@transaction.atomic
def survey_answer(*, token: str, phone: str, answers: dict[int, object], source: str = "") -> SurveyResponse:
    """A member of the public answers through the link (no account). `answers` maps each question's number to its
    score (1～5) or the number of the chosen option; every question must be answered. `source` is the network
    address the answer came from (kept only hashed, for the rate bound)."""
    found = survey_by_token(token=token)
    survey = SatisfactionSurvey.objects.select_for_update().get(pk=found.pk)  # answers to one survey, one at a time
    if survey.state != State.OPEN:
        raise ValidationError("本次调查已结束，不再接收答卷。感谢您的关注！")
    questions = list(survey.questions.all())
    problems: dict[str, list[str]] = {}
    phone = (phone or "").strip()
    bad_phone = phone_problem(phone)
    if bad_phone:
        problems["phone"] = [f"手机号：{bad_phone}（中国大陆手机号）"]
    values: dict[int, int] = {}
    for q in questions:
        raw = answers.get(q.number)
        allowed = range(1, 6) if q.kind == Kind.SCALE else range(1, len(q.options) + 1)
        value = int(raw) if isinstance(raw, int | str) and str(raw).isascii() and str(raw).isdecimal() else None
        if raw in (None, ""):
            problems[f"q{q.number}"] = [f"第{q.number}题：请选择一项"]
        elif value not in allowed:
            problems[f"q{q.number}"] = [f"第{q.number}题：不是本题的选项"]
        else:
            values[q.number] = value
    unknown = sorted(set(answers) - {q.number for q in questions}, key=str)
    if unknown:
        problems["answers"] = [f"问卷中没有第{'、'.join(str(n) for n in unknown)}题"]
    if problems:
        raise ValidationError(problems)
    phone_hash = _hash(survey, "phone", phone)
    if survey.responses.filter(phone_hash=phone_hash).exists():
        raise ValidationError({"phone": ["手机号：该手机号已参加过本次调查，每个手机号只能填写一次"]})
    source_hash = _hash(survey, "source", source) if source else ""
    now = clock.now()
    if source_hash and survey.responses.filter(source_hash=source_hash,
                                               submitted_at__gte=now - RATE_WINDOW).count() >= RATE_LIMIT:
        minutes = int(RATE_WINDOW.total_seconds() // 60)
        raise ValidationError(f"同一网络提交的答卷过多，请{minutes}分钟后再试")
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(survey=survey, phone_hash=phone_hash, source_hash=source_hash,
                                                     submitted_at=now)
    except IntegrityError:
        raise ValidationError({"phone": ["手机号：该手机号已参加过本次调查，每个手机号只能填写一次"]}) from None
    SurveyAnswer.objects.bulk_create(SurveyAnswer(response=response, question=q, value=values[q.number])
                                     for q in questions)
    audit_record(actor=system_actor(), action="plan.survey.answer", obj=survey, after={"response": response.pk})
    return response


# ---- results ----

def _percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def survey_results(survey: SatisfactionSurvey) -> dict:
    """Responses, the satisfaction rate (SATISFACTION_DEFINITION) and every question's distribution."""
    questions = list(survey.questions.all())
    tally = {(row["question_id"], row["value"]): row["n"] for row in SurveyAnswer.objects.filter(
        question__survey=survey).values("question_id", "value").annotate(n=Count("id"))}
    rows, scale_answers, satisfied = [], 0, 0
    for q in questions:
        labels = SCALE if q.kind == Kind.SCALE else dict(enumerate(q.options, start=1))
        counts = [(value, label, tally.get((q.pk, value), 0)) for value, label in labels.items()]
        answered = sum(n for _, _, n in counts)
        row = {"number": q.number, "kind": q.kind, "kind_label": q.get_kind_display(), "text": q.text,
               "answers": answered,
               "options": [{"value": v, "label": label, "count": n, "share": _percent(n, answered)}
                           for v, label, n in counts],
               "satisfied": None, "rate": None, "mean": None}
        if q.kind == Kind.SCALE:
            happy = sum(n for v, _, n in counts if v in SATISFIED)
            row.update(satisfied=happy, rate=_percent(happy, answered),
                       mean=round(sum(v * n for v, _, n in counts) / answered, 2) if answered else None)
            scale_answers += answered
            satisfied += happy
        rows.append(row)
    return {"responses": survey.responses.count(), "scale_answers": scale_answers, "satisfied": satisfied,
            "rate": _percent(satisfied, scale_answers), "questions": rows}


def satisfaction_by_year() -> list[dict]:
    """Per year (newest first), over the surveys that were opened: responses, the satisfaction rate and its parts."""
    opened = SatisfactionSurvey.objects.filter(state__in=[State.OPEN, State.CLOSED])
    surveys: dict[int, list] = {}
    for survey in opened.order_by("year", "pk"):
        surveys.setdefault(survey.year, []).append(survey)
    responses = {row["survey__year"]: row["n"] for row in SurveyResponse.objects.filter(survey__in=opened)
                 .values("survey__year").annotate(n=Count("id"))}
    scale = {row["response__survey__year"]: row for row in SurveyAnswer.objects.filter(
        response__survey__in=opened, question__kind=Kind.SCALE).values("response__survey__year").annotate(
        total=Count("id"), happy=Count("id", filter=Q(value__in=SATISFIED)))}
    years = []
    for year in sorted(surveys, reverse=True):
        total, happy = (scale[year]["total"], scale[year]["happy"]) if year in scale else (0, 0)
        years.append({"year": year, "surveys": surveys[year], "responses": responses.get(year, 0),
                      "scale_answers": total, "satisfied": happy, "rate": _percent(happy, total),
                      "is_synthetic": any(s.is_synthetic for s in surveys[year])})
    return years


def satisfaction_sentence(years: list[int] | None = None) -> str:
    """One sentence for the evaluation report and the plan's overall goal: the rate year by year."""
    rows = [r for r in reversed(satisfaction_by_year()) if years is None or r["year"] in years]
    if not rows:
        return "知识产权保护社会满意度：平台尚无已开展的问卷调查。"
    parts = [f"{r['year']}年{r['rate']:g}%（有效答卷{r['responses']}份）" if r["rate"] is not None
             else f"{r['year']}年尚无答卷" for r in rows]
    return ("知识产权保护社会满意度（平台问卷调查，满意率为满意度题中回答“满意”或“非常满意”的比例）："
            + "；".join(parts) + "。")


def may_answer(survey: SatisfactionSurvey) -> bool:
    return survey.state == State.OPEN


def require_manager(user) -> None:
    if not may_manage(user):
        raise PermissionDenied("只有领导小组办公室可以管理满意度调查")
