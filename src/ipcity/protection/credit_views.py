from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import has_perm, missing
from ipcity.accounts.roles import Perm
from ipcity.inputs import object_or_404, parse_day
from ipcity.protection.core.credit import Penalty
from ipcity.protection.credit import (
    commitment_sign,
    current_state,
    export,
    listing_create,
    listings_for,
    public_query,
    public_row,
    repair_apply,
    repair_decide,
)
from ipcity.protection.models import DishonestyListing
from ipcity.web.forms import form_errors_from
from ipcity.web.paging import pages_of
from ipcity.web.params import posted_yes_no

DATE = forms.DateInput(attrs={"type": "date"})
YES = {"是", "1", "true", "y"}


def parse_penalties(text: str) -> list[Penalty]:
    """One penalty per line: 决定书文号,决定日期,是否侵权,是否故意,是否严重违法 (是/否)."""
    penalties = []
    for number, line in enumerate(text.strip().splitlines(), start=1):
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        if len(parts) != 5:
            raise ValidationError({"penalties": [f"第{number}行应有5项：文号,日期,是否侵权,是否故意,是否严重违法"]})
        try:
            decided = parse_day(parts[1], label=f"第{number}行的日期")
        except ValidationError as exc:
            raise ValidationError({"penalties": exc.messages}) from None
        penalties.append(Penalty(parts[0], decided, parts[2] in YES, parts[3] in YES, parts[4] in YES))
    return penalties


class ListingForm(forms.Form):
    organization = forms.ModelChoiceField(label="主体", queryset=Organization.objects.filter(
        org_type__in=["enterprise", "service_agency"]).order_by("name"))
    listed_on = forms.DateField(label="列入日期", widget=DATE)
    penalties = forms.CharField(label="处罚记录（每行：文号,日期,是否侵权,是否故意,是否严重违法）",
                                widget=forms.Textarea(attrs={"rows": 3}))


class CommitmentForm(forms.Form):
    text = forms.CharField(label="承诺内容", widget=forms.Textarea(attrs={"rows": 2}))
    signed_on = forms.DateField(label="承诺日期", widget=DATE)


def credit(request):
    user = request.user
    manages = user.is_authenticated and has_perm(user, Perm.CREDIT_MANAGE)
    signed_in = user.is_authenticated and user.organization_id is not None
    listing_form = ListingForm(request.POST if request.POST.get("form") == "list" else None) if manages else None
    commitment_form = CommitmentForm(request.POST if request.POST.get("form") == "commit" else None) \
        if signed_in and not manages else None
    if request.method == "POST":
        kind = request.POST.get("form")
        try:
            if kind == "list" and manages and listing_form.is_valid():
                listing_create(actor=user, organization=listing_form.cleaned_data["organization"],
                               listed_on=listing_form.cleaned_data["listed_on"],
                               penalties=parse_penalties(listing_form.cleaned_data["penalties"]))
                messages.success(request, "已列入失信名单")
                return redirect("protection:credit")
            if kind == "commit" and commitment_form is not None and commitment_form.is_valid():
                commitment_sign(actor=user, **commitment_form.cleaned_data)
                messages.success(request, "信用承诺已提交")
                return redirect("protection:credit")
            if kind == "repair":
                listing = object_or_404(listings_for(user=user), pk=request.POST.get("listing"))
                repair_apply(actor=user, listing=listing, statement=request.POST.get("statement", ""))
                messages.success(request, "信用修复申请已提交")
                return redirect("protection:credit")
            if kind == "decide":
                if not manages:
                    raise PermissionDenied(missing(Perm.CREDIT_MANAGE))
                listing = object_or_404(DishonestyListing, pk=request.POST.get("listing"))
                repair_decide(actor=user, listing=listing, grant=posted_yes_no(request.POST, "grant", label="是否准予信用修复"),
                              penalties_fulfilled=bool(request.POST.get("penalties_fulfilled")),
                              new_violations=bool(request.POST.get("new_violations")),
                              note=request.POST.get("note", ""))
                messages.success(request, "已审核")
                return redirect("protection:credit")
            if kind not in ("list", "commit", "repair", "decide") or (kind == "list" and not manages):
                raise PermissionDenied(missing(Perm.CREDIT_MANAGE))
        except ValidationError as exc:
            form = listing_form if kind == "list" else commitment_form if kind == "commit" else None
            if form is not None:
                form_errors_from(form, exc)
            else:
                messages.error(request, "；".join(exc.messages))
    pages = pages_of(request, entries=public_query(request.GET.get("q", "")),
                     listings=listings_for(user=user) if signed_in else [])
    pages["entries"].object_list = [public_row(row) for row in pages["entries"].object_list]
    for listing in pages["listings"]:
        listing.current = current_state(listing)
    return render(request, "protection/credit.html", {
        "nav": "protection", "entries": pages["entries"], "q": request.GET.get("q", ""),
        "own": pages["listings"], "manages": manages, "listing_form": listing_form, "commitment_form": commitment_form})


@require_safe
def credit_export(request, fmt):
    if fmt not in ("csv", "json"):
        raise Http404("导出格式为 csv 或 json")
    body, content_type = export(fmt)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="credit-dishonesty.{fmt}"'
    return response
