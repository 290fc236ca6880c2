"""Every log line names the request it came from, and a mail that could not be sent is logged, never lost quietly.

A request gets an id (the proxy's X-Request-ID when it sends a sane one, otherwise a new one); the id is answered
in the X-Request-ID header and stamped on every log record written while the request runs, so an error a person
reports can be found in the log. Work outside a request (the task worker, `ipcity remind`) logs "-"."""

import contextvars
import logging
import re
import uuid

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils.module_loading import import_string

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("ipcity_request_id", default="-")
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")  # nothing that could forge a log line
HEADER = "X-Request-ID"

mail_logger = logging.getLogger("ipcity.mail")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """First in MIDDLEWARE, so everything logged while the request runs (the 500 included) carries its id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request_id = given if _SANE_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, for the formatter's %(request_id)s."""

    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class LoggedEmailBackend(BaseEmailBackend):
    """Sends through settings.EMAIL_DELIVERY_BACKEND and logs each failure (with the request id and the recipients)
    before honouring fail_silently, so reminders sent with fail_silently=True still leave a trace."""

    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self.delivery = import_string(settings.EMAIL_DELIVERY_BACKEND)(fail_silently=False, **kwargs)

    def open(self):
        return self.delivery.open()

    def close(self):
        try:
            return self.delivery.close()
        except Exception:
            mail_logger.exception("邮件连接关闭失败")
            if not self.fail_silently:
                raise

    def send_messages(self, email_messages):
        try:
            return self.delivery.send_messages(email_messages)
        except Exception:
            recipients = sorted({r for m in email_messages for r in m.recipients()})
            mail_logger.exception("邮件发送失败：%d 封，收件人 %s", len(email_messages), "、".join(recipients))
            if not self.fail_silently:
                raise
            return 0
