"""Trainings: QR sign-in on the day, imported sign-in lists checked whole, nobody counted twice, and sessions and
person-times counted per year by the indicator engine without exposing who attended."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.helpers import json_text, post_json


def _training(client, **changes):
    return post_json(client, "/api/v1/services/trainings", {"title": "专利侵权判定实务", "audience": "officers",
                                                            "held_on": "2026-11-02", "hours": "3", "place": "区市场监管局三楼会议室",
                                                            **changes})


def _roster(rows: list[tuple[str, str, str]]) -> SimpleUploadedFile:
    lines = ["姓名,单位,手机号"] + [",".join(r) for r in rows]
    return SimpleUploadedFile("签到表.csv", "\n".join(lines).encode("gbk"))


def _sign_in(client, pk, token, phone="13800000001", name="张三"):
    return post_json(client, f"/api/v1/services/trainings/{pk}/sign-in",
                     {"token": token, "name": name, "organization_name": "某公司", "phone": phone})


def test_attendees_sign_in_by_qr_on_the_day_once_each(client_for, people, frozen_clock):
    unit, public = client_for("unit_staff"), client_for(None)
    assert _training(client_for("enterprise_user")).status_code == 403
    assert _training(unit, hours="0").status_code == 422
    pk = _training(unit, capacity=2).json()["id"]
    token = unit.get(f"/api/v1/services/trainings/{pk}/attendees").json()["sign_in_token"]
    assert client_for("office_admin").get(f"/api/v1/services/trainings/{pk}/attendees").status_code == 200
    assert client_for("agency_user").get(f"/api/v1/services/trainings/{pk}/attendees").status_code == 403
    assert _sign_in(public, pk, "guessed").status_code == 403
    assert _sign_in(public, pk, token, phone="12345").status_code == 422
    assert _sign_in(public, pk, token).status_code == 201
    twice = _sign_in(public, pk, token, name="张三（再次）")
    assert twice.status_code == 422 and "已签到" in json_text(twice)
    assert _sign_in(public, pk, token, phone="13800000002").status_code == 201
    full = _sign_in(public, pk, token, phone="13800000003")
    assert full.status_code == 422 and "人数上限" in json_text(full)
    listed = unit.get(f"/api/v1/services/trainings/{pk}/attendees").json()["attendees"]
    assert [a["phone"] for a in listed] == ["138****0001", "138****0002"]
    frozen_clock.advance(days=1)
    late = _sign_in(public, pk, token, phone="13800000004")
    assert late.status_code == 422 and "培训当天" in json_text(late)


def test_an_imported_list_with_a_bad_row_adds_nobody_and_names_the_row_and_column(client_for, people):
    unit = client_for("unit_staff")
    pk = _training(unit).json()["id"]
    bad = unit.post(f"/api/v1/services/trainings/{pk}/attendees/import",
                    {"file": _roster([("李四", "某公司", "13900000001"), ("王五", "", "13900000002"),
                                      ("赵六", "某大学", "1390000")])})
    assert bad.status_code == 422
    assert "第3行“单位”列" in json_text(bad) and "第4行“手机号”列" in json_text(bad)
    assert unit.get(f"/api/v1/services/trainings/{pk}").json()["attendees"] == 0
    repeated = unit.post(f"/api/v1/services/trainings/{pk}/attendees/import",
                         {"file": _roster([("李四", "某公司", "13900000001"), ("李四", "某公司", "13900000001")])})
    assert repeated.status_code == 422 and "与第2行重复" in json_text(repeated)
    assert client_for("agency_user").post(f"/api/v1/services/trainings/{pk}/attendees/import",
                                          {"file": _roster([("李四", "某公司", "13900000001")])}).status_code == 403


def test_forty_attendees_raise_the_training_indicators_and_the_public_sees_no_names(client_for, people,
                                                                                      covered_registries, frozen_clock):
    unit, public = client_for("unit_staff"), client_for(None)
    assert public.get("/api/v1/indicators/training_person_times/records").json()["count"] == 0  # no records yet
    pk = _training(unit).json()["id"]
    rows = [(f"学员{n:02d}", "南开区某企业", f"1370000{n:04d}") for n in range(40)]
    result = unit.post(f"/api/v1/services/trainings/{pk}/attendees/import", {"file": _roster(rows)}).json()
    assert result == {"added": 40, "already_signed": 0, "attendees": 40}
    again = unit.post(f"/api/v1/services/trainings/{pk}/attendees/import", {"file": _roster(rows[:5])}).json()
    assert again["added"] == 0 and again["already_signed"] == 5
    person_times = public.get("/api/v1/indicators/training_person_times/records").json()
    assert person_times["count"] == 40
    assert public.get("/api/v1/indicators/trainings/records").json()["count"] == 1
    exported = json_text(public.get("/api/v1/indicators/training_person_times/records"))
    assert "学员01" not in exported and "1370000" not in exported
    page = public.get(f"/services/trainings/{pk}/").content.decode()
    assert "学员01" not in page and "40" in page and "签到二维码" not in page
    assert "学员01" in unit.get(f"/services/trainings/{pk}/").content.decode()


def test_a_sign_in_list_cannot_be_imported_before_the_session(client_for, people, frozen_clock):
    unit = client_for("unit_staff")
    pk = _training(unit, held_on="2026-12-15").json()["id"]
    early = unit.post(f"/api/v1/services/trainings/{pk}/attendees/import",
                      {"file": _roster([("李四", "某公司", "13900000001")])})
    assert early.status_code == 422 and "尚未举办" in json_text(early)


def test_an_over_long_title_or_place_is_refused_naming_the_field_and_never_cut_short(client_for, people):
    from ipcity.services.models import Training

    unit = client_for("unit_staff")
    for field in ("title", "place"):
        refused = _training(unit, **{field: "长" * 201})
        assert refused.status_code == 422 and f"{field}: " in json_text(refused) and "201" in json_text(refused)
    assert not Training.objects.exists()


def test_a_sign_in_or_an_imported_row_with_an_over_long_name_or_unit_signs_nobody_in(client_for, people,
                                                                                   frozen_clock):
    from ipcity.services.models import Attendance

    unit, public = client_for("unit_staff"), client_for(None)
    pk = _training(unit).json()["id"]
    token = unit.get(f"/api/v1/services/trainings/{pk}/attendees").json()["sign_in_token"]
    long_name = _sign_in(public, pk, token, name="张" * 51)
    assert long_name.status_code == 422 and "name: " in json_text(long_name) and "51" in json_text(long_name)
    long_unit = post_json(public, f"/api/v1/services/trainings/{pk}/sign-in",
                          {"token": token, "name": "张三", "organization_name": "某" * 201, "phone": "13800000001"})
    assert long_unit.status_code == 422 and "organization_name: " in json_text(long_unit)
    imported = unit.post(f"/api/v1/services/trainings/{pk}/attendees/import",
                         {"file": _roster([("李" * 51, "某公司", "13900000001")])})
    assert imported.status_code == 422 and "第2行“姓名”列" in json_text(imported)
    assert not Attendance.objects.exists()
