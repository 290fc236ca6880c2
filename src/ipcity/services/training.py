"""Trainings (培训) and their sign-in: attendees sign in by scanning the session's QR code, or the organizer imports
the sign-in list. One phone number is one person at one session, so nobody is counted twice; sessions held and
person-times count per year toward the plan's 10 and 800."""

import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet

from ipcity import clock
from ipcity.accounts.masking import mask_phone
from ipcity.accounts.permissions import has_perm, require_perm
from ipcity.accounts.roles import Perm
from ipcity.accounts.system import system_actor
from ipcity.accounts.validators import phone_problem
from ipcity.audit.services import audit_record
from ipcity.inputs import object_or_404
from ipcity.services.models import Attendance, Training
from ipcity.stats.core import importer
from ipcity.stats.core.importer import Column, Problem, Spec
from ipcity.stats.core.records import Activity


class AttendeesRejected(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _phone(value: str) -> str:
    problem = phone_problem(value.strip())
    if problem:
        raise importer.CellError(problem)
    return value.strip()


ATTENDEES = Spec("attendees", "培训签到名单", (
    Column("name", ("姓名",), importer.text, required=True),
    Column("organization_name", ("单位", "工作单位"), importer.text, required=True),
    Column("phone", ("手机号", "手机号码", "联系电话"), _phone, required=True),
), key=("phone",))


def training_list() -> QuerySet[Training]:
    """Public: the calendar shows every session with its attendance count, never who attended."""
    return Training.objects.select_related("organizer").annotate(attendees=Count("attendances"))


def training_get(*, pk: int) -> Training:
    return object_or_404(training_list(), "培训不存在", pk=pk)


def manages(user, training: Training) -> bool:
    """The organizer's staff manage a session; the office manages all."""
    return user.is_authenticated and has_perm(user, Perm.TRAINING_MANAGE) and (
        user.organization_id == training.organizer_id or has_perm(user, Perm.SERVICE_SUPERVISE))


def attendees_of(*, user, training: Training) -> list[dict]:
    """The sign-in list for its managers, phone numbers masked."""
    if not manages(user, training):
        raise PermissionDenied("只有主办单位可以查看签到名单")
    return [{"name": a.name, "organization_name": a.organization_name, "phone": mask_phone(a.phone),
             "source": a.get_source_display(), "signed_at": a.signed_at}
            for a in training.attendances.order_by("signed_at", "pk")]


@transaction.atomic
def training_create(*, actor, title: str, audience: str, held_on, hours: Decimal, place: str,
                    capacity: int | None = None) -> Training:
    require_perm(actor, Perm.TRAINING_MANAGE)
    problems: dict[str, list[str]] = {}
    if not title.strip():
        problems["title"] = ["请填写培训主题"]
    if audience not in Training.Audience.values:
        problems["audience"] = ["请选择培训对象"]
    if hours is None or not Decimal("0.5") <= Decimal(hours) <= Decimal("40"):
        problems["hours"] = ["学时应为 0.5～40"]
    if not place.strip():
        problems["place"] = ["请填写地点（线上培训填写平台名称）"]
    if capacity is not None and not 1 <= capacity <= 100_000:
        problems["capacity"] = ["人数上限应为 1～100000"]
    if problems:
        raise ValidationError(problems)
    training = Training.objects.create(title=title.strip()[:200], audience=audience, held_on=held_on, hours=hours,
                                       place=place.strip()[:200], organizer=actor.organization, capacity=capacity,
                                       sign_in_token=secrets.token_urlsafe(32), created_by=actor,
                                       created_at=clock.now())
    audit_record(actor=actor, action="services.training.create", obj=training,
                 after={"title": training.title, "held_on": held_on})
    return training


def _check_room(training: Training, adding: int) -> None:
    if training.capacity is not None and training.attendances.count() + adding > training.capacity:
        raise ValidationError(f"超过人数上限 {training.capacity} 人")


@transaction.atomic
def sign_in(*, training: Training, token: str, name: str, organization_name: str, phone: str) -> Attendance:
    """Scanning the QR code: no account needed, the token in the code is the proof of being in the room."""
    training = Training.objects.select_for_update().get(pk=training.pk)
    if not secrets.compare_digest(token or "", training.sign_in_token):
        raise PermissionDenied("签到码无效，请重新扫描现场二维码")
    if not training.sign_in_open:
        raise ValidationError("签到已结束")
    if clock.today() != training.held_on:
        raise ValidationError(f"只能在培训当天（{training.held_on}）签到")
    problems: dict[str, list[str]] = {}
    if not name.strip():
        problems["name"] = ["请填写姓名"]
    if not organization_name.strip():
        problems["organization_name"] = ["请填写单位"]
    problem = phone_problem(phone.strip())
    if problem:
        problems["phone"] = [problem]
    if problems:
        raise ValidationError(problems)
    if training.attendances.filter(phone=phone.strip()).exists():
        raise ValidationError({"phone": ["该手机号已签到"]})
    _check_room(training, 1)
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(training=training, name=name.strip()[:50],
                                                   organization_name=organization_name.strip()[:200],
                                                   phone=phone.strip(), source=Attendance.Source.QR,
                                                   signed_at=clock.now())
    except IntegrityError:
        raise ValidationError({"phone": ["该手机号已签到"]}) from None
    audit_record(actor=system_actor(), action="services.training.sign_in", obj=training, after={"attendance": attendance.pk})
    return attendance


@transaction.atomic
def attendees_import(*, actor, training: Training, data: bytes, filename: str) -> dict:
    """The organizer's sign-in list: checked whole; any bad row rejects the file and nothing is added."""
    if not manages(actor, training):
        raise PermissionDenied("只有主办单位可以导入签到名单")
    training = Training.objects.select_for_update().get(pk=training.pk)
    if training.held_on > clock.today():
        raise ValidationError(f"培训尚未举办（{training.held_on}），举办后再导入签到名单")
    parsed = importer.parse(ATTENDEES, data, filename)
    problems = list(parsed.problems)
    signed = set(training.attendances.values_list("phone", flat=True))
    fresh = [row for row in parsed.rows if row["phone"] not in signed]
    if not parsed.rows and not problems:
        problems.append(Problem(None, "", "", "名单中没有签到记录"))
    if problems:
        raise AttendeesRejected(problems)
    _check_room(training, len(fresh))
    now = clock.now()
    Attendance.objects.bulk_create([Attendance(training=training, name=row["name"][:50],
                                               organization_name=row["organization_name"][:200], phone=row["phone"],
                                               source=Attendance.Source.IMPORT, signed_at=now) for row in fresh])
    audit_record(actor=actor, action="services.training.import", obj=training,
                 after={"added": len(fresh), "already_signed": len(parsed.rows) - len(fresh)})
    return {"added": len(fresh), "already_signed": len(parsed.rows) - len(fresh),
            "attendees": training.attendances.count()}


@transaction.atomic
def sign_in_close(*, actor, training: Training) -> Training:
    if not manages(actor, training):
        raise PermissionDenied("只有主办单位可以结束签到")
    training.sign_in_open = False
    training.save(update_fields=["sign_in_open"])
    audit_record(actor=actor, action="services.training.close_sign_in", obj=training, after={"open": False})
    return training


# ---- what the indicator engine counts ----

def activity_records() -> list[Activity]:
    """A session counts once someone attended; each attendance is one person-time on the session's day."""
    held = {t.pk: t.held_on for t in Training.objects.filter(attendances__isnull=False).distinct()}
    records = [Activity("training", f"TRN-{pk}", day) for pk, day in held.items()]
    return records + [Activity("training_attendance", f"ATT-{pk}", held[training_id])
                      for pk, training_id in Attendance.objects.values_list("pk", "training_id")]


def activity_rows(keys: list[str]) -> list[list]:
    prefix = keys[0].split("-")[0] if keys else ""
    ids = [int(k.split("-")[1]) for k in keys]
    if prefix == "TRN":
        found = {f"TRN-{t.pk}": t for t in training_list().filter(pk__in=ids)}
        return [[k, found[k].title, found[k].get_audience_display(), found[k].organizer.name, found[k].held_on]
                for k in keys]
    # Lineage is public: a person-time shows how it was recorded, never who it was.
    found = {f"ATT-{a.pk}": a for a in Attendance.objects.select_related("training__organizer").filter(pk__in=ids)}
    return [[k, found[k].training.title, found[k].get_source_display(), found[k].training.organizer.name,
             found[k].training.held_on] for k in keys]
