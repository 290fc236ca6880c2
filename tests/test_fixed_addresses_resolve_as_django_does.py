"""The production web handler answers fixed addresses (no converter) from a table made at start instead of trying
the URL patterns in order: every address must still reach the view Django's own resolver would pick."""

import io
import json

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory, override_settings
from django.urls import get_resolver, set_urlconf

from ipcity.accounts.services import api_token_create
from ipcity.routing import FixedRouteHandler


def _call(handler: FixedRouteHandler, method: str, path: str, body: bytes = b"", **headers) -> tuple[int, bytes]:
    """A request through the handler as gunicorn makes it: a WSGI environ and start_response. As in Django's test
    client, the database connection is not closed at the request's start and end: it holds the test's transaction."""
    environ = RequestFactory().generic(method, path, body, content_type="application/json", **headers).environ
    environ["wsgi.input"] = io.BytesIO(body)
    answered = {}
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = handler(environ, lambda status, response_headers: answered.setdefault("status", status))
        content = b"".join(chunks)
        chunks.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return int(answered["status"].split()[0]), content


@pytest.fixture(autouse=True)
def _thread_urlconf_restored():
    """Django's resolve_request sets the thread's URLconf (its get_response puts it back for each request): calling it
    directly here must not leave a test's URLconf to the next test in this thread."""
    yield
    set_urlconf(None)


MATCH_PARTS = ("func", "args", "kwargs", "url_name", "app_names", "namespaces", "route", "tried", "captured_kwargs",
               "extra_kwargs", "view_name", "_func_path")


def test_every_fixed_address_reaches_what_djangos_resolver_gives_with_every_part_of_the_match():
    handler, django_handler = FixedRouteHandler(), WSGIHandler()
    assert len(handler.fixed_addresses()) > 150  # the pages and the API
    for path in sorted(handler.fixed_addresses()):
        ours, djangos = (h.resolve_request(RequestFactory().get(path)) for h in (handler, django_handler))
        assert [getattr(ours, part) for part in MATCH_PARTS] == [getattr(djangos, part) for part in MATCH_PARTS], path


@override_settings(ROOT_URLCONF="tests.routes_with_an_earlier_pattern")
def test_an_earlier_pattern_with_a_converter_still_wins_a_fixed_address_as_in_django():
    handler = FixedRouteHandler()
    request = RequestFactory().get("/coverage/")
    match = handler.resolve_request(request)
    assert match.func.__name__ == "by_kind" and match.kwargs == {"kind": "coverage"}
    assert request.resolver_match is match
    inside = handler.resolve_request(RequestFactory().get("/registries/coverage/"))
    assert inside.func.__name__ == "coverage" and inside.url_name == "coverage"
    assert inside.route == get_resolver().resolve("/registries/coverage/").route == "registries/coverage/"


@override_settings(ROOT_URLCONF="tests.routes_with_an_earlier_pattern")
def test_a_view_changing_its_arguments_does_not_change_them_for_the_next_request():
    handler = FixedRouteHandler()
    first = handler.resolve_request(RequestFactory().get("/registries/patents/"))
    assert first.kwargs == {"kind": "patents"}
    first.kwargs["kind"] = "trademarks"  # what a middleware's process_view may do to the kwargs it is handed
    first.extra_kwargs["kind"] = "trademarks"
    first.namespaces.append("elsewhere")
    second = handler.resolve_request(RequestFactory().get("/registries/patents/"))
    assert second.kwargs == second.extra_kwargs == {"kind": "patents"} and second.namespaces == []


def test_a_handler_made_before_the_urlconf_changed_resolves_by_the_new_one():
    handler = FixedRouteHandler()
    assert handler.resolve_request(RequestFactory().get("/login/")).url_name == "login"
    with override_settings(ROOT_URLCONF="tests.routes_with_an_earlier_pattern"):
        match = handler.resolve_request(RequestFactory().get("/login/"))
        assert match.func.__name__ == "by_kind" and match.kwargs == {"kind": "login"}


def test_a_request_naming_its_own_urlconf_is_resolved_by_it():
    handler = FixedRouteHandler()
    request = RequestFactory().get("/registries/coverage/")
    request.urlconf = "tests.routes_with_an_earlier_pattern"
    assert handler.resolve_request(request).func.__name__ == "coverage"


def test_the_production_handler_registers_evidence_and_answers_addresses_with_ids_and_unknown_ones(people):
    handler = FixedRouteHandler()
    assert "/api/v1/evidence/registrations" in handler.fixed_addresses()
    _, token = api_token_create(user=people["enterprise_user"], name="脚本")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = json.dumps({"kind": "trade_secret", "metadata": {"title": "配方", "secret_type": "技术信息"},
                       "sha256": "ab" * 32, "sm3": "cd" * 32}).encode()
    status, content = _call(handler, "POST", "/api/v1/evidence/registrations", body, **auth)
    assert status == 201, content
    registration = json.loads(content)
    assert registration["status"] == "sequenced"
    status, content = _call(handler, "GET", f"/api/v1/evidence/registrations/{registration['id']}", **auth)
    assert status == 200 and json.loads(content)["sha256"] == "ab" * 32
    status, content = _call(handler, "GET", "/no-such-page/")
    assert status == 404 and "页面不存在" in content.decode()
