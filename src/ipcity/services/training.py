"""Trainings (培训): pre-registration (报名) up to the session's capacity until its deadline, and the sign-in: attendees
sign in by scanning the session's QR code, the organizer imports the sign-in list or marks registered people who
came. One phone number is one person at one session, so nobody is counted twice. Sessions held and person-times count
per year toward the plan's 10 and 800 when the session's audience is one of the plan's 相关人员: the office decides
which audiences count (TrainingAudienceSetting); sessions for the public are publicity, counted in culture."""

import datetime as dt
import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet

from ipcity import clock
from ipcity.accounts.masking import mask_phone
from ipcity.accounts.permissions import has_perm, require_perm
from ipcity.accounts.roles import Perm
from ipcity.accounts.system import system_actor
from ipcity.accounts.validators import phone_problem
from ipcity.audit.services import audit_record
from ipcity.inputs import object_or_404, text_problem
from ipcity.services.models import Attendance, Training, TrainingAudienceSetting, TrainingRegistration
from ipcity.stats.core import importer
from ipcity.stats.core.importer import Column, Problem, Spec
from ipcity.stats.core.records import Activity
from ipcity.workflow.core import Workflow, step
from ipcity.workflow.services import workflow_step

AUDIENCES = dict(Training.Audience.choices)
NOT_COUNTED_BY_DEFAULT = frozenset({Training.Audience.PUBLIC})  # the public: publicity, not 专业培训
ACTIVE = ~Q(state=TrainingRegistration.State.CANCELLED)


class AttendeesRejected(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


NAME_MAX = Attendance._meta.get_field("name").max_length
UNIT_MAX = Attendance._meta.get_field("organization_name").max_length
TITLE_MAX = Training._meta.get_field("title").max_length
PLACE_MAX = Training._meta.get_field("place").max_length


def _cell(max_length: int):
    """A sign-in list's text cell: refused when longer than its column holds (never cut short)."""
    def parse(value: str) -> str:
        value = value.strip()
        if problem := text_problem(value, multiline=False, max_length=max_length):
            raise importer.CellError(problem)
        return value
    return parse


def _text(problems: dict, field: str, label: str, value: str, max_length: int, *, missing: str) -> str:
    """A single-line text as sent, stripped at its ends: missing, over-long or with a control character is a problem
    naming the field (the platform never cuts text short)."""
    value = (value or "").strip()
    if not value:
        problems[field] = [missing]
    elif problem := text_problem(value, multiline=False, max_length=max_length):
        problems[field] = [f"{label}{problem}"]
    return value


def _phone(value: str) -> str:
    problem = phone_problem(value.strip())
    if problem:
        raise importer.CellError(problem)
    return value.strip()


ATTENDEES = Spec("attendees", "培训签到名单", (
    Column("name", ("姓名",), _cell(NAME_MAX), required=True),
    Column("organization_name", ("单位", "工作单位"), _cell(UNIT_MAX), required=True),
    Column("phone", ("手机号", "手机号码", "联系电话"), _phone, required=True),
), key=("phone",))


def training_list() -> QuerySet[Training]:
    """Public: the calendar shows every session with its attendance and registration counts, never who; newest
    first."""
    # Counting groups the rows, and Django leaves the model's ordering out of a grouped query: it is stated here.
    return Training.objects.select_related("organizer").annotate(
        attendees=Count("attendances", distinct=True),
        registered=Count("registrations", filter=Q(registrations__state__in=[
            TrainingRegistration.State.REGISTERED, TrainingRegistration.State.ATTENDED]), distinct=True),
    ).order_by("-held_on", "-pk")


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
                    capacity: int | None = None, registration_deadline: dt.date | None = None) -> Training:
    """A session on the calendar; with a registration deadline (and then a capacity) people register for it first."""
    require_perm(actor, Perm.TRAINING_MANAGE)
    problems: dict[str, list[str]] = {}
    title = _text(problems, "title", "培训主题", title, TITLE_MAX, missing="请填写培训主题")
    if audience not in Training.Audience.values:
        problems["audience"] = ["请选择培训对象"]
    if hours is None or not Decimal("0.5") <= Decimal(hours) <= Decimal("40"):
        problems["hours"] = ["学时应为 0.5～40"]
    place = _text(problems, "place", "地点", place, PLACE_MAX, missing="请填写地点（线上培训填写平台名称）")
    if capacity is not None and not 1 <= capacity <= 100_000:
        problems["capacity"] = ["人数上限应为 1～100000"]
    if registration_deadline is not None:
        if capacity is None and "capacity" not in problems:
            problems["capacity"] = ["接受报名的培训须设定人数上限"]
        if registration_deadline > held_on:
            problems.setdefault("registration_deadline", []).append("报名截止日期不能晚于培训日期")
        elif registration_deadline < clock.today():
            problems.setdefault("registration_deadline", []).append("报名截止日期不能早于今天")
    if problems:
        raise ValidationError(problems)
    training = Training.objects.create(title=title, audience=audience, held_on=held_on, hours=hours,
                                       place=place, organizer=actor.organization, capacity=capacity,
                                       registration_deadline=registration_deadline,
                                       sign_in_token=secrets.token_urlsafe(32), created_by=actor,
                                       created_at=clock.now())
    audit_record(actor=actor, action="services.training.create", obj=training,
                 after={"title": training.title, "held_on": held_on, "capacity": capacity,
                        "registration_deadline": registration_deadline})
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
    name = _text(problems, "name", "姓名", name, NAME_MAX, missing="请填写姓名")
    organization_name = _text(problems, "organization_name", "单位", organization_name, UNIT_MAX, missing="请填写单位")
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
            attendance = Attendance.objects.create(training=training, name=name,
                                                   organization_name=organization_name,
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
    Attendance.objects.bulk_create([Attendance(training=training, name=row["name"],
                                               organization_name=row["organization_name"], phone=row["phone"],
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


# ---- pre-registration (报名) ----

def registration_open(training: Training, day: dt.date | None = None) -> bool:
    """Registration is open until the end of its deadline day (北京时间)."""
    day = day or clock.today()
    return training.registration_deadline is not None and day <= training.registration_deadline


def registration_closed_reason(training: Training, day: dt.date | None = None) -> str | None:
    if training.registration_deadline is None:
        return "该培训不接受报名，请直接到场签到"
    if not registration_open(training, day):
        return f"报名已于 {training.registration_deadline:%Y-%m-%d} 截止"
    return None


def may_register(user) -> bool:
    return user.is_authenticated and has_perm(user, Perm.TRAINING_REGISTER)


def my_registration(*, user, training: Training) -> TrainingRegistration | None:
    """The person's own active registration for the session, if any."""
    if not user.is_authenticated:
        return None
    return training.registrations.filter(ACTIVE, user=user).first()


@transaction.atomic
def training_register(*, actor, training: Training, phone: str) -> TrainingRegistration:
    """A signed-in person takes a place. The session's row is locked first, so registrations arriving together are
    counted one after another and the active ones never exceed the capacity."""
    require_perm(actor, Perm.TRAINING_REGISTER)
    training = Training.objects.select_for_update().get(pk=training.pk)
    reason = registration_closed_reason(training)
    if reason:
        raise ValidationError(reason)
    phone = (phone or "").strip()
    problem = phone_problem(phone)
    if problem:
        raise ValidationError({"phone": [f"手机号：{problem}"]})
    active = training.registrations.filter(ACTIVE)
    if active.filter(user=actor).exists():
        raise ValidationError("您已报名该培训")
    if active.filter(phone=phone).exists():
        raise ValidationError({"phone": ["手机号：该手机号已报名该培训"]})
    if active.count() >= training.capacity:
        raise ValidationError(f"报名人数已满（人数上限 {training.capacity} 人），无法报名")
    try:
        with transaction.atomic():
            registration = TrainingRegistration.objects.create(
                training=training, user=actor, organization=actor.organization, name=actor.display_name[:100],
                phone=phone, registered_at=clock.now())
    except IntegrityError:
        raise ValidationError("您已报名该培训") from None
    audit_record(actor=actor, action="services.training.register", obj=registration,
                 after={"training": training.pk, "registered": active.count()})
    return registration


def _attend_guard(registration: TrainingRegistration) -> str | None:
    if clock.today() < registration.training.held_on:
        return f"培训当天（{registration.training.held_on:%Y-%m-%d}）起才能登记到场"
    return None


def _cancel_guard(registration: TrainingRegistration) -> str | None:
    if clock.today() >= registration.training.held_on:
        return "培训当天及以后不能取消报名"
    return None


Reg = TrainingRegistration.State
REGISTRATION = Workflow(
    name="services.training_registration", label="培训报名", states=dict(Reg.choices),
    parties={"registrant": "报名人", "organizer": "主办单位"},
    transitions=(
        step("cancel", "取消报名", Reg.REGISTERED, Reg.CANCELLED, by="registrant", guard=_cancel_guard),
        step("attend", "登记到场签到", Reg.REGISTERED, Reg.ATTENDED, by="organizer", guard=_attend_guard),
    ))


def registration_parties(user, registration: TrainingRegistration) -> set[str]:
    parties = set()
    if user.is_authenticated and registration.user_id == user.pk and has_perm(user, Perm.TRAINING_REGISTER):
        parties.add("registrant")
    if manages(user, registration.training):
        parties.add("organizer")
    return parties


def registration_list(*, user) -> QuerySet[TrainingRegistration]:
    """The person's own registrations, newest first."""
    require_perm(user, Perm.TRAINING_REGISTER)
    return TrainingRegistration.objects.select_related("training", "training__organizer").filter(
        user=user).order_by("-registered_at", "-pk")


def registration_get(*, user, training: Training, pk) -> TrainingRegistration:
    """One registration of the session: its registrant and the session's organizer see it; anyone else 404."""
    visible = training.registrations.select_related("training", "organization")
    if not manages(user, training):
        visible = visible.filter(user_id=user.pk) if user.is_authenticated else visible.none()
    return object_or_404(visible, "报名记录不存在或无权查看", pk=pk)


@transaction.atomic
def registration_step(*, actor, registration: TrainingRegistration, action: str) -> TrainingRegistration:
    """The registrant cancels before the training day; the organizer marks a registered person who came, which signs
    them in (one person-time) unless their phone number has signed in already."""
    transition = REGISTRATION.by_action.get(action)
    if transition is None:
        raise ValidationError({"action": [f"操作应为：{'、'.join(REGISTRATION.action_labels.values())}"]})
    if not transition.parties & registration_parties(actor, registration):
        raise PermissionDenied(f"只有{'、'.join(REGISTRATION.parties[p] for p in transition.parties)}"
                               f"可以{transition.label}")

    def apply(locked: TrainingRegistration, transition) -> dict:
        now = clock.now()
        if action == "cancel":
            locked.cancelled_at = now
            return {}
        locked.attended_at = now
        training = Training.objects.select_for_update().get(pk=locked.training_id)
        if training.attendances.filter(phone=locked.phone).exists():
            return {"attendance": "already_signed"}
        _check_room(training, 1)
        attendance = Attendance.objects.create(training=training, name=locked.name[:50],
                                               organization_name=locked.organization.name[:200], phone=locked.phone,
                                               source=Attendance.Source.ENROLLED, signed_at=now)
        return {"attendance": attendance.pk}

    return workflow_step(registration, workflow=REGISTRATION, action=action, actor=actor,
                         parties=lambda locked: registration_parties(actor, locked), apply=apply)


REGISTRATION_HEADERS = ["序号", "姓名", "单位", "手机号（脱敏）", "报名时间（北京时间）", "状态", "到场签到时间（北京时间）"]


def registrations_of(*, user, training: Training) -> list[dict]:
    """The organizer's list of who registered (cancelled ones too, marked), phone numbers masked."""
    if not manages(user, training):
        raise PermissionDenied("只有主办单位可以查看报名名单")
    return [{"id": r.pk, "name": r.name, "organization_name": r.organization.name, "phone": mask_phone(r.phone),
             "state": r.state, "state_label": r.get_state_display(), "registered_at": r.registered_at,
             "attended_at": r.attended_at}
            for r in training.registrations.select_related("organization").order_by("registered_at", "pk")]


def registrations_xlsx(*, user, training: Training) -> bytes:
    """The organizer's export of the registration list (every text written as text, never as a formula)."""
    from django.utils import timezone

    from ipcity.web.spreadsheets import xlsx_bytes

    rows = registrations_of(user=user, training=training)

    def local(moment):
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""

    return xlsx_bytes([("报名名单", REGISTRATION_HEADERS, [
        [n, r["name"], r["organization_name"], r["phone"], local(r["registered_at"]), r["state_label"],
         local(r["attended_at"])] for n, r in enumerate(rows, start=1)])])


# ---- which audiences count toward the plan's 培训次数/人次 ----

def audience_rules() -> dict[str, TrainingAudienceSetting | None]:
    """Each audience's latest setting (None: the default applies)."""
    latest: dict[str, TrainingAudienceSetting | None] = dict.fromkeys(AUDIENCES)
    for setting in TrainingAudienceSetting.objects.order_by("set_at", "pk"):
        latest[setting.audience] = setting
    return latest


def counted_audiences() -> frozenset[str]:
    """The audiences whose trainings count: the office's latest decision, else every audience but the public."""
    return frozenset(audience for audience, setting in audience_rules().items()
                     if (setting.counts if setting is not None else audience not in NOT_COUNTED_BY_DEFAULT))


def audience_table() -> list[dict]:
    """For pages and the API: each audience, whether it counts, and who decided it when."""
    rules, counted = audience_rules(), counted_audiences()
    return [{"audience": audience, "label": label, "counts": audience in counted,
             "decided": rules[audience] is not None,
             "reason": rules[audience].reason if rules[audience] is not None else "默认：除社会公众外均计入",
             "set_at": rules[audience].set_at if rules[audience] is not None else None}
            for audience, label in AUDIENCES.items()]


@transaction.atomic
def audiences_set(*, actor, counted: list[str], reason: str) -> list[dict]:
    """The office names the audiences that are the plan's 相关人员; a row is added for each audience whose decision
    changes (the earlier rows stay, so what counted when can be read back)."""
    require_perm(actor, Perm.TRAINING_RULES)
    problems: dict[str, list[str]] = {}
    unknown = [c for c in counted if c not in AUDIENCES]
    if unknown:
        problems["counted"] = [f"计入指标的培训对象应为：{'、'.join(AUDIENCES.values())}"]
    reason = (reason or "").strip()
    if not reason:
        problems["reason"] = ["理由：请填写设定理由"]
    elif problem := text_problem(reason, max_length=300):
        problems["reason"] = [f"理由{problem}"]
    if problems:
        raise ValidationError(problems)
    rules, before = audience_rules(), counted_audiences()
    wanted = frozenset(counted)
    # a decision is recorded for each audience it changes, and for each still on the default (confirming it)
    changed = [a for a in AUDIENCES if rules[a] is None or rules[a].counts != (a in wanted)]
    if not changed:
        raise ValidationError({"counted": ["计入指标的培训对象与现行设定相同，无需修改"]})
    now = clock.now()
    TrainingAudienceSetting.objects.bulk_create(
        TrainingAudienceSetting(audience=a, counts=a in wanted, reason=reason, set_by=actor, set_at=now)
        for a in changed)
    audit_record(actor=actor, action="services.training.audiences", object_type="services.trainingaudiencesetting",
                 before={"counted": sorted(before)}, after={"counted": sorted(wanted), "reason": reason})
    return audience_table()


# ---- what the indicator engine counts ----

def year_totals(year: int, counted: frozenset[str] | None = None) -> tuple[int, int]:
    """The year's sessions of counted audiences someone attended, and their person-times (as activity_records
    counts them), counted in the database."""
    attendances = Attendance.objects.filter(training__held_on__year=year, training__audience__in=sorted(
        counted_audiences() if counted is None else counted))
    return attendances.values("training_id").distinct().count(), attendances.count()


def activity_records() -> list[Activity]:
    """A session counts once someone attended and its audience is one the office counts (the plan's 相关人员); each
    attendance at such a session is one person-time on the session's day."""
    counted = counted_audiences()
    held = {t.pk: t.held_on for t in Training.objects.filter(attendances__isnull=False,
                                                              audience__in=counted).distinct()}
    records = [Activity("training", f"TRN-{pk}", day) for pk, day in held.items()]
    return records + [Activity("training_attendance", f"ATT-{pk}", held[training_id])
                      for pk, training_id in Attendance.objects.filter(
                          training_id__in=list(held)).values_list("pk", "training_id")]


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
