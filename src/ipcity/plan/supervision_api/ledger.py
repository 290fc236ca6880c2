"""The task ledger (台账) as a spreadsheet: exported, edited offline and imported back."""


from django.core.exceptions import ValidationError
from django.http import HttpResponse
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from ipcity.openapi import file_response
from ipcity.plan.ledger import LedgerRejected, ledger_export, ledger_import
from ipcity.plan.selectors import current_plan_or_404
from ipcity.web.spreadsheets import XLSX_TYPE

router = Router()


@router.get("/ledger.xlsx", openapi_extra=file_response(XLSX_TYPE), summary="导出任务台账（Excel）")
def ledger_download(request):
    response = HttpResponse(ledger_export(user=request.user), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="ledger.xlsx"'
    return response


class LedgerOut(Schema):
    created: int
    updated: int
    unchanged: int


@router.post("/ledger", response=LedgerOut, summary="导入修改后的任务台账（整表校验，有错则不作任何修改）")
def ledger_upload(request, file: File[UploadedFile]):
    try:
        return ledger_import(actor=request.user, data=file.read(), filename=file.name or "ledger.xlsx",
                             plan=current_plan_or_404())
    except LedgerRejected as rejected:
        raise ValidationError([str(p) for p in rejected.problems]) from None
