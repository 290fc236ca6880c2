"""Registering bare digests proves nothing about who holds a file: anyone can read the digests from the public log.
So only trade secrets (hashed in the browser, content never sent) are registered that way, digests another
organization already registered cannot be claimed again, and every hash-only certificate says plainly that the
platform never saw the content. Date fields hold real dates."""

import base64
import datetime as dt
import json
import re
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipcity import clock
from ipcity.cli import main as ipcity_main
from ipcity.evidence.core.leaf import Leaf, content_digests
from ipcity.evidence.core.tiles import read_entry_bundle
from ipcity.evidence.keys import log_keys
from ipcity.evidence.models import Registration

WORK = {"title": "南开老城厢手绘地图", "work_type": "美术", "author": "张三", "completed_on": "2026-10-01"}
CAPTURE = {"title": "侵权网页", "source_type": "网页", "source": "https://example.com/copy", "captured_on": "2026-11-01"}
OTHER_KINDS = {
    "copyright_work": WORK,
    "electronic_data": CAPTURE,
    "data_ip": {"dataset_name": "港口吞吐数据", "source": "自采", "collection_rules": "每日", "scale": "1万条",
                "update_frequency": "每日"},
    "research_result": {"title": "新型催化剂", "institution": "测试大学", "project": "国家自然科学基金", "researchers": "王五"},
    "notarization": {"title": "网页公证", "notary": "测试公证处", "purpose": "诉讼"},
}
NEVER_SAW = "平台从未见过文件内容"


def _register_file(client, content=b"%PDF-1.4 hand-drawn map", kind="copyright_work", metadata=None):
    return client.post("/api/v1/evidence/registrations/file", {
        "kind": kind, "metadata": json.dumps(metadata or WORK, ensure_ascii=False),
        "file": SimpleUploadedFile("map.pdf", content)})


def _register_digests(client, kind, metadata, sha256, sm3):
    return client.post("/api/v1/evidence/registrations", json.dumps(
        {"kind": kind, "metadata": metadata, "sha256": sha256, "sm3": sm3}, ensure_ascii=False),
        content_type="application/json")


def _digests_from_the_public_log(client, size) -> list[Leaf]:
    """What anybody can read without an account: the leaves in the log's entry tiles."""
    entries = client.get(f"/evidence/log/tile/entries/000.p/{size}")
    assert entries.status_code == 200
    return [Leaf.decode(e) for e in read_entry_bundle(entries.content)]


def _pdf_text(pdf: bytes) -> str:
    """The text a reader sees: reportlab writes each line as a UTF-16BE literal in a compressed content stream."""
    lines = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            content = zlib.decompress(base64.a85decode(stream.strip(), adobe=True))
        except ValueError:
            continue
        for literal in re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", content, re.S):
            raw = re.sub(rb"\\([0-7]{1,3}|.)", lambda m: bytes([int(m.group(1), 8)]) if m.group(1)[:1].isdigit()
                         else m.group(1), literal)
            lines.append(raw.decode("utf-16-be", errors="replace") if len(raw) % 2 == 0 else raw.decode("latin-1"))
    return "".join(lines)


def test_another_organization_cannot_register_a_copyright_work_by_digests_read_from_the_public_log(
        client_for, client, people):
    author = client_for("enterprise_user")
    assert _register_file(author).status_code == 201
    (leaf,) = _digests_from_the_public_log(client, 1)
    claimant = client_for("university_user")
    response = _register_digests(claimant, "copyright_work", {**WORK, "author": "冒名者"}, leaf.sha256, leaf.sm3)
    assert response.status_code == 422
    assert "只登记摘要仅适用于商业秘密" in json.dumps(response.json(), ensure_ascii=False)
    assert list(Registration.objects.values_list("organization__name", flat=True)) == ["测试企业有限公司"]


@pytest.mark.parametrize("kind", sorted(OTHER_KINDS))
def test_no_kind_but_trade_secrets_is_registered_by_bare_digests(client_for, people, kind):
    digest256, digest_sm3 = content_digests(b"a file the platform never sees")
    response = _register_digests(client_for("enterprise_user"), kind, OTHER_KINDS[kind], digest256, digest_sm3)
    assert response.status_code == 422
    assert "只登记摘要仅适用于商业秘密" in json.dumps(response.json(), ensure_ascii=False)
    assert not Registration.objects.exists()


def test_the_copyright_form_does_not_register_digests_without_the_file(client_for, people):
    digest256, digest_sm3 = content_digests(b"someone else's map")
    page = client_for("enterprise_user").post("/evidence/new/copyright_work/",
                                              {**WORK, "sha256": digest256, "sm3": digest_sm3})
    assert page.status_code == 200 and not Registration.objects.exists()


def test_digests_another_organization_registered_as_a_trade_secret_cannot_be_claimed_again(client_for, client, people):
    owner = client_for("enterprise_user")
    digest256, digest_sm3 = content_digests(bytes(range(32)) + b"formula: 3 parts resin, 1 part hardener")
    assert _register_digests(owner, "trade_secret", {"title": "胶粘剂配方", "secret_type": "技术信息"},
                             digest256, digest_sm3).status_code == 201
    (leaf,) = _digests_from_the_public_log(client, 1)
    claim = _register_digests(client_for("university_user"), "trade_secret",
                              {"title": "我们的配方", "secret_type": "技术信息"}, leaf.sha256, leaf.sm3)
    assert claim.status_code == 422
    assert "已由其他机构登记" in json.dumps(claim.json(), ensure_ascii=False)
    again = _register_digests(owner, "trade_secret", {"title": "胶粘剂配方", "secret_type": "技术信息"},
                              digest256, digest_sm3)
    assert again.status_code == 200 and Registration.objects.count() == 1


@pytest.mark.parametrize("ending", ["\n", " ", "\r\n"])
def test_a_registered_digest_with_a_line_break_or_space_after_it_is_refused_not_claimed(client_for, client, people,
                                                                                       ending):
    """A digest is 64 hexadecimal characters and nothing after them: the same digest with a line break appended was
    taken as new, so another organization could claim what was already registered."""
    owner = client_for("enterprise_user")
    digest256, digest_sm3 = content_digests(b"formula: 3 parts resin, 1 part hardener")
    assert _register_digests(owner, "trade_secret", {"title": "胶粘剂配方", "secret_type": "技术信息"},
                             digest256, digest_sm3).status_code == 201
    claim = _register_digests(client_for("university_user"), "trade_secret",
                              {"title": "我们的配方", "secret_type": "技术信息"}, digest256 + ending, digest_sm3 + ending)
    assert claim.status_code == 422
    assert "64位小写十六进制" in json.dumps(claim.json(), ensure_ascii=False)
    assert Registration.objects.count() == 1


def test_a_hash_only_certificate_says_the_platform_never_saw_the_content(client_for, client, people, tmp_path, capsys):
    owner = client_for("enterprise_user")
    salt, secret = bytes(range(32)), b"formula: 3 parts resin, 1 part hardener"
    digest256, digest_sm3 = content_digests(salt + secret)
    registered = _register_digests(owner, "trade_secret", {"title": "胶粘剂配方", "secret_type": "技术信息"},
                                   digest256, digest_sm3).json()
    assert registered["digests_only"] is True
    pk = registered["id"]
    assert NEVER_SAW in _pdf_text(owner.get(f"/evidence/registrations/{pk}/certificate.pdf").content)
    assert NEVER_SAW in owner.get(f"/evidence/registrations/{pk}/").content.decode()
    item = Registration.objects.get(pk=pk)
    lookup = client.get("/evidence/verify/", {"i": item.index, "h": item.sha256, "n": item.checkpoint.size,
                                              "r": item.checkpoint.root_sha256}).content.decode()
    assert NEVER_SAW in lookup
    bundle = owner.get(f"/evidence/registrations/{pk}/bundle").content
    page = client.post("/evidence/verify/", {"bundle": SimpleUploadedFile("b.txt", bundle),
                                             "file": SimpleUploadedFile("s.bin", salt + secret)}).content.decode()
    assert 'data-ok="true"' in page and NEVER_SAW in page
    api = client.post("/api/v1/evidence/verify", {"bundle": SimpleUploadedFile("b.txt", bundle)}).json()
    assert any(NEVER_SAW in note for note in api["notes"])
    (tmp_path / "b").write_bytes(bundle)
    (tmp_path / "secret").write_bytes(secret)
    (tmp_path / "keys").write_text(log_keys().public_text(), encoding="utf-8")
    assert ipcity_main(["evidence", "verify", str(tmp_path / "b"), str(tmp_path / "secret"), "--salt", salt.hex(),
                        "--keys", str(tmp_path / "keys")]) == 0
    assert NEVER_SAW in capsys.readouterr().out


def test_a_certificate_of_an_uploaded_file_does_not_carry_the_hash_only_warning(client_for, people):
    owner = client_for("enterprise_user")
    registered = _register_file(owner).json()
    assert registered["digests_only"] is False
    assert NEVER_SAW not in _pdf_text(owner.get(f"/evidence/registrations/{registered['id']}/certificate.pdf").content)
    assert "南开老城厢手绘地图" in _pdf_text(
        owner.get(f"/evidence/registrations/{registered['id']}/certificate.pdf").content)


@pytest.mark.parametrize("value", ["2026-02-30", "0001-01-01", "2999-01-01", "yesterday", "20260101", "2026-1-5",
                                   "tomorrow"])
def test_a_date_field_that_is_not_a_real_sane_date_is_refused_with_a_clear_message(client_for, people, value):
    if value == "tomorrow":  # a real date, but a work cannot have been completed (nor a page captured) after today
        value = (clock.today() + dt.timedelta(days=1)).isoformat()
    client = client_for("enterprise_user")
    response = _register_file(client, metadata={**WORK, "completed_on": value})
    assert response.status_code == 422
    text = json.dumps(response.json(), ensure_ascii=False)
    assert "日期" in text and ("completed_on" in text or "创作完成日期" in text), text
    response = _register_file(client, kind="electronic_data", metadata={**CAPTURE, "captured_on": value})
    assert response.status_code == 422
    text = json.dumps(response.json(), ensure_ascii=False)
    assert "日期" in text and ("captured_on" in text or "取证日期" in text), text
    assert not Registration.objects.exists()


def test_a_completion_date_after_today_is_refused_naming_the_field_and_today(client_for, people):
    tomorrow = clock.today() + dt.timedelta(days=1)
    response = _register_file(client_for("enterprise_user"), metadata={**WORK, "completed_on": tomorrow.isoformat()})
    assert response.status_code == 422
    assert f"创作完成日期应在 1900-01-01 至今天（{clock.today():%Y-%m-%d}）之间" in json.dumps(
        response.json(), ensure_ascii=False)


def test_the_form_refuses_a_date_after_today_next_to_the_field(client_for, people):
    tomorrow = clock.today() + dt.timedelta(days=1)
    page = client_for("enterprise_user").post("/evidence/new/copyright_work/", {
        **WORK, "completed_on": tomorrow.isoformat(), "file": SimpleUploadedFile("map.pdf", b"map")})
    assert page.status_code == 200 and "创作完成日期应在 1900-01-01 至今天" in page.content.decode()
    assert not Registration.objects.exists()
