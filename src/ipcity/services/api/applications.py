"""Applications filed online (办件): submission, handling steps, the applicant's rating and the satisfaction figure."""

from typing import Literal

from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from ipcity.openapi import Rows, paginated
from ipcity.services.api.schemas import ServiceApplicationOut, ServiceRatingIn, ServiceSatisfactionOut
from ipcity.services.applications import (
    APPLICATION,
    application_get,
    application_list,
    application_rate,
    application_step,
    application_submit,
    overdue,
    satisfaction,
)
from ipcity.services.catalogue import item_get

router = Router()


def _application_out(a) -> dict:
    return {"id": a.pk, "item": a.item.code, "item_name": a.item.name, "guide_version": a.guide.version,
            "applicant": a.applicant.name, "unit": a.item.unit.name, "state": a.state, "description": a.description,
            "submitted_on": a.submitted_on, "accept_due": a.accept_due, "accepted_on": a.accepted_on,
            "decide_due": a.decide_due, "decided_on": a.decided_on, "overdue": overdue(a), "history": a.history,
            "materials": [m.original_name for m in a.materials.order_by("uploaded_at", "pk")],
            "rating": a.rating, "rating_comment": a.rating_comment}


@router.get("/applications", response=list[ServiceApplicationOut],
            summary="办件（申请人看本机构的，实施单位看本单位事项的，办公室看全部）")
@paginated
def applications(request):
    return Rows(application_list(user=request.user).select_related("guide"), _application_out)


@router.post("/applications", response={201: ServiceApplicationOut},
             summary="在线申请（multipart：事项编码、申请事由、材料文件）")
def application_new(request, item: Form[str], description: Form[str], files: File[list[UploadedFile]] = None):
    made = application_submit(actor=request.user, item=item_get(code=item), description=description,
                              files=files or [])
    return Status(201, _application_out(made))


@router.get("/applications/{application_id}", response=ServiceApplicationOut, summary="办件详情")
def application(request, application_id: int):
    return _application_out(application_get(user=request.user, pk=application_id))


@router.post("/applications/{application_id}/steps", response=ServiceApplicationOut,
             summary="办理：accept、supplement、not_accept、approve、refuse（实施单位）；resubmit、withdraw（申请人）")
def application_act(request, application_id: int, action: Form[Literal[APPLICATION.actions]], note: Form[str] = "",
                    files: File[list[UploadedFile]] = None):
    found = application_get(user=request.user, pk=application_id)
    return _application_out(application_step(actor=request.user, application=found, action=action, note=note,
                                              files=files or []))


@router.post("/applications/{application_id}/rating", response=ServiceApplicationOut,
             summary="办结后评价（申请人，1～5星）")
def application_rating(request, application_id: int, payload: ServiceRatingIn):
    found = application_get(user=request.user, pk=application_id)
    return _application_out(application_rate(actor=request.user, application=found, **payload.dict()))


@router.get("/satisfaction", auth=None, response=ServiceSatisfactionOut, summary="办件满意度（公开）")
def satisfaction_api(request):
    return satisfaction()
