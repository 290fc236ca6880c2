from django.conf import settings

from ipcity import clock

SESSION_TOUCH_SECONDS = 60
SESSION_TOUCHED = "_touched"  # when the session was last written, in seconds


class ContentSecurityPolicyMiddleware:
    """Every asset is served by the platform itself, so the policy allows only 'self'."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class SessionTouchMiddleware:
    """The idle timeout slides with use, but a signed-in user's session row is written at most once a minute instead
    of on every request: a session used in the last minute still has at least SESSION_COOKIE_AGE less a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or (session.session_key is None and not session.modified) or session.is_empty():
            return response  # no session to keep alive (an anonymous visit, a sign-out)
        now = int(clock.now().timestamp())
        touched = session.get(SESSION_TOUCHED)
        if session.modified or touched is None or not 0 <= now - touched < SESSION_TOUCH_SECONDS:
            session[SESSION_TOUCHED] = now  # marks it modified: SessionMiddleware saves it with a new expiry
        return response


class InputGuardMiddleware:
    """Refuses, before any view reads it, a request carrying a value no field may hold: a control character, text
    over the length limit, or a date outside the platform's range (ipcity/inputs.py says which). Pages answer 400
    with the reason, the API 422 in its usual shape; nothing is written. It runs after the CSRF check.

    It also answers a malformed parameter a view refuses (`InputRefused`, e.g. `?as_of=2026-13-45`) with its reason,
    and any refusal a view did not catch (a ValidationError, e.g. from the number guard on save, ipcity/bounds.py) with
    its words on a 400 page instead of a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from ipcity.inputs import request_problem

        problem = request_problem(request)
        return None if problem is None else _refusal(request, problem)

    def process_exception(self, request, exception):
        from django.core.exceptions import ValidationError

        from ipcity.web.params import InputRefused

        if isinstance(exception, InputRefused):
            return _refusal(request, str(exception))
        if isinstance(exception, ValidationError):
            return _refusal(request, "；".join(exception.messages))
        return None


def _refusal(request, message: str):
    from django.http import JsonResponse
    from django.shortcuts import render

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": [message]}, status=422)
    return render(request, "web/error.html", {"code": 400, "message": f"提交的内容未被接受：{message}"}, status=400)
