from ipcity.audit.context import origin


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        # REMOTE_ADDR is the direct peer; behind a reverse proxy configure it to set REMOTE_ADDR correctly.
        with origin(request.META.get("REMOTE_ADDR", ""), channel):
            return self.get_response(request)
