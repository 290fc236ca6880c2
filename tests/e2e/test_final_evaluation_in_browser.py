"""In a real browser, on the demo: the office prepares the pilot's final evaluation. It reads every indicator by
year, reconciles a unit's reported figure with the computed one, a unit attaches 佐证材料 to its progress report,
the 2024 annual report reads 2024 year-end values, the final report comes out as a GB/T 9704 .docx listing every
indicator and task, and the year's evidence package opens with its 目录."""

import datetime as dt
import io
import zipfile

import pytest
from docx import Document
from docx.shared import Mm, Pt
from openpyxl import load_workbook

from ipcity import clock
from ipcity.accounts.models import User
from ipcity.demo import DEMO_PASSWORD, build_demo
from ipcity.plan.models import Indicator, KeyTask, WorkItem
from ipcity.plan.supervision_views import REPORTABLE
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser

EVALUATION_DAY = dt.date(2026, 12, 20)


def demo_sign_in(page, username: str) -> None:
    sign_in(page, username, DEMO_PASSWORD)


def download(page, click_selector: str) -> bytes:
    with page.expect_download() as info:
        page.click(click_selector)
    return open(info.value.path(), "rb").read()


@pytest.fixture
def demo_in_december():
    with clock.on_day(EVALUATION_DAY):
        build_demo(scale=0.02)
        yield


def test_the_office_reconciles_the_indicators_and_submits_the_final_evaluation_with_its_evidence(
        demo_in_december, open_page):
    office = open_page()
    demo_sign_in(office, "office_admin")

    # Every indicator, for each pilot year.
    office.goto("/indicators/by-year/")
    years = office.locator("[data-testid=by-year] thead th").all_inner_texts()[1:]
    assert years == ["2024年", "2025年", "2026年"]
    assert office.locator("[data-testid=by-year] tbody tr").count() == Indicator.objects.count() == 32

    # A unit's reported figure beside the computed one, and the office confirms the computed value.
    disputed = office.locator("[data-testid=by-year] td[data-year] [data-testid=reconcile].differs").first
    cell = disputed.locator("xpath=ancestor::td[@data-year]")
    code = cell.locator("xpath=ancestor::tr").get_attribute("data-indicator")
    year = cell.get_attribute("data-year")
    computed = disputed.locator("[data-testid=computed]").inner_text().strip()
    assert disputed.locator("[data-testid=reported]").inner_text().strip() != computed
    assert cell.locator("[data-testid=source]").inner_text().strip() != "办公室核定"
    office.select_option("#id_indicator", code)
    office.select_option("#id_year", year)
    office.check("input[name=basis][value=computed]")
    office.fill("#id_reason", "经核对执法案件台账，以系统记录为准")
    office.click("[data-testid=confirm-form] button[type=submit]")
    office.wait_for_selector("text=已核定")
    cell = office.locator(f"[data-testid=by-year] tr[data-indicator={code}] td[data-year='{year}']")
    assert cell.locator("[data-testid=source]").inner_text().strip() == "办公室核定"
    assert cell.locator("[data-testid=official]").inner_text().split()[0] == computed

    # A unit attaches 佐证材料 to its progress report.
    staff = User.objects.get(username="kejiju_staff")
    item = WorkItem.objects.filter(unit=staff.organization, state__in=list(REPORTABLE), year=2026).order_by("id").first()
    unit = open_page()
    demo_sign_in(unit, "kejiju_staff")
    unit.goto(f"/supervision/items/{item.pk}/")
    unit.fill("[data-testid=progress-form] textarea[name=text]", "完成年度专利导航成果验收，附验收意见。")
    unit.set_input_files("#id_attachments", files=[{"name": "验收意见.pdf", "mimeType": "application/pdf",
                                                    "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"}])
    unit.click("[data-testid=progress-form] button[type=submit]")
    unit.wait_for_selector("text=进展已报送")
    assert "验收意见.pdf" in unit.locator("[data-testid=supporting-files]").first.inner_text()

    # The 2024 annual report reads the values at 2024-12-31, not today's.
    office.goto("/supervision/evaluations/")
    office.select_option("#id_kind", "annual")
    office.fill("#id_year", "2024")
    office.click("[data-testid=evaluation-form] button[type=submit]")
    office.wait_for_selector("[data-testid=evaluation-indicators]")
    assert "2024年度评估报告" in office.locator("h1").inner_text()
    by_year = office.context.request.get("/api/v1/indicators/by-year").json()
    stock = next(r for r in by_year["indicators"] if r["code"] == "valid_patents")
    values = {y["year"]: y for y in stock["years"]}
    assert values[2024]["official"] != values[2026]["official"]
    row = office.locator("[data-testid=evaluation-indicators] tbody tr", has_text="有效专利数量").first
    assert values[2024]["official"] in row.inner_text()

    # The final report, as a GB/T 9704 .docx with every indicator and task.
    office.goto("/supervision/evaluations/")
    office.select_option("#id_kind", "final")
    office.click("[data-testid=evaluation-form] button[type=submit]")
    office.wait_for_selector("[data-testid=evaluation-indicators]")
    assert "推进中" not in office.locator("main").inner_text()
    document = Document(io.BytesIO(download(office, "[data-testid=evaluation-docx]")))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.page_height - Mm(297)) < Mm(0.5)
    assert [round(m / Mm(1)) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                       section.right_margin)] == [37, 35, 28, 26]
    title = next(p for p in document.paragraphs if "终期评估报告" in p.text)
    assert title.runs[0].font.size == Pt(22)
    paragraphs = document.paragraphs
    overview = paragraphs[next(i for i, p in enumerate(paragraphs) if p.text == "一、基本情况") + 1]
    assert {r.font.size for r in overview.runs if r.text.strip()} == {Pt(16)}
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for row in t.rows for c in row.cells])
    for heading in ("基本情况", "目标完成情况", "重点任务完成情况", "保障措施落实情况", "特色亮点与典型案例",
                    "存在问题", "下一步打算"):
        assert heading in text
    assert all(name in text for name in Indicator.objects.values_list("name", flat=True))
    assert all(title in text for title in KeyTask.objects.values_list("title", flat=True))
    task_table = next(t for t in document.tables if "重点任务" in t.rows[0].cells[0].text)
    assert not [c.text for row in task_table.rows for c in row.cells if c.text.strip() in ("—", "-", "")]
    assert "推进中" not in text

    # The year's evidence package opens with its 目录, and the unit's file is in its task's folder.
    office.goto("/supervision/evaluations/")
    office.select_option("#package-year", "2026")
    package = zipfile.ZipFile(io.BytesIO(download(office, "[data-testid=evidence-package-form] button[type=submit]")))
    names = package.namelist()
    assert "目录.xlsx" in names
    attached = [n for n in names if n.endswith("验收意见.pdf")]
    assert any(n.startswith(f"重点任务/{item.task.number:02d}") for n in attached)
    listing = load_workbook(io.BytesIO(package.read("目录.xlsx")), read_only=True).active
    listed = [str(c) for row in listing.iter_rows(values_only=True) for c in row if c]
    assert any("验收意见.pdf" in c for c in listed)
