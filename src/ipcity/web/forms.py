from django.core.exceptions import ValidationError


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
