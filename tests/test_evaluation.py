"""The pilot's evaluation report (issue 13, part 6): drafted from the data, in the structure assessors use, edited by
the office (文号, 发文机关, 成文日期 and its four sections) while a draft, released and frozen, as .docx and PDF."""

import datetime as dt
import io
import json

import pytest
from docx import Document

from ipcity import clock
from ipcity.audit.models import AuditEntry
from ipcity.plan.models import EvaluationReport
from ipcity.plan.services import indicator_value_report
from tests.helpers import patch_json, post_json

DAY = dt.datetime(2027, 1, 8, 9, 0, tzinfo=dt.UTC)  # the pilot is over


@pytest.fixture
def after_the_pilot():
    with clock.frozen_at(DAY):
        yield


def _text(document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


# ---------------------------------------------------------------------------------------------------- drafting

def test_the_final_report_counts_every_one_of_the_32_indicators_as_met_not_met_or_pending(
        client_for, people, after_the_pilot):
    draft = post_json(client_for("office_admin"), "/api/v1/supervision/evaluations", {"kind": "final"})
    assert draft.status_code == 201
    report = draft.json()
    assert report["title"] == "天津市南开区国家知识产权强市建设试点终期评估报告（2024年1月至2026年12月）"
    assert report["indicators_met"] + report["indicators_not_met"] + report["indicators_pending"] == 32
    assert report["indicators_without_annual_target"] == 0
    assert report["issuer"] == "天津市南开区知识产权工作领导小组办公室"
    assert report["overview"].startswith("天津市南开区人民政府于") and "成员单位" in report["overview"]
    assert report["problems"].startswith(f"未完成指标{report['indicators_not_met']}项")


def test_an_annual_report_reads_its_year_end_values_not_todays(client_for, people, plan, after_the_pilot):
    """The 2024 report printed today's values: it now reads 2024-12-31, and a later year's figure stays out."""
    office = client_for("office_admin")
    patents = plan.indicators.get(code="trainings")
    indicator_value_report(indicator=patents, actor=people["office_admin"], as_of=dt.date(2024, 12, 31), value=6,
                           source="区科技局培训台账")
    indicator_value_report(indicator=patents, actor=people["office_admin"], as_of=dt.date(2026, 12, 31), value=99,
                           source="区科技局培训台账")
    report = post_json(office, "/api/v1/supervision/evaluations", {"kind": "annual", "year": 2024}).json()
    assert report["as_of"] == "2024-12-31"
    assert report["title"].endswith("2024年度评估报告")
    total = (report["indicators_met"] + report["indicators_not_met"] + report["indicators_pending"]
             + report["indicators_without_annual_target"])
    assert total == 32
    document = Document(io.BytesIO(office.get(f"/api/v1/supervision/evaluations/{report['id']}/document",
                                              {"format": "docx"}).content))
    text = _text(document)
    assert "报送6人次" in text or "报送6" in text
    assert "99" not in text.replace("1999", "")
    assert "2025年" not in document.tables[0].rows[1].cells[2].text
    years = {row.cells[2].text for row in document.tables[0].rows[1:]}
    assert years == {"2024年"}


def test_an_annual_report_needs_a_pilot_year_that_has_begun(client_for, people, after_the_pilot):
    refused = post_json(client_for("office_admin"), "/api/v1/supervision/evaluations", {"kind": "annual", "year": 2030})
    assert refused.status_code == 422 and "试点期内的年度" in refused.json()["detail"][0]
    with clock.frozen_at(dt.datetime(2024, 6, 1, tzinfo=dt.UTC)):
        early = post_json(client_for("office_admin"), "/api/v1/supervision/evaluations", {"kind": "annual", "year": 2025})
    assert early.status_code == 422 and "尚未开始" in early.json()["detail"][0]
    made = post_json(client_for("office_admin"), "/api/v1/supervision/evaluations", {"kind": "annual", "year": 2025})
    assert made.json()["title"].endswith("2025年度评估报告") and made.json()["as_of"] == "2025-12-31"


def test_a_report_drafted_before_the_year_ends_says_not_completed_with_the_date_never_in_progress(
        client_for, people):
    with clock.frozen_at(dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)):
        office = client_for("office_admin")
        report = post_json(office, "/api/v1/supervision/evaluations", {"kind": "final"}).json()
        assert report["as_of"] == "2026-12-02"
        body = office.get(f"/api/v1/supervision/evaluations/{report['id']}/document", {"format": "docx"}).content
    text = _text(Document(io.BytesIO(body)))
    assert "推进中" not in text and "暂无数据" not in text


# ---------------------------------------------------------------------------------------------------- editing

def test_the_office_sets_the_document_number_issuer_and_date_and_edits_the_sections_until_release(
        client_for, people, after_the_pilot):
    office = client_for("office_admin")
    report = post_json(office, "/api/v1/supervision/evaluations", {"kind": "final"}).json()
    url = f"/api/v1/supervision/evaluations/{report['id']}"
    edited = patch_json(office, url, {"document_number": "南开知强办〔2027〕3号", "written_on": "2027-01-08",
                                  "overview": "南开区试点基本情况。", "highlights": "建成知识产权全链条服务平台。",
                                  "problems": "问题。", "next_steps": "打算。"})
    assert edited.status_code == 200, edited.content
    assert edited.json()["document_number"] == "南开知强办〔2027〕3号" and edited.json()["written_on"] == "2027-01-08"
    assert office.get(url).json()["highlights"] == "建成知识产权全链条服务平台。"
    entry = AuditEntry.objects.filter(action="evaluation.update").latest("id")
    assert entry.after["document_number"] == "南开知强办〔2027〕3号"

    assert post_json(office, f"{url}/release", {}).json()["released"]
    frozen = patch_json(office, url, {"problems": "x"})
    assert frozen.status_code == 422 and "报告已发布" in frozen.json()["detail"][0]
    assert EvaluationReport.objects.get(pk=report["id"]).problems == "问题。"


@pytest.mark.parametrize(("body", "says"), [
    ({"document_number": "南开知强办[2027]3号"}, "六角括号"),
    ({"document_number": "南开知强办〔2027〕第3号"}, "六角括号"),
    ({"document_number": "南开知强办〔2027〕03号"}, "不编虚位"),
    ({"document_number": "南开知强办〔1927〕3号"}, "年份"),
    ({"document_number": "南" * 70 + "〔2027〕3号"}, "上限"),
    ({"issuer": "办" * 101}, "上限"),
    ({"issuer": "领导小组\n办公室"}, "控制字符"),
    ({"written_on": "2023-01-01"}, "数据截至日"),
    ({"written_on": "2030-01-01"}, "以内"),
    ({"written_on": "2027-02-30"}, "日期"),
    ({"overview": "字" * 8001}, "上限"),
])
def test_a_wrong_document_number_date_or_overlong_text_is_refused_and_nothing_is_written(
        client_for, people, after_the_pilot, body, says):
    office = client_for("office_admin")
    report = post_json(office, "/api/v1/supervision/evaluations", {"kind": "final"}).json()
    refused = patch_json(office, f"/api/v1/supervision/evaluations/{report['id']}", {**body, "highlights": "不应保存"})
    assert refused.status_code == 422
    assert says in json.dumps(refused.json(), ensure_ascii=False)
    stored = EvaluationReport.objects.get(pk=report["id"])
    assert stored.highlights != "不应保存" and stored.document_number == ""


def test_the_page_sets_the_particulars_saves_the_sections_and_releases(client_for, people, after_the_pilot):
    office = client_for("office_admin")
    page_url = office.post("/supervision/evaluations/", {"kind": "annual", "year": 2025})["Location"]
    page = office.get(page_url).content.decode()
    for heading in ("一、基本情况", "二、目标完成情况", "三、重点任务完成情况", "四、保障措施落实情况",
                    "五、特色亮点与典型案例", "六、存在问题", "七、下一步打算", "文号", "成文日期"):
        assert heading in page
    refused = office.post(page_url, {"document_number": "南开知强办2026年3号", "issuer": "办公室"})
    assert refused.status_code == 200 and "六角括号" in refused.content.decode()
    office.post(page_url, {"document_number": "南开知强办〔2026〕7号", "issuer": "天津市南开区知识产权工作领导小组办公室",
                           "written_on": "2027-01-05", "overview": "概况", "highlights": "成效", "problems": "问题",
                           "next_steps": "下一步", "action": "release"})
    stored = EvaluationReport.objects.get(pk=int(page_url.rstrip("/").rsplit("/", 1)[1]))
    assert stored.document_number == "南开知强办〔2026〕7号" and stored.written_on == dt.date(2027, 1, 5)
    assert stored.released_at is not None and stored.highlights == "成效"
    page = office.get(page_url).content.decode()
    assert 'data-testid="evaluation-state">已发布' in page and "disabled" in page
    office.post(page_url, {"highlights": "改了"})
    assert EvaluationReport.objects.get(pk=stored.pk).highlights == "成效"


def test_a_released_report_downloads_as_it_was_released_though_the_figures_change_afterwards(
        client_for, people, plan, after_the_pilot):
    office = client_for("office_admin")
    report = post_json(office, "/api/v1/supervision/evaluations", {"kind": "annual", "year": 2025}).json()
    url = f"/api/v1/supervision/evaluations/{report['id']}"
    post_json(office, f"{url}/release", {})
    released = {fmt: office.get(f"{url}/document", {"format": fmt}).content for fmt in ("docx", "pdf")}
    counts = {k: v for k, v in office.get(url).json().items() if k.startswith("indicators_")}
    indicator_value_report(indicator=plan.indicators.get(code="trainings"), actor=people["office_admin"],
                           as_of=dt.date(2025, 12, 31), value=77, source="发布后补报的培训台账")
    for fmt, body in released.items():
        assert office.get(f"{url}/document", {"format": fmt}).content == body
    assert {k: v for k, v in office.get(url).json().items() if k.startswith("indicators_")} == counts
    assert "77" not in _text(Document(io.BytesIO(released["docx"])))
    entry = AuditEntry.objects.filter(action="evaluation.release").latest("id")
    stored = EvaluationReport.objects.get(pk=report["id"])
    assert entry.after["pdf_sha256"] == stored.released_pdf.sha256
    draft = post_json(office, "/api/v1/supervision/evaluations", {"kind": "annual", "year": 2025}).json()
    fresh = office.get(f"/api/v1/supervision/evaluations/{draft['id']}/document", {"format": "docx"}).content
    assert "77" in _text(Document(io.BytesIO(fresh)))


# ---------------------------------------------------------------------------------------------------- the document

def test_the_final_report_document_has_the_seven_sections_every_indicator_for_three_years_and_every_task(
        client_for, people, after_the_pilot):
    office = client_for("office_admin")
    report = post_json(office, "/api/v1/supervision/evaluations", {"kind": "final"}).json()
    url = f"/api/v1/supervision/evaluations/{report['id']}"
    patch_json(office, url, {"document_number": "南开知强办〔2027〕3号", "written_on": "2027-01-08"})
    post_json(office, f"{url}/release", {})
    document = Document(io.BytesIO(office.get(f"{url}/document", {"format": "docx"}).content))
    paragraphs = [p.text for p in document.paragraphs]
    headings = [t for t in paragraphs if t[:2] in ("一、", "二、", "三、", "四、", "五、", "六、", "七、")]
    assert headings == ["一、基本情况", "二、目标完成情况", "三、重点任务完成情况", "四、保障措施落实情况",
                        "五、特色亮点与典型案例", "六、存在问题", "七、下一步打算"]
    for safeguard in ("（一）加强组织领导", "（二）强化政策引导", "（三）加大资金投入", "（四）建立健全考核评价制度"):
        assert safeguard in paragraphs
    assert "南开知强办〔2027〕3号" in paragraphs and "2027年1月8日" in paragraphs
    assert "【草稿】" not in paragraphs

    indicators, tasks = document.tables[0], document.tables[1]
    assert len(indicators.rows) == 1 + 32 * 3
    assert {row.cells[2].text for row in indicators.rows[1:]} == {"2024年", "2025年", "2026年"}
    assert len({row.cells[1].text for row in indicators.rows[1:]}) == 32
    verdicts = {row.cells[5].text for row in indicators.rows[1:]}
    assert verdicts <= {"完成", "未完成", "待核定", "无数据", "不设年度目标"}
    for row in indicators.rows[1:]:
        if row.cells[5].text in ("未完成", "待核定", "无数据"):
            assert row.cells[6].text, f"{row.cells[1].text} {row.cells[2].text}: {row.cells[5].text} without a reason"
    task_names = {row.cells[0].text for row in tasks.rows[1:]}
    assert len(task_names) == 18
    cells = [cell.text for row in tasks.rows for cell in row.cells]
    assert "—" not in cells and "" not in cells
    text = _text(document)
    assert "推进中" not in text and "暂无数据" not in text
    assert "京津冀知识产权协同保护协作" in text and "知识产权宣传活动" in text  # tasks 8 and 18 show their modules


def test_the_pdf_carries_the_same_sections_in_the_embedded_chinese_font(client_for, people, after_the_pilot):
    office = client_for("office_admin")
    report = post_json(office, "/api/v1/supervision/evaluations", {"kind": "final"}).json()
    pdf = office.get(f"/supervision/evaluations/{report['id']}/", {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf.content)
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    compact = text.replace("\r", "").replace("\n", "")
    for heading in ("一、基本情况", "二、目标完成情况", "三、重点任务完成情况", "四、保障措施落实情况",
                    "五、特色亮点与典型案例", "六、存在问题", "七、下一步打算", "【草稿】"):
        assert heading in compact
    assert "推进中" not in compact
    assert b"NotoSerifSC" in pdf.content and b"STSong-Light" not in pdf.content


def test_an_office_that_has_used_its_upload_quota_can_still_release_its_report(
        client_for, people, after_the_pilot, settings):
    settings.UPLOAD_QUOTA_BYTES = 1
    office = client_for("office_admin")
    report = post_json(office, "/api/v1/supervision/evaluations", {"kind": "final"}).json()
    released = post_json(office, f"/api/v1/supervision/evaluations/{report['id']}/release", {})
    assert released.status_code == 200 and released.json()["released"]
    assert EvaluationReport.objects.get(pk=report["id"]).released_pdf.size > 1
