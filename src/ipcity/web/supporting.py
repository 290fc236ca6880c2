"""Supporting evidence (佐证材料) on records: progress reports, reported indicator values, leading group meetings,
enforcement cases and mediations each hold any number of files.

Who reads a record's files is who reads the record, through the record's own scoped selector (a unit's work items,
the cases of an officer's unit, the mediations an organization is party to…), plus the office and the organization
that uploaded the file. Who adds files is a participant of the record (the unit reporting, the handling unit, a
party) or, for the plan's own records, the office. A record the user cannot read is a 404 whichever door is used.
Each file is checked by `attachment_store` (type by its own bytes, size, the organization's storage quota); several
files are stored all or none. A record holds at most SUPPORTING_FILES_PER_RECORD files, and a record the office has
signed off (a progress report of a closed work item, an indicator value the office adopted as the official value)
takes no more: what was signed off is what the office saw."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import Http404
from django.urls import reverse

from ipcity import clock
from ipcity.accounts.permissions import has_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.inputs import object_or_404
from ipcity.web.models import Attachment, SupportingFile
from ipcity.web.uploads import TYPE_LABELS, attachment_store, quota_problem, upload_path

Kind = SupportingFile.Subject
MAX_FILES_PER_UPLOAD = 20


class SignedOff(ValidationError):
    """The record was signed off by the office and takes no new files (the API answers 422, the page says why)."""
ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,.wps,.et,.ofd,.jpg,.jpeg,.png"  # the file picker's filter (the bytes decide)
FIELD_HELP = f"可选择多个文件；接受 {TYPE_LABELS}"


@dataclass(frozen=True)
class Subject:
    kind: str
    readable: Callable[[object], QuerySet]  # the records of this kind the user reads (none rather than a refusal)
    may_attach: Callable[[object, Model], bool]  # for a record the user reads
    year: Callable[[Model], int]  # the pilot year the record's evidence counts for
    title: Callable[[Model], str]  # a readable title, for the evidence package's 目录
    url: Callable[[Model], str]
    signed_off: Callable[[Model], str | None] = lambda subject: None  # why it takes no new files, read fresh

    @property
    def label(self) -> str:
        return Kind(self.kind).label


def _scoped(selector: Callable[[], QuerySet]) -> QuerySet | None:
    try:
        return selector()
    except PermissionDenied:
        return None


# ---- each kind of record: where it is read, who adds to it, its year, title and page ----

def _progress_reports(user) -> QuerySet:
    from ipcity.plan.models import ProgressReport
    from ipcity.plan.supervision import work_item_list

    items = _scoped(lambda: work_item_list(user=user)) if user.is_authenticated else None
    reports = ProgressReport.objects.select_related("work_item__task", "work_item__unit")
    return reports.none() if items is None else reports.filter(work_item__in=items)


def _progress_report_attacher(user, report) -> bool:
    from ipcity.plan.core import supervision as rules
    from ipcity.plan.supervision import party_of

    return party_of(user, report.work_item) in (rules.Party.UNIT, rules.Party.OFFICE)


def _report_signed_off(report) -> str | None:
    from ipcity.plan.core.supervision import State
    from ipcity.plan.models import WorkItem

    if WorkItem.objects.filter(pk=report.work_item_id, state=State.CLOSED).exists():
        return "该工作事项已办结，进展报告不能再添加佐证材料；如需补充，请领导小组办公室先重新打开事项"
    return None


def _report_year(report) -> int:
    return int(report.period[:4]) if report.period[:4].isdigit() else clock.localdate(report.submitted_at).year


def _indicator_values(user) -> QuerySet:
    from ipcity.plan.models import IndicatorValue

    values = IndicatorValue.objects.select_related("indicator", "reporting_unit")
    if has_perm(user, Perm.ATTACHMENT_READ_ALL) or has_perm(user, Perm.PLAN_EDIT):
        return values
    if user.is_authenticated and user.organization_id:
        return values.filter(reporting_unit_id=user.organization_id)
    return values.none()


def _indicator_value_attacher(user, value) -> bool:
    if has_perm(user, Perm.PLAN_EDIT):
        return True
    return has_perm(user, Perm.INDICATOR_REPORT) and value.reporting_unit_id == user.organization_id


def _value_signed_off(value) -> str | None:
    from ipcity.plan.models import IndicatorConfirmation

    adopted = (IndicatorConfirmation.objects.filter(basis=IndicatorConfirmation.Basis.REPORTED, reported_value=value)
               .order_by("year").values_list("year", flat=True).first())
    if adopted is not None:
        return f"该报送值已被领导小组办公室核定为{adopted}年度正式值，不能再添加佐证材料；如需补充，请重新报送"
    return None


def _meetings(user) -> QuerySet:
    from ipcity.plan.meetings import meeting_list
    from ipcity.plan.models import LeadingGroupMeeting

    found = _scoped(lambda: meeting_list(user=user)) if user.is_authenticated else None
    return LeadingGroupMeeting.objects.none() if found is None else found


def _cases(user) -> QuerySet:
    from ipcity.protection.enforcement import case_list
    from ipcity.protection.models import EnforcementCase

    found = _scoped(lambda: case_list(user=user)) if user.is_authenticated else None
    return EnforcementCase.objects.none() if found is None else found


def _mediations(user) -> QuerySet:
    from ipcity.protection.mediation import mediation_list
    from ipcity.protection.models import MediationCase

    found = _scoped(lambda: mediation_list(user=user)) if user.is_authenticated else None
    return MediationCase.objects.none() if found is None else found


def _case_title(case) -> str:
    decision = f"，决定书文号{case.decision_number}" if case.decision_number else ""
    return f"{case.get_kind_display()}案件（{case.unit.name}，{case.received_on:%Y-%m-%d}登记{decision}）"


def _mediation_year(mediation) -> int:
    day = mediation.confirmed_on or mediation.concluded_on or mediation.accepted_on
    return day.year if day else clock.localdate(mediation.applied_at).year


SUBJECTS: dict[str, Subject] = {s.kind: s for s in (
    Subject(Kind.PROGRESS_REPORT, _progress_reports, _progress_report_attacher, _report_year,
            lambda r: f"重点任务{r.work_item.task.number}·{r.work_item.title}（{r.work_item.unit.name}）{r.period}进展报告",
            lambda r: reverse("supervision:item", args=[r.work_item_id]), _report_signed_off),
    Subject(Kind.INDICATOR_VALUE, _indicator_values, _indicator_value_attacher, lambda v: v.as_of.year,
            lambda v: (f"{v.indicator.name}：截至{v.as_of:%Y-%m-%d} {v.value.normalize():f}"
                       f"（{v.reporting_unit.name if v.reporting_unit else '计算'}报送）"),
            lambda v: reverse("plan:indicator", args=[v.indicator.code]), _value_signed_off),
    Subject(Kind.MEETING, _meetings, lambda user, m: has_perm(user, Perm.SUPERVISION_MANAGE),
            lambda m: m.held_on.year, lambda m: f"{m.held_on:%Y-%m-%d} {m.title}",
            lambda m: reverse("supervision:meeting", args=[m.pk])),
    Subject(Kind.CASE, _cases, lambda user, c: user.organization_id == c.unit_id,
            lambda c: (c.filed_on or c.received_on).year, _case_title,
            lambda c: reverse("protection:case", args=[c.pk])),
    Subject(Kind.MEDIATION, _mediations, lambda user, m: user.organization_id in (m.body_id, m.applicant_id),
            _mediation_year,
            lambda m: f"{m.get_channel_display()}（{m.body.name}，{clock.localdate(m.applied_at):%Y-%m-%d}申请）",
            lambda m: reverse("protection:mediation", args=[m.pk])),
)}
LEGACY_FIELD = {Kind.PROGRESS_REPORT: "attachment", Kind.INDICATOR_VALUE: "attachment"}  # one file before 佐证材料


def subject_spec(kind: str) -> Subject:
    if kind not in SUBJECTS:
        raise Http404("没有这类记录")
    return SUBJECTS[kind]


def subject_get(*, user, kind: str, pk) -> Model:
    """A record the user reads, or 404 (another organization's record does not exist for them)."""
    spec = subject_spec(kind)
    return object_or_404(spec.readable(user), f"{spec.label}不存在或无权查看", pk=pk)


def may_attach(*, user, kind: str, subject: Model) -> bool:
    return user.is_authenticated and SUBJECTS[kind].may_attach(user, subject)


# ---- reads ----

def subject_files(*, kind: str, subject: Model) -> list[Attachment]:
    """A record's files, oldest first: those attached as 佐证材料 and the single file it was reported with."""
    files = list(Attachment.objects.filter(supporting__subject_kind=kind, supporting__subject_id=subject.pk)
                 .select_related("uploaded_by", "organization").order_by("supporting__attached_at", "pk"))
    legacy = getattr(subject, LEGACY_FIELD[kind] + "_id", None) if kind in LEGACY_FIELD else None
    if legacy and all(a.pk != legacy for a in files):
        files.insert(0, Attachment.objects.select_related("uploaded_by", "organization").get(pk=legacy))
    return files


def supporting_files(*, user, kind: str, pk) -> tuple[Model, list[Attachment]]:
    """The files of a record the user reads (404 otherwise)."""
    subject = subject_get(user=user, kind=kind, pk=pk)
    return subject, subject_files(kind=kind, subject=subject)


def files_by_subject(*, kind: str, subjects: list[Model]) -> dict[int, list[Attachment]]:
    """Files of many records of one kind, for a page listing them (the caller has scoped `subjects`)."""
    ids = [s.pk for s in subjects]
    found: dict[int, list[Attachment]] = {pk: [] for pk in ids}
    for link in SupportingFile.objects.filter(subject_kind=kind, subject_id__in=ids).select_related(
            "attachment").order_by("attached_at", "pk"):
        found[link.subject_id].append(link.attachment)
    if kind in LEGACY_FIELD:
        field = LEGACY_FIELD[kind]
        for subject in subjects:
            legacy = getattr(subject, field + "_id", None)
            if legacy and all(a.pk != legacy for a in found[subject.pk]):
                found[subject.pk].insert(0, getattr(subject, field))
    return found


def attachment_readable(*, user, attachment: Attachment) -> bool:
    """The office reads every file, an organization its own uploads, anyone a file of a record they read."""
    if not user.is_authenticated:
        return False
    if has_perm(user, Perm.ATTACHMENT_READ_ALL) or attachment.organization_id == user.organization_id:
        return True
    for link in SupportingFile.objects.filter(attachment=attachment):
        if SUBJECTS[link.subject_kind].readable(user).filter(pk=link.subject_id).exists():
            return True
    from ipcity.plan.models import IndicatorValue, ProgressReport

    legacy = ((Kind.PROGRESS_REPORT, ProgressReport), (Kind.INDICATOR_VALUE, IndicatorValue))
    return any(SUBJECTS[kind].readable(user).filter(attachment=attachment).exists()
               for kind, model in legacy if model.objects.filter(attachment=attachment).exists())


# ---- writes ----

def supporting_attach(*, actor, kind: str, subject: Model, files: list) -> list[Attachment]:
    """Store `files` as the record's supporting evidence: all of them, or (a file refused for its type, content or
    size) none, with the refusal naming the file. The record must be one the actor reads and may add to."""
    spec = subject_spec(kind)
    if not actor.is_authenticated or not spec.readable(actor).filter(pk=subject.pk).exists():
        raise Http404(f"{spec.label}不存在或无权查看")
    if not spec.may_attach(actor, subject):
        raise PermissionDenied(f"无权为该{spec.label}添加佐证材料")
    refused = spec.signed_off(subject)
    if refused:
        raise SignedOff({"files": [refused]})
    files = [f for f in files or [] if f is not None]
    if not files:
        raise ValidationError({"files": ["请选择要上传的佐证材料"]})
    if len(files) > MAX_FILES_PER_UPLOAD:
        raise ValidationError({"files": [f"一次最多上传 {MAX_FILES_PER_UPLOAD} 个文件"]})
    cap = settings.SUPPORTING_FILES_PER_RECORD
    held = SupportingFile.objects.filter(subject_kind=kind, subject_id=subject.pk).count()
    if held + len(files) > cap:
        raise ValidationError({"files": [f"每条记录最多 {cap} 个佐证材料，已有 {held} 个，本次 {len(files)} 个未上传"]})
    adding = sum(getattr(f, "size", 0) or 0 for f in files)
    problem = quota_problem(organization_id=actor.organization_id, adding=adding) if actor.organization_id else None
    if problem:  # refused before anything is written; attachment_store checks each file again under a lock
        raise ValidationError({"files": [problem]})
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            refused = spec.signed_off(subject)  # read inside the transaction that writes
            if refused:
                raise SignedOff({"files": [refused]})
            now = clock.now()
            for upload in files:
                try:
                    attachment = attachment_store(uploaded_file=upload, actor=actor)
                except ValidationError as exc:
                    raise ValidationError({"files": exc.messages}) from None
                stored.append(attachment)
                SupportingFile.objects.create(attachment=attachment, subject_kind=kind, subject_id=subject.pk,
                                              attached_by=actor, attached_at=now)
            audit_record(actor=actor, action="supporting_file.attach", obj=subject,
                         after={"kind": kind, "files": [{"id": a.pk, "name": a.original_name, "sha256": a.sha256}
                                                        for a in stored]})
    except BaseException:
        for attachment in stored:
            upload_path(attachment.stored_name).unlink(missing_ok=True)
        raise
    return stored


# ---- forms ----

class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class SupportingFilesField(forms.FileField):
    """Any number of files in one input (`<input type=file multiple>`); cleaned to a list, empty when optional."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("label", "佐证材料")
        kwargs.setdefault("help_text", FIELD_HELP)
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d] or ([] if not self.required else [single(None)])
        cleaned = single(data, initial)
        return [cleaned] if cleaned else []


class SupportingFilesForm(forms.Form):
    files = SupportingFilesField(required=True)


def year_of(kind: str, subject: Model) -> int:
    return SUBJECTS[kind].year(subject)



def supporting_panel(*, user, kind: str, subject: Model, files: list[Attachment] | None = None) -> dict:
    """What `web/_supporting_files.html` shows for a record the user reads."""
    allowed = may_attach(user=user, kind=kind, subject=subject)
    closed = SUBJECTS[kind].signed_off(subject) if allowed else None
    return {"kind": kind, "subject_id": subject.pk,
            "files": subject_files(kind=kind, subject=subject) if files is None else files,
            "can_attach": allowed and not closed, "closed": closed, "accept": ACCEPT,
            "help": f"{FIELD_HELP}；每条记录最多 {settings.SUPPORTING_FILES_PER_RECORD} 个"}


def values_with_files(*, user, values) -> list:
    """Reported indicator values, each with `files` and `files_readable` (the indicator page is public: only the
    reporting unit and the office open a value's files; others see how many there are)."""
    values = list(values)
    files = files_by_subject(kind=Kind.INDICATOR_VALUE, subjects=values)
    readable = set(SUBJECTS[Kind.INDICATOR_VALUE].readable(user).filter(pk__in=[v.pk for v in values])
                   .values_list("pk", flat=True))
    for value in values:
        value.files, value.files_readable = files[value.pk], value.pk in readable
    return values
