"""Every operation of /api/v1/openapi.json, fed generated valid and invalid requests (schemathesis), as an anonymous
visitor, the office and an enterprise: none answers with a server error, and no answer breaks the response schema
the document promises.

Bounded and deterministic: a fixed number of examples per operation, derandomized (the same requests every run),
no example database, no shrinking. A failure lists each operation with the request that broke it (as curl)."""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from ipcity.accounts.services import api_token_create

# For each of the valid and the invalid requests; IPCITY_FUZZ_EXAMPLES=50 explores further on a developer's machine.
EXAMPLES_PER_OPERATION = int(os.environ.get("IPCITY_FUZZ_EXAMPLES", "2"))
FUZZ = settings(max_examples=EXAMPLES_PER_OPERATION, derandomize=True, database=None, deadline=None,
                phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
CHECKS = [not_a_server_error, response_schema_conformance]


def _described(failure: BaseException) -> str:
    """Schemathesis's own report (the check that failed, the response, a curl command to reproduce it)."""
    lines = str(failure).splitlines()
    return "\n".join(lines[:40])


def _fuzz(operation, mode: GenerationMode, headers: dict) -> str | None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @FUZZ
    def one_request(case):
        # Each request starts from the same data and cannot leave a failed PostgreSQL transaction to the next.
        before = transaction.savepoint()
        try:
            response = case.call(headers=headers)
        finally:
            transaction.savepoint_rollback(before)
        case.validate_response(response, checks=CHECKS, headers=headers)

    try:
        one_request()
    except Unsatisfiable:
        return None  # no invalid request exists (an operation without parameters or body)
    except (FailureGroup, Exception) as failure:  # every failing operation is reported together below
        return f"{operation.label} [{mode.value}]: {_described(failure)}"
    return None


@pytest.fixture
def wsgi_app():
    """The platform's WSGI application, sharing the test's database transaction as Django's test client does
    (which keeps the handler from closing the connection at the end of each request)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("persona", [None, "office_admin", "enterprise_user"], ids=["anonymous", "office", "enterprise"])
def test_no_api_operation_answers_a_server_error_or_breaks_its_documented_schema(people, wsgi_app, persona):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    headers = {}
    if persona is not None:
        _, raw = api_token_create(user=people[persona], name="schemathesis")
        headers = {"Authorization": f"Bearer {raw}"}
    failures, fuzzed = [], 0
    for loaded in schema.get_all_operations():
        operation = loaded.ok()
        if persona is None and operation.definition.raw.get("security"):
            continue  # anonymous callers get 401 before any input is read: only the public operations
        fuzzed += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            if found := _fuzz(operation, mode, headers):
                failures.append(found)
    assert fuzzed > (10 if persona is None else 150)
    assert not failures, f"{len(failures)} failing operations:\n\n" + "\n\n".join(failures)
