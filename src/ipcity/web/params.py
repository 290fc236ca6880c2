"""The one reader of query and form parameters a page takes by hand: dates, years, integers and yes/no.

It builds on the platform's rules (`ipcity.inputs.parse_day` for dates, `ipcity.bounds` for numbers; a decimal for a
model field is `ipcity.bounds.posted_decimal`, a record id `ipcity.inputs.object_or_404`), so a page never writes
its own `_date` or `int(...)`. A form value that cannot be read is a ValidationError naming the field (shown as a
form error or a message); a query parameter that cannot be read is refused with 400 (`InputRefused`).
"""

import datetime as dt

from django.core.exceptions import BadRequest, ValidationError

from ipcity import clock
from ipcity.inputs import parse_day


class InputRefused(BadRequest):
    """A malformed parameter: a page answers 400 with this Chinese message (InputGuardMiddleware), the API 422."""


def query_day(request, name: str, *, label: str) -> dt.date | None:
    """A date query parameter written YYYY-MM-DD; absent is None. A malformed date, or one outside the platform's
    range (0001-01-01), is refused with 400 and the reason, never read as some other day."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return parse_day(raw, label=label)
    except ValidationError as exc:
        raise InputRefused(exc.messages[0]) from None


def as_of_param(request) -> dt.date:
    """The `as_of` query parameter (YYYY-MM-DD), or today; a date in the future means today. A malformed date is
    refused with 400 rather than silently read as today."""
    day = query_day(request, "as_of", label="截至日期")
    today = clock.today()
    return day if day is not None and day <= today else today


def query_year(request, name: str = "year") -> int:
    """A working year from the query string (ipcity.bounds.YEARS); one that cannot be read is this year, so a page
    shows its default rather than failing."""
    from ipcity.bounds import YEARS

    raw = request.GET.get(name, "").strip()
    year = int(raw) if raw.isascii() and raw.isdecimal() and len(raw) == 4 else 0
    return year if YEARS[0] <= year <= YEARS[1] else clock.today().year


def posted_day(data, name: str, *, label: str, required: bool = True) -> dt.date | None:
    """A date from submitted form data, written YYYY-MM-DD within the platform's range; an empty optional field is
    None. Anything else is a ValidationError naming the field."""
    raw = data.get(name)
    if not required and (raw is None or not str(raw).strip()):
        return None
    return parse_day(raw, label=label)


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
