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
from ipcity.services.forms import SignInForm, TrainingForm
from ipcity.services.training import (
    AttendeesRejected,
    attendees_import,
    attendees_of,
    manages,
    sign_in,
    sign_in_close,
    training_create,
    training_get,
    training_list,
)
from ipcity.web.forms import form_errors_from


def trainings(request):
    """The public calendar; organizers add sessions here."""
    form = TrainingForm(request.POST or None) if has_perm(request.user, Perm.TRAINING_MANAGE) else None
    if request.method == "POST":
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
    sessions = list(training_list())
    today = clock.today()
    return render(request, "services/trainings.html", {
        "nav": "services", "upcoming": [t for t in sessions if t.held_on >= today][::-1],
        "past": [t for t in sessions if t.held_on < today], "form": form,
        "year": today.year, "held": sum(1 for t in sessions if t.held_on.year == today.year and t.attendees),
        "person_times": sum(t.attendees for t in sessions if t.held_on.year == today.year)})


def sign_in_url(request, training) -> str:
    return request.build_absolute_uri(reverse("services:sign_in", args=[training.pk])) + f"?t={training.sign_in_token}"


def training(request, pk):
    found = training_get(pk=pk)
    managing = manages(request.user, found)
    if request.method == "POST":
        if not managing:
            raise PermissionDenied("只有主办单位可以管理签到")
        if request.POST.get("form") == "close":
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
    return render(request, "services/training.html", {
        "nav": "services", "training": found, "managing": managing,
        "attendees": attendees_of(user=request.user, training=found) if managing else [],
        "sign_in_url": sign_in_url(request, found) if managing else ""})


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
