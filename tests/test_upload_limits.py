"""Upload limits: only registering a file as evidence takes large files; everything else (the anonymous certificate
verifier included) has the general limit, and an upload refused for its size is answered with the size message,
never with "Field required" or a form that silently lost the file."""

import inspect
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from ipcity.api import api
from ipcity.operations.models import TechOffer

BIG = b"%PDF-" + b"x" * 5000  # over a 1 KB general limit, well under a 1 MB evidence limit
LIMITS = override_settings(UPLOAD_MAX_BYTES=1024, EVIDENCE_MAX_BYTES=1024 * 1024)
MESSAGE = "超过 1 KB 的上限"


@LIMITS
def test_the_anonymous_certificate_verifier_takes_only_the_general_limit(client, db):
    page = client.post("/evidence/verify/", {"bundle": SimpleUploadedFile("c.ipcity-evidence", BIG)})
    assert page.status_code == 413 and MESSAGE in page.content.decode()
    answer = client.post("/api/v1/evidence/verify", {"bundle": SimpleUploadedFile("c.ipcity-evidence", BIG)})
    assert answer.status_code == 422 and MESSAGE in json.dumps(answer.json(), ensure_ascii=False)


@LIMITS
def test_registering_evidence_still_takes_files_up_to_the_evidence_limit(client_for):
    response = client_for("enterprise_user").post("/api/v1/evidence/registrations/file", {
        "kind": "copyright_work", "file": SimpleUploadedFile("map.pdf", BIG),
        "metadata": json.dumps({"title": "南开老城厢手绘地图", "work_type": "美术", "author": "张三",
                                "completed_on": "2026-10-01"}, ensure_ascii=False)})
    assert response.status_code == 201, response.content


@LIMITS
def test_an_oversized_offers_import_answers_the_size_message_not_field_required(client_for):
    response = client_for("university_user").post("/api/v1/operations/offers/import",
                                                  {"file": SimpleUploadedFile("offers.csv", BIG)})
    body = json.dumps(response.json(), ensure_ascii=False)
    assert response.status_code == 422 and MESSAGE in body and "Field required" not in body
    assert not TechOffer.objects.exists()


def _file_operations() -> list[tuple[str, str]]:
    operations = []
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method, operation in methods.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "multipart/form-data" in content and "binary" in json.dumps(content):
                operations.append((method, "/api/v1" + path.removeprefix("/api/v1")))
    return operations


@override_settings(UPLOAD_MAX_BYTES=1024, EVIDENCE_MAX_BYTES=2048)
def test_every_api_operation_that_takes_a_file_answers_the_size_message(client_for):
    operations = _file_operations()
    assert len(operations) >= 6
    office = client_for("office_admin")
    for method, path in operations:
        url = path.replace("{", "").replace("}", "")
        url = "/".join("1" if part.endswith("_id") else part for part in url.split("/"))
        fields = {"file": SimpleUploadedFile("a.pdf", BIG), "bundle": SimpleUploadedFile("b.pdf", BIG),
                  "files": SimpleUploadedFile("c.pdf", BIG), "kind": "patents", "metadata": "{}"}
        response = getattr(office, method)(url, fields)
        body = response.content.decode()
        assert response.status_code == 422 and re.search(r"超过 [12] KB 的上限，未上传", json.loads(body)["detail"][0]), (
            path, body[:300])


PAGE_UPLOADS = [  # every page that takes a file (a form whose other fields arrived shows it inline: tests/evidence)
    "/registries/",
    "/operations/offers/import/",
    "/supervision/ledger/",
    "/plan/indicators/valid_patents/",
    "/services/items/X/apply/",
    "/services/applications/1/",
    "/services/trainings/1/",
    "/evidence/new/copyright_work/",
    "/evidence/verify/",
    "/supervision/items/1/",  # a progress report's 佐证材料
    "/supervision/meetings/new/",  # a meeting's minutes
    "/files/attach/meeting/1/",  # 佐证材料 added to any record from its page
    "/plan/high-tech/",  # the central districts' high-tech enterprise counts
    "/services/policies/1/",  # a policy's awards recorded in bulk
    "/plan/holidays/",  # the official holiday calendar
]


@pytest.mark.parametrize("path", PAGE_UPLOADS)
@override_settings(UPLOAD_MAX_BYTES=1024, EVIDENCE_MAX_BYTES=2048)
def test_a_page_upload_over_the_limit_is_refused_with_the_size_message_before_anything_happens(client_for, path):
    for name in ("file", "files", "bundle"):
        response = client_for("office_admin").post(path, {name: SimpleUploadedFile("a.pdf", BIG)})
        text = response.content.decode()
        assert response.status_code == 413 and re.search(r"超过 [12] KB 的上限，未上传", text), text[:300]


def test_every_page_that_takes_a_file_has_a_row_above():
    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and not prefix.startswith("api/"):
                yield prefix + str(p.pattern), p.callback

    from django.urls import resolve

    covered = {resolve(path).route for path in PAGE_UPLOADS}
    taking_files = {route for route, view in walk(get_resolver().url_patterns)
                    if "request.FILES" in inspect.getsource(inspect.unwrap(view))}
    assert taking_files and not taking_files - covered, sorted(taking_files - covered)


# ---- a body Django itself refuses while parsing it: in Chinese, the API in its JSON shape ----

@override_settings(DATA_UPLOAD_MAX_NUMBER_FILES=5)
@pytest.mark.parametrize("path", ["/api/v1/records/progress_report/1/files", "/api/v1/operations/offers/import",
                                  "/api/v1/evidence/verify"])
def test_more_files_than_the_platform_takes_at_once_is_answered_in_chinese_json_by_the_api(client_for, path):
    files = [SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.7") for i in range(6)]
    response = client_for("office_admin").post(path, {"files": files})
    assert response.status_code == 422 and response["Content-Type"].startswith("application/json"), response.content
    assert response.json() == {"detail": ["一次提交的文件过多（最多 5 个），未上传；请分批上传"]}


@override_settings(DATA_UPLOAD_MAX_NUMBER_FILES=5)
@pytest.mark.parametrize("enforce_csrf", [False, True])
def test_more_files_than_the_platform_takes_at_once_is_answered_on_the_page_in_chinese(client_for, people,
                                                                                       enforce_csrf):
    from django.test import Client

    client = Client(enforce_csrf_checks=enforce_csrf)
    client.force_login(people["office_admin"])
    files = [SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.7") for i in range(6)]
    response = client.post("/files/attach/meeting/1/", {"files": files})
    text = response.content.decode()
    assert response.status_code == 400 and "一次提交的文件过多（最多 5 个），未上传；请分批上传" in text, text[:300]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_form_fields_over_the_size_limit_beside_a_file_are_answered_in_chinese(client_for):
    fields = {"text": "说明" * 1000, "files": SimpleUploadedFile("a.pdf", b"%PDF-1.7")}
    api = client_for("office_admin").post("/api/v1/records/progress_report/1/files", fields)
    assert api.status_code == 422 and "提交的表单内容超过 1 KB 的上限（不含文件），未保存" in api.json()["detail"][0]
    page = client_for("office_admin").post("/files/attach/meeting/1/", fields)
    assert page.status_code == 413 and "提交的表单内容超过 1 KB 的上限" in page.content.decode()
