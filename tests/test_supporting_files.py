"""佐证材料: files on progress reports, indicator values, meetings, cases and mediations — checked by their bytes,
stored all or none, read only by who reads the record — and the office's evidence package of a pilot year."""

import datetime as dt
import io
import json
import os
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import Workbook, load_workbook

from ipcity import clock
from ipcity.accounts.models import Organization
from ipcity.audit.models import AuditEntry
from ipcity.cli import main as ipcity_main
from ipcity.plan.meetings import meeting_record
from ipcity.plan.models import IndicatorValue, KeyTask, ProgressReport, WorkItem
from ipcity.plan.services import indicator_value_report
from ipcity.plan.supervision import progress_report_submit, work_item_create, work_item_transition
from ipcity.protection.enforcement import case_register
from ipcity.protection.mediation import mediation_apply, mediation_step
from ipcity.protection.models import EnforcementCase
from ipcity.web.models import Attachment, SupportingFile
from ipcity.web.supporting import supporting_attach

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("会议纪要")
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


GOOD = {
    "报告.pdf": b"%PDF-1.7 progress",
    "台账.doc": OLE,
    "统计表.xls": OLE,
    "情况说明.wps": OLE,
    "汇总.et": OLE,
    "批复.ofd": _zip({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<x/>"}),
    "纪要.docx": docx_bytes(),
    "明细.xlsx": xlsx_bytes(),
    "现场.jpg": b"\xff\xd8\xff\xe0" + b"\x00" * 20,
    "截图.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
}


def upload(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, GOOD[name] if data is None else data)


def stored_files() -> set[str]:
    return {p.name for p in Path(settings.UPLOAD_DIR).rglob("*") if p.is_file()} if Path(
        settings.UPLOAD_DIR).exists() else set()


@pytest.fixture
def item(people, frozen_clock):
    """A work item of 区科技局 on task 2 (linked to its indicators), acknowledged: the unit may report."""
    tech = Organization.objects.get(code="science_technology")
    task = KeyTask.objects.get(number=2)
    made = work_item_create(actor=people["office_admin"], task=task, unit=tech, year=2026, title="培育导航项目",
                            deadline=dt.date(2026, 12, 1), indicators=list(task.indicators.all()))
    work_item_transition(actor=people["office_admin"], item=made, action="assign")
    work_item_transition(actor=people["unit_staff"], item=made, action="acknowledge")
    return made


def _report(people, item, period="2026-10"):
    return progress_report_submit(actor=people["unit_staff"], item=item, period=period, text="完成立项",
                                  request_review=False)


# ---- adding files from the forms people already use ----

def test_a_unit_adds_several_files_to_its_progress_report_from_the_report_form(client_for, people, item):
    unit, office = client_for("unit_staff"), client_for("office_admin")
    page = unit.get(f"/supervision/items/{item.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="attachments"' in page and "佐证材料" in page
    response = unit.post(f"/supervision/items/{item.pk}/", {
        "form": "report", "period": "2026-10", "text": "完成两个导航项目立项",
        "attachments": [upload("报告.pdf"), upload("台账.doc"), upload("情况说明.wps")]})
    assert response.status_code == 302, response.content.decode()[:500]
    report = ProgressReport.objects.get(work_item=item)
    names = sorted(SupportingFile.objects.filter(subject_kind="progress_report", subject_id=report.pk)
                   .values_list("attachment__original_name", flat=True))
    assert names == ["台账.doc", "情况说明.wps", "报告.pdf"]
    shown = office.get(f"/supervision/items/{item.pk}/").content.decode()
    assert all(name in shown for name in names)
    listed = office.get(f"/api/v1/records/progress_report/{report.pk}/files").json()
    assert sorted(f["name"] for f in listed) == names
    download = office.get(listed[0]["download"])
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;") and "filename*=utf-8''" in download[
        "Content-Disposition"]
    assert b"".join(download.streaming_content) in GOOD.values()


@pytest.mark.parametrize("name", ["台账.doc", "统计表.xls", "情况说明.wps", "汇总.et", "批复.ofd", "纪要.docx",
                                  "明细.xlsx", "现场.jpg", "截图.png", "报告.pdf"])
def test_a_unit_reports_an_indicator_value_with_each_accepted_kind_of_file(client_for, people, name):
    unit = client_for("unit_staff")
    response = unit.post("/plan/indicators/navigation_projects_industry_planning/", {
        "form": "report", "report-as_of": "2026-10-31", "report-value": "2", "report-source": "区科技局项目台账",
        "report-attachment": [upload(name)]})
    assert response.status_code == 302, response.content.decode()[:600]
    value = IndicatorValue.objects.get(indicator__code="navigation_projects_industry_planning")
    assert SupportingFile.objects.get(subject_kind="indicator_value", subject_id=value.pk).attachment.original_name \
        == name
    assert name in unit.get("/plan/indicators/navigation_projects_industry_planning/").content.decode()


def test_the_indicator_page_shows_a_values_file_names_only_to_the_reporting_unit_and_the_office(client_for, people):
    client_for("unit_staff").post("/plan/indicators/navigation_projects_industry_planning/", {
        "form": "report", "report-as_of": "2026-10-31", "report-value": "2", "report-source": "台账",
        "report-attachment": [upload("台账.doc"), upload("批复.ofd")]})
    path = "/plan/indicators/navigation_projects_industry_planning/"
    assert "批复.ofd" in client_for("office_admin").get(path).content.decode()
    public = client_for(None).get(path).content.decode()
    assert "批复.ofd" not in public and "2 个（报送单位和办公室可查看）" in public


def test_the_office_records_a_meeting_with_its_minutes_attached(client_for, people):
    office = client_for("office_admin")
    response = office.post("/supervision/meetings/new/", {
        "title": "2026年第三次全体会议", "kind": "plenary", "held_on": "2026-10-30", "chaired_by": "区长",
        "summary": "部署终期评估", "decisions": "", "files": [upload("纪要.docx"), upload("批复.ofd")]})
    assert response.status_code == 302, response.content.decode()[:500]
    page = office.get(response["Location"]).content.decode()
    assert "纪要.docx" in page and "批复.ofd" in page
    assert "纪要.docx" in client_for("unit_staff").get(response["Location"]).content.decode()  # minutes go to units


def test_an_officer_attaches_evidence_to_a_case_of_its_unit_and_a_party_to_its_mediation(client_for, people):
    case = case_register(actor=people["enforcement_officer"], kind="patent", source="inspection", party="某公司",
                         facts="假冒专利", received_on=dt.date(2026, 10, 1))
    officer = client_for("enforcement_officer")
    response = officer.post(f"/files/attach/case/{case.pk}/", {"files": [upload("现场.jpg"), upload("截图.png")]})
    assert response.status_code == 302 and response["Location"] == f"/protection/cases/{case.pk}/"
    assert "现场.jpg" in officer.get(f"/protection/cases/{case.pk}/").content.decode()
    mediation = mediation_apply(actor=people["enterprise_user"], channel="people", body=people["mediator"].organization,
                                respondent="某店", right_type="trademark", claim="假冒")
    added = client_for("enterprise_user").post(f"/api/v1/records/mediation/{mediation.pk}/files",
                                               {"files": [upload("报告.pdf")]})
    assert added.status_code == 201, added.content
    file_id = added.json()[0]["id"]
    assert client_for("mediator").get(f"/files/{file_id}/").status_code == 200  # the other side of the record
    assert client_for("office_admin").get(f"/api/v1/files/{file_id}").status_code == 200
    assert client_for("university_user").get(f"/files/{file_id}/").status_code == 404


# ---- refusals: in Chinese, and nothing written ----

def test_a_file_whose_bytes_are_not_its_extension_is_refused_and_the_report_is_not_saved(client_for, people, item):
    before = stored_files()
    response = client_for("unit_staff").post(f"/supervision/items/{item.pk}/", {
        "form": "report", "period": "2026-10", "text": "完成", "attachments": [
            upload("报告.pdf"), upload("说明.pdf", b"MZ\x90\x00 this is a program")]})
    page = response.content.decode()
    assert response.status_code == 200 and "“说明.pdf”：文件内容与扩展名“.pdf”不符" in page
    assert not ProgressReport.objects.exists() and not Attachment.objects.exists()
    assert stored_files() == before  # the good file written first was removed with the refusal


@pytest.mark.parametrize(("name", "data", "message"), [
    ("纪要.docx", _zip({"readme.txt": b"just an archive"}), "文件内容与扩展名“.docx”不符"),
    ("明细.xlsx", b"PK\x03\x04 not really a zip", "文件内容与扩展名“.xlsx”不符"),
    ("批复.ofd", _zip({"Doc_0/Document.xml": b"<x/>"}), "文件内容与扩展名“.ofd”不符"),
    ("台账.doc", b"%PDF-1.7 a pdf renamed", "文件内容与扩展名“.doc”不符"),
    ("程序.exe", b"MZ\x90\x00", "不支持的文件类型“.exe”"),
    ("空.pdf", b"", "空文件"),
])
def test_a_spoofed_or_unsupported_file_is_refused_through_the_api(client_for, people, item, name, data, message):
    report = _report(people, item)
    response = client_for("unit_staff").post(f"/api/v1/records/progress_report/{report.pk}/files",
                                             {"files": [upload("报告.pdf"), upload(name, data)]})
    assert response.status_code == 422 and message in json.dumps(response.json(), ensure_ascii=False)
    assert not SupportingFile.objects.exists() and not Attachment.objects.exists()


def test_a_file_over_the_size_limit_is_refused_with_the_limit(client_for, people, item, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    report = _report(people, item)
    response = client_for("unit_staff").post(f"/api/v1/records/progress_report/{report.pk}/files",
                                             {"files": [upload("报告.pdf", b"%PDF-" + b"x" * 5000)]})
    assert response.status_code == 422 and "超过 1 KB 的上限" in json.dumps(response.json(), ensure_ascii=False)
    assert not Attachment.objects.exists()


def test_another_organizations_user_neither_downloads_nor_attaches(client_for, people, item):
    report = _report(people, item)
    [attachment] = supporting_attach(actor=people["unit_staff"], kind="progress_report", subject=report,
                                     files=[upload("报告.pdf")])
    for persona in ("enterprise_user", "enforcement_officer", "mediator"):
        client = client_for(persona)
        assert client.get(f"/files/{attachment.pk}/").status_code == 404
        assert client.get(f"/api/v1/files/{attachment.pk}").status_code == 404
        assert client.get(f"/api/v1/records/progress_report/{report.pk}/files").status_code == 404
        refused = client.post(f"/api/v1/records/progress_report/{report.pk}/files", {"files": [upload("截图.png")]})
        assert refused.status_code == 404 and "进展报告不存在或无权查看" in refused.json()["detail"]
        assert client.post(f"/files/attach/progress_report/{report.pk}/",
                           {"files": [upload("截图.png")]}).status_code == 404
    assert client_for(None).get(f"/files/{attachment.pk}/").status_code == 302  # sign in first
    assert SupportingFile.objects.count() == 1


def test_a_unit_cannot_attach_to_a_meeting_it_may_read(client_for, people, plan):
    meeting = meeting_record(actor=people["office_admin"], plan=plan, title="全体会议", held_on=dt.date(2026, 10, 20),
                             chaired_by="区长", summary="部署")
    refused = client_for("unit_staff").post(f"/api/v1/records/meeting/{meeting.pk}/files", {"files": [upload("报告.pdf")]})
    assert refused.status_code == 403 and "无权为该领导小组会议添加佐证材料" in refused.json()["detail"]
    assert client_for("unit_staff").get(f"/api/v1/records/meeting/{meeting.pk}/files").json() == []


def test_an_unknown_kind_of_record_is_not_found_in_chinese(client_for, people):
    response = client_for("office_admin").get("/api/v1/records/invoice/1/files")
    assert response.status_code == 404 and response.json()["detail"] == "没有这类记录"


# ---- the evidence package ----

@pytest.fixture
def evidence(people, item, plan):
    """Supporting files on one record of each kind in 2026, and on a 2025 indicator value."""
    office, unit = people["office_admin"], people["unit_staff"]
    report = _report(people, item, period="2026-10")
    supporting_attach(actor=unit, kind="progress_report", subject=report, files=[upload("报告.pdf"), upload("台账.doc")])
    navigation = item.task.indicators.get(code="navigation_projects_industry_planning")
    old = indicator_value_report(indicator=navigation, actor=unit, as_of=dt.date(2025, 12, 31), value=1, source="台账")
    supporting_attach(actor=unit, kind="indicator_value", subject=old, files=[upload("统计表.xls")])
    new = indicator_value_report(indicator=navigation, actor=unit, as_of=dt.date(2026, 10, 31), value=2, source="台账")
    supporting_attach(actor=unit, kind="indicator_value", subject=new,
                      files=[upload("报告.pdf"), upload("../../etc/passwd\x01.pdf", GOOD["报告.pdf"])])
    meeting = meeting_record(actor=office, plan=plan, title="全体会议", held_on=dt.date(2026, 10, 20),
                             chaired_by="区长", summary="部署")
    supporting_attach(actor=office, kind="meeting", subject=meeting, files=[upload("纪要.docx")])
    case = case_register(actor=people["enforcement_officer"], kind="patent", source="inspection", party="某公司",
                         facts="假冒专利", received_on=dt.date(2026, 3, 1))
    EnforcementCase.objects.filter(pk=case.pk).update(filed_on=dt.date(2026, 3, 5))
    supporting_attach(actor=people["enforcement_officer"], kind="case", subject=case, files=[upload("现场.jpg")])
    mediation = _mediation(people, outcome="agree")
    supporting_attach(actor=people["enterprise_user"], kind="mediation", subject=mediation, files=[upload("批复.ofd")])
    return {"report": report, "case": case}


def _mediation(people, outcome: str | None = None, day: dt.date | None = None):
    """A people's mediation the enterprise applied for; accepted and concluded (`outcome` "agree" or "fail") on
    `day` when given."""
    mediation = mediation_apply(actor=people["enterprise_user"], channel="people", body=people["mediator"].organization,
                                respondent="某店", right_type="trademark", claim="假冒")
    if outcome:
        mediator = people["mediator"]
        for action, text in (("accept", ""), ("session", "双方陈述"), (outcome, "调解结果")):
            mediation = mediation_step(actor=mediator, case=mediation, action=action, text=text, day=day,
                                       mediator=mediator if action == "accept" else None)
    return mediation


def _package(client, year):
    response = client.get(f"/supervision/evidence-package.zip?year={year}")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _index(archive) -> list[list]:
    sheet = load_workbook(io.BytesIO(archive.read("目录.xlsx"))).worksheets[0]
    return [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_package_of_a_year_holds_each_file_in_its_folders_with_a_matching_index(client_for, evidence):
    archive = _package(client_for("office_admin"), 2026)
    members = [n for n in archive.namelist() if n != "目录.xlsx"]
    rows = _index(archive)
    assert sorted(r[1] + r[2] for r in rows) == sorted(members)  # the 目录 lists exactly the files
    folders = {m.rsplit("/", 1)[0] + "/" for m in members}
    assert "重点任务/02 实施优势示范企业高价值专利培育计划/" in folders  # the progress report's task
    assert "重点任务/07 着力加强知识产权执法能力建设/" in folders  # the case
    assert "重点任务/08 构建知识产权协同保护工作格局/" in folders  # the mediation
    assert "保障措施/一 加强组织领导/" in folders  # the meeting
    navigation = next(f for f in folders if f.startswith("指标/") and "产业规划类专利导航" in f)
    assert {m.rsplit("/", 1)[1] for m in members if m.startswith(navigation)} >= {"报告.pdf", "报告 (2).pdf"}
    assert any(f.startswith("指标/") and "专利" in f and "案件" in f for f in folders)  # the case's indicator
    assert any(f.startswith("指标/") and "人民调解" in f for f in folders)  # the mediation's indicator
    assert "统计表.xls" not in {m.rsplit("/", 1)[1] for m in members}  # a 2025 value is not 2026 evidence
    case_row = next(r for r in rows if r[2] == "现场.jpg" and r[1].startswith("重点任务/07"))
    assert case_row[3] == "行政执法案件" and case_row[5].endswith(f"/protection/cases/{evidence['case'].pk}/")
    assert case_row[6] == "区市场监管局" and len(case_row[9]) == 64
    for name in archive.namelist():  # nothing escapes the package, nothing unprintable
        assert not name.startswith("/") and ".." not in name.split("/") and "\\" not in name
        assert not any(ord(c) < 32 for c in name)
        assert name == "目录.xlsx" or name.split("/")[0] in ("指标", "重点任务", "保障措施")


def test_the_package_of_another_year_holds_only_that_years_files(client_for, evidence):
    archive = _package(client_for("office_admin"), 2025)
    assert [n.rsplit("/", 1)[1] for n in archive.namelist() if n != "目录.xlsx"] == ["统计表.xls"]
    assert [r[2] for r in _index(archive)] == ["统计表.xls"]


def test_only_the_office_downloads_the_package_and_a_year_outside_the_pilot_is_refused(client_for, evidence):
    assert client_for("unit_staff").get("/supervision/evidence-package.zip?year=2026").status_code == 403
    assert client_for("unit_staff").get("/api/v1/supervision/evidence-package?year=2026").status_code == 403
    refused = client_for("office_admin").get("/supervision/evidence-package.zip?year=2031")
    assert refused.status_code == 400 and "年度应为试点期内的年份（2024～2026）" in refused.content.decode()
    api = client_for("office_admin").get("/api/v1/supervision/evidence-package?year=2026")
    assert api.status_code == 200 and zipfile.ZipFile(io.BytesIO(b"".join(api.streaming_content))).testzip() is None
    assert AuditEntry.objects.filter(action="evidence_package.export").count() == 1
    assert "下载佐证材料包" in client_for("office_admin").get("/supervision/evaluations/").content.decode()


def test_the_command_line_writes_the_package(evidence, tmp_path, capsys):
    target = tmp_path / "2026.zip"
    assert ipcity_main(["evidence-package", "--year", "2026", "--output", str(target)]) == 0
    with zipfile.ZipFile(target) as archive:
        assert "目录.xlsx" in archive.namelist() and len(archive.namelist()) > 5
    assert "已生成" in capsys.readouterr().err
    assert ipcity_main(["evidence-package", "--year", "1999", "--output", str(target)]) == 2
    assert "年度应为试点期内的年份" in capsys.readouterr().err


def test_a_formula_looking_file_name_is_text_in_the_packages_index(client_for, people, item):
    report = _report(people, item)
    formula = '=HYPERLINK("evil","详情")+1.pdf'
    supporting_attach(actor=people["unit_staff"], kind="progress_report", subject=report,
                      files=[upload(formula, GOOD["报告.pdf"])])
    archive = _package(client_for("office_admin"), 2026)
    sheet = load_workbook(io.BytesIO(archive.read("目录.xlsx"))).worksheets[0]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)  # shown as typed, never run


# ---- the lineage behind 托管 and cases: names for the office, audited; masked for everyone else ----

@pytest.fixture
def lineage(people, frozen_clock):
    """A confirmed custody contract of an SME no persona belongs to, and a filed patent case with its decision; the
    office has said both kinds of records are complete since the pilot began."""
    from ipcity.services.agencies import custody_record, profile_save
    from ipcity.services.models import CustodyContract
    from ipcity.stats.coverage import coverage_set

    for kind in ("activity:custody_sme", "activity:case_patent"):
        coverage_set(actor=people["office_admin"], kind=kind, complete_from=dt.date(2024, 1, 1), reason="试点起全部登记")
    sme = Organization.objects.create(name="南开某小微企业", org_type="enterprise", street="xuefu")
    profile_save(actor=people["agency_user"], services=["custody"], qualifications=[], staff=3, attorneys=0,
                 description="托管服务")
    contract = custody_record(actor=people["agency_user"], enterprise=sme, enterprise_size="small", scope=["fees"],
                              starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31))
    CustodyContract.objects.filter(pk=contract.pk).update(state="confirmed", confirmed_on=dt.date(2025, 1, 5))
    case = case_register(actor=people["enforcement_officer"], kind="patent", source="inspection",
                         party="南开某科技有限公司", facts="假冒专利", received_on=dt.date(2026, 3, 1))
    EnforcementCase.objects.filter(pk=case.pk).update(filed_on=dt.date(2026, 3, 5), decision_number="津南市监罚〔2026〕12号")
    return {"enterprise": sme.name, "party": "南开某科技有限公司", "decision": "津南市监罚〔2026〕12号"}


def test_the_office_sees_the_enterprise_behind_each_custody_record_and_the_view_is_audited(client_for, lineage):
    page = client_for("office_admin").get("/indicators/custody_smes/records/").content.decode()
    assert lineage["enterprise"] in page and "企业名称" in page and 'data-testid="lineage-unmasked"' in page
    entry = AuditEntry.objects.get(action="lineage.unmask")
    assert entry.actor.username == "office_admin" and entry.after["kind"] == "activity:custody_sme"
    api = client_for("office_admin").get("/api/v1/indicators/custody_smes/records").json()
    assert api["columns"][1] == "企业名称" and api["rows"][0][1] == lineage["enterprise"]
    download = client_for("office_admin").get("/indicators/custody_smes/records/", {"format": "csv"})
    assert lineage["enterprise"] in download.content.decode("utf-8-sig")
    assert AuditEntry.objects.filter(action="lineage.unmask").count() == 3  # page, API, download: each audited


@pytest.mark.parametrize("persona", [None, "unit_staff", "enterprise_user", "agency_user"])
def test_the_public_and_other_units_see_the_custody_lineage_masked(client_for, lineage, persona):
    client = client_for(persona)
    page = client.get("/indicators/custody_smes/records/").content.decode()
    api = json.dumps(client.get("/api/v1/indicators/custody_smes/records").json(), ensure_ascii=False)
    assert lineage["enterprise"] not in page and lineage["enterprise"] not in api and "小型企业" in page
    assert 'data-testid="lineage-masked"' in page
    assert not AuditEntry.objects.filter(action="lineage.unmask").exists()


def test_the_case_lineage_shows_the_decision_number_to_all_and_the_party_to_the_office(client_for, lineage):
    public = client_for(None).get("/api/v1/indicators/patent_enforcement_cases/records").json()
    assert "决定书文号" in public["columns"] and lineage["decision"] in public["rows"][0]
    assert lineage["party"] not in json.dumps(public, ensure_ascii=False)
    office = client_for("office_admin").get("/indicators/patent_enforcement_cases/records/").content.decode()
    assert lineage["party"] in office and lineage["decision"] in office and "当事人" in office
    assert AuditEntry.objects.filter(action="lineage.unmask", after__kind="activity:case_patent").exists()


def test_a_decision_number_longer_than_its_column_is_refused_not_cut(people, frozen_clock):
    from ipcity.protection.enforcement import DECISION_NUMBER_MAX, case_step

    case = case_register(actor=people["enforcement_officer"], kind="patent", source="inspection", party="某公司",
                         facts="假冒专利", received_on=dt.date(2026, 3, 1))
    case.officers.add(people["enforcement_officer"])
    EnforcementCase.objects.filter(pk=case.pk).update(state="notified", filed_on=dt.date(2026, 3, 5))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=f"处罚决定书文号不能超过 {DECISION_NUMBER_MAX} 个字符"):
        case_step(actor=people["enforcement_officer"], case=EnforcementCase.objects.get(pk=case.pk), action="decide",
                  decision_number="津" * (DECISION_NUMBER_MAX + 1), fine=Decimal(100))
    assert EnforcementCase.objects.get(pk=case.pk).decision_number == ""


# ---- what the package files: only work that counts (issue 13 review) ----

def _members(archive) -> dict[str, set[str]]:
    """Folder -> the file names in it (the 目录 aside)."""
    found: dict[str, set[str]] = {}
    for name in archive.namelist():
        if name != "目录.xlsx":
            folder, _slash, file = name.rpartition("/")
            found.setdefault(folder + "/", set()).add(file)
    return found


def test_an_enterprises_mediation_application_never_accepted_stays_out_of_the_evidence_package(client_for, people, frozen_clock):
    applied = _mediation(people)
    supporting_attach(actor=people["enterprise_user"], kind="mediation", subject=applied,
                      files=[upload("申请材料.pdf", GOOD["报告.pdf"])])
    failed = _mediation(people, outcome="fail")
    supporting_attach(actor=people["enterprise_user"], kind="mediation", subject=failed,
                      files=[upload("调解不成.pdf", GOOD["报告.pdf"])])
    agreed = _mediation(people, outcome="agree")
    supporting_attach(actor=people["enterprise_user"], kind="mediation", subject=agreed,
                      files=[upload("调解协议.pdf", GOOD["报告.pdf"])])
    archive = _package(client_for("office_admin"), 2026)
    members = _members(archive)
    everything = {file for files in members.values() for file in files}
    assert "申请材料.pdf" not in everything  # an application alone is nobody's work yet
    assert not any("申请材料" in str(cell) for row in _index(archive) for cell in row)  # nor in the 目录
    task = members["重点任务/08 构建知识产权协同保护工作格局/"]
    assert task == {"调解不成.pdf", "调解协议.pdf"}  # accepted work, whatever its outcome
    indicator = next(files for folder, files in members.items() if folder.startswith("指标/") and "人民调解" in folder)
    assert indicator == {"调解协议.pdf"}  # the indicator counts successful mediations only


def test_a_case_never_filed_is_not_filed_under_the_case_indicator(client_for, people, frozen_clock):
    officer = people["enforcement_officer"]
    received = case_register(actor=officer, kind="patent", source="inspection", party="甲公司", facts="线索",
                             received_on=dt.date(2026, 9, 1))
    supporting_attach(actor=officer, kind="case", subject=received, files=[upload("线索.jpg", GOOD["现场.jpg"])])
    filed = case_register(actor=officer, kind="patent", source="inspection", party="乙公司", facts="假冒专利",
                          received_on=dt.date(2026, 9, 2))
    EnforcementCase.objects.filter(pk=filed.pk).update(filed_on=dt.date(2026, 9, 5))
    supporting_attach(actor=officer, kind="case", subject=filed, files=[upload("立案.jpg", GOOD["现场.jpg"])])
    members = _members(_package(client_for("office_admin"), 2026))
    assert members["重点任务/07 着力加强知识产权执法能力建设/"] == {"线索.jpg", "立案.jpg"}
    indicator = next(files for folder, files in members.items() if folder.startswith("指标/") and "专利行政查处" in folder)
    assert indicator == {"立案.jpg"}


def test_a_mediation_applied_for_in_one_year_and_agreed_in_the_next_is_evidence_of_the_year_it_counts_in(
        client_for, people, frozen_clock):
    with clock.on_day(dt.date(2025, 12, 20)):
        mediation = mediation_apply(actor=people["enterprise_user"], channel="people",
                                    body=people["mediator"].organization, respondent="某店", right_type="trademark",
                                    claim="假冒")
    mediator = people["mediator"]
    mediation = mediation_step(actor=mediator, case=mediation, action="accept", mediator=mediator,
                               day=dt.date(2025, 12, 28))
    mediation = mediation_step(actor=mediator, case=mediation, action="session", text="陈述", day=dt.date(2026, 1, 5))
    mediation = mediation_step(actor=mediator, case=mediation, action="agree", text="协议", day=dt.date(2026, 1, 10))
    supporting_attach(actor=people["enterprise_user"], kind="mediation", subject=mediation, files=[upload("批复.ofd")])
    office = client_for("office_admin")
    assert _members(_package(office, 2025)) == {}
    members = _members(_package(office, 2026))
    assert members["重点任务/08 构建知识产权协同保护工作格局/"] == {"批复.ofd"}
    assert any(folder.startswith("指标/") and "人民调解" in folder for folder in members)


# ---- limits: per record, per organization, per package ----

def test_a_record_takes_at_most_twenty_files_and_the_next_is_refused_naming_the_limit(client_for, people, item):
    report = _report(people, item)
    unit = client_for("unit_staff")
    first = unit.post(f"/api/v1/records/progress_report/{report.pk}/files",
                      {"files": [upload(f"{i}.pdf", GOOD["报告.pdf"]) for i in range(20)]})
    assert first.status_code == 201, first.content
    refused = unit.post(f"/api/v1/records/progress_report/{report.pk}/files", {"files": [upload("报告.pdf")]})
    assert refused.status_code == 422
    assert "每条记录最多 20 个佐证材料，已有 20 个" in json.dumps(refused.json(), ensure_ascii=False)
    assert SupportingFile.objects.count() == Attachment.objects.count() == 20


def test_an_organization_past_its_storage_quota_is_refused_naming_the_limit_and_nothing_is_written(
        client_for, people, settings, frozen_clock):
    settings.UPLOAD_QUOTA_BYTES, settings.UPLOAD_QUOTA_DAYS = 2048, 30
    page = b"%PDF-1.7 " + b"x" * 891  # 900 bytes
    mediations = [_mediation(people), _mediation(people)]
    enterprise = client_for("enterprise_user")
    kept = enterprise.post(f"/api/v1/records/mediation/{mediations[0].pk}/files",
                           {"files": [upload("a.pdf", page), upload("b.pdf", page)]})
    assert kept.status_code == 201, kept.content
    before = stored_files()
    refused = enterprise.post(f"/api/v1/records/mediation/{mediations[1].pk}/files", {"files": [upload("c.pdf", page)]})
    message = json.dumps(refused.json(), ensure_ascii=False)
    assert refused.status_code == 422 and "近 30 天" in message and "每单位 2 KB 的存储上限" in message
    on_page = enterprise.post(f"/files/attach/mediation/{mediations[1].pk}/", {"files": [upload("c.pdf", page)]},
                              follow=True)
    assert "每单位 2 KB 的存储上限" in on_page.content.decode()
    assert Attachment.objects.count() == 2 and stored_files() == before
    frozen_clock.advance(days=31)  # the window rolls on: last month's files no longer count
    again = enterprise.post(f"/api/v1/records/mediation/{mediations[1].pk}/files", {"files": [upload("c.pdf", page)]})
    assert again.status_code == 201, again.content


def test_another_organizations_uploads_do_not_use_up_a_units_quota(client_for, people, item, settings):
    settings.UPLOAD_QUOTA_BYTES = 2048
    page = b"%PDF-1.7 " + b"x" * 1491
    enterprise = client_for("enterprise_user")
    assert enterprise.post(f"/api/v1/records/mediation/{_mediation(people).pk}/files",
                           {"files": [upload("a.pdf", page)]}).status_code == 201
    report = _report(people, item)
    assert client_for("unit_staff").post(f"/api/v1/records/progress_report/{report.pk}/files",
                                         {"files": [upload("b.pdf", page)]}).status_code == 201


def test_a_package_over_its_size_limit_is_refused_in_chinese_and_leaves_no_file(client_for, evidence, settings):
    settings.EVIDENCE_PACKAGE_MAX_BYTES = 100
    office = client_for("office_admin")
    page = office.get("/supervision/evidence-package.zip?year=2026")
    assert page.status_code == 400 and "2026年佐证材料包共" in page.content.decode()
    assert "超过 0.1 KB 的上限，未生成" in page.content.decode()
    api = office.get("/api/v1/supervision/evidence-package?year=2026")
    assert api.status_code == 422 and "超过 0.1 KB 的上限" in json.dumps(api.json(), ensure_ascii=False)
    assert not list((Path(settings.DATA_DIR) / "exports").glob("*"))
    assert not AuditEntry.objects.filter(action="evidence_package.export").exists()


def test_a_package_build_removes_the_temporary_files_interrupted_builds_left_behind(client_for, evidence, settings):
    exports = Path(settings.DATA_DIR) / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    old, recent = exports / "evidence-orphan.zip", exports / "evidence-building.zip"
    for path in (old, recent):
        path.write_bytes(b"PK partial")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    _package(client_for("office_admin"), 2026)
    assert not old.exists()
    assert recent.exists()  # another build may still be writing it
    recent.unlink()


# ---- archives: their directory is bounded before it is listed ----

def _archive_of(entries: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", b"<w/>")
        for number in range(entries - 1):
            archive.writestr(f"{number}", b"")
    return buffer.getvalue()


def test_a_docx_holding_more_entries_than_any_document_is_refused_before_it_is_listed(client_for, people, item,
                                                                                      monkeypatch):
    report = _report(people, item)
    data = _archive_of(10_001)
    listed = []
    real = zipfile.ZipFile
    monkeypatch.setattr(zipfile, "ZipFile", lambda *a, **k: listed.append(a) or real(*a, **k))
    refused = client_for("unit_staff").post(f"/api/v1/records/progress_report/{report.pk}/files",
                                            {"files": [upload("纪要.docx", data)]})
    assert refused.status_code == 422
    assert "文件内部条目过多（超过 10000 个）" in json.dumps(refused.json(), ensure_ascii=False)
    assert listed == [] and not Attachment.objects.exists()


def test_a_docx_whose_end_record_understates_its_entries_is_still_refused(client_for, people, item):
    data = bytearray(_archive_of(90_000))  # a central directory of over 4 MB
    end = data.rfind(b"PK\x05\x06")
    data[end + 8:end + 12] = (1).to_bytes(2, "little") * 2  # "1 entry"
    report = _report(people, item)
    refused = client_for("unit_staff").post(f"/api/v1/records/progress_report/{report.pk}/files",
                                            {"files": [upload("纪要.docx", bytes(data))]})
    assert refused.status_code == 422 and "条目过多" in json.dumps(refused.json(), ensure_ascii=False)


def test_a_large_but_ordinary_docx_is_still_accepted(client_for, people, item):
    report = _report(people, item)
    accepted = client_for("unit_staff").post(f"/api/v1/records/progress_report/{report.pk}/files",
                                             {"files": [upload("纪要.docx", _archive_of(2_000))]})
    assert accepted.status_code == 201, accepted.content


# ---- a record the office signed off takes no new files ----

def _closed_item_report(people):
    office, unit = people["office_admin"], people["unit_staff"]
    tech = Organization.objects.get(code="science_technology")
    made = work_item_create(actor=office, task=KeyTask.objects.get(number=2), unit=tech, year=2026, title="立项",
                            deadline=dt.date(2026, 12, 1))
    work_item_transition(actor=office, item=made, action="assign")
    work_item_transition(actor=unit, item=made, action="acknowledge")
    report = progress_report_submit(actor=unit, item=made, period="2026-10", text="完成", request_review=True)
    supporting_attach(actor=unit, kind="progress_report", subject=report, files=[upload("报告.pdf")])
    for action in ("review", "close"):
        work_item_transition(actor=office, item=WorkItem.objects.get(pk=made.pk), action=action)
    assert WorkItem.objects.get(pk=made.pk).state == "closed"
    return report


def test_a_unit_cannot_add_files_to_a_progress_report_after_the_office_closed_the_work_item(client_for, people,
                                                                                              frozen_clock):
    report = _closed_item_report(people)
    unit = client_for("unit_staff")
    refused = unit.post(f"/api/v1/records/progress_report/{report.pk}/files", {"files": [upload("台账.doc")]})
    assert refused.status_code == 422
    assert "该工作事项已办结" in json.dumps(refused.json(), ensure_ascii=False)
    on_page = unit.post(f"/files/attach/progress_report/{report.pk}/", {"files": [upload("台账.doc")]}, follow=True)
    assert "佐证材料未上传：该工作事项已办结" in on_page.content.decode()
    office = client_for("office_admin")
    assert office.post(f"/api/v1/records/progress_report/{report.pk}/files",
                       {"files": [upload("台账.doc")]}).status_code == 422  # the office too: reopen first
    page = unit.get(f"/supervision/items/{report.work_item_id}/").content.decode()
    assert 'data-testid="supporting-closed"' in page and 'data-testid="supporting-form"' not in page
    assert SupportingFile.objects.count() == 1


def test_a_unit_cannot_add_files_to_an_indicator_value_the_office_adopted(client_for, people, item):
    from ipcity.plan.confirmations import indicator_confirm

    navigation = item.task.indicators.get(code="navigation_projects_industry_planning")
    value = indicator_value_report(indicator=navigation, actor=people["unit_staff"], as_of=dt.date(2026, 10, 31),
                                   value=2, source="台账")
    unit = client_for("unit_staff")
    assert unit.post(f"/api/v1/records/indicator_value/{value.pk}/files",
                     {"files": [upload("报告.pdf")]}).status_code == 201  # a proposal still takes evidence
    indicator_confirm(actor=people["office_admin"], indicator=navigation, year=2026, basis="reported",
                      reason="与台账一致")
    refused = unit.post(f"/api/v1/records/indicator_value/{value.pk}/files", {"files": [upload("台账.doc")]})
    assert refused.status_code == 422
    assert "已被领导小组办公室核定为2026年度正式值" in json.dumps(refused.json(), ensure_ascii=False)
    assert SupportingFile.objects.filter(subject_kind="indicator_value").count() == 1
