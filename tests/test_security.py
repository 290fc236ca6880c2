"""The security baseline: passwords, lockout, idle sessions, CSRF, headers, uploads, masking, secrets."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from ipcity import clock
from ipcity.accounts.services import user_create
from ipcity.audit.models import AuditEntry
from ipcity.web.uploads import attachment_store, upload_path
from tests.conftest import PASSWORD


def _login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_a_user_signs_in_with_the_right_password_and_lands_on_their_workspace(people):
    client = Client()
    response = _login(client, "enterprise_user", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/workspace/"
    assert "企业工作台" in client.get("/workspace/").content.decode()
    assert AuditEntry.objects.filter(action="auth.login", actor=people["enterprise_user"]).exists()


@pytest.mark.parametrize(("password", "reason"), [
    ("Short1!", "密码长度太短"),
    ("alllowercaseletters", "至少三类"),
    ("12345678901234", "密码只包含数字"),
])
def test_weak_passwords_are_refused(people, password, reason):
    with pytest.raises(ValidationError) as refused:
        user_create(actor=None, username="weak", password=password, organization=people["unit_staff"].organization,
                    role="unit_staff")
    assert any(reason in m for m in refused.value.messages)


def test_a_role_cannot_be_given_in_the_wrong_kind_of_organization(people):
    with pytest.raises(ValidationError, match="不能属于企业"):
        user_create(actor=None, username="x", password=PASSWORD, organization=people["enterprise_user"].organization,
                    role="office_admin")


def test_an_idle_session_expires_and_the_user_must_sign_in_again(people, settings):
    client = Client()
    _login(client, "office_admin", PASSWORD)
    assert client.get("/workspace/").status_code == 200
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    import datetime as dt

    from django.utils import timezone
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/workspace/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_session_in_use_is_written_at_most_once_a_minute_and_its_idle_timeout_still_slides(people):
    import datetime as dt

    client = Client()
    start = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
    with clock.frozen_at(start):
        _login(client, "office_admin", PASSWORD)
        signed_in = Session.objects.get().expire_date
        for _ in range(3):
            assert client.get("/workspace/").status_code == 200
    assert Session.objects.get().expire_date == signed_in  # three pages within the minute: not one write
    with clock.frozen_at(start + dt.timedelta(seconds=61)):
        assert client.get("/workspace/").status_code == 200
    assert Session.objects.get().expire_date > signed_in  # used again after a minute: the idle timeout moves on


def test_an_anonymous_visit_gets_no_session(plan):
    client = Client()
    assert client.get("/").status_code == 200
    assert not Session.objects.exists() and "sessionid" not in client.cookies


def test_a_form_post_without_a_csrf_token_is_refused(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["office_admin"])
    assert client.post("/plan/tasks/1/", {"members_clause": "all"}).status_code == 403
    assert client.patch("/api/v1/plan/indicators/valid_patents", "{}", content_type="application/json").status_code == 403


def test_pages_carry_a_strict_content_security_policy_and_secure_headers(plan, client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self';" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_page_loads_anything_from_outside(plan, client_for):
    for path in ["/", "/indicators/", "/login/", "/api/v1/docs", "/plan/tasks/1/"]:
        html = client_for("office_admin").get(path).content.decode()
        assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html, path


def test_an_upload_whose_bytes_do_not_match_its_extension_is_refused(people):
    with pytest.raises(ValidationError, match="文件内容与扩展名"):
        attachment_store(uploaded_file=SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf"), actor=people["office_admin"])


def test_an_upload_of_a_forbidden_type_is_refused(people):
    with pytest.raises(ValidationError, match="不支持的文件类型"):
        attachment_store(uploaded_file=SimpleUploadedFile("run.exe", b"MZ"), actor=people["office_admin"])


@override_settings(UPLOAD_MAX_BYTES=1024)
def test_an_upload_over_the_size_limit_is_refused_and_leaves_no_file(people, settings):
    with pytest.raises(ValidationError, match="超过大小上限"):
        attachment_store(uploaded_file=SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 4096), actor=people["office_admin"])
    assert not any(p.is_file() for p in settings.UPLOAD_DIR.rglob("*") if "big" in p.name or p.suffix == ".part")


def test_uploads_are_stored_outside_the_web_root_under_a_random_name(people, settings):
    attachment = attachment_store(uploaded_file=SimpleUploadedFile("报告.pdf", b"%PDF-1.4"), actor=people["office_admin"])
    path = upload_path(attachment.stored_name)
    assert path.exists() and "报告" not in path.name
    assert settings.STATIC_ROOT not in path.parents
    assert Client().get(f"/static/{attachment.stored_name}").status_code == 404


def test_phone_and_id_numbers_are_masked_unless_the_role_needs_them(client_for, people):
    org = people["unit_staff"].organization_id
    masked = client_for("unit_staff").get(f"/api/v1/organizations/{org}/members").json()[0]
    assert (masked["phone"], masked["id_number"]) == ("139****5678", "1201**********1238")
    full = client_for("office_admin").get(f"/api/v1/organizations/{org}/members").json()[0]
    assert (full["phone"], full["id_number"]) == ("13912345678", "120104199001011238")
    assert AuditEntry.objects.filter(action="accounts.personal_data.view", actor=people["office_admin"]).exists()


def _start_in_production(env_extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IPCITY_", "DJANGO_"))}
    env.update({"IPCITY_ENV": "production", "DJANGO_SETTINGS_MODULE": "ipcity.settings", "IPCITY_EMAIL_DISABLED": "1",
                **env_extra})
    return subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True)


def test_production_mode_refuses_to_start_with_the_default_secret(tmp_path):
    result = _start_in_production({"IPCITY_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0 and "IPCITY_SECRET_KEY" in result.stderr


def test_production_mode_starts_with_a_real_secret(tmp_path):
    result = _start_in_production({"IPCITY_DATA_DIR": str(tmp_path), "IPCITY_SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr


def test_a_malformed_setting_stops_start_up_naming_the_variable(tmp_path):
    result = _start_in_production({"IPCITY_DATA_DIR": str(tmp_path), "IPCITY_SECRET_KEY": "x" * 50,
                                   "IPCITY_LOGIN_FAILURE_LIMIT": "five"})
    assert result.returncode != 0 and "IPCITY_LOGIN_FAILURE_LIMIT must be a whole number" in result.stderr


def test_an_api_token_notes_its_last_use_at_most_once_a_minute(people, frozen_clock):
    from ipcity.accounts.models import ApiToken
    from ipcity.accounts.services import api_token_create

    raw = api_token_create(user=people["office_admin"], name="脚本")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/me").status_code == 200
    first_use = ApiToken.objects.get().last_used_at
    assert first_use == frozen_clock.now
    frozen_clock.advance(seconds=30)
    assert client.get("/api/v1/me").status_code == 200
    assert ApiToken.objects.get().last_used_at == first_use  # within the minute: the row is not written again
    frozen_clock.advance(seconds=31)
    assert client.get("/api/v1/me").status_code == 200
    assert ApiToken.objects.get().last_used_at == frozen_clock.now


def test_a_password_hashed_by_an_earlier_version_still_signs_in_and_is_stored_as_argon2_from_then_on(people):
    from django.contrib.auth.hashers import make_password

    from ipcity.accounts.models import User

    production = [h for h in settings.PASSWORD_HASHERS if "MD5" not in h]
    with override_settings(PASSWORD_HASHERS=production):
        User.objects.filter(username="office_admin").update(
            password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
        client = Client()
        _login(client, "office_admin", PASSWORD)
        assert client.get("/workspace/").status_code == 200
        stored = User.objects.get(username="office_admin").password
        assert stored.startswith("argon2$argon2id$") and "m=19456,t=2,p=1" in stored
