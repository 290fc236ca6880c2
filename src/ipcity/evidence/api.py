import datetime as dt
import json
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from ipcity.evidence.certificate import certificate_number, certificate_pdf
from ipcity.evidence.core.bundle import verify_bundle
from ipcity.evidence.keys import log_keys
from ipcity.evidence.ledger import bundle_text
from ipcity.evidence.notarization import (
    NOTARIZATION,
    notarization_get,
    notarization_list,
    notarization_transition,
)
from ipcity.evidence.selectors import registration_get, registration_statistics, registrations_for
from ipcity.evidence.services import RateLimited, registration_create, registration_seal
from ipcity.openapi import NameCount, Rows, file_response, paginated

router = Router(tags=["存证"])


class RegistrationOut(Schema):
    id: int
    kind: str
    title: str
    metadata: dict
    filename: str
    sha256: str
    sm3: str
    salted: bool
    digests_only: bool  # registered by its digests alone: the platform never saw the content
    status: str  # pending | sequenced
    index: int | None
    certificate_number: str | None
    checkpoint_size: int | None
    created_at: dt.datetime


def _out(item) -> dict:
    return {"id": item.pk, "kind": item.kind, "title": item.title, "metadata": item.metadata, "filename": item.filename,
            "sha256": item.sha256, "sm3": item.sm3, "salted": item.salted, "digests_only": item.digests_only,
            "status": "pending" if item.index is None else "sequenced", "index": item.index,
            "certificate_number": certificate_number(item) if item.index is not None else None,
            "checkpoint_size": item.checkpoint.size if item.checkpoint_id else None, "created_at": item.created_at}


class HashRegistrationIn(Schema):
    kind: str
    metadata: dict[str, str]
    sha256: str
    sm3: str
    salted: bool = True


def _register(request, wait: bool, **kwargs):
    try:
        item, created = registration_create(actor=request.user, sealed_by_caller=wait, **kwargs)
    except RateLimited as exc:
        return Status(429, {"detail": [str(exc)]})
    if wait:
        registration_seal(item)  # the caller gets its certificate in this response (after at most the merge window)
    return Status(201 if created else 200, _out(item))


@router.post("/registrations", response={200: RegistrationOut, 201: RegistrationOut, 429: dict},
             summary="只登记摘要（商业秘密等）：201 新登记，200 已登记过的同一内容")
def register_hash(request, payload: HashRegistrationIn, wait: bool = True):
    return _register(request, wait, kind=payload.kind, metadata=payload.metadata, sha256=payload.sha256,
                     sm3=payload.sm3, salted=payload.salted)


@router.post("/registrations/file", response={200: RegistrationOut, 201: RegistrationOut, 429: dict},
             summary="上传文件登记（文件只计算摘要，不保存）；metadata 为 JSON 文本")
def register_file(request, kind: Form[str], metadata: Form[str], file: File[UploadedFile] = None,
                  salted: Form[bool] = False, wait: bool = True):
    refused = getattr(request, "upload_refused", "")
    if refused or file is None:
        raise ValidationError({"file": [refused or "请上传文件"]})
    try:
        fields = json.loads(metadata)
    except ValueError:
        raise ValidationError({"metadata": ["metadata 应为 JSON 对象"]}) from None
    if not isinstance(fields, dict):
        raise ValidationError({"metadata": ["metadata 应为 JSON 对象"]})
    return _register(request, wait, kind=kind, metadata=fields, chunks=file.chunks(), filename=file.name or "",
                     salted=salted)


@router.get("/registrations", response=list[RegistrationOut], summary="本机构的存证")
@paginated
def registrations(request):
    return Rows(registrations_for(user=request.user), _out)


@router.get("/registrations/{registration_id}", response=RegistrationOut, summary="存证详情（可轮询 status）")
def registration(request, registration_id: int):
    return _out(registration_get(user=request.user, pk=registration_id))


def _sealed(request, registration_id: int):
    item = registration_get(user=request.user, pk=registration_id)
    if item.index is None:
        raise ValidationError("证书尚未生成，请稍候重试（status 为 sequenced 后可下载）")
    return item


@router.get("/registrations/{registration_id}/bundle", openapi_extra=file_response("text/plain"),
            summary="下载证书包（离线核验用）")
def bundle(request, registration_id: int):
    item = _sealed(request, registration_id)
    response = HttpResponse(bundle_text(item), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{certificate_number(item)}.ipcity-evidence"'
    return response


@router.get("/registrations/{registration_id}/certificate.pdf",
            openapi_extra=file_response("application/pdf"),
            summary="下载 PDF 证书")
def certificate(request, registration_id: int):
    item = _sealed(request, registration_id)
    return HttpResponse(certificate_pdf(item, base_url=request.build_absolute_uri("/")), content_type="application/pdf")


class CheckOut(Schema):
    name: str
    ok: bool
    detail: str


class VerificationReportOut(Schema):
    ok: bool
    verdict: str  # 核验通过 | 核验未通过 (the platform's keys are always pinned here)
    index: int | None
    size: int | None
    checks: list[CheckOut]
    notes: list[str]  # what the verdict does not prove, e.g. a hash-only registration's content was never seen


@router.post("/verify", auth=None, response=VerificationReportOut, summary="核验证书包（公开；使用平台公布的公钥）")
def verify(request, bundle: File[UploadedFile], file: File[UploadedFile] = None):
    try:
        text = bundle.read(256 * 1024).decode()
    except UnicodeDecodeError:
        raise ValidationError({"bundle": ["证书包不是 UTF-8 文本"]}) from None
    report = verify_bundle(text, trusted=log_keys().trusted, content=file.read() if file else None)
    return {"ok": report.ok, "verdict": report.verdict, "index": report.index, "size": report.size,
            "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in report.checks], "notes": report.notes}


class EvidenceStatisticsOut(Schema):
    total: int
    sequenced: int  # sealed into the log
    organizations: int  # organizations that registered anything
    by_kind: list[NameCount]  # [kind label, registrations], every kind
    by_org_type: list[NameCount]  # [organization type, registrations]
    by_month: list[NameCount]  # ["2026-10", registrations]


@router.get("/statistics", response=EvidenceStatisticsOut, summary="存证统计（领导小组办公室）")
def statistics(request):
    return registration_statistics(user=request.user)


class NotarizationOut(Schema):
    id: int
    registration: int
    applicant: str
    title: str
    sha256: str
    notary: str
    state: str
    state_label: str
    certificate_number: str
    note: str


def _notarization_out(item) -> dict:
    return {"id": item.pk, "registration": item.registration_id, "applicant": item.registration.organization.name,
            "title": item.registration.title, "sha256": item.registration.sha256, "notary": item.notary.name,
            "state": item.state, "state_label": item.get_state_display(), "certificate_number": item.certificate_number,
            "note": item.note}


@router.get("/notarizations", response=list[NotarizationOut], summary="互联网公证申请（公证机构看收到的，申请机构看自己的）")
@paginated
def notarizations(request):
    return Rows(notarization_list(user=request.user), _notarization_out)


class NotarizationActionIn(Schema):
    action: Literal[NOTARIZATION.actions]
    note: str = ""
    certificate_number: str = ""


@router.post("/notarizations/{notarization_id}/transitions", response=NotarizationOut,
             summary="公证机构办理：受理、出具公证书、不予办理")
def notarization_action(request, notarization_id: int, payload: NotarizationActionIn):
    item = notarization_get(user=request.user, pk=notarization_id)
    return _notarization_out(notarization_transition(actor=request.user, request=item, action=payload.action,
                                                     note=payload.note, certificate_number=payload.certificate_number))
