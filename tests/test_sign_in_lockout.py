"""Signing in: failures lock the account after the limit even when guesses arrive in parallel, and no refusal tells
whether a username exists or an account is locked."""

import html
import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client

from ipcity.accounts.models import User
from ipcity.audit.models import AuditEntry
from tests.conftest import PASSWORD
from tests.serving import (
    bare_environment,
    browser,
    csrf_token,
    database_url_of_the_test_database,
    fetch,
    migrated_sqlite,
    run_python,
    served,
)

PARALLEL_GUESSES = 12


def _login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def _refusal(page: str) -> str:
    found = re.search(r'<ul class="errorlist nonfield"><li>(.*?)</li>', page)
    assert found, page[:2000]
    return html.unescape(found.group(1))


def _words_for_an_unknown_user() -> str:
    return _refusal(_login(Client(), "nobody", "whatever").content.decode())


def test_the_account_locks_after_five_failures_and_opens_again_after_fifteen_minutes(people, frozen_clock):
    client = Client()
    refused = _words_for_an_unknown_user()
    for _ in range(5):
        assert _refusal(_login(client, "unit_staff", "wrong-password").content.decode()) == refused
    assert User.objects.get(username="unit_staff").is_locked
    assert AuditEntry.objects.filter(action="auth.locked").count() == 1
    # The right password does not help while locked, and the page says no more than for a wrong one.
    assert _refusal(_login(client, "unit_staff", PASSWORD).content.decode()) == refused
    frozen_clock.advance(minutes=14)
    assert _refusal(_login(client, "unit_staff", PASSWORD).content.decode()) == refused
    frozen_clock.advance(minutes=2)
    assert _login(client, "unit_staff", PASSWORD).status_code == 302
    assert AuditEntry.objects.filter(action="auth.locked").count() == 1
    assert AuditEntry.objects.filter(action="auth.login_refused_locked").count() == 2


def test_an_unknown_username_a_wrong_password_and_a_locked_account_get_the_same_words(people, frozen_clock):
    unknown = _words_for_an_unknown_user()
    wrong = _refusal(_login(Client(), "unit_staff", "wrong-password").content.decode())
    assert unknown == wrong
    assert "用户名或密码错误" in unknown and "锁定 15 分钟" in unknown
    for _ in range(4):
        _login(Client(), "unit_staff", "wrong-password")
    locked = _refusal(_login(Client(), "unit_staff", "wrong-password").content.decode())
    locked_right_password = _refusal(_login(Client(), "unit_staff", PASSWORD).content.decode())
    assert locked == locked_right_password == unknown
    assert AuditEntry.objects.filter(action="auth.login_failed_unknown_user").exists()


def test_guessing_on_while_locked_checks_no_password(people, frozen_clock):
    for _ in range(5):
        _login(Client(), "unit_staff", "wrong-password")
    checked = AuditEntry.objects.filter(action__in=["auth.login_failed", "auth.login"]).count()
    for guess in ["wrong-1", PASSWORD, "wrong-2"]:
        _login(Client(), "unit_staff", guess)
    assert AuditEntry.objects.filter(action__in=["auth.login_failed", "auth.login"]).count() == checked == 5
    assert User.objects.get(username="unit_staff").failed_login_count == 5


def test_a_success_before_the_limit_starts_the_count_again(people):
    for _ in range(4):
        _login(Client(), "unit_staff", "wrong-password")
    assert _login(Client(), "unit_staff", PASSWORD).status_code == 302
    for _ in range(4):
        _login(Client(), "unit_staff", "wrong-password")
    assert not User.objects.get(username="unit_staff").is_locked
    assert _login(Client(), "unit_staff", PASSWORD).status_code == 302


SEED = f"""
from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.roles import Role
from ipcity.accounts.services import user_create
org = Organization.objects.create(name="并发登录测试单位", org_type=OrgType.GOVERNMENT_UNIT)
user_create(actor=None, username="target", password={PASSWORD!r}, organization=org, role=Role.UNIT_STAFF)
"""

OUTCOME = """
import json
from django.db.models import Count
from ipcity.accounts.models import User
from ipcity.audit.models import AuditEntry
actions = dict(AuditEntry.objects.filter(action__startswith="auth.").values_list("action").annotate(n=Count("id")))
print(json.dumps({"actions": actions, "locked": User.objects.get(username="target").is_locked}))
"""


@pytest.mark.django_db(transaction=True)  # the server's processes see (and the flush removes) what they write
def test_twelve_parallel_wrong_passwords_check_at_most_five_before_the_lock(tmp_path, settings):
    # IPCITY_ENV=test: the quick password hasher of the test settings, so the run measures counting, not hashing.
    env = bare_environment(tmp_path, IPCITY_ENV="test", IPCITY_EVIDENCE_BACKGROUND_SEQUENCER="0")
    if url := database_url_of_the_test_database():
        env["DATABASE_URL"] = url
    else:
        migrated_sqlite(tmp_path)
    with served(env, tmp_path / "server.log", workers=2, threads=6) as server:
        run_python(env, SEED)
        unknown = browser()
        _, page, _ = fetch(unknown, server.url + "/login/")
        _, page, _ = fetch(unknown, server.url + "/login/", {"username": "nobody", "password": "guess-x",
                                                            "csrfmiddlewaretoken": csrf_token(page)})
        unknown_words = _refusal(page)

        guessers = [browser() for _ in range(PARALLEL_GUESSES)]
        forms = [csrf_token(fetch(opener, server.url + "/login/")[1]) for opener in guessers]
        start = threading.Barrier(PARALLEL_GUESSES)

        def guess(i):
            start.wait()
            return fetch(guessers[i], server.url + "/login/",
                         {"username": "target", "password": f"guess-{i}", "csrfmiddlewaretoken": forms[i]})

        with ThreadPoolExecutor(PARALLEL_GUESSES) as pool:
            answers = list(pool.map(guess, range(PARALLEL_GUESSES)))
    assert [status for status, _, _ in answers] == [200] * PARALLEL_GUESSES
    outcome = json.loads(run_python(env, OUTCOME))
    # Every request that was not refused as locked had its password checked.
    checked = PARALLEL_GUESSES - outcome["actions"].get("auth.login_refused_locked", 0)
    assert checked <= settings.LOGIN_FAILURE_LIMIT, outcome
    assert outcome["locked"] and outcome["actions"].get("auth.locked") == 1, outcome
    assert {_refusal(page) for _, page, _ in answers} == {unknown_words}
