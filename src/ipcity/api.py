"""The JSON API under /api/v1: the second door to everything the pages do, with the same permissions,
because both doors call the same services and selectors."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import ValidationError as MalformedRequest
from ninja.security import HttpBearer, SessionAuth

from ipcity.accounts.api import router as accounts_router
from ipcity.accounts.services import api_token_user
from ipcity.audit.api import router as audit_router
from ipcity.evidence.api import router as evidence_router
from ipcity.inputs import has_chinese, pydantic_messages
from ipcity.operations.api import router as operations_router
from ipcity.operations.center_views import router as centers_router
from ipcity.plan.api import router as plan_router
from ipcity.plan.core.schema import PlanFormatError
from ipcity.plan.supervision_api import router as supervision_router
from ipcity.protection.api import router as protection_router
from ipcity.services.api import router as services_router
from ipcity.stats.api import router as stats_router
from ipcity.stats.by_year_api import router as by_year_router
from ipcity.stats.coverage_views import router as coverage_router
from ipcity.web.supporting_api import router as supporting_router


class CookieSessionAuth(SessionAuth):
    """Session auth whose CSRF check applies only when a session cookie came with the request: a token client
    sends no cookie, so there is nothing for a forged cross-site request to ride on."""

    def _get_key(self, request):
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class IpcityAPI(NinjaAPI):
    _openapi_schemas: dict

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Built once per process (the routes do not change while it runs): building it walks every operation and
        schema, which took a third of a second on every request for /api/v1/openapi.json. Callers must not change it."""
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        schemas = self.__dict__.setdefault("_openapi_schemas", {})
        if path_prefix not in schemas:
            schemas[path_prefix] = super().get_openapi_schema(path_prefix=path_prefix)
        return schemas[path_prefix]

    def get_openapi_operation_id(self, operation) -> str:
        """An API module split into a package by topic (`ipcity.services.api.agencies`, `ipcity.plan.supervision_api.fund`)
        keeps the operation ids it had as one module (`ipcity_services_api_<view>`): generated clients keep their names."""
        parts = operation.view_func.__module__.split(".")
        packages = [n for n, part in enumerate(parts[:-1]) if part == "api" or part.endswith("_api")]
        module = ".".join(parts[:packages[-1] + 1] if packages else parts)
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")


api = IpcityAPI(
    title="ipcity 知识产权强市建设试点平台 API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), CookieSessionAuth()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _validation_messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}: {m}" for field, errors in exc.message_dict.items() for m in errors]
    return list(exc.messages)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "无权执行此操作"}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    message = str(exc)
    return api.create_response(request, {"detail": message if has_chinese(message) else "不存在或无权查看"},
                               status=404)


@api.exception_handler(MalformedRequest)
def _malformed(request, exc):
    """What pydantic refuses (a missing field, "abc" for a number, 2026-13-45), in Chinese like every refusal."""
    return api.create_response(request, {"detail": pydantic_messages(exc.errors)}, status=422)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return api.create_response(request, {"detail": _validation_messages(exc)}, status=422)


@api.exception_handler(PlanFormatError)
def _bad_plan(request, exc):
    return api.create_response(request, {"detail": exc.problems}, status=422)


api.add_router("/", accounts_router)
api.add_router("/plan", plan_router)
api.add_router("/audit", audit_router)
api.add_router("/", by_year_router)
api.add_router("/", coverage_router)  # before stats: /registries/coverage is not a registry kind
api.add_router("/", stats_router)
api.add_router("/supervision", supervision_router)
api.add_router("/evidence", evidence_router)
api.add_router("/operations", operations_router)
api.add_router("/operations", centers_router)
api.add_router("/protection", protection_router)
api.add_router("/services", services_router)
api.add_router("/", supporting_router)
