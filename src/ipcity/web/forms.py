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


def posted_int(data, name: str, *, default: int | None = None) -> int:
    """An integer from submitted form data; anything else is a clear refusal instead of a server error."""
    raw = data.get(name)
    if (raw is None or raw == "") and default is not None:
        return default
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise ValidationError(f"参数“{name}”应为整数") from None
