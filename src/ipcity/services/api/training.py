"""Trainings (培训): the public calendar, the audiences that count toward the plan's 培训次数/人次, pre-registration
(报名) with its list and export for the organizer, sign-in by QR code, an imported list or the organizer marking a
registered person who came, and closing sign-in."""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from ipcity.accounts.masking import mask_phone
from ipcity.bounds import Limit, Offset, Year, bounded_decimal, bounded_int
from ipcity.openapi import PAGE_MAX, PAGE_NOTE, Rows, file_response, one_page, paginated
from ipcity.services.api.schemas import (
    TrainingAttendeesImportOut,
    TrainingAttendeesOut,
    TrainingAudienceOut,
    TrainingOut,
    TrainingRegistrationOut,
    TrainingSignInOut,
)
from ipcity.services.models import Training
from ipcity.services.training import (
    REGISTRATION,
    AttendeesRejected,
    attendees_import,
    attendees_of,
    audience_table,
    audiences_set,
    counted_audiences,
    manages,
    registration_get,
    registration_list,
    registration_open,
    registration_step,
    registrations_of,
    registrations_xlsx,
    sign_in,
    sign_in_close,
    training_create,
    training_get,
    training_list,
    training_register,
)
from ipcity.web.spreadsheets import XLSX_TYPE, download_response

router = Router()


def _training_out(t, counted=None) -> dict:
    counted = counted_audiences() if counted is None else counted
    return {"id": t.pk, "title": t.title, "audience": t.audience, "held_on": t.held_on, "hours": t.hours,
            "place": t.place, "organizer": t.organizer.name, "capacity": t.capacity, "attendees": t.attendees,
            "sign_in_open": t.sign_in_open, "registration_deadline": t.registration_deadline,
            "registration_open": registration_open(t), "registered": t.registered,
            "counts_toward_indicators": t.audience in counted}


@router.get("/trainings", auth=None, response=list[TrainingOut], summary="培训日历与人次（公开，不含签到名单）")
@paginated
def trainings(request, year: Year | None = None):
    found = training_list()
    if year:
        found = found.filter(held_on__year=year)
    counted = counted_audiences()
    return Rows(found, lambda t: _training_out(t, counted))


@router.get("/trainings/audiences", auth=None, response=list[TrainingAudienceOut],
            summary="计入培训指标的培训对象（公开）")
def training_audiences(request):
    return audience_table()


class TrainingAudiencesIn(Schema):
    counted: list[str] = Field(title="计入培训指标的培训对象", description="培训对象代码：" + "；".join(
        f"{v}：{label}" for v, label in Training.Audience.choices))
    reason: str = Field(title="设定理由")


@router.put("/trainings/audiences", response=list[TrainingAudienceOut],
            summary="设定计入培训指标的培训对象（仅知识产权办公室）")
def training_audiences_set(request, payload: TrainingAudiencesIn):
    return audiences_set(actor=request.user, **payload.dict())


class TrainingIn(Schema):
    title: str
    audience: str
    held_on: dt.date
    hours: bounded_decimal(Training, "hours")
    place: str
    capacity: bounded_int(Training, "capacity") | None = None
    registration_deadline: dt.date | None = None


@router.post("/trainings", response={201: TrainingOut}, summary="登记培训（办公室、责任单位）")
def training_new(request, payload: TrainingIn):
    made = training_create(actor=request.user, **payload.dict())
    return Status(201, _training_out(training_get(pk=made.pk)))


@router.get("/trainings/{training_id}", auth=None, response=TrainingOut, summary="培训详情（公开）")
def training(request, training_id: int):
    return _training_out(training_get(pk=training_id))


@router.get("/trainings/{training_id}/attendees", response=TrainingAttendeesOut,
            summary="签到名单（手机号脱敏，分页）和现场签到码（主办单位）", description=PAGE_NOTE)
def training_attendees(request, training_id: int, response: HttpResponse, offset: Offset = 0,
                       limit: Limit = PAGE_MAX):
    found = training_get(pk=training_id)
    return {"sign_in_token": found.sign_in_token if manages(request.user, found) else None,
            "attendees": one_page(attendees_of(user=request.user, training=found), offset=offset, limit=limit,
                                  response=response)}


class SignInIn(Schema):
    token: str
    name: str
    organization_name: str
    phone: str


@router.post("/trainings/{training_id}/sign-in", auth=None, response={201: TrainingSignInOut},
             summary="扫码签到（无需登录，凭现场二维码中的签到码）")
def training_sign_in(request, training_id: int, payload: SignInIn):
    found = training_get(pk=training_id)
    sign_in(training=found, **payload.dict())
    return Status(201, {"training": found.pk, "attendees": training_get(pk=training_id).attendees})


@router.post("/trainings/{training_id}/attendees/import", response=TrainingAttendeesImportOut,
             summary="导入签到名单（.xlsx/.csv：姓名、单位、手机号）")
def training_import(request, training_id: int, file: File[UploadedFile]):
    found = training_get(pk=training_id)
    if not manages(request.user, found):
        raise PermissionDenied("只有主办单位可以导入签到名单")
    try:
        return attendees_import(actor=request.user, training=found, data=file.read(), filename=file.name or "")
    except AttendeesRejected as rejected:
        raise ValidationError([str(p) for p in rejected.problems]) from None


@router.post("/trainings/{training_id}/close", response=TrainingOut, summary="结束扫码签到（主办单位）")
def training_close(request, training_id: int):
    closed = sign_in_close(actor=request.user, training=training_get(pk=training_id))
    return _training_out(training_get(pk=closed.pk))


# ---- pre-registration (报名) ----

def _registration_out(r, *, masked: bool = True) -> dict:
    return {"id": r.pk, "training": r.training_id, "training_title": r.training.title, "held_on": r.training.held_on,
            "name": r.name, "organization_name": r.organization.name,
            "phone": mask_phone(r.phone) if masked else r.phone, "state": r.state,
            "state_label": r.get_state_display(), "registered_at": r.registered_at, "attended_at": r.attended_at}


class TrainingRegisterIn(Schema):
    phone: str = Field(title="手机号", description="用于培训通知和到场签到；同一培训一个手机号只能报名一次")


@router.post("/trainings/{training_id}/registrations", response={201: TrainingRegistrationOut},
             summary="报名参加培训（已登录的企业、高校院所等单位人员；报名截止前、名额未满时）")
def training_register_new(request, training_id: int, payload: TrainingRegisterIn):
    registration = training_register(actor=request.user, training=training_get(pk=training_id), phone=payload.phone)
    return Status(201, _registration_out(registration))


@router.get("/trainings/{training_id}/registrations", response=list[TrainingRegistrationOut],
            summary="报名名单（主办单位，手机号脱敏）")
@paginated
def training_registrations(request, training_id: int):
    found = training_get(pk=training_id)
    rows = registrations_of(user=request.user, training=found)  # refuses anyone but the organizer
    return Rows(rows, lambda r: {**r, "training": found.pk, "training_title": found.title, "held_on": found.held_on})


@router.get("/trainings/{training_id}/registrations.xlsx", openapi_extra=file_response(XLSX_TYPE),
            summary="导出报名名单（Excel，主办单位）")
def training_registrations_export(request, training_id: int) -> HttpResponse:
    found = training_get(pk=training_id)
    if not manages(request.user, found):
        raise PermissionDenied("只有主办单位可以导出报名名单")
    return download_response(registrations_xlsx(user=request.user, training=found), XLSX_TYPE,
                             f"training-{found.pk}-registrations.xlsx")


class TrainingRegistrationStepIn(Schema):
    action: Literal[REGISTRATION.actions] = Field(  # type: ignore[valid-type]
        title="操作", description="；".join(f"{a}：{label}（{'报名人' if a == 'cancel' else '主办单位'}）"
                                          for a, label in REGISTRATION.action_labels.items()))


@router.post("/trainings/{training_id}/registrations/{registration_id}/steps", response=TrainingRegistrationOut,
             summary="取消报名（报名人，培训日前）或登记到场签到（主办单位，培训当天起）")
def training_registration_step(request, training_id: int, registration_id: int, payload: TrainingRegistrationStepIn):
    found = training_get(pk=training_id)
    registration = registration_get(user=request.user, training=found, pk=registration_id)
    return _registration_out(registration_step(actor=request.user, registration=registration, action=payload.action))


@router.get("/training-registrations", response=list[TrainingRegistrationOut], summary="我的培训报名")
@paginated
def training_registrations_mine(request):
    return Rows(registration_list(user=request.user), lambda r: _registration_out(r, masked=False))
