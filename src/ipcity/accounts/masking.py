"""Personal data shown masked unless the viewer's role needs the full value."""


def mask_phone(phone: str) -> str:
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_id_number(id_number: str) -> str:
    if len(id_number) < 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]
