from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def plain_number(value):
    """A decimal as a person writes it: 26000, not 2.6E+4 (what Decimal.normalize shows); 3.5, not 3.5000."""
    if value is None or value == "":
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
