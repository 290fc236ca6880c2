"""Pages for supporting evidence (佐证材料): adding files to a record from its own page, and the office's evidence
package. Downloads go through `web.views.attachment_download` (/files/<pk>/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST, require_safe

from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.web.evidence_package import package_response, year_param
from ipcity.web.supporting import SUBJECTS, SupportingFilesForm, subject_get, supporting_attach


@require_POST
@login_required
def attach(request, kind, pk):
    """Add files to a record; back to the record's page, which says what was added or why nothing was."""
    subject = subject_get(user=request.user, kind=kind, pk=pk)
    back = SUBJECTS[kind].url(subject)
    form = SupportingFilesForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(m for errors in form.errors.values() for m in errors))
        return redirect(back)
    try:
        stored = supporting_attach(actor=request.user, kind=kind, subject=subject, files=form.cleaned_data["files"])
    except ValidationError as exc:
        messages.error(request, "佐证材料未上传：" + "；".join(exc.messages))
    else:
        messages.success(request, f"已添加 {len(stored)} 个佐证材料：" + "、".join(a.original_name for a in stored))
    return redirect(back)


@require_safe
@login_required
def evidence_package(request):
    """The office's evidence package of a pilot year (.zip, a folder per indicator and per task, with 目录.xlsx)."""
    require_perm(request.user, Perm.SUPERVISION_MANAGE)
    return package_response(actor=request.user, year=year_param(request.GET.get("year")))
