"""What a visitor sees when something goes wrong: a Chinese error page, never Django's debug page, also on a server
started with no configuration at all."""

import importlib.util
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from ipcity import startup
from tests.serving import bare_environment, browser, csrf_token, fetch, served

DEBUG_PAGE_MARKS = ["Traceback", "URLconf", "DEBUG = True", "SECRET_KEY", "OperationalError", "Request Method",
                    "django.", "settings"]


def _assert_no_debug_page(body: str) -> None:
    assert not [mark for mark in DEBUG_PAGE_MARKS if mark in body], body[:3000]


def test_a_bare_ipcity_serve_shows_chinese_error_pages_and_never_a_traceback(tmp_path):
    env = bare_environment(tmp_path / "data")  # no IPCITY_ENV, no secret, nothing
    with served(env, tmp_path / "server.log") as server:
        visitor = browser()
        status, body, _ = fetch(visitor, server.url + "/no-such-page/")
        assert status == 404 and "页面不存在" in body
        _assert_no_debug_page(body)

        # Plain http on this machine still signs in: the CSRF cookie comes back (it is not marked Secure).
        status, page, headers = fetch(visitor, server.url + "/login/")
        assert "Strict-Transport-Security" not in headers
        status, body, _ = fetch(visitor, server.url + "/login/", {"username": "nobody", "password": "x",
                                                                  "csrfmiddlewaretoken": csrf_token(page)})
        assert status == 200 and "用户名或密码错误" in body

        # Break the database under the running server: every page now fails while rendering.
        with sqlite3.connect(tmp_path / "data" / "ipcity.sqlite3") as db:
            db.execute("ALTER TABLE accounts_organization RENAME TO accounts_organization_gone")
        status, body, _ = fetch(browser(), server.url + "/")
        assert status == 500 and "服务器内部错误" in body
        _assert_no_debug_page(body)
        log = server.output()
    key = tmp_path / "data" / "secret_key"
    assert key.is_file() and stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_text().strip()) >= 40
    assert "已生成密钥" in log


def test_a_production_start_without_a_key_uses_the_one_serve_stored_in_the_data_folder(tmp_path):
    assert startup.ensure_stored_secret_key(tmp_path) is True
    assert startup.ensure_stored_secret_key(tmp_path) is False  # kept across restarts: sessions stay valid
    env = bare_environment(tmp_path, IPCITY_ENV="production", DJANGO_SETTINGS_MODULE="ipcity.settings")
    shown = subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                            "print(settings.SECRET_KEY, settings.DEBUG)"], env=env, capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == [(tmp_path / "secret_key").read_text().strip(), "False"]


@pytest.mark.parametrize(("given", "host", "expected"), [
    ({}, "127.0.0.1", {"IPCITY_ENV": "production", "IPCITY_HTTPS": "0"}),
    ({}, "0.0.0.0", {"IPCITY_ENV": "production", "IPCITY_HTTPS": None}),  # reachable from the network: HTTPS stays on
    ({"IPCITY_HTTPS": "1"}, "localhost", {"IPCITY_ENV": "production", "IPCITY_HTTPS": "1"}),
    ({"IPCITY_ENV": "development"}, "127.0.0.1", {"IPCITY_ENV": "development", "IPCITY_HTTPS": None}),
])
def test_serve_is_production_unless_development_is_asked_for(tmp_path, monkeypatch, given, host, expected):
    for name in ["IPCITY_ENV", "IPCITY_HTTPS", "IPCITY_SECRET_KEY"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("IPCITY_DATA_DIR", str(tmp_path))
    for name, value in given.items():
        monkeypatch.setenv(name, value)
    startup.serve_environment(host)
    assert {name: os.environ.get(name) for name in expected} == expected
    assert (tmp_path / "secret_key").exists() == (expected["IPCITY_ENV"] == "production")


def test_dev_py_start_asks_for_development_for_the_demo_and_the_server(monkeypatch):
    spec = importlib.util.spec_from_file_location("dev_script", Path(__file__).resolve().parents[1] / "dev.py")
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    monkeypatch.delenv("IPCITY_ENV", raising=False)
    started = []
    monkeypatch.setattr(dev, "ensure_environment", lambda: None)
    monkeypatch.setattr(dev.subprocess, "run", lambda cmd, **kw: started.append((cmd[-1], kw["env"]["IPCITY_ENV"])))
    monkeypatch.setattr(dev.subprocess, "call", lambda cmd, **kw: started.append((cmd[1], kw["env"]["IPCITY_ENV"])) or 0)
    assert dev.main(["start"]) == 0
    assert started == [("demo", "development"), ("serve", "development")]


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
