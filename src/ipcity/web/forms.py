from django import forms
from django.core.exceptions import ValidationError

from ipcity.inputs import as_id


def form_errors_from(form, exc: ValidationError) -> None:
    """Show a service's refusal on the form, on the field it names when it names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            field = field if field in form.fields else field.rsplit(".", 1)[-1]  # "guide.materials" -> "materials"
            form.add_error(field if field in form.fields else None, errors)
        return
    for message in exc.messages:
        field, _, text = message.partition(": ")
        if text and field in form.fields:
            form.add_error(field, text)
        else:
            form.add_error(None, message)


def posted_int(data, name: str, *, default: int | None = None) -> int:
    """An integer from submitted form data, within 64 bits (ipcity.bounds; the service checks its own range);
    anything else is a clear refusal instead of a server error."""
    from ipcity.bounds import INTEGER_COLUMNS, IntRule, NumberRefused

    raw = data.get(name)
    if (raw is None or raw == "") and default is not None:
        return default
    try:
        return IntRule(f"参数“{name}”", *INTEGER_COLUMNS["BigIntegerField"]).check(raw)
    except NumberRefused as refused:
        raise ValidationError(str(refused)) from None


def posted_yes_no(data, name: str, *, label: str) -> bool:
    """A decision posted as "1" (yes) or "0" (no); anything else is refused rather than read as "no"."""
    raw = data.get(name)
    if raw not in ("1", "0"):
        raise ValidationError(f"{label}应为“是”或“否”")
    return raw == "1"


class RecordsField(forms.ModelMultipleChoiceField):
    """A multiple choice of records that refuses an id no record can have ("abc", -1, or beyond a 64-bit column)
    as an invalid choice; Django's own field would hand such an id to the database and fail there."""

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value if isinstance(value, list | tuple) else [value]:
                if as_id(pk) is None:
                    raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                          params={"value": pk})
        return super()._check_values(value)
