"""Upload checks: size is enforced while streaming, type by the file's own bytes, not its name."""

import datetime as dt
import hashlib
import re
import secrets
import struct
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

from ipcity import clock
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.web.models import Attachment

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound document: .doc, .xls, WPS's .wps and .et
ZIP = b"PK\x03\x04"
# extension -> (content type, leading bytes the file must start with). Zip-based formats are also opened and must
# hold their format's own parts (ZIP_PARTS), so a renamed archive is refused.
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (ZIP,)),
    ".doc": ("application/msword", (OLE,)),
    ".xls": ("application/vnd.ms-excel", (OLE,)),
    ".wps": ("application/vnd.ms-works", (OLE, ZIP)),  # WPS 文字; newer versions may save the OOXML package
    ".et": ("application/vnd.ms-excel", (OLE, ZIP)),  # WPS 表格
    ".ofd": ("application/ofd", (ZIP,)),  # GB/T 33190 版式文档: a zip holding OFD.xml
}
# For a zip-based type: the member names one of which it must hold.
ZIP_PARTS: dict[str, tuple[str, ...]] = {
    ".xlsx": ("xl/workbook.xml",),
    ".docx": ("word/document.xml",),
    ".wps": ("word/document.xml",),
    ".et": ("xl/workbook.xml",),
    ".ofd": ("OFD.xml",),
}
TYPE_LABELS = "PDF、Word（.doc .docx）、Excel（.xls .xlsx）、WPS（.wps .et）、OFD、图片（.jpg .png）"
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f\\/:*?\"<>|\u202a-\u202e\u2066-\u2069]")


def safe_file_name(name: str, *, fallback: str = "附件") -> str:
    """A file name as a person's computer can hold it: no directory part, no control or path characters, no
    bidirectional overrides (which disguise an extension), not only dots, at most 255 characters keeping the
    extension."""
    name = _UNSAFE_NAME.sub("_", (name or "").replace("\\", "/").rsplit("/", 1)[-1]).strip().strip(".")
    if not name.replace("_", ""):
        name = fallback
    if len(name) > 255:
        stem, dot, extension = name.rpartition(".")
        name = (stem[: 255 - len(extension) - 1] + "." + extension) if dot and len(extension) < 16 else name[:255]
    return name


# A zip-based document holds tens to a few thousand parts. The archive's own directory is bounded before it is
# listed: zipfile reads the whole central directory into memory and builds an object per entry, so a file of a few
# MB claiming 200,000 entries would cost seconds of CPU and a hundred MB of memory per upload.
MAX_ARCHIVE_ENTRIES = 10_000
MAX_CENTRAL_DIRECTORY_BYTES = 4 * 1024 * 1024  # 10,000 entries with names of ~300 characters
_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"


def zip_directory_size(handle) -> tuple[int, int] | None:
    """(entries, central directory bytes) as the archive's end-of-central-directory record states them (the zip64
    record when there is one), read from the file's last 64 KiB without listing anything; None when there is no
    such record (not a zip)."""
    handle.seek(0, 2)
    size = handle.tell()
    tail_start = max(0, size - (22 + 65535 + 20))
    handle.seek(tail_start)
    tail = handle.read()
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        return None
    entries, directory = struct.unpack("<HI", tail[at + 10:at + 16])
    locator = at - 20
    if locator >= 0 and tail[locator:locator + 4] == _ZIP64_LOCATOR:
        (record_at,) = struct.unpack("<Q", tail[locator + 8:locator + 16])
        handle.seek(record_at)
        record = handle.read(56)
        if len(record) == 56 and record[:4] == _ZIP64_EOCD:
            entries, directory = struct.unpack("<QQ", record[32:48])
        else:
            return (1 << 64, 1 << 64)  # a zip64 locator pointing nowhere: refused as oversized
    return entries, directory


def _content_problem(path: Path, extension: str) -> str | None:
    """Why the written file is not what its extension says, or None. Only zip-based types need more than their
    leading bytes: the archive must open and hold the format's own part, and its directory must be of a document's
    size (MAX_ARCHIVE_ENTRIES entries), checked before it is listed."""
    parts = ZIP_PARTS.get(extension)
    if parts is None:
        return None
    with open(path, "rb") as handle:
        if handle.read(4) != ZIP:
            return None  # an OLE .wps/.et: its header was checked
        stated = zip_directory_size(handle)
    if stated is None:
        return f"文件内容与扩展名“{extension}”不符（文件已损坏或不是该格式）"
    entries, directory = stated
    if entries > MAX_ARCHIVE_ENTRIES or directory > MAX_CENTRAL_DIRECTORY_BYTES:
        return f"文件内部条目过多（超过 {MAX_ARCHIVE_ENTRIES} 个），不是正常的文档，未上传"
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return f"文件内容与扩展名“{extension}”不符（文件已损坏或不是该格式）"
    if len(names) > MAX_ARCHIVE_ENTRIES:
        return f"文件内部条目过多（超过 {MAX_ARCHIVE_ENTRIES} 个），不是正常的文档，未上传"
    if not any(part in names for part in parts):
        return f"文件内容与扩展名“{extension}”不符"
    return None


def storage_used(*, organization_id: int, since: dt.datetime) -> int:
    """Bytes of files the organization stored since `since` (every attachment it uploaded)."""
    return Attachment.objects.filter(organization_id=organization_id, uploaded_at__gte=since).aggregate(
        n=Sum("size"))["n"] or 0


def quota_window_start() -> dt.datetime:
    return clock.now() - dt.timedelta(days=settings.UPLOAD_QUOTA_DAYS)


def quota_problem(*, organization_id: int, adding: int) -> str | None:
    """Why `adding` more bytes would take the organization past its storage quota (UPLOAD_QUOTA_BYTES over the last
    UPLOAD_QUOTA_DAYS days), or None."""
    quota = settings.UPLOAD_QUOTA_BYTES
    used = storage_used(organization_id=organization_id, since=quota_window_start())
    if used + adding <= quota:
        return None
    return (f"本单位近 {settings.UPLOAD_QUOTA_DAYS} 天上传的文件已用 {human_size(used)}，再上传 {human_size(adding)} "
            f"将超过每单位 {human_size(quota)} 的存储上限，未上传；请删减文件或稍后再试")


def upload_path(stored_name: str) -> Path:
    return Path(settings.UPLOAD_DIR) / stored_name[:2] / stored_name


def attachments_visible(*, user) -> QuerySet[Attachment]:
    """An organization reads its own attachments; roles that read every attachment (the office) read them all."""
    if has_perm(user, Perm.ATTACHMENT_READ_ALL):
        return Attachment.objects.all()
    return Attachment.objects.filter(organization_id=user.organization_id)


def attachment_get(*, user, pk: int) -> Attachment:
    """A file the user may read (web/supporting.py says who: the office, the uploading organization, and whoever
    reads a record it supports), or 404."""
    from ipcity.inputs import object_or_404
    from ipcity.web.supporting import attachment_readable

    attachment = object_or_404(Attachment, "附件不存在或无权查看", pk=pk)
    if not attachment_readable(user=user, attachment=attachment):
        raise Http404("附件不存在或无权查看")
    return attachment


def attachment_response(attachment: Attachment):
    """The file as a download: its original name encoded for the header (RFC 6266 filename*), never shown inline,
    never sniffed into something else."""
    from django.http import FileResponse

    path = upload_path(attachment.stored_name)
    if not path.exists():
        raise Http404("附件文件缺失")
    response = FileResponse(open(path, "rb"), as_attachment=True, filename=safe_file_name(attachment.original_name),
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def attachment_store(*, uploaded_file, actor, counts_to_quota: bool = True) -> Attachment:
    """Stores a file after checking its type and content. Documents the platform itself makes (a released report)
    pass `counts_to_quota=False`: the organization's upload quota bounds what people send, not what it must keep."""
    name = safe_file_name(uploaded_file.name or "")
    extension = Path(name).suffix.lower()
    if extension not in ALLOWED_TYPES:
        raise ValidationError(f"不支持的文件类型“{extension or '无扩展名'}”，仅接受：{TYPE_LABELS}")
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
                    raise ValidationError(f"“{name}”：文件超过大小上限 {human_size(limit)}，未上传")
                if len(head) < 16:
                    head += chunk[: 16 - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise ValidationError(f"文件“{name}”是空文件")
        if not head.startswith(signatures):
            raise ValidationError(f"“{name}”：文件内容与扩展名“{extension}”不符")
        problem = _content_problem(partial, extension)
        if problem:
            raise ValidationError(f"“{name}”：{problem}")
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    try:
        with transaction.atomic():
            from ipcity.accounts.models import Organization

            # the organization's row is locked so that two uploads at once cannot both fit the quota's last bytes
            Organization.objects.select_for_update().filter(pk=actor.organization_id).first()
            problem = counts_to_quota and quota_problem(organization_id=actor.organization_id, adding=size)
            if problem:
                raise ValidationError(f"“{name}”：{problem}")
            attachment = Attachment.objects.create(
                stored_name=stored_name, original_name=name, content_type=content_type, size=size,
                sha256=digest.hexdigest(), organization=actor.organization, uploaded_by=actor,
                uploaded_at=clock.now(),
            )
            audit_record(actor=actor, action="attachment.upload", obj=attachment,
                         after={"name": name, "size": size, "sha256": attachment.sha256})
    except BaseException:
        target.unlink(missing_ok=True)
        raise
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
    if size >= 1024 ** 3:
        return f"{round(size / 1024 ** 3, 2):g} GB"
    if size >= 1024 * 1024:
        return f"{round(size / (1024 * 1024), 1):g} MB"
    return f"{round(size / 1024, 1):g} KB"


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
    reason: under /api/ 422 `{"detail": [...]}` like every other refused input, elsewhere the 413 error page.
    So does a body Django itself refuses while parsing it (more files than DATA_UPLOAD_MAX_NUMBER_FILES, more fields
    than DATA_UPLOAD_MAX_NUMBER_FIELDS, form fields over DATA_UPLOAD_MAX_MEMORY_SIZE): in Chinese, never Django's
    English 400 page, and the API in its JSON shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Parsed here, before any middleware's process_view (the CSRF check reads the form too, and would turn
        # Django's refusal into its generic 400 page).
        refusal = self._parse(request)
        return refusal or self.get_response(request)

    def _parse(self, request):
        if request.method != "POST" or not (request.content_type or "").startswith("multipart/"):
            return None
        try:
            request.FILES  # noqa: B018 (reading it parses the body through the upload handlers)
        except MultiPartParserError:
            return self._refuse(request, 400, "上传内容格式错误，无法解析")
        except TooManyFilesSent:
            return self._refuse(request, 400, f"一次提交的文件过多（最多 {settings.DATA_UPLOAD_MAX_NUMBER_FILES} 个），"
                                              "未上传；请分批上传", api_status=422)
        except TooManyFieldsSent:
            return self._refuse(request, 400, f"提交的字段过多（最多 {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} 个），未保存",
                                api_status=422)
        except RequestDataTooBig:
            return self._refuse(request, 413, f"提交的表单内容超过 {human_size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)} "
                                              "的上限（不含文件），未保存")
        return None

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or not (request.content_type or "").startswith("multipart/"):
            return None
        refused = getattr(request, "upload_refused", "")
        if not refused or (getattr(view_func, "shows_upload_refusal", False) and request.POST):
            return None
        return self._refuse(request, 413, refused)

    @staticmethod
    def _refuse(request, status: int, message: str, api_status: int | None = None):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": [message]}, status=api_status or (422 if status == 413 else status),
                                json_dumps_params={"ensure_ascii": False})
        return render(request, "web/error.html", {"code": status, "message": message}, status=status)
