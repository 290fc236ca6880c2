"""Pages of the 知识产权保护社会满意度 survey: results by year and the office's questionnaires (/plan/satisfaction/),
one survey with its results (and, for the office, its public link, QR code and steps), and the public answer page."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from reportlab.graphics import renderSVG
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing

from ipcity.bounds import int_form_field
from ipcity.plan.models import SatisfactionSurvey
from ipcity.plan.survey import (
    OPTION_MAX,
    QUESTION_MAX,
    QUESTIONS_MAX,
    SATISFACTION_DEFINITION,
    SCALE,
    SURVEY,
    TITLE_MAX,
    Kind,
    QuestionIn,
    may_answer,
    may_manage,
    require_manager,
    satisfaction_by_year,
    survey_answer,
    survey_by_token,
    survey_create,
    survey_get,
    survey_list,
    survey_results,
    survey_transition,
)
from ipcity.web.forms import form_errors_from
from ipcity.web.paging import page_of


def questions_from_lines(text: str) -> list[QuestionIn]:
    """One question per line: a question alone is a satisfaction question (1～5分); “题目|选项1|选项2…” a single
    choice. The service checks them and names each problem's question."""
    questions = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if len(parts) > 1:
            questions.append(QuestionIn(kind=Kind.CHOICE, text=parts[0], options=tuple(parts[1:])))
        else:
            questions.append(QuestionIn(kind=Kind.SCALE, text=parts[0]))
    return questions


class SurveyForm(forms.Form):
    year = int_form_field(SatisfactionSurvey, "year", label="调查年度")
    title = forms.CharField(label="标题", max_length=TITLE_MAX)
    questions = forms.CharField(
        label="题目（每行一题）", widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(f"只写题目的一行为满意度题（非常不满意 1 分 至 非常满意 5 分）；写成“题目|选项1|选项2…”为单选题"
                   f"（2～10个选项，每项不超过{OPTION_MAX}字）。最多{QUESTIONS_MAX}题，每题不超过{QUESTION_MAX}字。"))


def surveys(request):
    """Results by year for everyone; the office also sees its drafts and writes new questionnaires here."""
    managing = may_manage(request.user)
    form = SurveyForm(request.POST or None) if managing else None
    if request.method == "POST":
        require_manager(request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = survey_create(actor=request.user, year=data["year"], title=data["title"],
                                        questions=questions_from_lines(data["questions"]))
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "问卷已保存为草稿，开放填写后公众即可通过链接作答")
                return redirect("plan:survey", pk=created.pk)
    return render(request, "plan/surveys.html", {
        "nav": "plan", "years": satisfaction_by_year(),
        "surveys": page_of(request, survey_list(user=request.user).order_by("-year", "-id")) if managing else None,
        "managing": managing, "form": form, "definition": SATISFACTION_DEFINITION})


def answer_url(request, survey: SatisfactionSurvey) -> str:
    return request.build_absolute_uri(reverse("plan:survey_answer", args=[survey.token]))


def survey_detail(request, pk):
    survey = survey_get(user=request.user, pk=pk)
    managing = may_manage(request.user)
    if request.method == "POST":
        require_manager(request.user)
        action = request.POST.get("action", "")
        if action not in SURVEY.actions:
            messages.error(request, "未知的操作")
        else:
            try:
                survey_transition(actor=request.user, survey=survey, action=action,
                                  reason=request.POST.get("reason", ""))
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, f"已{SURVEY.action_labels[action]}")
        return redirect("plan:survey", pk=pk)
    return render(request, "plan/survey.html", {
        "nav": "plan", "survey": survey, "results": survey_results(survey), "managing": managing,
        "steps": SURVEY.available(survey.state, {"office"}) if managing else [],
        "answer_url": answer_url(request, survey) if managing and survey.state != survey.State.DISCARDED else "",
        "definition": SATISFACTION_DEFINITION})


@require_safe
def survey_qr(request, pk):
    """The QR code of the public link, to print on posters and show at events."""
    if not may_manage(request.user):
        raise PermissionDenied("只有领导小组办公室可以获取调查二维码")
    survey = survey_get(user=request.user, pk=pk)
    widget = QrCodeWidget(answer_url(request, survey))
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(240, 240, transform=[240 / (x1 - x0), 0, 0, 240 / (y1 - y0), 0, 0])
    drawing.add(widget)
    return HttpResponse(renderSVG.drawToString(drawing), content_type="image/svg+xml")


class AnswerForm(forms.Form):
    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        for q in questions:
            labels = SCALE.items() if q.kind == Kind.SCALE else enumerate(q.options, start=1)
            self.fields[f"q{q.number}"] = forms.ChoiceField(
                label=f"{q.number}. {q.text}", widget=forms.RadioSelect,
                choices=[(str(value), f"{label}（{value}分）" if q.kind == Kind.SCALE else label)
                         for value, label in labels],
                error_messages={"required": f"第{q.number}题：请选择一项",
                                "invalid_choice": f"第{q.number}题：不是本题的选项"})
        self.fields["phone"] = forms.CharField(
            label="手机号", help_text="每个手机号只能填写一次。平台只保存手机号的加密摘要，用于防止重复填写，不保存号码本身。",
            error_messages={"required": "请填写手机号"})


def survey_answer_page(request, token):
    """What the public link and the QR code open: no account needed."""
    survey = survey_by_token(token=token)
    questions = list(survey.questions.all())
    form = AnswerForm(request.POST or None, questions=questions)
    done = False
    if request.method == "POST":
        valid = form.is_valid()
        if valid or not may_answer(survey):
            data = getattr(form, "cleaned_data", {})
            try:
                survey_answer(token=token, phone=data.get("phone", ""),
                              answers={q.number: data.get(f"q{q.number}") for q in questions},
                              source=request.META.get("REMOTE_ADDR", ""))
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                done = True
    return render(request, "plan/survey_answer.html", {
        "nav": "plan", "survey": survey, "form": form, "done": done, "open": may_answer(survey)})
