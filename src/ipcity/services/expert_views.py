from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.inputs import object_or_404
from ipcity.services.experts import (
    assignment_close,
    assignments_for,
    conflict_add,
    consent_set,
    expert_add,
    expert_assign,
    expert_get,
    expert_list,
    expert_update,
    own_expert,
    public_experts,
)
from ipcity.services.forms import AssignForm, ExpertAddForm, ExpertEditForm
from ipcity.services.models import EXPERT_SPECIALTIES
from ipcity.web.forms import form_errors_from
from ipcity.web.paging import pages_of
from ipcity.web.params import posted_yes_no


def experts(request):
    """The public sees consenting experts; the office sees the whole pool and adds to it."""
    manages = has_perm(request.user, Perm.EXPERT_MANAGE)
    form = ExpertAddForm(request.POST or None) if manages else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("只有知识产权办公室可以管理专家库")
        if form.is_valid():
            try:
                added = expert_add(actor=request.user, **form.profile())
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "专家已入库")
                return redirect("services:expert", pk=added.pk)
    specialty, query = request.GET.get("specialty", ""), request.GET.get("q", "")
    pages = pages_of(request, public=public_experts(specialty=specialty, query=query),
                     pool=expert_list(user=request.user) if manages else [])
    return render(request, "services/experts.html", {
        "nav": "services", "public": pages["public"], "specialty": specialty,
        "query": query, "specialties": EXPERT_SPECIALTIES, "pool": pages["pool"],
        "form": form, "mine": own_expert(request.user)})


def expert(request, pk):
    found = expert_get(user=request.user, pk=pk)
    own = found.user_id is not None and found.user_id == request.user.pk
    manages = has_perm(request.user, Perm.EXPERT_MANAGE)
    edit = ExpertEditForm(request.POST if request.POST.get("form") == "profile" else None, initial={
        "title": found.title, "organization_name": found.organization_name, "specialties": found.specialties,
        "fields": "、".join(found.fields), "bio": found.bio, "available": found.available,
        "availability_note": found.availability_note}) if own or manages else None
    assign = AssignForm(request.POST if request.POST.get("form") == "assign" else None) if manages else None
    if request.method == "POST":
        kind = request.POST.get("form")
        try:
            if kind == "profile" and edit is not None:
                if edit.is_valid():
                    expert_update(actor=request.user, expert=found, **edit.profile())
                    messages.success(request, "专家信息已更新")
                    return redirect("services:expert", pk=pk)
            elif kind == "consent":
                consent_set(actor=request.user, expert=found, consent=posted_yes_no(request.POST, "consent", label="是否同意公开"))
                messages.success(request, "已更新公开设置")
                return redirect("services:expert", pk=pk)
            elif kind == "conflict" and (own or manages):
                organization = object_or_404(Organization, pk=request.POST.get("organization"))
                conflict_add(actor=request.user, expert=found, organization=organization,
                             reason=request.POST.get("reason", ""))
                messages.success(request, "回避声明已登记")
                return redirect("services:expert", pk=pk)
            elif kind == "assign" and assign is not None:
                if assign.is_valid():
                    expert_assign(actor=request.user, expert=found, **assign.cleaned_data)
                    messages.success(request, "已指派")
                    return redirect("services:expert", pk=pk)
            elif kind in ("opinion", "withdraw"):
                assignment = object_or_404(assignments_for(user=request.user), pk=request.POST.get("pk"),
                                               expert=found)
                assignment_close(actor=request.user, assignment=assignment, opinion=request.POST.get("opinion", ""),
                                 withdraw=kind == "withdraw")
                messages.success(request, "已提交")
                return redirect("services:expert", pk=pk)
            else:
                raise PermissionDenied("无权执行此操作")
        except ValidationError as exc:
            target = edit if kind == "profile" else assign if kind == "assign" else None
            if target is not None:
                form_errors_from(target, exc)
            else:
                messages.error(request, "；".join(exc.messages))
    return render(request, "services/expert.html", {
        "nav": "services", "expert": found, "own": own, "manages": manages, "edit": edit, "assign": assign,
        "specialties": EXPERT_SPECIALTIES, "organizations": Organization.objects.order_by("name") if own or manages
        else [], "assignments": found.assignments.order_by("-assigned_on") if own or manages else []})
