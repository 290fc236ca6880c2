from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.permissions import has_perm, missing
from ipcity.accounts.roles import Perm
from ipcity.inputs import object_or_404
from ipcity.operations.brands import (
    brand_holders,
    geographical_indications,
    watch_add,
    watch_entries,
    watch_remove,
    with_profiles,
)
from ipcity.operations.models import WatchListEntry
from ipcity.web.forms import form_errors_from
from ipcity.web.paging import pages_of
from ipcity.web.params import posted_day


class WatchForm(forms.Form):
    organization = forms.ModelChoiceField(label="企业", queryset=Organization.objects.filter(
        org_type=OrgType.ENTERPRISE).order_by("name"))
    reason = forms.CharField(label="列入理由", max_length=300)
    added_on = forms.DateField(label="列入日期", widget=forms.DateInput(attrs={"type": "date"}))


def brands(request):
    """Public: brand holders and GIs. The watch list is the office's working list and shows only to it."""
    manages = request.user.is_authenticated and has_perm(request.user, Perm.OPERATIONS_MANAGE)
    form = WatchForm(request.POST or None) if manages else None
    if request.method == "POST":
        if not manages:
            raise PermissionDenied(missing(Perm.OPERATIONS_MANAGE))
        try:
            if request.POST.get("form") == "remove":
                entry = object_or_404(WatchListEntry, pk=request.POST.get("entry"))
                watch_remove(actor=request.user, entry=entry,
                             removed_on=posted_day(request.POST, "removed_on", label="移出日期"))
                messages.success(request, "已移出关注名录")
                return redirect("operations:brands")
            if form.is_valid():
                watch_add(actor=request.user, **form.cleaned_data)
                messages.success(request, "已列入关注名录")
                return redirect("operations:brands")
        except ValidationError as exc:
            if request.POST.get("form") == "remove":
                messages.error(request, "；".join(exc.messages))
            else:
                form_errors_from(form, exc)
    pages = pages_of(request, holders=brand_holders(), gis=geographical_indications(),
                     watch=watch_entries(user=request.user) if manages else WatchListEntry.objects.none())
    pages["watch"].object_list = with_profiles(pages["watch"].object_list)
    return render(request, "operations/brands.html", {"nav": "operations", **pages, "manages": manages, "form": form})
