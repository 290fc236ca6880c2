"""Internet notarization requests: registered like any evidence, forwarded to the chosen notary office, which
accepts and issues a notarial certificate or refuses with a reason."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.services import user_create
from ipcity.audit.models import AuditEntry
from ipcity.evidence.models import NotarizationRequest

REQUEST = {"title": "网店侵权页面公证", "notary": "测试公证处", "purpose": "诉讼证据"}


def _apply(client, metadata=None):
    return client.post("/api/v1/evidence/registrations/file", {
        "kind": "notarization", "metadata": json.dumps(metadata or REQUEST, ensure_ascii=False),
        "file": SimpleUploadedFile("page.html", b"<html>infringing listing</html>")})


def _act(client, pk, **body):
    return client.post(f"/api/v1/evidence/notarizations/{pk}/transitions", json.dumps(body),
                       content_type="application/json")


def test_the_notary_accepts_and_issues_a_certificate_the_applicant_then_sees(client_for, people):
    applicant, notary = client_for("enterprise_user"), client_for("notary_user")
    registration = _apply(applicant).json()
    assert registration["status"] == "sequenced"
    [pending] = notary.get("/api/v1/evidence/notarizations").json()
    assert pending["state"] == "submitted" and pending["sha256"] == registration["sha256"]
    premature = _act(notary, pending["id"], action="notarize", certificate_number="（2026）津南证字第1号")
    assert premature.status_code == 422 and "不能出具公证书" in json.dumps(premature.json(), ensure_ascii=False)
    assert _act(notary, pending["id"], action="accept").json()["state"] == "accepted"
    missing = _act(notary, pending["id"], action="notarize")
    assert missing.status_code == 422 and "请填写公证书编号" in json.dumps(missing.json(), ensure_ascii=False)
    done = _act(notary, pending["id"], action="notarize", certificate_number="（2026）津南证字第1号").json()
    assert done["state"] == "notarized"
    page = applicant.get(f"/evidence/registrations/{registration['id']}/").content.decode()
    assert 'data-state="notarized"' in page and "（2026）津南证字第1号" in page
    assert AuditEntry.objects.filter(action__startswith="evidence.notarization.").count() == 2


def test_the_notary_refuses_only_with_a_reason_and_in_the_page(client_for, people):
    applicant, notary = client_for("enterprise_user"), client_for("notary_user")
    _apply(applicant)
    request = NotarizationRequest.objects.get()
    response = notary.post("/evidence/notarizations/", {"pk": request.pk, "action": "refuse"})
    assert response.status_code == 302
    assert "请说明不予办理的理由" in notary.get("/evidence/notarizations/").content.decode()
    notary.post("/evidence/notarizations/", {"pk": request.pk, "action": "refuse", "note": "材料不全"})
    request.refresh_from_db()
    assert request.state == "refused" and request.note == "材料不全"
    assert _act(notary, request.pk, action="accept").status_code == 422


def test_only_the_chosen_notary_office_sees_and_handles_the_request(client_for, people):
    _apply(client_for("enterprise_user"))
    other_office = Organization.objects.create(name="另一公证处", org_type=OrgType.NOTARY)
    stranger = user_create(actor=None, username="other_notary", password="Stamp#Office9931", organization=other_office,
                           role="notary")
    from django.test import Client

    client = Client()
    client.force_login(stranger)
    assert client.get("/api/v1/evidence/notarizations").json() == []
    assert _act(client, NotarizationRequest.objects.get().pk, action="accept").status_code == 404
    applicant_own = _act(client_for("enterprise_user"), NotarizationRequest.objects.get().pk, action="accept")
    assert applicant_own.status_code == 403


def test_a_request_to_an_unknown_notary_office_is_refused(client_for, people):
    response = _apply(client_for("enterprise_user"), {**REQUEST, "notary": "不存在的公证处"})
    assert response.status_code == 422
    assert "没有名为“不存在的公证处”的公证机构" in json.dumps(response.json(), ensure_ascii=False)
    assert not NotarizationRequest.objects.exists()
