"""Trainings (培训): the public calendar, registration, sign-in by QR code or an imported list, and closing sign-in."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from ipcity.bounds import Year, bounded_decimal, bounded_int
from ipcity.services.api.schemas import (
    TrainingAttendeesImportOut,
    TrainingAttendeesOut,
    TrainingOut,
    TrainingSignInOut,
)
from ipcity.services.models import Training
from ipcity.services.training import (
    AttendeesRejected,
    attendees_import,
    attendees_of,
    manages,
    sign_in,
    sign_in_close,
    training_create,
    training_get,
    training_list,
)

router = Router()


def _training_out(t) -> dict:
    return {"id": t.pk, "title": t.title, "audience": t.audience, "held_on": t.held_on, "hours": t.hours,
            "place": t.place, "organizer": t.organizer.name, "capacity": t.capacity, "attendees": t.attendees,
            "sign_in_open": t.sign_in_open}


@router.get("/trainings", auth=None, response=list[TrainingOut], summary="培训日历与人次（公开，不含签到名单）")
def trainings(request, year: Year | None = None):
    found = training_list()
    if year:
        found = found.filter(held_on__year=year)
    return [_training_out(t) for t in found]


class TrainingIn(Schema):
    title: str
    audience: str
    held_on: dt.date
    hours: bounded_decimal(Training, "hours")
    place: str
    capacity: bounded_int(Training, "capacity") | None = None


@router.post("/trainings", response={201: TrainingOut}, summary="登记培训（办公室、责任单位）")
def training_new(request, payload: TrainingIn):
    made = training_create(actor=request.user, **payload.dict())
    return Status(201, _training_out(training_get(pk=made.pk)))


@router.get("/trainings/{training_id}", auth=None, response=TrainingOut, summary="培训详情（公开）")
def training(request, training_id: int):
    return _training_out(training_get(pk=training_id))


@router.get("/trainings/{training_id}/attendees", response=TrainingAttendeesOut,
            summary="签到名单（手机号脱敏）和现场签到码（主办单位）")
def training_attendees(request, training_id: int):
    found = training_get(pk=training_id)
    return {"sign_in_token": found.sign_in_token if manages(request.user, found) else None,
            "attendees": attendees_of(user=request.user, training=found)}


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
