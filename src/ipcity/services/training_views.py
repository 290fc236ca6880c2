from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from reportlab.graphics import renderSVG
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing

from ipcity import clock
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.services.forms import AudiencesForm, SignInForm, TrainingForm
from ipcity.services.models import TrainingRegistration
from ipcity.services.training import (
    REGISTRATION,
    AttendeesRejected,
    attendees_import,
    attendees_of,
    audience_table,
    audiences_set,
    counted_audiences,
    manages,
    may_register,
    my_registration,
    registration_closed_reason,
    registration_get,
    registration_open,
    registration_step,
    registrations_of,
    registrations_xlsx,
    sign_in,
    sign_in_close,
    training_create,
    training_get,
    training_list,
    training_register,
    year_totals,
)
from ipcity.web.forms import form_errors_from
from ipcity.web.paging import page_of
from ipcity.web.spreadsheets import XLSX_TYPE, download_response


def trainings(request):
    """The public calendar with what counts toward the plan's 培训次数/人次; organizers add sessions here and the
    office decides which audiences are the plan's 相关人员."""
    posted = request.POST.get("form", "training") if request.method == "POST" else None
    form = TrainingForm(request.POST if posted == "training" else None) \
        if has_perm(request.user, Perm.TRAINING_MANAGE) else None
    counted = counted_audiences()
    audiences_form = AudiencesForm(request.POST if posted == "audiences" else None,
                                   initial={"counted": sorted(counted)}) \
        if has_perm(request.user, Perm.TRAINING_RULES) else None
    if posted == "audiences":
        if audiences_form is None:
            raise PermissionDenied("只有知识产权办公室可以设定计入培训指标的培训对象")
        if audiences_form.is_valid():
            try:
                audiences_set(actor=request.user, **audiences_form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(audiences_form, exc)
            else:
                messages.success(request, "计入培训指标的培训对象已更新")
                return redirect("services:trainings")
    elif posted is not None:
        if form is None:
            raise PermissionDenied("只有主办单位可以登记培训")
        if form.is_valid():
            try:
                created = training_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "培训已登记")
                return redirect("services:training", pk=created.pk)
    today = clock.today()
    upcoming = list(training_list().filter(held_on__gte=today).order_by("held_on", "pk"))
    page = page_of(request, training_list().filter(held_on__lt=today).order_by("-held_on", "-pk"))
    for session in page:
        session.counts = session.audience in counted
    held, person_times = year_totals(today.year, counted)
    return render(request, "services/trainings.html", {
        "nav": "services", "upcoming": upcoming, "page": page, "form": form, "audiences_form": audiences_form,
        "audiences": audience_table(), "year": today.year, "held": held, "person_times": person_times})


def sign_in_url(request, training) -> str:
    return request.build_absolute_uri(reverse("services:sign_in", args=[training.pk])) + f"?t={training.sign_in_token}"


def _registration_post(request, found, posted: str) -> None:
    """报名, 取消报名 (the registrant) and 登记到场 (the organizer); refusals are shown as messages."""
    if posted == "register":
        if not may_register(request.user):
            raise PermissionDenied("请使用单位账号登录后报名")
        try:
            training_register(actor=request.user, training=found, phone=request.POST.get("phone", ""))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "报名成功")
        return
    if not request.user.is_authenticated:
        raise PermissionDenied("请先登录")
    registration = registration_get(user=request.user, training=found, pk=request.POST.get("pk"))
    try:
        registration_step(actor=request.user, registration=registration, action=posted)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已取消报名" if posted == "cancel" else f"{registration.name} 已登记到场签到")


def training(request, pk):
    found = training_get(pk=pk)
    managing = manages(request.user, found)
    if request.method == "POST":
        posted = request.POST.get("form", "")
        if posted in ("register", *REGISTRATION.actions):
            _registration_post(request, found, posted)
            return redirect("services:training", pk=pk)
        if not managing:
            raise PermissionDenied("只有主办单位可以管理签到")
        if posted == "close":
            sign_in_close(actor=request.user, training=found)
            messages.success(request, "签到已结束")
        elif "file" in request.FILES:
            upload = request.FILES["file"]
            try:
                result = attendees_import(actor=request.user, training=found, data=upload.read(),
                                          filename=upload.name or "")
            except AttendeesRejected as rejected:
                for problem in rejected.problems:
                    messages.error(request, str(problem))
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, f"导入 {result['added']} 人；已签到的 {result['already_signed']} 人未重复计入")
        return redirect("services:training", pk=pk)
    mine = my_registration(user=request.user, training=found)
    return render(request, "services/training.html", {
        "nav": "services", "training": found, "managing": managing,
        "attendees": attendees_of(user=request.user, training=found) if managing else [],
        "registrations": registrations_of(user=request.user, training=found) if managing else [],
        "registration_open": registration_open(found), "closed_reason": registration_closed_reason(found),
        "mine": mine, "cancellable": mine is not None and mine.state == TrainingRegistration.State.REGISTERED,
        "may_register": may_register(request.user) and mine is None and registration_open(found),
        "default_phone": request.user.phone if request.user.is_authenticated else "",
        "counts": found.audience in counted_audiences(),
        "sign_in_url": sign_in_url(request, found) if managing else ""})


@require_safe
def registrations_export(request, pk):
    """The organizer's registration list as .xlsx (phone numbers masked, every text written as text)."""
    found = training_get(pk=pk)
    if not manages(request.user, found):
        raise PermissionDenied("只有主办单位可以导出报名名单")
    return download_response(registrations_xlsx(user=request.user, training=found), XLSX_TYPE,
                             f"training-{found.pk}-registrations.xlsx")


@require_safe
def training_qr(request, pk):
    """The QR code to show in the room: it carries the sign-in link with the session's token."""
    found = training_get(pk=pk)
    if not manages(request.user, found):
        raise PermissionDenied("只有主办单位可以获取签到二维码")
    widget = QrCodeWidget(sign_in_url(request, found))
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(240, 240, transform=[240 / (x1 - x0), 0, 0, 240 / (y1 - y0), 0, 0])
    drawing.add(widget)
    return HttpResponse(renderSVG.drawToString(drawing), content_type="image/svg+xml")


def sign_in_page(request, pk):
    """What an attendee's phone opens after scanning: no account, only the token from the room."""
    found = training_get(pk=pk)
    token = request.GET.get("t", "") or request.POST.get("t", "")
    form = SignInForm(request.POST or None)
    done = False
    if request.method == "POST" and form.is_valid():
        try:
            sign_in(training=found, token=token, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            done = True
    return render(request, "services/sign_in.html", {"nav": "services", "training": found, "form": form,
                                                     "token": token, "done": done})
