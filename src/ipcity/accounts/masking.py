"""Personal data shown masked unless the viewer's role needs the full value."""


def mask_phone(phone: str) -> str:
    """A mobile number keeps its first 3 and last 4 digits; anything shorter (a landline) keeps only its last 2."""
    if len(phone) < 11:
        return "*" * (len(phone) - 2) + phone[-2:] if len(phone) > 4 else "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_id_number(id_number: str) -> str:
    if len(id_number) < 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]
