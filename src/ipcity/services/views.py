from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.inputs import as_id, object_or_404
from ipcity.services.applications import (
    APPLICATION,
    ENDED,
    application_get,
    application_list,
    application_parties,
    application_rate,
    application_step,
    application_submit,
    is_applicant,
    overdue,
    satisfaction,
)
from ipcity.services.catalogue import guide_get, guide_publish, item_create, item_get, item_list
from ipcity.services.forms import ApplicationForm, GuideForm, ItemForm, NewVersionForm
from ipcity.services.models import ServiceApplication
from ipcity.services.open_data import DATASETS, as_records, csv_response, dataset_get
from ipcity.services.training import training_list
from ipcity.web.forms import form_errors_from
from ipcity.web.paging import page_of
from ipcity.web.params import posted_int
from ipcity.web.uploads import upload_path


@require_safe
def home(request):
    """The public portal of services: the catalogue, upcoming trainings and how satisfied applicants are."""
    query = request.GET.get("q", "")
    return render(request, "services/home.html", {
        "nav": "services", "page": page_of(request, item_list(query=query)), "query": query,
        "trainings": training_list().order_by("-held_on")[:5], "satisfaction": satisfaction(),
        "can_edit": has_perm(request.user, Perm.SERVICE_CATALOGUE)})


def item(request, code):
    found = item_get(code=code)
    raw = request.GET.get("version", "")
    version = as_id(raw) if raw else None
    if raw and version is None:
        raise Http404("版本号无效")
    guide = guide_get(item=found, version=version)
    form = None
    if has_perm(request.user, Perm.SERVICE_CATALOGUE):
        form = NewVersionForm(request.POST or None, initial=GuideForm.initial_from(found.guide.content))
        if request.method == "POST" and form.is_valid():
            try:
                published = guide_publish(actor=request.user, item=found, guide=form.guide(),
                                          change_note=form.cleaned_data["change_note"])
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"已发布第 {published.version} 版办事指南")
                return redirect("services:item", code=code)
    elif request.method == "POST":
        raise PermissionDenied("只有知识产权办公室可以修订办事指南")
    return render(request, "services/item.html", {
        "nav": "services", "item": found, "guide": guide, "content": guide.content,
        "versions": found.guides.order_by("-version"), "form": form,
        "can_apply": has_perm(request.user, Perm.SERVICE_APPLY) and found.online,
        "satisfaction": satisfaction(found.applications.all())})


@login_required
def item_new(request):
    if not has_perm(request.user, Perm.SERVICE_CATALOGUE):
        raise PermissionDenied("只有知识产权办公室可以新增服务事项")
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = item_create(actor=request.user, code=data["code"], name=data["name"],
                                  item_type=data["item_type"], unit=data["unit"], online=data["online"],
                                  guide=form.guide())
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "服务事项已发布")
            return redirect("services:item", code=created.code)
    return render(request, "services/item_new.html", {"nav": "services", "form": form})


@login_required
def apply(request, code):
    found = item_get(code=code)
    if not has_perm(request.user, Perm.SERVICE_APPLY):
        raise PermissionDenied("企业、高校院所和服务机构可以在线申请")
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = application_submit(actor=request.user, item=found,
                                             description=form.cleaned_data["description"],
                                             files=request.FILES.getlist("files"))
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"申请已提交，受理时限至 {application.accept_due}")
            return redirect("services:application", pk=application.pk)
    return render(request, "services/apply.html", {"nav": "services", "item": found, "form": form,
                                                   "content": found.guide.content})


@require_safe
@login_required
def applications(request):
    page = page_of(request, application_list(user=request.user).order_by("-created_at", "-pk"))
    for application in page:
        application.overdue = overdue(application)
    return render(request, "services/applications.html", {
        "nav": "services", "page": page,
        "satisfaction": satisfaction(application_list(user=request.user))})


@login_required
def application(request, pk):
    found = application_get(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "rating":
                application_rate(actor=request.user, application=found, rating=posted_int(request.POST, "rating", default=0),
                                 comment=request.POST.get("comment", ""))
                messages.success(request, "感谢评价")
            else:
                action = request.POST.get("action", "")
                application_step(actor=request.user, application=found, action=action,
                                 note=request.POST.get("note", ""), files=request.FILES.getlist("files"))
                messages.success(request, f"已{APPLICATION.action_labels.get(action, '办理')}")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("services:application", pk=pk)
    applicant = is_applicant(request.user, found)
    actions = [(t.action, t.label) for t in APPLICATION.available(found.state, application_parties(request.user, found))]
    return render(request, "services/application.html", {
        "nav": "services", "application": found, "actions": actions, "overdue": overdue(found),
        "content": found.guide.content, "can_rate": applicant and found.state in ENDED and found.rating is None,
        "materials": found.materials.order_by("uploaded_at", "pk")})


@require_safe
@login_required
def material(request, pk, attachment_pk):
    """A material is seen by whoever may see the application (the applicant, the unit, the office)."""
    found: ServiceApplication = application_get(user=request.user, pk=pk)
    attachment = object_or_404(found.materials, "材料不存在", pk=attachment_pk)
    if not upload_path(attachment.stored_name).exists():
        raise Http404("材料不存在")
    return FileResponse(open(upload_path(attachment.stored_name), "rb"), as_attachment=True,
                        filename=attachment.original_name, content_type=attachment.content_type)


@require_safe
def open_data(request):
    return render(request, "services/open_data.html", {
        "nav": "services", "datasets": [(d, len(d.rows())) for d in DATASETS.values()]})


@require_safe
def open_data_download(request, code, fmt):
    dataset = dataset_get(code)
    if fmt == "csv":
        return csv_response(dataset)
    if fmt == "json":
        return JsonResponse({"dataset": code, "title": dataset.title, "records": as_records(dataset)},
                            json_dumps_params={"ensure_ascii": False})
    raise Http404("格式应为 csv 或 json")
