"""`ipcity serve` is production unless --dev is given, and a production start refuses, in Chinese and naming each
variable, to go without a real secret key, a data folder, DEBUG off and a mail decision; signing keys are made only
when asked; every log line names its request, and a mail that fails is logged. (The server that does start is in
tests/test_error_pages.py.)"""

import io
import logging
import secrets
import subprocess
import sys

import pytest
from django.core.mail import send_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.http import HttpResponse
from django.test import RequestFactory

from ipcity import logs, startup
from ipcity.cli import main as ipcity
from ipcity.evidence import keys
from tests.serving import bare_environment

GOOD_KEY = secrets.token_urlsafe(50)
COMPLETE = {"IPCITY_DATA_DIR": "/srv/ipcity", "IPCITY_SECRET_KEY": GOOD_KEY,
            "IPCITY_EMAIL_BACKEND": "smtp", "IPCITY_EMAIL_HOST": "smtp.example.cn"}


@pytest.mark.parametrize(("change", "named"), [
    ({"IPCITY_SECRET_KEY": None}, "未设置 IPCITY_SECRET_KEY"),
    ({"IPCITY_SECRET_KEY": startup.DEVELOPMENT_SECRET_KEY}, "IPCITY_SECRET_KEY 是公开的开发用密钥"),
    ({"IPCITY_SECRET_KEY": "short-but-random"}, "IPCITY_SECRET_KEY 太短"),
    ({"IPCITY_DATA_DIR": None}, "未设置 IPCITY_DATA_DIR"),
    ({"IPCITY_DEBUG": "1"}, "IPCITY_DEBUG 已开启"),
    ({"IPCITY_EMAIL_BACKEND": None}, "未配置邮件发送"),
    ({"IPCITY_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "未配置邮件发送"),
    ({"IPCITY_EMAIL_HOST": None}, "未设置 IPCITY_EMAIL_HOST"),
])
def test_a_production_start_names_each_missing_or_unsafe_setting(change, named):
    environ = {k: v for k, v in {**COMPLETE, **change}.items() if v is not None}
    problems = startup.production_problems(environ)
    assert len(problems) == 1 and problems[0].startswith(named), problems


@pytest.mark.parametrize("mail", [{"IPCITY_EMAIL_BACKEND": "smtp", "IPCITY_EMAIL_HOST": "smtp.example.cn"},
                                  {"IPCITY_EMAIL_DISABLED": "1"}])
def test_a_complete_production_configuration_has_no_problem(mail):
    environ = {"IPCITY_DATA_DIR": "/srv/ipcity", "IPCITY_SECRET_KEY": GOOD_KEY, "IPCITY_DEBUG": "0", **mail}
    assert startup.production_problems(environ) == []


def test_serve_without_dev_refuses_debug_and_the_development_key_in_chinese(tmp_path):
    env = bare_environment(tmp_path, IPCITY_DEBUG="1", IPCITY_SECRET_KEY=startup.DEVELOPMENT_SECRET_KEY)
    done = subprocess.run([sys.executable, "-m", "ipcity.cli", "serve", "--port", "1"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "以生产模式启动，但以下条件未满足，未启动" in done.stderr
    assert "IPCITY_DEBUG 已开启" in done.stderr and "IPCITY_SECRET_KEY 是公开的开发用密钥" in done.stderr
    assert "ipcity serve --dev" in done.stderr
    assert "已启动" not in done.stdout and not (tmp_path / "ipcity.sqlite3").exists()  # nothing touched


def test_production_settings_refuse_the_same_incomplete_configuration(tmp_path):
    env = bare_environment(tmp_path, IPCITY_ENV="production", IPCITY_SECRET_KEY=GOOD_KEY,
                           DJANGO_SETTINGS_MODULE="ipcity.settings")
    done = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode != 0 and "未配置邮件发送" in done.stderr


def test_production_makes_signing_keys_only_when_asked(tmp_path, settings, capsys):
    settings.DATA_DIR = tmp_path
    settings.EVIDENCE_KEYS_ON_FIRST_USE = False
    with pytest.raises(keys.KeysMissing, match="ipcity evidence keys init"):
        keys.log_keys()
    assert ipcity(["evidence", "keys"]) == 1
    assert "ipcity evidence keys init" in capsys.readouterr().err
    assert not keys.keys_path().exists()

    assert ipcity(["evidence", "keys", "init"]) == 0
    assert "已生成存证签名密钥" in capsys.readouterr().out
    made = keys.keys_path().read_bytes()
    assert ipcity(["evidence", "keys", "init"]) == 0  # never replaced: every certificate is signed with them
    assert "已存在，未改动" in capsys.readouterr().out
    assert keys.keys_path().read_bytes() == made and keys.keys_path().stat().st_mode & 0o077 == 0
    assert ipcity(["evidence", "keys"]) == 0
    assert capsys.readouterr().out == keys.log_keys().public_text()


class _RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("smtp.example.cn:25 refused")


def _captured(logger_name: str) -> tuple[logging.Handler, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RequestIdFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s [%(request_id)s] %(name)s: %(message)s"))
    logging.getLogger(logger_name).addHandler(handler)
    return handler, stream


def test_a_mail_that_fails_is_logged_with_the_request_id_even_when_sent_quietly(settings):
    settings.EMAIL_BACKEND = "ipcity.logs.LoggedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = f"{__name__}._RefusingBackend"
    handler, stream = _captured("ipcity.mail")

    def view(request):
        sent = send_mail("【到期提醒】", "正文", None, ["unit@example.cn"], fail_silently=True)
        return HttpResponse(str(sent))

    try:
        response = logs.RequestIdMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID="proxy-id-12345"))
        with pytest.raises(ConnectionRefusedError):  # not quiet: the caller hears of it too
            send_mail("主题", "正文", None, ["a@example.cn"])
    finally:
        logging.getLogger("ipcity.mail").removeHandler(handler)
    assert response.content == b"0" and response["X-Request-ID"] == "proxy-id-12345"
    lines = stream.getvalue().splitlines()
    assert lines[0] == "ERROR [proxy-id-12345] ipcity.mail: 邮件发送失败：1 封，收件人 unit@example.cn"
    assert "ConnectionRefusedError" in stream.getvalue()
    assert "ERROR [-] ipcity.mail: 邮件发送失败：1 封，收件人 a@example.cn" in lines  # outside a request


def test_a_request_id_that_could_forge_a_log_line_is_replaced():
    middleware = logs.RequestIdMiddleware(lambda request: HttpResponse(logs.current_request_id()))
    response = middleware(RequestFactory().get("/", HTTP_X_REQUEST_ID="x\nERROR forged"))
    assert response["X-Request-ID"] == response.content.decode() != "x\nERROR forged"
    assert len(response["X-Request-ID"]) == 32 and logs.current_request_id() == "-"
