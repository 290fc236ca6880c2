"""Registering evidence through the pages and the API, getting the certificate at once, and checking it the way
a court or a counterparty would: offline, with the platform's published keys."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from ipcity.audit.models import AuditEntry
from ipcity.evidence.core.bundle import Bundle, verify_bundle
from ipcity.evidence.core.merkle import leaf_hash, sha256, verify_consistency
from ipcity.evidence.core.note import Checkpoint, verify_note
from ipcity.evidence.core.tiles import read_entry_bundle
from ipcity.evidence.keys import log_keys
from ipcity.evidence.ledger import sequence_pending
from ipcity.evidence.models import LogCheckpoint, Registration

WORK = {"title": "南开老城厢手绘地图", "work_type": "美术", "author": "张三", "completed_on": "2026-10-01"}


def _register_file(client, content=b"%PDF-1.4 hand-drawn map", kind="copyright_work", metadata=None, **extra):
    return client.post("/api/v1/evidence/registrations/file", {
        "kind": kind, "metadata": json.dumps(metadata or WORK, ensure_ascii=False),
        "file": SimpleUploadedFile("map.pdf", content), **extra})


def _bundle(client, registration_id) -> str:
    response = client.get(f"/api/v1/evidence/registrations/{registration_id}/bundle")
    assert response.status_code == 200, response.content
    return response.content.decode()


def test_a_file_registered_in_the_page_gets_a_certificate_that_verifies_offline(client_for, people):
    client = client_for("enterprise_user")
    response = client.post("/evidence/new/copyright_work/", {**WORK, "file": SimpleUploadedFile("map.pdf", b"map v1")})
    registration = Registration.objects.get()
    assert response["Location"] == f"/evidence/registrations/{registration.pk}/"
    assert registration.index == 0 and registration.checkpoint.size == 1
    page = client.get(response["Location"]).content.decode()
    assert "NKEV-0000000000" in page and "下载证书包" in page
    text = client.get(f"/evidence/registrations/{registration.pk}/bundle").content.decode()
    report = verify_bundle(text, trusted=log_keys().trusted, content=b"map v1")
    assert report.ok, [(c.name, c.detail) for c in report.failures()]
    assert not verify_bundle(text, trusted=log_keys().trusted, content=b"map v2").ok
    pdf = client.get(f"/evidence/registrations/{registration.pk}/certificate.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="evidence.register").count() == 1


def test_the_api_waits_for_the_certificate_and_a_duplicate_returns_the_same_entry(client_for, people):
    client = client_for("university_user")
    first = _register_file(client)
    assert first.status_code == 201 and first.json()["status"] == "sequenced"
    again = _register_file(client)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Registration.objects.count() == 1 and LogCheckpoint.objects.count() == 1
    assert verify_bundle(_bundle(client, first.json()["id"]), trusted=log_keys().trusted,
                         content=b"%PDF-1.4 hand-drawn map").ok


def test_a_registration_that_does_not_wait_is_pending_until_the_sequencer_seals_it(client_for, people):
    client = client_for("enterprise_user")
    response = client.post("/api/v1/evidence/registrations/file?wait=false", {
        "kind": "copyright_work", "metadata": json.dumps(WORK, ensure_ascii=False),
        "file": SimpleUploadedFile("map.pdf", b"later")})
    pending = response.json()
    assert response.status_code == 201 and pending["status"] == "pending" and pending["index"] is None
    assert client.get(f"/api/v1/evidence/registrations/{pending['id']}/bundle").status_code == 422
    sequence_pending()
    assert client.get(f"/api/v1/evidence/registrations/{pending['id']}").json()["status"] == "sequenced"


def test_a_trade_secret_is_registered_by_its_salted_hashes_only(client_for, people):
    client = client_for("enterprise_user")
    salt, secret = bytes(range(32)), b"formula: 3 parts resin, 1 part hardener"
    from ipcity.evidence.core.leaf import content_digests

    digest256, digest_sm3 = content_digests(salt + secret)
    response = client.post("/api/v1/evidence/registrations", json.dumps({
        "kind": "trade_secret", "metadata": {"title": "胶粘剂配方", "secret_type": "技术信息"},
        "sha256": digest256, "sm3": digest_sm3}), content_type="application/json")
    assert response.status_code == 201 and response.json()["salted"]
    text = _bundle(client, response.json()["id"])
    assert verify_bundle(text, trusted=log_keys().trusted, content=salt + secret).ok
    assert not verify_bundle(text, trusted=log_keys().trusted, content=secret).ok
    refused = client.post("/evidence/new/trade_secret/", {"title": "配方", "secret_type": "技术信息",
                                                           "file": SimpleUploadedFile("secret.txt", secret)})
    assert refused.status_code == 200 and Registration.objects.count() == 1


def test_bad_fields_are_refused_by_name_and_nothing_is_registered(client_for, people):
    client = client_for("enterprise_user")
    response = _register_file(client, metadata={"title": "", "work_type": "雕塑", "author": "张三",
                                                "completed_on": "2026-10-01", "colour": "红"})
    assert response.status_code == 422
    text = json.dumps(response.json(), ensure_ascii=False)
    assert "请填写作品名称" in text and "作品类型应为" in text and "colour" in text
    assert _register_file(client, kind="patent").status_code == 422
    assert Registration.objects.count() == 0


def test_a_title_longer_than_the_certificate_holds_is_refused_not_cut(client_for, people):
    client = client_for("enterprise_user")
    response = _register_file(client, metadata={**WORK, "title": "长" * 201})
    assert response.status_code == 422 and "作品名称不超过200字" in json.dumps(response.json(), ensure_ascii=False)
    assert not Registration.objects.exists()
    assert _register_file(client, metadata={**WORK, "title": "长" * 200}).status_code == 201
    assert Registration.objects.get().title == "长" * 200


@override_settings(EVIDENCE_MAX_BYTES=1024)
def test_a_file_over_the_limit_is_refused_while_it_streams_in(client_for, people):
    client = client_for("enterprise_user")
    response = _register_file(client, content=b"x" * 5000)
    assert response.status_code == 422 and "超过" in json.dumps(response.json(), ensure_ascii=False)
    page = client.post("/evidence/new/copyright_work/", {**WORK, "file": SimpleUploadedFile("big.pdf", b"x" * 5000)})
    assert page.status_code == 200 and "文件“big.pdf”超过 1 KB 的上限，未上传" in page.content.decode()
    assert Registration.objects.count() == 0


@override_settings(EVIDENCE_RATE_PER_MINUTE=2)
def test_an_account_registering_too_fast_is_slowed_down(client_for, people, frozen_clock):
    client = client_for("enterprise_user")
    assert [_register_file(client, content=b"file %d" % i).status_code for i in range(3)] == [201, 201, 429]
    frozen_clock.advance(seconds=60)  # the minute counts its first instant
    assert _register_file(client, content=b"file 3").status_code == 429
    frozen_clock.advance(microseconds=1)
    assert _register_file(client, content=b"file 3").status_code == 201


def test_owners_see_their_own_registrations_and_the_office_sees_statistics_only(client_for, people):
    owner = client_for("enterprise_user")
    registration_id = _register_file(owner).json()["id"]
    other = client_for("university_user")
    assert other.get(f"/api/v1/evidence/registrations/{registration_id}").status_code == 404
    assert other.get(f"/evidence/registrations/{registration_id}/bundle").status_code == 404
    office = client_for("office_admin")
    assert office.get("/api/v1/evidence/registrations").status_code == 403
    stats = office.get("/api/v1/evidence/statistics").json()
    assert stats["total"] == 1 and dict(stats["by_kind"])["版权作品存证"] == 1
    assert owner.get("/api/v1/evidence/statistics").status_code == 403


def test_the_public_verify_page_names_what_failed(client, people, client_for):
    owner = client_for("enterprise_user")
    text = _bundle(owner, _register_file(owner).json()["id"])
    ok = client.post("/evidence/verify/", {"bundle": SimpleUploadedFile("b.txt", text.encode()),
                                           "file": SimpleUploadedFile("map.pdf", b"%PDF-1.4 hand-drawn map")})
    assert 'data-testid="report" data-ok="true"' in ok.content.decode()
    tampered = text.replace("index 0", "index 1")
    bad = client.post("/evidence/verify/", {"bundle": SimpleUploadedFile("b.txt", tampered.encode())})
    page = bad.content.decode()
    assert 'data-ok="false"' in page and 'data-check="证书包封签" data-ok="false"' in page
    api = client.post("/api/v1/evidence/verify", {"bundle": SimpleUploadedFile("b.txt", text.encode()),
                                                  "file": SimpleUploadedFile("x", b"other")}).json()
    assert not api["ok"] and [c["name"] for c in api["checks"] if not c["ok"]] == ["文件内容"]


def test_the_qr_code_lookup_confirms_the_entry(client, client_for, people):
    owner = client_for("enterprise_user")
    registration = Registration.objects.get(pk=_register_file(owner).json()["id"])
    query = {"i": 0, "h": registration.sha256, "n": 1, "r": registration.checkpoint.root_sha256}
    page = client.get("/evidence/verify/", query).content.decode()
    assert page.count("与二维码一致") == 2
    assert "与二维码不符" in client.get("/evidence/verify/", {**query, "h": "0" * 64}).content.decode()


def test_anyone_can_mirror_the_log_from_its_checkpoint_tiles_and_entries(client, client_for, people):
    owner = client_for("enterprise_user")
    for i in range(3):
        _register_file(owner, content=b"entry %d" % i)
    note = client.get("/evidence/log/checkpoint").content.decode()
    text, _ = verify_note(note, [log_keys().log.verifier, log_keys().log_sm2.verifier, log_keys().witness.verifier])
    checkpoint = Checkpoint.parse(text)
    assert checkpoint.size == 3
    entries = read_entry_bundle(client.get("/evidence/log/tile/entries/000.p/3").content)
    tile = client.get("/evidence/log/tile/0/000.p/3").content
    assert tile == b"".join(leaf_hash(sha256, e) for e in entries)
    earlier = client.get("/evidence/log/tile/0/000.p/2").content  # the size-2 checkpoint was published too
    assert earlier == tile[:64]
    assert client.get("/evidence/log/tile/0/000.p/4").status_code == 404  # no checkpoint of size 4
    assert client.get("/evidence/log/tile/0/000").status_code == 404  # not a full tile yet
    keys = client.get("/evidence/log/keys").content.decode()
    assert log_keys().log.verifier.vkey() in keys


def test_consecutive_checkpoints_are_consistent_and_each_is_cosigned_and_stamped(client_for, people):
    from ipcity.evidence.ledger import log_tree

    owner = client_for("enterprise_user")
    for i in range(5):
        _register_file(owner, content=b"batch %d" % i)
    checkpoints = list(LogCheckpoint.objects.order_by("size"))
    assert [c.size for c in checkpoints] == [1, 2, 3, 4, 5]
    tree = log_tree(5)
    for old, new in zip(checkpoints, checkpoints[1:], strict=False):
        verify_consistency(sha256, old.size, new.size, bytes.fromhex(old.root_sha256), bytes.fromhex(new.root_sha256),
                           tree.sha256_tree.consistency_proof(old.size, new.size))
    _, stamps = verify_note(checkpoints[-1].note, [log_keys().witness.verifier])
    assert list(stamps.values())[0] is not None
    bundle = Bundle.decode(_bundle(owner, Registration.objects.get(index=0).pk))
    assert bundle.index == 0 and Checkpoint.parse(bundle.checkpoint_note.split("\n\n")[0] + "\n").size == 1


@pytest.mark.parametrize("persona", ["unit_staff", "mediator", "expert"])
def test_people_who_do_not_register_evidence_cannot(client_for, people, persona):
    assert _register_file(client_for(persona)).status_code == 403
