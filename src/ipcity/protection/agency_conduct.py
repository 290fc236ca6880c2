"""规范专利、商标代理行业执业行为: the office's inspections of service agencies and the conduct records it keeps on
them (the finding, the measure taken: 约谈提醒, 责令整改, 警示, 列入失信名单, its document number and validity).

What the public sees of them is decided here too: a warning or a dishonesty measure in force shows beside the agency
in the directory when the office chose to publish it there (`directory_marks`), and a dishonesty measure in force is
on the public dishonesty list with the other listings (`credit.public_query` reads `in_force` records)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.permissions import require_perm, scoped
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.inputs import day_problem, object_or_404, text_problem
from ipcity.protection.core import credit as credit_rules
from ipcity.protection.models import AgencyConductRecord

Measure = AgencyConductRecord.Measure
# Measures with a period of validity that the public may be shown (in the directory, on the dishonesty list).
PUBLISHABLE = (Measure.WARNING, Measure.DISHONEST)
DIRECTORY_LABELS = {Measure.WARNING: "警示", Measure.DISHONEST: "失信"}
MAX_YEARS = 5  # the longest validity a measure may have
DISHONESTY_GROUNDS = "专利、商标代理机构严重违法执业行为"
_FIELDS = {name: AgencyConductRecord._meta.get_field(name) for name in ("finding", "basis", "document_number")}


def _text(problems: dict, name: str, value: str, *, label: str, required: bool, multiline: bool = False) -> str:
    text = value.strip()
    if not text:
        if required:
            problems[name] = [f"请填写{label}"]
        return text
    problem = text_problem(text, multiline=multiline, max_length=_FIELDS[name].max_length)
    if problem:
        problems[name] = [f"{label}{problem}"]
    return text


@transaction.atomic
def conduct_record(*, actor, agency: Organization, source: str, occurred_on: dt.date | None, finding: str,
                   measure: str, basis: str = "", document_number: str = "", valid_until: dt.date | None = None,
                   publish_in_directory: bool = False) -> AgencyConductRecord:
    require_perm(actor, Perm.AGENCY_CONDUCT_MANAGE)
    problems: dict[str, list[str]] = {}
    if agency.org_type != OrgType.SERVICE_AGENCY:
        problems["agency"] = ["只对知识产权服务机构（专利、商标代理机构等）记录执业行为"]
    if source not in AgencyConductRecord.Source.values:
        problems["source"] = [f"来源应为：{'、'.join(AgencyConductRecord.Source.labels)}"]
    if measure not in Measure.values:
        problems["measure"] = [f"处理措施应为：{'、'.join(Measure.labels)}"]
    if occurred_on is None:
        problems["occurred_on"] = ["请填写检查或处理日期"]
    elif day_problem(occurred_on):
        problems["occurred_on"] = [f"检查或处理日期：{day_problem(occurred_on)}"]
    elif occurred_on > clock.today():
        problems["occurred_on"] = ["检查或处理日期不能晚于今天"]
    finding = _text(problems, "finding", finding, label="检查发现", required=True, multiline=True)
    basis = _text(problems, "basis", basis, label="依据", required=False)
    number = _text(problems, "document_number", document_number, label="文书编号", required=measure in PUBLISHABLE)
    if measure in PUBLISHABLE and valid_until is None:
        problems["valid_until"] = [f"“{Measure(measure).label}”须填写有效期"]
    elif measure == Measure.NONE and valid_until is not None:
        problems["valid_until"] = ["未发现违规时不填写有效期"]
    elif valid_until is not None and day_problem(valid_until):
        problems["valid_until"] = [f"有效期：{day_problem(valid_until)}"]
    elif valid_until is not None and occurred_on is not None and not day_problem(occurred_on):
        if valid_until <= occurred_on:
            problems["valid_until"] = ["有效期应晚于检查或处理日期"]
        elif valid_until > credit_rules.add_years(occurred_on, MAX_YEARS):
            problems["valid_until"] = [f"有效期最长 {MAX_YEARS} 年"]
    if publish_in_directory and measure not in PUBLISHABLE:
        problems["publish_in_directory"] = ["只有“警示”和“列入失信名单”可以在服务机构名录中公示"]
    if problems:
        raise ValidationError(problems)
    record = AgencyConductRecord.objects.create(
        agency=agency, source=source, occurred_on=occurred_on, finding=finding, measure=measure, basis=basis,
        document_number=number, valid_until=valid_until, publish_in_directory=publish_in_directory,
        recorded_by=actor, recorded_at=clock.now())
    audit_record(actor=actor, action="protection.agency_conduct.record", obj=record,
                 after={"agency": agency.name, "measure": measure, "document_number": number,
                        "valid_until": valid_until, "publish_in_directory": publish_in_directory})
    return record


@transaction.atomic
def conduct_publication_set(*, actor, record: AgencyConductRecord, publish: bool) -> AgencyConductRecord:
    """The office decides whether a warning or dishonesty measure shows in the agency directory."""
    require_perm(actor, Perm.AGENCY_CONDUCT_MANAGE)
    record = AgencyConductRecord.objects.select_for_update().get(pk=record.pk)
    if publish and record.measure not in PUBLISHABLE:
        raise ValidationError({"publish_in_directory": ["只有“警示”和“列入失信名单”可以在服务机构名录中公示"]})
    if record.publish_in_directory != publish:
        audit_record(actor=actor, action="protection.agency_conduct.publication", obj=record,
                     before={"publish_in_directory": record.publish_in_directory},
                     after={"publish_in_directory": publish})
        record.publish_in_directory = publish
        record.save(update_fields=["publish_in_directory"])
    return record


# ---- reads ----

def conduct_list(*, user) -> QuerySet[AgencyConductRecord]:
    """The office's supervision records of every agency."""
    return scoped(user, AgencyConductRecord.objects.select_related("agency"),
                  ((Perm.AGENCY_CONDUCT_MANAGE, None),), what="代理机构执业监管记录")


def conduct_get(*, user, pk) -> AgencyConductRecord:
    return object_or_404(conduct_list(user=user), "执业监管记录不存在或无权查看", pk=pk)


def in_force(day: dt.date | None = None) -> Q:
    """Measures with a validity that runs today (valid until that day inclusive)."""
    day = day or clock.today()
    return Q(measure__in=PUBLISHABLE, occurred_on__lte=day, valid_until__gte=day)


def published_in_force() -> QuerySet[AgencyConductRecord]:
    """What the directory shows: measures in force the office chose to publish there."""
    return AgencyConductRecord.objects.filter(in_force(), publish_in_directory=True).select_related("agency")


def directory_marks(agency_ids=None) -> dict[int, list[str]]:
    """Agency id -> the marks the directory shows beside its name, e.g. "警示（至2027-03-31）"."""
    records = published_in_force().order_by("agency_id", "-occurred_on", "-id")
    if agency_ids is not None:
        records = records.filter(agency_id__in=list(agency_ids))
    marks: dict[int, list[str]] = {}
    for record in records:
        marks.setdefault(record.agency_id, []).append(
            f"{DIRECTORY_LABELS[record.measure]}（至{record.valid_until:%Y-%m-%d}）")
    return marks


def with_directory_marks(agencies) -> list[Organization]:
    """The directory's agencies, each with `conduct_marks` (one query for all of them)."""
    agencies = list(agencies)
    marks = directory_marks(a.pk for a in agencies)
    for agency in agencies:
        agency.conduct_marks = marks.get(agency.pk, [])
    return agencies


def conduct_row(record: AgencyConductRecord) -> dict:
    today = clock.today()
    return {"id": record.pk, "agency_id": record.agency_id, "agency": record.agency.name, "source": record.source,
            "source_label": record.get_source_display(), "occurred_on": record.occurred_on,
            "finding": record.finding, "measure": record.measure, "measure_label": record.get_measure_display(),
            "basis": record.basis, "document_number": record.document_number, "valid_until": record.valid_until,
            "in_force": record.measure in PUBLISHABLE and record.occurred_on <= today
            and record.valid_until is not None and record.valid_until >= today,
            "publish_in_directory": record.publish_in_directory}
