"""Training pre-registration (报名) and which trainings count: signed-in people register until the deadline and while
places are left, and cancel before the day; a full training refuses in Chinese, and registrations arriving together
never exceed the capacity; the organizer sees the list, exports it and marks who came (which signs them in). Only
trainings whose audience the office counts as the plan's 相关人员 feed 培训次数 and 人次."""

import io
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client
from openpyxl import load_workbook

from ipcity.accounts.models import Organization
from ipcity.accounts.roles import Role
from ipcity.accounts.services import user_create
from ipcity.audit.models import AuditEntry
from ipcity.services.models import Attendance, Training, TrainingRegistration
from tests.conftest import PASSWORD
from tests.helpers import json_text, post_json
from tests.serving import (
    bare_environment,
    database_url_of_the_test_database,
    migrated_sqlite,
    run_python,
    served,
)

FORMULA = '=HYPERLINK("http://evil.example/","x")'


def _training(client, **changes):
    return post_json(client, "/api/v1/services/trainings", {
        "title": "商标侵权判断标准专题培训", "audience": "officers", "held_on": "2026-11-20", "hours": "3",
        "place": "区市场监管局三楼会议室", "capacity": 2, "registration_deadline": "2026-11-16", **changes})


def _register(client, pk, phone):
    return post_json(client, f"/api/v1/services/trainings/{pk}/registrations", {"phone": phone})


def _step(client, pk, registration, action):
    return post_json(client, f"/api/v1/services/trainings/{pk}/registrations/{registration}/steps", {"action": action})


def _written():
    return TrainingRegistration.objects.count(), Attendance.objects.count(), AuditEntry.objects.count()


# ---- registering and cancelling ----

def test_people_register_and_cancel_and_a_full_training_refuses_in_chinese(client_for, people, frozen_clock):
    unit = client_for("unit_staff")
    pk = _training(unit).json()["id"]
    enterprise, university, agency = (client_for(p) for p in ("enterprise_user", "university_user", "agency_user"))
    first = _register(enterprise, pk, "13800000001")
    assert first.status_code == 201, first.content
    assert first.json()["state_label"] == "已报名" and first.json()["phone"] == "138****0001"
    again = _register(enterprise, pk, "13800000009")
    assert again.status_code == 422 and "您已报名该培训" in json_text(again)
    same_phone = _register(university, pk, "13800000001")
    assert same_phone.status_code == 422 and "phone: 手机号：该手机号已报名该培训" in json_text(same_phone)
    assert _register(university, pk, "13800000002").status_code == 201
    before = _written()
    full = _register(agency, pk, "13800000003")
    assert full.status_code == 422 and "报名人数已满（人数上限 2 人），无法报名" in json_text(full)
    assert _written() == before
    page = agency.post(f"/services/trainings/{pk}/", {"form": "register", "phone": "13800000003"}, follow=True)
    assert "报名人数已满" in page.content.decode()
    # someone else cannot cancel the enterprise's place; the enterprise can, and the place is free again
    registration = first.json()["id"]
    assert _step(agency, pk, registration, "cancel").status_code == 404
    assert _step(unit, pk, registration, "cancel").status_code == 403  # the organizer does not cancel for people
    cancelled = _step(enterprise, pk, registration, "cancel")
    assert cancelled.status_code == 200 and cancelled.json()["state_label"] == "已取消"
    assert _register(agency, pk, "13800000003").status_code == 201
    assert client_for(None).get(f"/api/v1/services/trainings/{pk}").json()["registered"] == 2
    mine = enterprise.get("/api/v1/services/training-registrations").json()
    assert [(r["training"], r["state"]) for r in mine] == [(pk, "cancelled")]
    # the office organizes, it does not register; a visitor must sign in; after the deadline nobody registers
    assert _register(client_for("office_admin"), pk, "13800000004").status_code == 403
    assert _register(client_for(None), pk, "13800000004").status_code == 401
    assert client_for(None).post(f"/services/trainings/{pk}/", {"form": "register", "phone": "1"}).status_code == 403
    frozen_clock.advance(days=15)  # 2026-11-17: the deadline was the 16th
    late = _register(client_for("expert"), pk, "13800000005")
    assert late.status_code == 422 and "报名已于 2026-11-16 截止" in json_text(late)


def test_a_training_taking_registrations_needs_a_capacity_and_a_deadline_before_it(client_for, people, frozen_clock):
    unit = client_for("unit_staff")
    before = Training.objects.count()
    no_capacity = _training(unit, capacity=None)
    assert no_capacity.status_code == 422 and "capacity: 接受报名的培训须设定人数上限" in json_text(no_capacity)
    late = _training(unit, registration_deadline="2026-11-21")
    assert late.status_code == 422 and "registration_deadline: 报名截止日期不能晚于培训日期" in json_text(late)
    past = _training(unit, registration_deadline="2026-11-01")
    assert past.status_code == 422 and "报名截止日期不能早于今天" in json_text(past)
    assert Training.objects.count() == before
    walk_in = _training(unit, registration_deadline=None, capacity=None).json()
    assert walk_in["registration_open"] is False
    refused = _register(client_for("enterprise_user"), walk_in["id"], "13800000001")
    assert refused.status_code == 422 and "该培训不接受报名" in json_text(refused)


@pytest.mark.parametrize("phone", ["12345", "1380000000A", "138000000011", "", "１３８０００００００１", "1380000000١"])
def test_a_bad_phone_number_is_refused_naming_the_field_and_nothing_is_written(client_for, people, frozen_clock, phone):
    pk = _training(client_for("unit_staff")).json()["id"]
    before = _written()
    refused = _register(client_for("enterprise_user"), pk, phone)
    assert refused.status_code == 422 and "phone: 手机号：手机号应为以1开头的11位数字" in json_text(refused)
    assert _written() == before


# ---- the organizer's list, export and sign-in ----

def test_the_organizer_sees_the_list_exports_it_as_text_and_marks_who_came(client_for, people, frozen_clock):
    unit = client_for("unit_staff")
    pk = _training(unit, capacity=5).json()["id"]
    hostile = user_create(actor=None, username="hostile", password=PASSWORD, role=Role.ENTERPRISE_USER,
                          organization=people["enterprise_user"].organization, full_name=FORMULA)
    attacker = Client()
    attacker.force_login(hostile)
    registration = _register(client_for("enterprise_user"), pk, "13800000001").json()["id"]
    assert _register(attacker, pk, "13800000002").status_code == 201
    listed = unit.get(f"/api/v1/services/trainings/{pk}/registrations")
    assert [r["phone"] for r in listed.json()] == ["138****0001", "138****0002"]
    culture = user_create(actor=None, username="culture_staff", password=PASSWORD, role=Role.UNIT_STAFF,
                          organization=Organization.objects.get(code="culture_tourism"))
    other_unit = Client()
    other_unit.force_login(culture)
    for client in (other_unit, client_for("enterprise_user")):
        assert client.get(f"/api/v1/services/trainings/{pk}/registrations").status_code == 403
        assert client.get(f"/services/trainings/{pk}/registrations.xlsx").status_code == 403
    for path in (f"/services/trainings/{pk}/registrations.xlsx", f"/api/v1/services/trainings/{pk}/registrations.xlsx"):
        exported = unit.get(path)
        assert exported.status_code == 200
        sheet = load_workbook(io.BytesIO(exported.content)).active
        cells = [cell for row in sheet.iter_rows() for cell in row]
        named = next(c for c in cells if c.value and FORMULA in str(c.value))
        assert named.data_type == "s" and all(c.data_type != "f" for c in cells)
        assert any(c.value == "138****0001" for c in cells) and not any(c.value == "13800000001" for c in cells)
    # marking who came: from the training day, by the organizer only; it signs them in once
    early = _step(unit, pk, registration, "attend")
    assert early.status_code == 422 and "培训当天（2026-11-20）起才能登记到场" in json_text(early)
    frozen_clock.advance(days=18)  # 2026-11-20
    assert _step(client_for("enterprise_user"), pk, registration, "attend").status_code == 403
    came = _step(unit, pk, registration, "attend")
    assert came.status_code == 200 and came.json()["state_label"] == "已到场签到"
    assert _step(unit, pk, registration, "attend").status_code == 422
    attendees = unit.get(f"/api/v1/services/trainings/{pk}/attendees").json()["attendees"]
    assert [(a["phone"], a["source"]) for a in attendees] == [("138****0001", "报名者到场签到")]
    too_late = _step(attacker, pk, TrainingRegistration.objects.get(user=hostile).pk, "cancel")
    assert too_late.status_code == 422 and "培训当天及以后不能取消报名" in json_text(too_late)
    page = unit.get(f"/services/trainings/{pk}/").content.decode()
    assert 'data-testid="registrations"' in page and "已到场签到" in page and "13800000001" not in page
    assert page.count('value="attend"') == 1  # the one still only registered


# ---- capacity under concurrent registration ----

PARALLEL = 12
SEED = f"""
import datetime as dt, json
from decimal import Decimal
from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.roles import Role
from ipcity.accounts.services import api_token_create, user_create
from ipcity.services.training import training_create
from ipcity import clock
unit = Organization.objects.create(name="并发报名测试主办单位", org_type=OrgType.GOVERNMENT_UNIT)
company = Organization.objects.create(name="并发报名测试企业", org_type=OrgType.ENTERPRISE)
organizer = user_create(actor=None, username="organizer", password={PASSWORD!r}, organization=unit, role=Role.UNIT_STAFF)
day = clock.today() + dt.timedelta(days=10)
training = training_create(actor=organizer, title="并发报名", audience="officers", held_on=day, hours=Decimal(2),
                           place="会议室", capacity=3, registration_deadline=day)
tokens = []
for n in range({PARALLEL}):
    person = user_create(actor=None, username=f"person{{n}}", password={PASSWORD!r}, organization=company,
                         role=Role.ENTERPRISE_USER)
    tokens.append(api_token_create(user=person, name="报名")[1])
print(json.dumps({{"training": training.pk, "tokens": tokens}}))
"""
OUTCOME = """
import json
from ipcity.services.models import TrainingRegistration
print(json.dumps({"registered": TrainingRegistration.objects.filter(state="registered").count()}))
"""


@pytest.mark.django_db(transaction=True)  # the server's processes see (and the flush removes) what they write
def test_twelve_people_registering_at_once_for_three_places_get_three_places(tmp_path):
    import urllib.error
    import urllib.request

    env = bare_environment(tmp_path, IPCITY_ENV="test", IPCITY_EVIDENCE_BACKGROUND_SEQUENCER="0")
    if url := database_url_of_the_test_database():
        env["DATABASE_URL"] = url
    else:
        migrated_sqlite(tmp_path)
    with served(env, tmp_path / "server.log", workers=2, threads=6) as server:
        seeded = json.loads(run_python(env, SEED).strip().splitlines()[-1])
        start = threading.Barrier(PARALLEL)

        def register(n):
            request = urllib.request.Request(
                f"{server.url}/api/v1/services/trainings/{seeded['training']}/registrations",
                data=json.dumps({"phone": f"1390000{n:04d}"}).encode(), method="POST",
                headers={"Authorization": f"Bearer {seeded['tokens'][n]}", "Content-Type": "application/json"})
            start.wait()
            try:
                with urllib.request.urlopen(request, timeout=120) as response:
                    return response.status, response.read().decode()
            except urllib.error.HTTPError as error:
                with error:
                    return error.code, error.read().decode()

        with ThreadPoolExecutor(PARALLEL) as pool:
            answers = list(pool.map(register, range(PARALLEL)))
    statuses = sorted(status for status, _ in answers)
    assert statuses == [201] * 3 + [422] * (PARALLEL - 3), answers
    assert all("报名人数已满" in json.loads(body)["detail"][0] for status, body in answers if status == 422)
    assert json.loads(run_python(env, OUTCOME)) == {"registered": 3}


# ---- only the plan's 相关人员 count ----

def _held(client, audience, attendees, frozen_clock):
    pk = post_json(client, "/api/v1/services/trainings", {"title": f"{audience}培训", "audience": audience,
                                                          "held_on": "2026-11-02", "hours": "2", "place": "会议室"})
    pk = pk.json()["id"]
    rows = "\n".join(f"学员{n},某单位,1370{audience.__len__():03d}{n:04d}" for n in range(attendees))
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(f"/api/v1/services/trainings/{pk}/attendees/import",
                {"file": SimpleUploadedFile("签到表.csv", f"姓名,单位,手机号\n{rows}".encode())})
    return pk


def test_only_trainings_for_the_audiences_the_office_counts_feed_the_indicators(client_for, people,
                                                                                 covered_registries, frozen_clock):
    unit, office, public = client_for("unit_staff"), client_for("office_admin"), client_for(None)
    _held(unit, "officers", 3, frozen_clock)
    _held(unit, "public", 5, frozen_clock)  # publicity for the public: culture's work, never 专业培训
    assert public.get("/api/v1/indicators/trainings/records").json()["count"] == 1
    assert public.get("/api/v1/indicators/training_person_times/records").json()["count"] == 3
    table = {a["audience"]: a for a in public.get("/api/v1/services/trainings/audiences").json()}
    assert table["public"]["counts"] is False and table["officers"]["counts"] is True
    assert not table["officers"]["decided"]
    listed = {t["audience"]: t["counts_toward_indicators"] for t in public.get("/api/v1/services/trainings").json()}
    assert listed == {"officers": True, "public": False}
    page = public.get("/services/trainings/").content.decode()
    assert "计入指标的培训已举办 1 场，3 人次" in page
    # the office narrows 相关人员 to 党政干部 and 服务机构从业人员: the officers' session no longer counts
    body = {"counted": ["civil_servants", "agencies"], "reason": "本年度相关人员为成员单位干部和服务机构从业人员"}
    assert client_for("unit_staff").put("/api/v1/services/trainings/audiences", json.dumps(body),
                                        content_type="application/json").status_code == 403
    unknown = office.put("/api/v1/services/trainings/audiences", json.dumps({**body, "counted": ["aliens"]}),
                         content_type="application/json")
    assert unknown.status_code == 422 and "counted: 计入指标的培训对象应为" in json_text(unknown)
    no_reason = office.put("/api/v1/services/trainings/audiences", json.dumps({**body, "reason": " "}),
                           content_type="application/json")
    assert no_reason.status_code == 422 and "reason: 理由：请填写设定理由" in json_text(no_reason)
    changed = office.put("/api/v1/services/trainings/audiences", json.dumps(body), content_type="application/json")
    assert changed.status_code == 200
    assert {a["audience"] for a in changed.json() if a["counts"]} == {"civil_servants", "agencies"}
    assert public.get("/api/v1/indicators/trainings/records").json()["count"] == 0
    assert public.get("/api/v1/indicators/training_person_times/records").json()["count"] == 0
    same = office.put("/api/v1/services/trainings/audiences", json.dumps(body), content_type="application/json")
    assert same.status_code == 422 and "与现行设定相同" in json_text(same)
    # the office's page form does the same, back to the officers
    done = office.post("/services/trainings/", {"form": "audiences", "counted": ["officers"], "reason": "执法人员"})
    assert done.status_code == 302
    assert public.get("/api/v1/indicators/training_person_times/records").json()["count"] == 3
    assert AuditEntry.objects.filter(action="services.training.audiences").count() == 2
