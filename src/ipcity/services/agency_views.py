from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from ipcity import clock
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.protection.agency_conduct import with_directory_marks
from ipcity.services.agencies import (
    CUSTODY_SCOPE,
    agency_get,
    agency_list,
    agency_rate,
    brand_designate,
    cluster_count,
    cluster_join,
    cluster_leave,
    custody_answer,
    custody_covered,
    custody_get,
    custody_list,
    custody_record,
    custody_terminate,
    profile_save,
)
from ipcity.services.forms import AgencyProfileForm, CustodyForm
from ipcity.services.models import AGENCY_SERVICES, AgencyRating, CustodyContract
from ipcity.web.forms import form_errors_from
from ipcity.web.paging import page_of
from ipcity.web.params import posted_day, posted_int


@require_safe
def agencies(request):
    """The public directory and the cluster's count against the plan's 30."""
    query, service = request.GET.get("q", ""), request.GET.get("service", "")
    cluster_only = request.GET.get("cluster") == "1"
    page = page_of(request, agency_list(query=query, service=service, cluster_only=cluster_only))
    with_directory_marks(page)
    return render(request, "services/agencies.html", {
        "nav": "services", "page": page,
        "query": query, "service": service, "cluster_only": cluster_only, "services": AGENCY_SERVICES,
        "in_cluster": cluster_count(), "own_profile": has_perm(request.user, Perm.AGENCY_PROFILE)})


def agency(request, pk):
    found = agency_get(user=request.user, pk=pk)
    profile = getattr(found, "agency_profile", None)
    own = has_perm(request.user, Perm.AGENCY_PROFILE) and request.user.organization_id == found.pk
    manages = has_perm(request.user, Perm.AGENCY_MANAGE)
    served = has_perm(request.user, Perm.CUSTODY_CONFIRM) and CustodyContract.objects.filter(
        agency=found, enterprise_id=request.user.organization_id,
        state__in=[CustodyContract.State.CONFIRMED, CustodyContract.State.TERMINATED]).exists()
    form = None
    if own:
        form = AgencyProfileForm(request.POST if request.POST.get("form") == "profile" else None,
                                 initial=AgencyProfileForm.initial_from(profile) if profile else None)
    if request.method == "POST":
        kind = request.POST.get("form")
        allowed = {"profile": own, "join": manages, "leave": manages, "brand": manages, "rate": served}
        if not allowed.get(kind):
            raise PermissionDenied("无权执行此操作")
        try:
            if kind == "profile":
                if form.is_valid():
                    profile_save(actor=request.user, **form.profile())
                    messages.success(request, "机构信息已更新")
                    return redirect("services:agency", pk=pk)
            else:
                if kind == "join":
                    cluster_join(actor=request.user, agency=found, place=request.POST.get("place", ""),
                                 joined_on=posted_day(request.POST, "day", label="日期"))
                elif kind == "leave":
                    cluster_leave(actor=request.user, agency=found, left_on=posted_day(request.POST, "day", label="日期"))
                elif kind == "brand":
                    day = posted_day(request.POST, "day", label="日期")
                    brand_designate(actor=request.user, agency=found, year=day.year, designated_on=day,
                                    reason=request.POST.get("reason", ""))
                else:
                    agency_rate(actor=request.user, agency=found, rating=posted_int(request.POST, "rating", default=0),
                                comment=request.POST.get("comment", ""))
                messages.success(request, "已保存")
                return redirect("services:agency", pk=pk)
        except ValidationError as exc:
            if kind == "profile":
                form_errors_from(form, exc)
            else:
                messages.error(request, "；".join(exc.messages))
    return render(request, "services/agency.html", {
        "nav": "services", "agency": found, "profile": profile, "form": form, "manages": manages, "served": served,
        "services": AGENCY_SERVICES, "memberships": found.cluster_memberships.order_by("-joined_on"),
        "designations": found.brand_designations.order_by("-year"), "today": clock.today(),
        "ratings": AgencyRating.objects.filter(agency=found).order_by("-rated_at")})


@login_required
def custody(request):
    form = CustodyForm(request.POST or None) if has_perm(request.user, Perm.AGENCY_PROFILE) else None
    if request.method == "POST":
        try:
            if request.POST.get("form") in ("confirm", "decline", "terminate"):
                contract = custody_get(user=request.user, pk=request.POST.get("pk"))
                kind = request.POST["form"]
                if kind == "terminate":
                    custody_terminate(actor=request.user, contract=contract, note=request.POST.get("note", ""),
                                      terminated_on=posted_day(request.POST, "day", label="日期"))
                else:
                    custody_answer(actor=request.user, contract=contract, confirm=kind == "confirm",
                                   note=request.POST.get("note", ""))
                messages.success(request, "已办理")
                return redirect("services:custody")
            if form is None:
                raise PermissionDenied("只有服务机构可以登记托管合同")
            if form.is_valid():
                renewal_of = custody_get(user=request.user, pk=request.POST.get("renewal_of")) \
                    if request.POST.get("renewal_of") else None
                custody_record(actor=request.user, renewal_of=renewal_of, **form.cleaned_data)
                messages.success(request, "托管合同已登记，待企业确认后计入覆盖数")
                return redirect("services:custody")
        except ValidationError as exc:
            if form is not None and request.POST.get("form") not in ("confirm", "decline", "terminate"):
                form_errors_from(form, exc)
            else:
                messages.error(request, "；".join(exc.messages))
    contracts = custody_list(user=request.user)
    return render(request, "services/custody.html", {
        "nav": "services", "page": page_of(request, contracts), "form": form, "scope": CUSTODY_SCOPE,
        "enterprise": has_perm(request.user, Perm.CUSTODY_CONFIRM), "today": clock.today(),
        "covered": custody_covered(contracts),
        "renewable": contracts.filter(state=CustodyContract.State.CONFIRMED) if form is not None else []})
