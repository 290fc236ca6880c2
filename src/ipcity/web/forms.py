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
