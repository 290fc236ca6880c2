import datetime as dt

from ipcity import clock


def as_of_param(request) -> dt.date:
    """The `as_of` query parameter (YYYY-MM-DD), or today; a date in the future or a malformed one means today."""
    raw = request.GET.get("as_of", "")
    try:
        day = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        day = None
    today = clock.today()
    return day if day is not None and day <= today else today
