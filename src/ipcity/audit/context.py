"""Where the current write comes from (address, channel), set once per request or command."""

import contextlib
import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    address: str = ""
    channel: str = "cli"


_origin: contextvars.ContextVar[Origin | None] = contextvars.ContextVar("audit_origin", default=None)


def current_origin() -> Origin:
    return _origin.get() or Origin()


@contextlib.contextmanager
def origin(address: str, channel: str):
    token = _origin.set(Origin(address=address, channel=channel))
    try:
        yield
    finally:
        _origin.reset(token)
