from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from ipcity.accounts.permissions import has_perm, require_perm
from ipcity.accounts.roles import Perm
from ipcity.evidence.certificate import certificate_number, certificate_pdf
from ipcity.evidence.core.bundle import HASH_ONLY_NOTE, verify_bundle
from ipcity.evidence.core.tiles import entry_bundle, parse_path, published_sizes_for, tile_bytes
from ipcity.evidence.keys import log_keys
from ipcity.evidence.kinds import KINDS
from ipcity.evidence.ledger import bundle_text, latest_checkpoint, log_tree, published_size
from ipcity.evidence.models import LogCheckpoint, NotarizationRequest, Registration
from ipcity.evidence.notarization import (
    notarization_actions,
    notarization_get,
    notarization_list,
    notarization_transition,
    notary_choices,
)
from ipcity.evidence.selectors import registration_get, registration_statistics, registrations_for
from ipcity.evidence.services import RateLimited, registration_create, registration_seal
from ipcity.web.forms import form_errors_from
from ipcity.web.paging import page_of
from ipcity.web.params import InputRefused
from ipcity.web.uploads import shows_upload_refusal

BUNDLE_TYPE = "text/plain; charset=utf-8"


@require_safe
def home(request):
    user = request.user
    can_register = user.is_authenticated and has_perm(user, Perm.EVIDENCE_REGISTER)
    return render(request, "evidence/home.html", {
        "nav": "evidence", "kinds": KINDS.values(), "checkpoint": latest_checkpoint(),
        "page": page_of(request, registrations_for(user=user)) if can_register else None, "can_register": can_register,
        "can_see_stats": user.is_authenticated and has_perm(user, Perm.EVIDENCE_STATS)})


def _kind_form(kind):
    fields = {}
    for field in kind.fields:
        if field.name == "notary":
            fields[field.name] = forms.ChoiceField(label=field.label, choices=[(n, n) for n in notary_choices()])
        elif field.choices:
            fields[field.name] = forms.ChoiceField(label=field.label, choices=[(c, c) for c in field.choices])
        elif field.is_date:
            fields[field.name] = forms.DateField(label=field.label, widget=forms.DateInput(attrs={"type": "date"}))
        else:
            fields[field.name] = forms.CharField(label=field.label, max_length=field.max_length)
    if kind.hash_only:
        fields["sha256"] = forms.CharField(widget=forms.HiddenInput, required=False)
        fields["sm3"] = forms.CharField(widget=forms.HiddenInput, required=False)
    else:
        fields["salted"] = forms.BooleanField(label="加盐登记（公开日志中不出现文件的原始摘要；核验时需要证书包）",
                                              required=False)
        fields["file"] = forms.FileField(label="文件")
    return type("KindForm", (forms.Form,), fields)


@login_required
@shows_upload_refusal
def new(request, kind):
    require_perm(request.user, Perm.EVIDENCE_REGISTER)
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404("未知的存证类型")
    form_class = _kind_form(spec)
    form = form_class(request.POST or None, request.FILES or None)
    refused = getattr(request, "upload_refused", "")
    if refused:
        form.add_error(None, refused)
    elif request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file", None)
        metadata = {f.name: str(data.pop(f.name)) for f in spec.fields}
        try:
            registration, created = registration_create(
                actor=request.user, kind=kind, metadata=metadata, filename=upload.name if upload else "",
                chunks=upload.chunks() if upload else None, salted=bool(data.pop("salted", False) or spec.hash_only),
                sha256=data.get("sha256", ""), sm3=data.get("sm3", ""), sealed_by_caller=True)
        except ValidationError as exc:
            form_errors_from(form, exc)
        except RateLimited as exc:
            form.add_error(None, str(exc))
        else:
            registration_seal(registration)  # the user waits for the certificate: seal now rather than at the next tick
            messages.success(request, "登记成功，证书已生成" if created else "该文件此前已登记，以下是原有证书")
            return redirect("evidence:registration", pk=registration.pk)
    return render(request, "evidence/new.html", {"nav": "evidence", "kind": spec, "form": form})


@require_safe
@login_required
def registration(request, pk):
    item = registration_get(user=request.user, pk=pk)
    return render(request, "evidence/registration.html", {
        "notarization": NotarizationRequest.objects.filter(registration=item).select_related("notary").first(),
        "nav": "evidence", "item": item, "kind": KINDS[item.kind], "digests_only_note": HASH_ONLY_NOTE,
        "number": certificate_number(item)
        if item.index is not None else "", "fields": [(f.label, item.metadata.get(f.name, "")) for f in KINDS[item.kind].fields]})


def _pending_response(request, item):
    messages.info(request, "证书正在生成，请稍候刷新")
    return redirect("evidence:registration", pk=item.pk)


@require_safe
@login_required
def bundle_download(request, pk):
    item = registration_get(user=request.user, pk=pk)
    if item.index is None:
        return _pending_response(request, item)
    response = HttpResponse(bundle_text(item), content_type=BUNDLE_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{certificate_number(item)}.ipcity-evidence"'
    return response


@require_safe
@login_required
def certificate_download(request, pk):
    item = registration_get(user=request.user, pk=pk)
    if item.index is None:
        return _pending_response(request, item)
    response = HttpResponse(certificate_pdf(item, base_url=request.build_absolute_uri("/")), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate_number(item)}.pdf"'
    return response


class VerifyForm(forms.Form):
    bundle = forms.FileField(label="证书包（.ipcity-evidence）")
    file = forms.FileField(label="原文件（选填：同时核对文件是否被改动）", required=False)


def verify(request):
    """Public: check a bundle (and the file) with the platform's published keys, or look up a QR code's proof."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    report, lookup = None, None
    refused = getattr(request, "upload_refused", "")
    if refused:
        form.add_error(None, refused)
    elif request.method == "POST" and form.is_valid():
        try:
            text = form.cleaned_data["bundle"].read(256 * 1024).decode()
        except UnicodeDecodeError:
            form.add_error("bundle", "证书包不是 UTF-8 文本")
        else:
            upload = form.cleaned_data.get("file")
            report = verify_bundle(text, trusted=log_keys().trusted, content=upload.read() if upload else None)
    elif request.GET.get("i"):
        lookup = _lookup(request.GET)
    return render(request, "evidence/verify.html", {"nav": "evidence", "form": form, "report": report,
                                                    "lookup": lookup})


def _lookup(params) -> dict:
    """The QR code's compact proof checked against the platform's log (an online check; the bundle is the
    offline one)."""
    index = params["i"].strip()
    if not (index.isascii() and index.isdecimal() and len(index) <= 18):  # "²" is a digit to Python, not an index
        raise InputRefused("二维码中的序号无效：应为非负整数")
    item = Registration.objects.filter(index=int(index)).select_related("checkpoint").first()
    checks = {"found": item is not None}
    if item is not None:
        checks.update(hash_matches=item.sha256 == params.get("h"), kind=KINDS[item.kind].label,
                      digests_only_note=HASH_ONLY_NOTE if item.digests_only else "",
                      time=item.created_at, checkpoint_matches=str(item.checkpoint.size) == params.get("n")
                      and item.checkpoint.root_sha256 == params.get("r"), index=item.index)
    return checks


@login_required
def notarizations(request):
    requests = notarization_list(user=request.user)
    if request.method == "POST":
        try:
            notarization_transition(actor=request.user, request=notarization_get(user=request.user,
                                                                                 pk=request.POST.get("pk")),
                                    action=request.POST.get("action", ""), note=request.POST.get("note", ""),
                                    certificate_number=request.POST.get("certificate_number", ""))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已办理")
        return redirect("evidence:notarizations")
    handles = has_perm(request.user, Perm.NOTARIZATION_HANDLE)
    page = page_of(request, requests)
    for item in page:
        item.actions = [(t.action, t.label) for t in notarization_actions(user=request.user, request=item)]
    return render(request, "evidence/notarizations.html", {"nav": "evidence", "page": page, "handles": handles})


@require_safe
@login_required
def stats(request):
    return render(request, "evidence/stats.html", {"nav": "evidence", "stats": registration_statistics(user=request.user)})


@require_safe
@never_cache
def checkpoint_text(request):
    checkpoint = latest_checkpoint()
    if checkpoint is None:
        raise Http404("日志尚无检查点")
    return HttpResponse(checkpoint.note, content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(public=True, max_age=31536000, immutable=True)
def tile(request, path):
    """c2sp.org/tlog-tiles: full tiles once complete, partial tiles for every published checkpoint's size."""
    try:
        level, index, width = parse_path(path)
    except ValueError:
        raise Http404("无此瓦片") from None
    size = published_size()
    height = 0 if level == "entries" else int(level)
    if width is not None:
        sizes = published_sizes_for(height, index, width)
        if not LogCheckpoint.objects.filter(size__gte=sizes.start, size__lt=sizes.stop).exists():
            raise Http404("没有对应这一宽度的检查点")
    if level == "entries":
        start = index * 256
        end = start + (width or 256)
        if end > size:
            raise Http404("无此条目包")
        leaves = Registration.objects.filter(index__gte=start, index__lt=end).order_by("index").values_list("leaf", flat=True)
        return HttpResponse(entry_bundle([bytes(v) for v in leaves]), content_type="application/octet-stream")
    try:
        data = tile_bytes(log_tree(size).sha256_tree, height, index, width)
    except LookupError:
        raise Http404("无此瓦片") from None
    return HttpResponse(data, content_type="application/octet-stream")


@require_safe
def public_keys(request):
    return HttpResponse(log_keys().public_text(), content_type="text/plain; charset=utf-8")
