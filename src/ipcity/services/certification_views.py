from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.inputs import object_or_404
from ipcity.services.certification import (
    CERTIFICATION,
    certificate_parties,
    certification_get,
    certification_list,
    certification_parties,
    certification_record,
    certification_state,
    certified_count,
    expiry_reminders_run,
    guidance_advance,
    guidance_list,
    guidance_start,
    status,
)
from ipcity.services.forms import CertificationForm
from ipcity.web.forms import form_errors_from
from ipcity.web.paging import pages_of
from ipcity.web.params import posted_day


@login_required
def certifications(request):
    user = request.user
    records = has_perm(user, Perm.CERTIFICATION_RECORD)
    form = CertificationForm(request.POST if request.POST.get("form") == "certificate" else None,
                             initial={"enterprise": user.organization_id}) if records else None
    if form is not None:
        form.fields["enterprise"].queryset, form.fields["guiding_agency"].queryset = certification_parties(user=user)
    is_agency = user.organization is not None and user.organization.org_type == OrgType.SERVICE_AGENCY
    if request.method == "POST":
        kind = request.POST.get("form")
        try:
            if kind == "certificate" and form is not None:
                if form.is_valid():
                    certification_record(actor=user, **form.cleaned_data)
                    messages.success(request, "证书已登记")
                    return redirect("services:certifications")
            elif kind == "state":
                found = certification_get(user=user, pk=request.POST.get("pk"))
                certification_state(actor=user, certification=found, state=request.POST.get("state", ""))
                messages.success(request, "证书状态已更新")
                return redirect("services:certifications")
            elif kind == "guidance" and is_agency:
                enterprise = object_or_404(Organization, pk=request.POST.get("enterprise"))
                guidance_start(actor=user, enterprise=enterprise,
                               started_on=posted_day(request.POST, "started_on", label="辅导开始日期"))
                messages.success(request, "贯标辅导已登记")
                return redirect("services:certifications")
            elif kind == "advance":
                guidance = object_or_404(guidance_list(user=user), pk=request.POST.get("pk"))
                guidance_advance(actor=user, guidance=guidance, note=request.POST.get("note", ""))
                messages.success(request, "已进入下一阶段")
                return redirect("services:certifications")
            elif kind == "reminders" and has_perm(user, Perm.SERVICE_SUPERVISE):
                messages.success(request, f"已发送到期提醒 {expiry_reminders_run(actor=user)} 条")
                return redirect("services:certifications")
            else:
                raise PermissionDenied("无权执行此操作")
        except ValueError:
            messages.error(request, "日期无效")
        except ValidationError as exc:
            if kind == "certificate" and form is not None:
                form_errors_from(form, exc)
            else:
                messages.error(request, "；".join(exc.messages))
    today = clock.today()
    certificates = certification_list(user=user)
    pages = pages_of(request, certificates=certificates, guidance=guidance_list(user=user))
    for certificate in pages["certificates"]:
        certificate.status = status(certificate, today)
        certificate.steps = [(t.target, t.label) for t in
                             CERTIFICATION.available(certificate.state, certificate_parties(user, certificate))]
    return render(request, "services/certifications.html", {
        "nav": "services", "certificates": pages["certificates"], "guidance": pages["guidance"], "form": form,
        "is_agency": is_agency, "office": has_perm(user, Perm.SERVICE_SUPERVISE), "today": today,
        "enterprises": Organization.objects.filter(org_type=OrgType.ENTERPRISE).order_by("name") if is_agency else [],
        "certified": certified_count(certificates, today)})
