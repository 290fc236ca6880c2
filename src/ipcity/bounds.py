"""Bounded numbers: the one place that says which numbers the platform accepts and stores.

A number reaches the database through four doors: a JSON API schema, a page's form (or a value a view reads
from POST by hand), a spreadsheet import, and a service called from code. Each door checks it with the rules
here: it must be a finite number that fits the column it is stored in (digits, decimal places, sign) and lies
within a plausible business bound (no amount above 一万亿元, no rating outside 1～5). A refusal is a Chinese
message naming the field: a 422 from the API, a form error on a page, a problem row in an import.

Behind the doors, `guard_model_numbers` runs before every `save()` and refuses any decimal or integer that does
not fit its column or breaks its rule here, so a door or a service that forgets still cannot store a value that
later fails to read back (one such value once made every page that reads it answer 500, issue 12).

`RULES` names the business bound of each numeric model field ("app_label.Model.field"); a test requires every
decimal field to have one. The checks themselves are plain Python, so the importer core uses them without Django;
the Django glue imports Django where it is used.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from ipcity.inputs import ID_MAX  # a record's id: one limit for ids read from paths, forms and JSON

YUAN_MAX = Decimal(10) ** 12  # 一万亿元: far above any amount a district pilot records
WAN_YUAN_MAX = Decimal(10) ** 8  # the same amount in 万元
INDICATOR_MAX = Decimal(10) ** 12 - Decimal("0.0001")  # an indicator's value or target, whatever its unit
PEOPLE_MAX = 10_000_000  # attendances, viewers of a live stream
POLICY_AMOUNT_MAX = Decimal(10) ** 8  # 一亿元: the most one policy measure grants one enterprise
QUOTA_MAX = 10_000  # subjects drawn for one risk level of a random inspection
YEARS = (2000, 2100)  # a pilot's working years
_TEXT_MAX = 64  # characters of a number written as text; more is not a number anyone means

# The portable column ranges (PostgreSQL's); SQLite would accept more and hand the problem to PostgreSQL later.
INTEGER_COLUMNS = {
    "SmallIntegerField": (-32768, 32767),
    "IntegerField": (-(2**31), 2**31 - 1),
    "BigIntegerField": (-(2**63), 2**63 - 1),
    "PositiveSmallIntegerField": (0, 32767),
    "PositiveIntegerField": (0, 2**31 - 1),
    "PositiveBigIntegerField": (0, 2**63 - 1),
}

# Business bounds of numeric model fields: (minimum, maximum) or (minimum, maximum, label). The label defaults to
# the field's verbose name; a decimal's maximum is further capped by what its column holds. These are the sign and
# the plausible size; a finer rule a service states with its own words (an amount "应大于0") stays in the service,
# so the API still lists every problem of a request at once.
RULES: dict[str, tuple] = {
    # registries (元 unless the column says otherwise)
    "stats.LegalEvent.amount": (0, YUAN_MAX),
    "stats.Pledge.amount": (0, YUAN_MAX),
    "stats.InsurancePolicy.sum_insured": (0, YUAN_MAX),
    "stats.SecuritizationProduct.amount": (0, YUAN_MAX),
    "stats.PopulationFigure.residents_10k": (Decimal("0.01"), Decimal(100_000)),  # 十亿人
    "stats.PopulationFigure.year": (1949, YEARS[1]),
    # the plan, supervision, assessment and the special fund
    "plan.Indicator.target": (-INDICATOR_MAX, INDICATOR_MAX),
    "plan.IndicatorValue.value": (-INDICATOR_MAX, INDICATOR_MAX),
    "plan.OfficeRating.score": (0, 100),
    "plan.OfficeRating.year": YEARS,
    "plan.AssessmentScheme.year": YEARS,
    "plan.WorkItem.year": YEARS,
    "plan.Interview.year": YEARS,
    "plan.EvaluationReport.year": YEARS,
    "plan.IndicatorConfirmation.value": (-INDICATOR_MAX, INDICATOR_MAX),
    "plan.IndicatorConfirmation.computed_value": (-INDICATOR_MAX, INDICATOR_MAX),
    "plan.IndicatorConfirmation.year": YEARS,
    "plan.BudgetLine.year": YEARS,
    "plan.BudgetLine.amount": (0, YUAN_MAX),
    "plan.Disbursement.amount": (0, YUAN_MAX),
    "plan.SupervisionSettings.report_due_days": (1, 60),
    "plan.SupervisionSettings.reminder_days": (0, 60),
    "plan.SatisfactionSurvey.year": YEARS,
    "plan.SurveyQuestion.number": (1, 30, "题号"),
    "plan.SurveyAnswer.value": (1, 10, "回答"),  # a score 1～5, or one of at most 10 options
    "plan.HighTechCount.year": YEARS,
    "plan.HighTechCount.count": (0, 100_000),  # a district's high-tech enterprises: thousands at most
    # the operations center (money in 万元 where the column says so)
    "operations.TechNeed.budget": (0, WAN_YUAN_MAX),
    "operations.Deal.amount": (0, YUAN_MAX),
    "operations.PatentProduct.annual_sales": (0, WAN_YUAN_MAX),
    "operations.FinancingApplication.amount_requested": (0, WAN_YUAN_MAX),
    "operations.FinancingApplication.approved_amount": (0, WAN_YUAN_MAX),
    "operations.InsuranceClaim.amount_claimed": (0, YUAN_MAX),
    "operations.InsuranceClaim.amount_paid": (0, YUAN_MAX),
    # protection
    "protection.EnforcementCase.fine": (0, YUAN_MAX),
    "protection.InspectionPlan.inspectors_per_subject": (1, 5),
    "protection.SecretAssessment.score": (0, 100),
    # public services
    "services.Training.hours": (Decimal("0.5"), Decimal(40)),
    "services.Training.capacity": (1, 100_000),
    "services.AgencyProfile.staff": (0, 100_000),
    "services.AgencyProfile.attorneys": (0, 100_000),
    "services.CustodyContract.fee": (0, WAN_YUAN_MAX),
    "services.ServiceApplication.rating": (1, 5, "评价"),
    "services.AgencyRating.rating": (1, 5, "评价"),
    "services.BrandDesignation.year": YEARS,
    "services.DemonstrationUnit.year": YEARS,
    "services.PublicityEvent.participants": (0, PEOPLE_MAX),
    # policy measures and what is granted under them (元): no single award of a district pilot exceeds 一亿元
    "services.PolicyMeasure.cap": (0, POLICY_AMOUNT_MAX),
    "services.PolicyApplication.amount_requested": (0, POLICY_AMOUNT_MAX),
    "services.PolicyAward.amount": (0, POLICY_AMOUNT_MAX),
}


class NumberRefused(ValueError):
    """A number the platform will not store; its text is the Chinese reason, naming the field."""


def _plain(number) -> str:
    """1000000000000 -> "1,000,000,000,000"; 0.50 -> "0.5"."""
    number = Decimal(number)
    text = f"{number:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class DecimalRule:
    label: str
    minimum: Decimal
    maximum: Decimal
    decimal_places: int

    def check(self, raw: Any, *, rounding: bool = False) -> Decimal:
        """The number as written (27000 stays 27000), or NumberRefused saying why not. Extra decimal places are
        refused, or with `rounding` rounded as the database would round them (and the rounded value returned)."""
        label = self.label
        if isinstance(raw, bool) or raw is None:
            raise NumberRefused(f"{label}应为数字")
        if isinstance(raw, float):
            if not math.isfinite(raw):
                raise NumberRefused(f"{label}应为有限的数字")
            raw = repr(raw)  # the shortest text of the float: 0.1, not 0.1000000000000000055…
        if isinstance(raw, str):
            text = raw.strip()
            if len(text) > _TEXT_MAX:
                raise NumberRefused(f"{label}应为数字")
            try:
                value = Decimal(text)
            except InvalidOperation:
                raise NumberRefused(f"{label}应为数字") from None
        elif isinstance(raw, int | Decimal):
            value = Decimal(raw)
        else:
            raise NumberRefused(f"{label}应为数字")
        if not value.is_finite():
            raise NumberRefused(f"{label}应为有限的数字")
        if not self.minimum <= value <= self.maximum:
            raise NumberRefused(self.out_of_range())
        stored = value.quantize(Decimal(1).scaleb(-self.decimal_places))
        if stored != value and not rounding:
            raise NumberRefused(f"{label}应为整数" if self.decimal_places == 0
                                else f"{label}最多保留{self.decimal_places}位小数")
        if not self.minimum <= stored <= self.maximum:  # 999999999999.999 rounds up past the column
            raise NumberRefused(self.out_of_range())
        return stored if rounding else value

    def out_of_range(self) -> str:
        return f"{self.label}应在{_plain(self.minimum)}～{_plain(self.maximum)}之间"


@dataclass(frozen=True)
class IntRule:
    label: str
    minimum: int
    maximum: int

    def check(self, raw: Any) -> int:
        label = self.label
        if isinstance(raw, bool) or raw is None:
            raise NumberRefused(f"{label}应为整数")
        if isinstance(raw, int):
            value = raw
        elif isinstance(raw, float | Decimal):
            if not (raw.is_finite() if isinstance(raw, Decimal) else math.isfinite(raw)) or raw != int(raw):
                raise NumberRefused(f"{label}应为整数")
            value = int(raw)
        elif isinstance(raw, str) and re.fullmatch(r"[+-]?\d{1,30}", raw.strip()):
            value = int(raw.strip())
        else:
            raise NumberRefused(f"{label}应为整数")
        if not self.minimum <= value <= self.maximum:
            raise NumberRefused(self.out_of_range())
        return value

    def out_of_range(self) -> str:
        return f"{self.label}应在{_plain(self.minimum)}～{_plain(self.maximum)}之间"


def decimal_rule(*, label: str, max_digits: int, decimal_places: int, minimum=None, maximum=None) -> DecimalRule:
    """A rule for a decimal column: its bounds, capped by what max_digits and decimal_places can hold."""
    capacity = Decimal(10) ** (max_digits - decimal_places) - Decimal(1).scaleb(-decimal_places)
    low = -capacity if minimum is None else max(Decimal(minimum), -capacity)
    high = capacity if maximum is None else min(Decimal(maximum), capacity)
    return DecimalRule(label=label, minimum=low, maximum=high, decimal_places=decimal_places)


# ---- model fields ----

def _field(model, name: str):
    return model._meta.get_field(name)


def _rule_entry(model, name: str) -> tuple:
    return RULES.get(f"{model._meta.label}.{name}", ())


@functools.cache
def field_rule(model, name: str) -> DecimalRule | IntRule:
    """The rule of a numeric model field: its business bound from RULES within what its column can hold."""
    field = _field(model, name)
    entry = _rule_entry(model, name)
    label = entry[2] if len(entry) > 2 else str(field.verbose_name)
    kind = field.get_internal_type()
    if kind == "DecimalField":
        return decimal_rule(label=label, max_digits=field.max_digits, decimal_places=field.decimal_places,
                            minimum=entry[0] if entry else None, maximum=entry[1] if entry else None)
    low, high = INTEGER_COLUMNS[kind]
    if entry:
        low, high = max(low, int(entry[0])), min(high, int(entry[1]))
    return IntRule(label=label, minimum=low, maximum=high)


# ---- the JSON API (pydantic) ----

def _api_type(rule: DecimalRule | IntRule, python_type: type):
    def check(value):
        try:
            return python_type(rule.check(value))
        except NumberRefused as refused:
            raise PydanticCustomError("number_refused", str(refused)) from None

    if isinstance(rule, IntRule):
        schema = {"type": "integer", "minimum": rule.minimum, "maximum": rule.maximum}
    else:
        places = rule.decimal_places
        digits = len(str(int(max(abs(rule.minimum), abs(rule.maximum)))))
        sign = "-?" if rule.minimum < 0 else ""
        fraction = rf"(\.\d{{1,{places}}})?" if places else ""
        schema = {"anyOf": [{"type": "number", "minimum": float(rule.minimum), "maximum": float(rule.maximum)},
                            {"type": "string", "pattern": rf"^{sign}\d{{1,{digits}}}{fraction}$"}],
                  "minimum": float(rule.minimum), "maximum": float(rule.maximum), "x-decimal-places": places}
    schema["description"] = f"{rule.label}（{_plain(rule.minimum)}～{_plain(rule.maximum)}）"
    return Annotated[python_type, BeforeValidator(check), WithJsonSchema(schema)]


def bounded_decimal(model, name: str):
    """The API type of a value stored in `model.name`: `amount: bounded_decimal(Deal, "amount")`."""
    return _api_type(field_rule(model, name), Decimal)


def bounded_int(model=None, name: str = "", *, label: str = "", minimum: int | None = None,
                maximum: int | None = None):
    """The API type of an integer stored in `model.name`, or of one given its label and bounds."""
    return _api_type(_int_rule(model, name, label=label, minimum=minimum, maximum=maximum), int)


def bounded_number(*, label: str, minimum, maximum, decimal_places: int, python_type: type = Decimal):
    """The API type of a number kept outside a numeric column (a weight in a JSON field), as Decimal or float."""
    return _api_type(DecimalRule(label=label, minimum=Decimal(minimum), maximum=Decimal(maximum),
                                 decimal_places=decimal_places), python_type)


def _int_rule(model, name, *, label="", minimum=None, maximum=None) -> IntRule:
    if model is not None:
        rule = field_rule(model, name)
        return IntRule(label=label or rule.label, minimum=rule.minimum if minimum is None else minimum,
                       maximum=rule.maximum if maximum is None else maximum)
    return IntRule(label=label, minimum=minimum, maximum=maximum)


Id = _api_type(IntRule(label="编号", minimum=1, maximum=ID_MAX), int)
Year = _api_type(IntRule(label="年度", minimum=YEARS[0], maximum=YEARS[1]), int)
Offset = _api_type(IntRule(label="offset", minimum=0, maximum=10**9), int)  # a page's start
Limit = _api_type(IntRule(label="limit", minimum=0, maximum=10**6), int)  # each list caps it further


# ---- pages: form fields and values read from POST by hand ----

def decimal_form_field(model, name: str, *, label: str | None = None, required: bool = True, **kwargs):
    """A form field for a value stored in `model.name`, refusing what the API refuses with the same words."""
    return _form_field(field_rule(model, name), label=label, required=required, **kwargs)


def int_form_field(model=None, name: str = "", *, label: str = "", minimum: int | None = None,
                   maximum: int | None = None, required: bool = True, **kwargs):
    """A form field for an integer stored in `model.name` (the label only changes what the form shows), or for one
    given its label and bounds."""
    rule = _int_rule(model, name, label="" if model is not None else label, minimum=minimum, maximum=maximum)
    return _form_field(rule, label=label or None, required=required, **kwargs)


def number_form_field(*, label: str, minimum, maximum, decimal_places: int, required: bool = True, **kwargs):
    """A form field for a decimal kept outside a decimal column (an indicator engine setting)."""
    rule = DecimalRule(label=label, minimum=Decimal(minimum), maximum=Decimal(maximum), decimal_places=decimal_places)
    return _form_field(rule, label=None, required=required, **kwargs)


def _form_field(rule: DecimalRule | IntRule, *, label, required, **kwargs):
    from django import forms
    from django.core.exceptions import ValidationError

    base = forms.IntegerField if isinstance(rule, IntRule) else forms.DecimalField

    class BoundedField(base):
        def to_python(self, value):
            if value in self.empty_values:
                return None
            try:
                return rule.check(value)
            except NumberRefused as refused:
                raise ValidationError(str(refused), code="invalid") from None

        def validate(self, value):
            forms.Field.validate(self, value)  # to_python checked everything else

    options = {"min_value": rule.minimum, "max_value": rule.maximum}
    if isinstance(rule, DecimalRule):
        options["decimal_places"] = rule.decimal_places
    field = BoundedField(label=label or rule.label, required=required, **options, **kwargs)
    field.validators = []  # the rule said it all, in one message
    return field


def posted_decimal(data, name: str, model, field: str | None = None) -> Decimal | None:
    """A decimal a view reads from submitted data by hand, for `model.field`; empty is None. A bad value is a
    ValidationError on `name`, shown as a form error or a message, never a server error."""
    from django.core.exceptions import ValidationError

    raw = data.get(name, "")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        return field_rule(model, field or name).check(raw)
    except NumberRefused as refused:
        raise ValidationError({name: [str(refused)]}) from None


# ---- the last line: every save() ----

@functools.cache
def _numeric_fields(model) -> tuple:
    kinds = set(INTEGER_COLUMNS) | {"DecimalField"}
    return tuple((f.attname, f.name) for f in model._meta.concrete_fields
                 if f.get_internal_type() in kinds and not f.primary_key)


def guard_model_numbers(sender, instance, raw=False, **kwargs) -> None:
    """pre_save: refuse any number that does not fit its column or breaks its rule (a ValidationError naming the
    field, which the API answers with 422 and the pages show as a form error or message)."""
    from django.core.exceptions import ValidationError

    problems: dict[str, list[str]] = {}
    for attname, name in _numeric_fields(sender):
        value = getattr(instance, attname)
        if value is None or hasattr(value, "resolve_expression"):
            continue
        rule = field_rule(sender, name)
        try:
            rule.check(value, rounding=True) if isinstance(rule, DecimalRule) else rule.check(value)
        except NumberRefused as refused:
            problems[name] = [str(refused)]
    if problems:
        raise ValidationError(problems)


def connect_guard() -> None:
    from django.db.models.signals import pre_save

    pre_save.connect(guard_model_numbers, dispatch_uid="ipcity.bounds.guard_model_numbers")


# ---- values stored before the guard ----

def repair_unreadable_numbers(apps=None, connection=None) -> list[dict]:
    """Find decimals a column cannot give back (1e30 in a column of 16 digits, stored by SQLite before the guard
    existed, or NaN and Infinity on PostgreSQL) and make each row readable again: NULL where the column allows it,
    otherwise the column's largest value with the same sign. Each repair is written to the audit trail with the raw
    value, so the office can re-enter the right number. Runs as a data migration (web 0002) with the historical
    models, and as a function for a database restored from an older backup."""
    from django.db import connection as default_connection

    if apps is None:
        from django.apps import apps
    connection = connection or default_connection
    quote = connection.ops.quote_name
    AuditEntry = apps.get_model("audit", "AuditEntry")
    repaired = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if field.get_internal_type() != "DecimalField":
                continue
            cap = Decimal(10) ** (field.max_digits - field.decimal_places)
            largest = cap - Decimal(1).scaleb(-field.decimal_places)
            table, column, pk = quote(model._meta.db_table), quote(field.column), quote(model._meta.pk.column)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {pk}, CAST({column} AS TEXT) FROM {table} "  # noqa: S608 (names are quoted)
                               f"WHERE {column} IS NOT NULL AND ({column} >= %s OR {column} <= %s)",
                               [float(cap), float(-cap)])
                rows = cursor.fetchall()
                for key, raw in rows:
                    negative = str(raw).strip().startswith("-")
                    value = None if field.null else (-largest if negative else largest)
                    cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608
                                   [None if value is None else str(value), key])
                    entry = {"model": model._meta.label, "id": key, "field": field.name, "raw": str(raw),
                             "stored": None if value is None else str(value)}
                    AuditEntry.objects.create(
                        at=_now(), actor_name="system", action="bounds.unreadable_number.repair",
                        object_type=model._meta.label_lower, object_id=str(key), object_repr=f"{model._meta.label} {key}",
                        before={field.name: str(raw)}, after={field.name: entry["stored"]}, channel="cli")
                    repaired.append(entry)
    return repaired


def _now():
    from ipcity import clock

    return clock.now()
