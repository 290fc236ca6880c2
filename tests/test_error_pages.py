"""What a visitor sees when something goes wrong: a Chinese error page, never Django's debug page, also on a real
production server; and what a production start needs (tests/test_production_start.py checks what it refuses)."""

import importlib.util
import os
import re
import secrets
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client

from ipcity import startup
from tests.serving import bare_environment, browser, csrf_token, fetch, migrated_sqlite, served

DEBUG_PAGE_MARKS = ["Traceback", "URLconf", "DEBUG = True", "SECRET_KEY", "OperationalError", "Request Method",
                    "django.", "settings"]


def _assert_no_debug_page(body: str) -> None:
    assert not [mark for mark in DEBUG_PAGE_MARKS if mark in body], body[:3000]


def production_environment(data_dir: Path, **extra: str) -> dict:
    """What a production deployment sets: its own key and data folder, mail explicitly off, nothing else."""
    return bare_environment(data_dir, IPCITY_ENV="production", IPCITY_SECRET_KEY=secrets.token_urlsafe(50),
                            IPCITY_EMAIL_DISABLED="1", **extra)


def test_a_production_ipcity_serve_shows_chinese_error_pages_hashed_static_names_and_logs_request_ids(tmp_path):
    env = production_environment(tmp_path / "data")
    migrated_sqlite(tmp_path / "data")
    for step in (["evidence", "keys", "init"], ["migrate"]):  # the deployment's one-time steps, then the server
        done = subprocess.run([sys.executable, "-m", "ipcity.cli", *step], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    with served(env, tmp_path / "server.log") as server:
        visitor = browser()
        status, body, _ = fetch(visitor, server.url + "/no-such-page/")
        assert status == 404 and "页面不存在" in body
        _assert_no_debug_page(body)

        # Plain http on this machine still signs in: the CSRF cookie comes back (it is not marked Secure).
        status, page, headers = fetch(visitor, server.url + "/login/")
        assert "Strict-Transport-Security" not in headers
        assert re.search(r'href="/static/ipcity/css/site\.[0-9a-f]{12}\.css"', page), page  # cached safely for a year
        status, body, _ = fetch(visitor, server.url + "/login/", {"username": "nobody", "password": "x",
                                                                  "csrfmiddlewaretoken": csrf_token(page)})
        assert status == 200 and "用户名或密码错误" in body

        # Break the database under the running server: every page now fails while rendering.
        with sqlite3.connect(tmp_path / "data" / "ipcity.sqlite3") as db:
            db.execute("ALTER TABLE accounts_organization RENAME TO accounts_organization_gone")
        status, body, headers = fetch(browser(), server.url + "/")
        assert status == 500 and "服务器内部错误" in body
        _assert_no_debug_page(body)
        request_id = headers["X-Request-ID"]
        assert f"错误编号：<code data-testid=\"request-id\">{request_id}</code>" in body  # what the person reports
        deadline = time.monotonic() + 10
        while f"[{request_id}] django.request" not in server.output() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert f"ERROR [{request_id}] django.request: Internal Server Error: /" in server.output()
    assert not (tmp_path / "data" / "secret_key").exists()  # nothing generated behind the operator's back


def test_a_key_an_earlier_serve_stored_in_the_data_folder_still_counts_in_production(tmp_path):
    stored = secrets.token_urlsafe(50)
    (tmp_path / "secret_key").write_text(stored + "\n", encoding="ascii")
    env = bare_environment(tmp_path, IPCITY_ENV="production", IPCITY_EMAIL_DISABLED="1",
                           DJANGO_SETTINGS_MODULE="ipcity.settings")
    shown = subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                            "print(settings.SECRET_KEY, settings.DEBUG)"], env=env, capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == [stored, "False"]


@pytest.mark.parametrize(("given", "dev", "host", "expected"), [
    ({}, False, "127.0.0.1", {"IPCITY_ENV": "production", "IPCITY_HTTPS": "0"}),
    ({}, False, "0.0.0.0", {"IPCITY_ENV": "production", "IPCITY_HTTPS": None}),  # reachable: HTTPS stays on
    ({"IPCITY_HTTPS": "1"}, False, "localhost", {"IPCITY_ENV": "production", "IPCITY_HTTPS": "1"}),
    ({"IPCITY_ENV": "development"}, False, "127.0.0.1", {"IPCITY_ENV": "development", "IPCITY_HTTPS": None}),
    ({}, True, "127.0.0.1", {"IPCITY_ENV": "development", "IPCITY_HTTPS": None}),
    ({"IPCITY_ENV": "production"}, True, "127.0.0.1", {"IPCITY_ENV": "development", "IPCITY_HTTPS": None}),
])
def test_serve_is_production_unless_development_is_asked_for(tmp_path, monkeypatch, given, dev, host, expected):
    for name in ["IPCITY_ENV", "IPCITY_HTTPS", "IPCITY_SECRET_KEY"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("IPCITY_DATA_DIR", str(tmp_path))
    for name, value in given.items():
        monkeypatch.setenv(name, value)
    startup.serve_environment(host, development=dev)
    assert {name: os.environ.get(name) for name in expected} == expected
    assert not (tmp_path / "secret_key").exists()  # a production key is given, never made up


def test_dev_py_start_asks_for_development_for_the_demo_and_the_server(monkeypatch):
    spec = importlib.util.spec_from_file_location("dev_script", Path(__file__).resolve().parents[1] / "dev.py")
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    monkeypatch.delenv("IPCITY_ENV", raising=False)
    started = []
    monkeypatch.setattr(dev, "ensure_environment", lambda: None)
    monkeypatch.setattr(dev.subprocess, "run", lambda cmd, **kw: started.append((cmd[-1], kw["env"]["IPCITY_ENV"])))
    monkeypatch.setattr(dev.subprocess, "call", lambda cmd, **kw: started.append((" ".join(cmd[1:3]), kw["env"]["IPCITY_ENV"])) or 0)

    class Worker:
        def __init__(self, cmd, **kw):
            started.append((cmd[-1], kw["env"]["IPCITY_ENV"]))

        def terminate(self):
            started.append(("worker stopped", ""))

        def wait(self):
            pass

    monkeypatch.setattr(dev.subprocess, "Popen", Worker)
    assert dev.main(["start"]) == 0
    assert started == [("demo", "development"), ("worker", "development"), ("serve --dev", "development"),
                       ("worker stopped", "")]


def test_a_request_for_an_unknown_host_gets_the_chinese_400_page(plan):
    response = Client().get("/", HTTP_HOST="attacker.example")
    body = response.content.decode()
    assert response.status_code == 400 and "请求无效" in body
    _assert_no_debug_page(body)


def test_a_form_posted_without_its_csrf_token_gets_the_chinese_403_page(plan):
    response = Client(enforce_csrf_checks=True).post("/login/", {"username": "a", "password": "b"})
    body = response.content.decode()
    assert response.status_code == 403 and "表单已失效" in body
    _assert_no_debug_page(body)
