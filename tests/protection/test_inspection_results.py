"""一公开: each drawn subject's inspection result is recorded once by an inspector drawn for it or by the office,
corrected only by the office with a reason, and published with the draw once every subject has one; the public page,
the API and the task page (key task 12) show them."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.services import user_create
from ipcity.audit.models import AuditEntry
from ipcity.protection.models import InspectionPlan, InspectionResult
from tests.helpers import json_text, post_json
from tests.protection.helpers import CASE, certify

RESULT = {"outcome": "no_problem", "description": "核查专利标识和进货台账，未发现违法行为", "inspected_on": "2026-11-02"}


def _put(client, path, body):
    return client.put(path, json.dumps(body, ensure_ascii=False), content_type="application/json")


@pytest.fixture
def drawn(client_for, people, frozen_clock):
    """Five enterprises, four certified officers of the bureau, and a plan drawn on 2026-11-02: three subjects, two
    inspectors each (so every subject has an officer of the bureau who was not drawn for it)."""
    office = client_for("office_admin")
    for i in range(5):
        Organization.objects.create(name=f"抽查企业{i}", org_type=OrgType.ENTERPRISE)
    bureau = people["enforcement_officer"].organization
    officers = [people["enforcement_officer"]] + [
        user_create(actor=None, username=f"inspector{i}", password="Inspect#Duty2026", role="enforcement_officer",
                    organization=bureau, full_name=f"检查员{i}") for i in range(3)]
    for i, officer in enumerate(officers):
        assert certify(office, officer, f"津执-结果-{i}").status_code == 201
    client_for("enterprise_user").post("/api/v1/evidence/registrations/file", {  # the seed's checkpoint
        "kind": "copyright_work", "metadata": json.dumps({"title": "t", "work_type": "美术", "author": "a",
                                                          "completed_on": "2026-01-01"}, ensure_ascii=False),
        "file": SimpleUploadedFile("w.txt", b"seed material")})
    assert post_json(office, "/api/v1/protection/inspections", {"code": "2026-q4-results", "title": "第四季度抽查",
                                                                "quotas": {"low": 3}}).status_code == 201
    plan = InspectionPlan.objects.get(code="2026-q4-results")
    assert post_json(office, f"/api/v1/protection/inspections/{plan.pk}/publish", {}).status_code == 200
    assert post_json(office, f"/api/v1/protection/inspections/{plan.pk}/draw", {}).status_code == 200
    plan.refresh_from_db()
    assert len(plan.results["subjects"]) == 3
    return plan, officers


def _inspectors(plan, subject, officers) -> tuple[list, list]:
    """The officers drawn for the subject, and those who were not."""
    keys = plan.results["inspectors"][subject]
    chosen = [o for o in officers if f"OFFICER-{o.pk:06d}" in keys]
    return chosen, [o for o in officers if o not in chosen]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(plan, rest=""):
    return f"/api/v1/protection/inspections/{plan.pk}/results{rest}"


# ---- recording ----

def test_a_drawn_inspector_records_their_subjects_result_once(drawn):
    plan, officers = drawn
    subject = plan.results["subjects"][0]
    (inspector, _), _others = _inspectors(plan, subject, officers)
    made = post_json(_client(inspector), _url(plan), {"subject": subject, **RESULT})
    assert made.status_code == 201, made.content
    assert made.json()["outcome_label"] == "未发现问题" and made.json()["inspected_on"] == "2026-11-02"
    again = post_json(_client(inspector), _url(plan), {"subject": subject, **RESULT, "outcome": "problem"})
    assert again.status_code == 422 and "已录入" in json_text(again)
    assert InspectionResult.objects.get().outcome == "no_problem"
    assert AuditEntry.objects.filter(action="protection.inspection.result_record").count() == 1


def test_the_office_records_a_result_on_the_results_page(drawn, client_for):
    plan, _ = drawn
    office = client_for("office_admin")
    subject = plan.results["subjects"][1]
    page = office.get(f"/protection/inspections/{plan.pk}/results/").content.decode()
    assert f'data-subject="{subject}"' in page and "录入检查结果" in page
    saved = office.post(f"/protection/inspections/{plan.pk}/results/", {
        "action": "record", "subject": subject, "outcome": "rectify", "description": "招牌使用近似商标，责令整改",
        "inspected_on": "2026-11-02", "case": ""})
    assert saved.status_code == 302
    assert InspectionResult.objects.get(subject_key=subject).get_outcome_display() == "责令整改"


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"outcome": "abc"}, "outcome", "检查结果应为"),
    ({"description": "  "}, "description", "请填写情况说明"),
    ({"description": "长" * 301}, "description", "超过 300 字"),
    ({"inspected_on": "2026-11-03"}, "inspected_on", "检查日期不能晚于今天"),
    ({"inspected_on": "2026-11-01"}, "inspected_on", "检查日期不能早于抽取日期"),
    ({"subject": "ORG-999999"}, "subject", "不是本计划抽中的抽查对象"),
    ({"case": 1}, "case", "只有检查结果为“立案查处”时"),
    ({"outcome": "case_filed"}, "case", "须关联执法案件"),
])
def test_bad_input_is_refused_in_chinese_naming_the_field_and_nothing_is_written(drawn, client_for, change, field,
                                                                                 words):
    plan, _ = drawn
    body = {"subject": plan.results["subjects"][0], **RESULT, **change}
    refused = post_json(client_for("office_admin"), _url(plan), body)
    assert refused.status_code == 422
    assert any(m.startswith(f"{field}: ") and words in m for m in refused.json()["detail"]), refused.json()
    assert not InspectionResult.objects.exists()
    assert not AuditEntry.objects.filter(action="protection.inspection.result_record").exists()


def test_a_page_form_with_an_impossible_date_is_refused_and_writes_nothing(drawn, client_for):
    plan, _ = drawn
    page = client_for("office_admin").post(f"/protection/inspections/{plan.pk}/results/", {
        "action": "record", "subject": plan.results["subjects"][0], "outcome": "no_problem", "description": "无",
        "inspected_on": "2026-13-45", "case": ""})
    assert page.status_code == 200 and "检查日期应为有效日期" in page.content.decode()
    assert not InspectionResult.objects.exists()


def test_nobody_but_the_subjects_inspectors_and_the_office_records_or_reads_the_worksheet(drawn, client_for, people):
    plan, officers = drawn
    subject = plan.results["subjects"][0]
    _chosen, others = _inspectors(plan, subject, officers)
    elsewhere = Organization.objects.create(name="他区市场监管局", org_type=OrgType.GOVERNMENT_UNIT)
    stranger = user_create(actor=None, username="other_bureau", password="Inspect#Duty2026",
                           role="enforcement_officer", organization=elsewhere)
    for client in (_client(others[0]), _client(stranger), client_for("enterprise_user"), client_for("unit_staff")):
        assert post_json(client, _url(plan), {"subject": subject, **RESULT}).status_code == 403
    assert post_json(client_for(None), _url(plan), {"subject": subject, **RESULT}).status_code == 401
    assert _client(stranger).get(f"/protection/inspections/{plan.pk}/results/").status_code == 403
    assert client_for("enterprise_user").get(f"/protection/inspections/{plan.pk}/results/").status_code == 403
    assert client_for(None).get(f"/protection/inspections/{plan.pk}/results/").status_code == 302
    assert not InspectionResult.objects.exists()


def test_a_case_the_recorder_does_not_handle_is_refused_and_one_they_handle_is_linked(drawn, client_for):
    plan, officers = drawn
    subject = plan.results["subjects"][0]
    (recorder, _), _others = _inspectors(plan, subject, officers)
    someone_else = next(o for o in officers if o != recorder)
    names = {c["key"]: c["name"] for c in plan.candidates}
    theirs = post_json(_client(someone_else), "/api/v1/protection/cases", {
        **CASE, "party": names[plan.results["subjects"][1]], "received_on": "2026-11-02"}).json()
    body = {"subject": subject, **RESULT, "outcome": "case_filed", "description": "销售假冒商品，立案查处"}
    for case_id in (theirs["id"], 999999):
        refused = post_json(_client(recorder), _url(plan), {**body, "case": case_id})
        assert refused.status_code == 422 and "case: 关联案件不存在，或不是您可以办理的案件" in json_text(refused)
    assert not InspectionResult.objects.exists()
    own = post_json(_client(recorder), "/api/v1/protection/cases", {**CASE, "party": names[subject],
                                                                     "received_on": "2026-11-02"}).json()
    linked = post_json(_client(recorder), _url(plan), {**body, "case": own["id"]})
    assert linked.status_code == 201 and linked.json()["case"] == own["id"]
    # the office may name any case, but a case answers for one inspection only
    office = client_for("office_admin")
    twice = post_json(office, _url(plan), {**body, "subject": plan.results["subjects"][1], "case": own["id"]})
    assert twice.status_code == 422 and "已关联其他抽查对象" in json_text(twice)
    assert post_json(office, _url(plan), {**body, "subject": plan.results["subjects"][1],
                                          "case": theirs["id"]}).status_code == 201


# ---- correction ----

def test_only_the_office_corrects_a_result_and_only_with_a_reason_which_is_kept_and_audited(drawn, client_for):
    plan, officers = drawn
    subject = plan.results["subjects"][0]
    (inspector, _), _others = _inspectors(plan, subject, officers)
    post_json(_client(inspector), _url(plan), {"subject": subject, **RESULT})
    change = {"subject": subject, **RESULT, "outcome": "problem", "description": "专利标识未标明专利类型，已指导更正"}
    assert _put(_client(inspector), _url(plan), {**change, "reason": "补充"}).status_code == 403
    office = client_for("office_admin")
    unexplained = _put(office, _url(plan), {**change, "reason": " "})
    assert unexplained.status_code == 422 and "reason: 更正须说明理由" in json_text(unexplained)
    assert InspectionResult.objects.get().outcome == "no_problem"
    corrected = _put(office, _url(plan), {**change, "reason": "复核现场照片，补充发现的问题"})
    assert corrected.status_code == 200 and corrected.json()["outcome_label"] == "发现问题"
    assert corrected.json()["corrected_on"] == "2026-11-02"
    result = InspectionResult.objects.get()
    assert result.corrections[0]["reason"] == "复核现场照片，补充发现的问题"
    assert result.corrections[0]["before"]["outcome"] == "no_problem"
    audit = AuditEntry.objects.get(action="protection.inspection.result_correct")
    assert audit.before["outcome"] == "no_problem" and audit.after["reason"] == "复核现场照片，补充发现的问题"
    page = office.get(f"/protection/inspections/{plan.pk}/results/").content.decode()
    assert 'data-testid="correct-form"' in page and "已更正" in page and "复核现场照片" in page
    assert 'data-testid="correct-form"' not in _client(inspector).get(
        f"/protection/inspections/{plan.pk}/results/").content.decode()


# ---- publication ----

def _record_all(plan, client_for, leave=0):
    office = client_for("office_admin")
    for n, subject in enumerate(plan.results["subjects"][:len(plan.results["subjects"]) - leave]):
        made = post_json(office, _url(plan), {"subject": subject, **RESULT, "description": f"第{n}户未发现违法行为"})
        assert made.status_code == 201


def test_results_are_published_only_when_every_drawn_subject_has_one(drawn, client_for):
    plan, officers = drawn
    office = client_for("office_admin")
    _record_all(plan, client_for, leave=1)
    early = post_json(office, f"/api/v1/protection/inspections/{plan.pk}/publish-results", {})
    assert early.status_code == 422 and "还有 1 个抽查对象未录入检查结果" in json_text(early)
    assert InspectionPlan.objects.get(pk=plan.pk).state == "drawn"
    assert post_json(_client(officers[0]), f"/api/v1/protection/inspections/{plan.pk}/publish-results",
                     {}).status_code == 403
    post_json(office, _url(plan), {"subject": plan.results["subjects"][2], **RESULT, "description": "最后一户"})
    published = post_json(office, f"/api/v1/protection/inspections/{plan.pk}/publish-results", {})
    assert published.status_code == 200 and published.json()["state"] == "results_published"
    assert published.json()["results_published_on"] == "2026-11-02"
    late = post_json(office, _url(plan), {"subject": plan.results["subjects"][2], **RESULT})
    assert late.status_code == 422 and "已公示" in json_text(late)


def test_the_public_sees_the_results_only_after_publication_and_never_the_linked_case(drawn, client_for):
    plan, officers = drawn
    public, office = client_for(None), client_for("office_admin")
    _record_all(plan, client_for)
    page = public.get(f"/protection/inspections/{plan.pk}/").content.decode()
    assert "第0户未发现违法行为" not in page and "经办公室公示后在此公开" in page
    assert public.get(_url(plan)).json() == []
    assert public.get(f"/api/v1/protection/inspections/{plan.pk}").json()["inspection_results"] == []
    post_json(office, f"/api/v1/protection/inspections/{plan.pk}/publish-results", {})
    page = public.get(f"/protection/inspections/{plan.pk}/").content.decode()
    assert all(f"第{n}户未发现违法行为" in page for n in range(3)) and "未发现问题" in page
    assert "平台按公布数据复算，结果一致" in page  # the draw is still the one anyone can redo
    shown = public.get(_url(plan)).json()
    assert len(shown) == 3 and all(row["case"] is None for row in shown)
    record = public.get(f"/api/v1/protection/inspections/{plan.pk}").json()
    assert [r["subject"] for r in record["inspection_results"]] == plan.results["subjects"]
    download = json.loads(public.get(f"/protection/inspections/{plan.pk}/?format=json").content)
    assert download["inspection_results"][0]["outcome_label"] == "未发现问题"


def test_the_inspector_sees_their_own_unpublished_result_and_the_public_does_not(drawn, client_for):
    plan, officers = drawn
    subject = plan.results["subjects"][0]
    (inspector, _), _others = _inspectors(plan, subject, officers)
    post_json(_client(inspector), _url(plan), {"subject": subject, **RESULT})
    assert [row["subject"] for row in _client(inspector).get(_url(plan)).json()] == [subject]
    assert "录入检查结果" in _client(inspector).get(f"/protection/inspections/{plan.pk}/").content.decode()
    assert client_for("enterprise_user").get(_url(plan)).json() == []


# ---- key task 12 ----

def test_task_12_counts_recorded_results_by_inspection_year_and_keeps_counting_the_published_draw(drawn, client_for):
    plan, _ = drawn
    _record_all(plan, client_for, leave=1)
    post_json(client_for("office_admin"), _url(plan), {"subject": plan.results["subjects"][2], **RESULT})
    post_json(client_for("office_admin"), f"/api/v1/protection/inspections/{plan.pk}/publish-results", {})
    modules = {m["label"]: m for m in client_for(None).get("/api/v1/plan/tasks/12/modules").json()}
    counts = {c["year"]: c["count"] for c in modules["“双随机、一公开”抽查（检查结果已录入）"]["counts"]}
    assert counts == {2024: 0, 2025: 0, 2026: 3}
    assert modules["“双随机、一公开”抽查（检查结果已录入）"]["unit_label"] == "户次"
    draws = {c["year"]: c["count"] for c in modules["“双随机、一公开”抽查（抽取公示）"]["counts"]}
    assert draws[2026] == 1
    assert "检查结果已录入" in client_for(None).get("/plan/tasks/12/").content.decode()


# ---- the case named by a result of 立案查处: a case against the inspected organization ----

CASE_FILED = {"outcome": "case_filed", "description": "发现销售涉嫌假冒注册商标的商品，立案查处",
              "inspected_on": "2026-11-02"}


def _drawn_subject(drawn):
    """The plan, its first subject's organization and an officer drawn to inspect it."""
    plan, officers = drawn
    key = plan.results["subjects"][0]
    (inspector, _), _others = _inspectors(plan, key, officers)
    return plan, Organization.objects.get(pk=int(key.split("-")[1])), inspector


def _case(client, **changes) -> int:
    made = post_json(client, "/api/v1/protection/cases", {**CASE, "received_on": "2026-11-02", **changes})
    assert made.status_code == 201, made.content
    return made.json()["id"]


def _nothing_recorded() -> bool:
    return not InspectionResult.objects.exists() and not AuditEntry.objects.filter(
        action="protection.inspection.result_record").exists()


def test_a_result_of_case_filed_naming_a_case_against_another_party_is_refused_by_the_api_and_the_page(drawn):
    plan, subject, inspector = _drawn_subject(drawn)
    client = _client(inspector)
    elsewhere = _case(client, party="张某（个体户）")
    body = {"subject": f"ORG-{subject.pk:06d}", **CASE_FILED, "case": elsewhere}

    refused = post_json(client, f"/api/v1/protection/inspections/{plan.pk}/results", body)
    assert refused.status_code == 422
    assert (f"case: 关联案件的当事人“张某（个体户）”不是抽查对象“{subject.name}”"
            in json_text(refused)), json_text(refused)
    page = client.post(f"/protection/inspections/{plan.pk}/results/", {
        "action": "record", **{k: str(v) for k, v in body.items()}})
    assert page.status_code == 200 and f"不是抽查对象“{subject.name}”" in page.content.decode()
    assert _nothing_recorded()

    against_the_subject = _case(client, party=subject.name)
    linked = post_json(client, f"/api/v1/protection/inspections/{plan.pk}/results", {**body, "case": against_the_subject})
    assert linked.status_code == 201 and linked.json()["case"] == against_the_subject


def test_the_credit_code_decides_whose_case_it_is_when_both_record_one(drawn):
    plan, subject, inspector = _drawn_subject(drawn)
    Organization.objects.filter(pk=subject.pk).update(credit_code="91120104MA05TEST1X")
    client = _client(inspector)
    namesake = _case(client, party=subject.name, party_credit_code="91120104MA05OTHR2Y")
    body = {"subject": f"ORG-{subject.pk:06d}", **CASE_FILED, "case": namesake}

    refused = post_json(client, f"/api/v1/protection/inspections/{plan.pk}/results", body)
    assert refused.status_code == 422 and f"不是抽查对象“{subject.name}”" in json_text(refused)
    assert _nothing_recorded()

    by_code = _case(client, party="被抽查企业（简称）", party_credit_code="91120104ma05test1x")
    linked = post_json(client, f"/api/v1/protection/inspections/{plan.pk}/results", {**body, "case": by_code})
    assert linked.status_code == 201, linked.content


def test_the_office_cannot_correct_a_result_to_a_case_against_another_party_through_the_api_or_the_page(
        drawn, client_for):
    plan, subject, _inspector = _drawn_subject(drawn)
    office = client_for("office_admin")
    key = f"ORG-{subject.pk:06d}"
    recorded = post_json(office, f"/api/v1/protection/inspections/{plan.pk}/results", {
        "subject": key, "outcome": "no_problem", "description": "未发现违法行为", "inspected_on": "2026-11-02"})
    assert recorded.status_code == 201
    elsewhere = _case(client_for("enforcement_officer"), party="他人商贸有限公司")
    correction = {"subject": key, **CASE_FILED, "case": elsewhere, "reason": "复核后发现违法行为"}

    refused = _put(office, f"/api/v1/protection/inspections/{plan.pk}/results", correction)
    assert refused.status_code == 422
    assert f"case: 关联案件的当事人“他人商贸有限公司”不是抽查对象“{subject.name}”" in json_text(refused)
    page = office.post(f"/protection/inspections/{plan.pk}/results/", {
        "action": "correct", **{k: str(v) for k, v in correction.items()}})
    assert page.status_code == 200 and f"不是抽查对象“{subject.name}”" in page.content.decode()
    result = InspectionResult.objects.get()
    assert (result.outcome, result.case_id, result.corrections) == ("no_problem", None, [])
    assert not AuditEntry.objects.filter(action="protection.inspection.result_correct").exists()
