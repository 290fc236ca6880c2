"""Upload checks: size is enforced while streaming, type by the file's own bytes, not its name."""

import hashlib
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import transaction

from ipcity import clock
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


def upload_limit(path: str) -> int:
    evidence = path.startswith(("/evidence/", "/api/v1/evidence/"))
    return settings.EVIDENCE_MAX_BYTES if evidence else settings.UPLOAD_MAX_BYTES
