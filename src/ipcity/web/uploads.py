"""Upload checks: size is enforced while streaming, type by the file's own bytes, not its name."""

import hashlib
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

from ipcity import clock
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.web.models import Attachment

# extension -> (content type, leading bytes the file must start with)
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
}


def upload_path(stored_name: str) -> Path:
    return Path(settings.UPLOAD_DIR) / stored_name[:2] / stored_name


def attachments_visible(*, user) -> QuerySet[Attachment]:
    """An organization reads its own attachments; roles that read every attachment (the office) read them all."""
    if has_perm(user, Perm.ATTACHMENT_READ_ALL):
        return Attachment.objects.all()
    return Attachment.objects.filter(organization_id=user.organization_id)


def attachment_get(*, user, pk: int) -> Attachment:
    attachment = attachments_visible(user=user).filter(pk=pk).first()
    if attachment is None:
        raise Http404("附件不存在或无权查看")
    return attachment


def attachment_store(*, uploaded_file, actor) -> Attachment:
    name = Path(uploaded_file.name or "").name
    extension = Path(name).suffix.lower()
    if extension not in ALLOWED_TYPES:
        allowed = "、".join(sorted(ALLOWED_TYPES))
        raise ValidationError(f"不支持的文件类型“{extension or '无扩展名'}”，仅接受：{allowed}")
    content_type, signatures = ALLOWED_TYPES[extension]
    limit = settings.UPLOAD_MAX_BYTES
    stored_name = secrets.token_hex(20) + extension
    target = upload_path(stored_name)
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    head = b""
    partial = target.with_suffix(".part")
    try:
        with open(partial, "wb") as out:
            for chunk in uploaded_file.chunks():
                size += len(chunk)
                if size > limit:
                    raise ValidationError(f"文件超过大小上限 {limit // (1024 * 1024)} MB")
                if len(head) < 16:
                    head += chunk[: 16 - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise ValidationError("文件为空")
        if not head.startswith(signatures):
            raise ValidationError(f"文件内容与扩展名“{extension}”不符")
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    with transaction.atomic():
        attachment = Attachment.objects.create(
            stored_name=stored_name, original_name=name[:255], content_type=content_type, size=size,
            sha256=digest.hexdigest(), organization=actor.organization, uploaded_by=actor, uploaded_at=clock.now(),
        )
        audit_record(actor=actor, action="attachment.upload", obj=attachment,
                     after={"name": name, "size": size, "sha256": attachment.sha256})
    return attachment


class SizeLimitedUploadHandler(FileUploadHandler):
    """Counts each file's bytes as they arrive and stops the upload the moment one passes its limit, so an
    oversized file is never written anywhere. The view finds `request.upload_refused` and says why."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.limit = upload_limit(self.request.path)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_refused = f"文件“{self.file_name}”超过 {human_size(self.limit)} 的上限，未上传"
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the file


def human_size(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB" if size >= 1024 * 1024 else f"{size / 1024:g} KB"


# Only registering a file as evidence takes large files (a design, a video); everything else, the anonymous
# certificate verifier included, has the general limit.
EVIDENCE_UPLOAD_PATHS = ("/evidence/new/", "/api/v1/evidence/registrations")


def upload_limit(path: str) -> int:
    return settings.EVIDENCE_MAX_BYTES if path.startswith(EVIDENCE_UPLOAD_PATHS) else settings.UPLOAD_MAX_BYTES


def shows_upload_refusal(view):
    """Marks a page view that shows `request.upload_refused` in its own form; `UploadRefusalMiddleware` then lets
    the request through to it when the form's other fields arrived (so the form is bound and can show the error)."""
    view.shows_upload_refusal = True
    return view


class UploadRefusalMiddleware:
    """An upload refused for its size never reaches a view that would not notice: the file would just be missing,
    so a form would say "required", the API "Field required", and a list of attachments would quietly lose one.
    The body is parsed here (SizeLimitedUploadHandler refuses while it streams); a refused upload answers with the
    reason: under /api/ 422 `{"detail": [...]}` like every other refused input, elsewhere the 413 error page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or not (request.content_type or "").startswith("multipart/"):
            return None
        try:
            request.FILES  # noqa: B018 (reading it parses the body through the upload handlers)
        except MultiPartParserError:
            return self._refuse(request, 400, "上传内容格式错误，无法解析")
        refused = getattr(request, "upload_refused", "")
        if not refused or (getattr(view_func, "shows_upload_refusal", False) and request.POST):
            return None
        return self._refuse(request, 413, refused)

    @staticmethod
    def _refuse(request, status: int, message: str):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": [message]}, status=422 if status == 413 else status,
                                json_dumps_params={"ensure_ascii": False})
        return render(request, "web/error.html", {"code": status, "message": message}, status=status)
