"""Random inspections through the API: the office drafts, publishes (freezing the candidates, inspectors and the
evidence log's checkpoint as seed source) and draws; the public sees the result and a second run reproduces it."""

import datetime as dt
import json
import subprocess
import sys

from django.core.files.uploadedfile import SimpleUploadedFile

from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.services import user_create
from ipcity.protection.enforcement import certificate_record
from ipcity.protection.models import InspectionPlan
from tests.helpers import post_json


def _seal_a_checkpoint(client_for):
    client_for("enterprise_user").post("/api/v1/evidence/registrations/file", {
        "kind": "copyright_work", "metadata": json.dumps({"title": "t", "work_type": "美术", "author": "a",
                                                          "completed_on": "2026-01-01"}, ensure_ascii=False),
        "file": SimpleUploadedFile("w.txt", b"seed material")})


def _world(people):
    """Six enterprises and four certified officers (the persona and three colleagues), plus one without a certificate."""
    for i in range(6):
        Organization.objects.create(name=f"抽查企业{i}", org_type=OrgType.ENTERPRISE)
    officers = [people["enforcement_officer"]] + [
        user_create(actor=None, username=f"officer{i}", password="Inspect#Duty2026", role="enforcement_officer",
                    organization=people["enforcement_officer"].organization) for i in range(3)]
    for i, officer in enumerate(officers):
        certificate_record(actor=people["office_admin"], officer=officer, number=f"津执-抽查-{i}",
                           issued_on=dt.date(2024, 1, 1), valid_until=dt.date(2030, 12, 31))
    user_create(actor=None, username="uncertified", password="Inspect#Duty2026", role="enforcement_officer",
                organization=people["enforcement_officer"].organization, full_name="无证人员")


def test_a_published_draw_is_public_and_reproducible(client_for, people, client, tmp_path):
    _world(people)
    office, officer = client_for("office_admin"), client_for("enforcement_officer")
    target = Organization.objects.get(name="抽查企业0")
    assert post_json(officer, "/api/v1/protection/conflicts", {"organization": target.pk, "reason": "亲属任职"}
                 ).status_code == 201
    office.put(f"/api/v1/protection/risk/{target.pk}", json.dumps({"level": "high", "reason": "曾被处罚"}),
               content_type="application/json")
    plan = post_json(office, "/api/v1/protection/inspections", {"code": "2026-q4-patent", "title": "2026年第四季度专利抽查",
                                                            "quotas": {"high": 1, "low": 2}, "inspectors_per_subject": 2})
    assert plan.status_code == 201
    pk = InspectionPlan.objects.get().pk
    assert client.get(f"/api/v1/protection/inspections/{pk}").status_code == 404  # a draft is not public
    no_seed = post_json(office, f"/api/v1/protection/inspections/{pk}/publish", {})
    assert no_seed.status_code == 422 and "存证日志尚无检查点" in json.dumps(no_seed.json(), ensure_ascii=False)
    _seal_a_checkpoint(client_for)
    assert post_json(office, f"/api/v1/protection/inspections/{pk}/draw", {}).status_code == 422  # not published yet
    published = post_json(office, f"/api/v1/protection/inspections/{pk}/publish", {}).json()
    assert published["state"] == "published" and "evidence.ipcity.local" in published["seed_source"]
    assert "无证人员" not in [i["name"] for i in published["inspectors"]]  # only certified officers inspect
    assert len(published["inspectors"]) == 4
    drawn = post_json(office, f"/api/v1/protection/inspections/{pk}/draw", {}).json()
    assert f"ORG-{target.pk:06d}" in drawn["results"]["subjects"]  # the only high-risk candidate
    officer_key = f"OFFICER-{people['enforcement_officer'].pk:06d}"
    assert officer_key not in drawn["results"]["inspectors"][f"ORG-{target.pk:06d}"]
    page = client.get(f"/protection/inspections/{pk}/").content.decode()
    assert "平台按公布数据复算，结果一致" in page and "抽查企业0" in page
    record = tmp_path / "draw.json"
    record.write_text(json.dumps(client.get(f"/api/v1/protection/inspections/{pk}").json(), ensure_ascii=False),
                      encoding="utf-8")
    redo = subprocess.run([sys.executable, "-m", "ipcity.cli", "inspection", "redo", str(record)],
                          capture_output=True, text=True, timeout=60)
    assert redo.returncode == 0 and "复算结果与公示一致" in redo.stdout, redo.stdout + redo.stderr
    forged = json.loads(record.read_text(encoding="utf-8"))
    forged["results"]["subjects"] = list(reversed(forged["results"]["subjects"]))
    record.write_text(json.dumps(forged, ensure_ascii=False), encoding="utf-8")
    assert subprocess.run([sys.executable, "-m", "ipcity.cli", "inspection", "redo", str(record)],
                          capture_output=True, text=True, timeout=60).returncode == 1


def test_bad_plans_are_refused_by_field(client_for, people):
    office = client_for("office_admin")
    bad = post_json(office, "/api/v1/protection/inspections", {"code": "X", "title": "", "quotas": {"extreme": 1},
                                                           "inspectors_per_subject": 2})
    text = json.dumps(bad.json(), ensure_ascii=False)
    assert bad.status_code == 422 and all(w in text for w in ("计划编号", "计划名称", "抽取数量"))
    too_many = post_json(office, "/api/v1/protection/inspections", {"code": "x-1", "title": "t", "quotas": {"low": 1},
                                                                "inspectors_per_subject": 9})
    assert too_many.status_code == 422 and "每个对象的执法人员数应在1～5之间" in json.dumps(too_many.json(), ensure_ascii=False)
    assert post_json(client_for("enforcement_officer"), "/api/v1/protection/inspections", {
        "code": "abc", "title": "t", "quotas": {"low": 1}}).status_code == 403
