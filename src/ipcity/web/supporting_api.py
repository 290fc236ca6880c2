"""Supporting evidence (佐证材料) in the API: a record's files (list, upload, download) and the office's evidence
package, with the same rules as the pages (web/supporting.py)."""

import datetime as dt

from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.bounds import Id, Year
from ipcity.openapi import Rows, file_response, paginated
from ipcity.web.evidence_package import ZIP_TYPE, package_response, year_param
from ipcity.web.supporting import subject_files, subject_get, supporting_attach
from ipcity.web.uploads import attachment_get, attachment_response

router = Router(tags=["佐证材料"])
KINDS = "progress_report（进展报告）、indicator_value（指标报送值）、meeting（领导小组会议）、case（执法案件）、mediation（调解）"


class FileOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    organization: str
    uploaded_by: str
    uploaded_at: dt.datetime
    download: str


def _out(attachment) -> dict:
    return {"id": attachment.pk, "name": attachment.original_name, "content_type": attachment.content_type,
            "size": attachment.size, "sha256": attachment.sha256, "organization": attachment.organization.name,
            "uploaded_by": attachment.uploaded_by.display_name, "uploaded_at": attachment.uploaded_at,
            "download": f"/api/v1/files/{attachment.pk}"}


@router.get("/records/{kind}/{subject_id}/files", response=list[FileOut],
            summary=f"一条记录的佐证材料（能查看该记录的用户可见）；kind：{KINDS}")
@paginated
def record_files(request, kind: str, subject_id: Id):
    subject = subject_get(user=request.user, kind=kind, pk=subject_id)
    return Rows(subject_files(kind=kind, subject=subject), _out)


@router.post("/records/{kind}/{subject_id}/files", response={201: list[FileOut]},
             summary="为记录上传佐证材料（multipart，字段 files，可多个；PDF、Word、Excel、WPS、OFD、图片；任一文件不合格则全部不保存）")
def record_files_add(request, kind: str, subject_id: Id, files: File[list[UploadedFile]]):
    subject = subject_get(user=request.user, kind=kind, pk=subject_id)
    stored = supporting_attach(actor=request.user, kind=kind, subject=subject, files=files)
    return Status(201, [_out(a) for a in stored])


@router.get("/files/{attachment_id}", openapi_extra=file_response("*/*", description="附件原文件（按上传时的类型）"),
            summary="下载附件（办公室、上传单位及能查看其所属记录的用户）")
def file_download(request, attachment_id: Id):
    return attachment_response(attachment_get(user=request.user, pk=attachment_id))


@router.get("/supervision/evidence-package", openapi_extra=file_response(ZIP_TYPE),
            summary="下载某一试点年度的佐证材料包（.zip，含目录.xlsx；仅领导小组办公室）")
def evidence_package(request, year: Year | None = None):
    require_perm(request.user, Perm.SUPERVISION_MANAGE)
    return package_response(actor=request.user, year=year_param(year))
