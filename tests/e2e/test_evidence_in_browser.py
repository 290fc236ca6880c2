"""In a real browser: an enterprise registers a file, downloads its certificate, and the certificate verifies with
the command line on a machine that cannot reach the platform; a trade secret is hashed in the browser only."""

import hashlib

import pytest

from ipcity.evidence.core.sm3 import sm3_pure
from ipcity.evidence.keys import log_keys
from ipcity.evidence.models import Registration
from tests.e2e.conftest import sign_in
from tests.evidence.helpers import verify_offline

pytestmark = pytest.mark.browser


def test_a_registered_file_downloads_a_certificate_that_verifies_offline(open_page, people, tmp_path):
    page = open_page()
    sign_in(page, "enterprise_user")
    work = tmp_path / "设计图.txt"
    work.write_text("新型节能灯具外观设计图（第三稿）", encoding="utf-8")
    page.goto("/evidence/")
    page.click("[data-kind=copyright_work]")
    page.fill("#id_title", "节能灯具设计图")
    page.select_option("#id_work_type", "图形")
    page.fill("#id_author", "王五")
    page.fill("#id_completed_on", "2026-10-20")
    page.set_input_files("#id_file", str(work))
    page.click("[data-testid=evidence-form] button[type=submit]")
    page.wait_for_selector("text=登记成功，证书已生成")
    assert page.inner_text("[data-testid=certificate-number]").startswith("NKEV-")
    with page.expect_download() as download:
        page.click("[data-testid=bundle-link]")
    bundle = tmp_path / "certificate.ipcity-evidence"
    download.value.save_as(bundle)
    keys = tmp_path / "keys.txt"
    keys.write_text(log_keys().public_text(), encoding="utf-8")
    result = verify_offline(tmp_path, str(bundle), str(work), "--keys", str(keys))
    assert result.returncode == 0 and "核验通过" in result.stdout, result.stdout + result.stderr

    page.goto("/evidence/verify/")
    page.set_input_files("#id_bundle", str(bundle))
    page.set_input_files("#id_file", str(work))
    page.click("[data-testid=verify-form] button[type=submit]")
    assert page.get_attribute("[data-testid=report]", "data-ok") == "true"


def test_a_trade_secret_is_hashed_in_the_browser_and_never_uploaded(open_page, people, tmp_path):
    page = open_page()
    sign_in(page, "enterprise_user")
    secret = tmp_path / "配方.txt"
    content = "环氧树脂：固化剂 = 3 : 1，60℃ 固化 2 小时".encode() * 50
    secret.write_bytes(content)
    page.goto("/evidence/new/trade_secret/")
    requests = []
    page.on("request", lambda r: requests.append(r.post_data_buffer or b""))
    page.set_input_files("#secret-file", str(secret))
    page.wait_for_selector("#salt-download:not([hidden])")
    salt = bytes.fromhex(page.get_attribute("#salt-download", "data-salt"))
    assert page.input_value("input[name=sha256]") == hashlib.sha256(salt + content).hexdigest()
    assert page.input_value("input[name=sm3]") == sm3_pure(salt + content).hex()
    page.fill("#id_title", "胶粘剂配方")
    page.select_option("#id_secret_type", "技术信息")
    page.click("[data-testid=evidence-form] button[type=submit]")
    page.wait_for_selector("text=登记成功，证书已生成")
    registration = Registration.objects.get(kind="trade_secret")
    assert registration.salted and registration.sha256 == hashlib.sha256(salt + content).hexdigest()
    assert not any(content[:30] in body for body in requests), "the secret's bytes left the browser"
