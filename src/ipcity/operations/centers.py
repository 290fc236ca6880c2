"""Recognized 优势产业知识产权运营中心: the office records each recognition (date, recognizing authority, the
operating organization); a center is recognized once (the same name, however typed, is refused a second time), and
the indicator engine counts each center once within the pilot by its recognition date."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ipcity import clock
from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.inputs import text_problem
from ipcity.operations.models import OperationCenterRecognition, center_name_key
from ipcity.stats.core.records import Activity

ACTIVITY_KIND = "operation_center"
EARLIEST = dt.date(2000, 1, 1)


def center_list():
    """Recognized centers are public: the recognition is published by its authority."""
    return OperationCenterRecognition.objects.select_related("operator")


def _text(problems: dict, field: str, value: str, label: str, max_length: int, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        problems[field] = [f"请填写{label}"]
    elif problem := text_problem(value, multiline=False, max_length=max_length):
        problems[field] = [problem]
    return value


def _recognized(name: str) -> OperationCenterRecognition | None:
    return OperationCenterRecognition.objects.filter(name_key=center_name_key(name)[:200]).first()


def _already(center: OperationCenterRecognition) -> str:
    return (f"“{center.name}”已于{center.recognized_on.isoformat()}由{center.authority}认定并已登记，"
            "一个运营中心只计一次认定，不能重复登记")


@transaction.atomic
def center_record(*, actor, name: str, authority: str, recognized_on: dt.date, operator: Organization | None = None,
                  industry: str = "", document_number: str = "") -> OperationCenterRecognition:
    """Record a recognition of an operation center (the office)."""
    require_perm(actor, Perm.OPERATIONS_MANAGE)
    problems: dict[str, list[str]] = {}
    name = _text(problems, "name", name, "运营中心名称", 200, True)
    authority = _text(problems, "authority", authority, "认定机关", 200, True)
    industry = _text(problems, "industry", industry, "优势产业", 100, False)
    document_number = _text(problems, "document_number", document_number, "认定文号", 100, False)
    today = clock.today()
    if not isinstance(recognized_on, dt.date) or not EARLIEST <= recognized_on <= today:
        problems["recognized_on"] = [f"认定日期应在 {EARLIEST.isoformat()} 至今天（{today.isoformat()}）之间"]
    if "name" not in problems and (known := _recognized(name)) is not None:
        problems["name"] = [_already(known)]
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic():  # two offices recording the same center at once: the second is refused
            center = OperationCenterRecognition.objects.create(
                name=name, authority=authority, industry=industry, document_number=document_number,
                recognized_on=recognized_on, operator=operator, recorded_by=actor, recorded_at=clock.now())
    except IntegrityError:
        known = _recognized(name)
        raise ValidationError({"name": [_already(known) if known else "该运营中心已登记过认定"]}) from None
    audit_record(actor=actor, action="operations.center.record", obj=center,
                 after={"name": name, "authority": authority, "recognized_on": recognized_on,
                        "operator": operator.name if operator else "", "document_number": document_number})
    return center


# ---- the indicator engine's activity source ----

def activity_records() -> list[Activity]:
    """One activity per center (by its name, however typed), on its first recognition date: a center recorded more
    than once (before recognitions were unique) still counts once."""
    first: dict[str, tuple[dt.date, int]] = {}
    for pk, name, day in OperationCenterRecognition.objects.values_list("pk", "name", "recognized_on"):
        key = center_name_key(name)
        if key not in first or (day, pk) < first[key]:
            first[key] = (day, pk)
    return [Activity(ACTIVITY_KIND, f"OC-{pk}", day) for day, pk in first.values()]


def activity_rows(keys: list[str]) -> list[list]:
    centers = {f"OC-{c.pk}": c for c in OperationCenterRecognition.objects.select_related("operator").filter(
        pk__in=[int(k[3:]) for k in keys if k.startswith("OC-") and k[3:].isdigit()])}
    return [[key, centers[key].name, centers[key].authority, centers[key].operator.name if centers[key].operator else "",
             centers[key].recognized_on] for key in keys if key in centers]
