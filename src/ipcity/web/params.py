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
