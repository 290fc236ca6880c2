from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from ipcity import clock
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.inputs import object_or_404
from ipcity.services.culture import (
    calendar,
    demonstration_decide,
    demonstration_nominate,
    demonstration_selected,
    event_experts,
    event_record,
    event_report,
    nominations_pending,
    school_add,
    talent_counts,
    talent_list,
    talent_record,
)
from ipcity.services.forms import EventForm, NominationForm, SchoolForm, TalentForm
from ipcity.services.models import DemonstrationUnit, PilotSchool, PublicityEvent
from ipcity.web.forms import form_errors_from
from ipcity.web.paging import page_of
from ipcity.web.params import posted_int, posted_yes_no

FORMS = {"event": (EventForm, event_record, "活动已登记"), "school": (SchoolForm, school_add, "试点学校已登记"),
         "nomination": (NominationForm, demonstration_nominate, "已推荐")}


def culture(request):
    """The public calendar, pilot schools, demonstration units and talent counts; managers add to them."""
    manages = has_perm(request.user, Perm.CULTURE_MANAGE)
    kind = request.POST.get("form")
    forms = {name: cls(request.POST if kind == name else None) for name, (cls, _, _) in FORMS.items()} \
        if manages else {}
    if request.method == "POST":
        try:
            if kind == "report" and manages:
                event = object_or_404(PublicityEvent, pk=request.POST.get("pk"))
                event_report(actor=request.user, event=event, summary=request.POST.get("summary", ""),
                             participants=posted_int(request.POST, "participants", default=-1))
                messages.success(request, "活动情况已填报")
                return redirect("services:culture")
            if kind == "decide" and has_perm(request.user, Perm.CULTURE_SELECT):
                unit = object_or_404(DemonstrationUnit, pk=request.POST.get("pk"))
                demonstration_decide(actor=request.user, unit=unit, selected=posted_yes_no(request.POST, "selected", label="是否入选"),
                                     note=request.POST.get("note", ""))
                messages.success(request, "评审结果已登记")
                return redirect("services:culture")
            if kind not in forms:
                raise PermissionDenied("无权执行此操作")
            if forms[kind].is_valid():
                _, service, done = FORMS[kind]
                service(actor=request.user, **forms[kind].cleaned_data)
                messages.success(request, done)
                return redirect("services:culture")
        except ValidationError as exc:
            if kind in forms:
                form_errors_from(forms[kind], exc)
            else:
                messages.error(request, "；".join(exc.messages))
    today = clock.today()
    upcoming = list(calendar().filter(held_on__gte=today).order_by("held_on", "pk"))
    page = page_of(request, calendar().filter(held_on__lt=today).order_by("-held_on", "-pk"))
    for event in [*upcoming, *page]:
        event.expert_names = event_experts(event)
    return render(request, "services/culture.html", {
        "nav": "services", "upcoming": upcoming, "page": page, "schools": PilotSchool.objects.all(),
        "selected": demonstration_selected(),
        "nominations": nominations_pending(user=request.user),
        "talent": talent_counts(), "forms": forms, "manages": manages})


@login_required
def talent(request):
    form = TalentForm(request.POST or None)
    records = talent_list(user=request.user)  # refuses anyone who may not manage
    if request.method == "POST" and form.is_valid():
        try:
            talent_record(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "人才信息已登记")
            return redirect("services:talent")
    return render(request, "services/talent.html", {"nav": "services", "page": page_of(request, records), "form": form,
                                                    "counts": talent_counts()})
