"""The indicator report as .xlsx (every indicator by quarter) and .docx (narrative with tables)."""

import io

from docx import Document
from openpyxl import load_workbook

from ipcity.cli import main as ipcity_main
from tests.stats.helpers import PATENTS, upload


def test_the_xlsx_report_lists_every_indicator_by_quarter_with_computed_values(client_for, plan):
    office = client_for("office_admin")
    upload(office, "patents", "p.csv", PATENTS)
    response = office.get("/indicators/report.xlsx", {"as_of": "2024-12-31"})
    sheet = load_workbook(io.BytesIO(response.content))["指标（按季度）"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][6:10] == ("2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31")
    assert len(rows) == 1 + 32
    valid = next(r for r in rows if r[1] == "有效专利数量")
    assert valid[5] == "由记录计算" and valid[6:10] == (0, 1, 2, 2)  # grants on 2024-06-01 and 2024-07-01


def test_the_docx_report_tells_each_goal_with_a_table(client_for, plan):
    response = client_for(None).get("/api/v1/reports/indicators.docx", {"as_of": "2026-06-30"})
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    title = next(p.text for p in document.paragraphs if "监测报告" in p.text)
    assert title.replace("\n", "") == "天津市南开区知识产权强市建设试点指标监测报告" and "方案共设量化指标32项" in text
    assert "二、知识产权创造质量更高、结构更优" in text
    assert len(document.tables) == 5  # five goal areas have quantified indicators
    assert document.tables[0].rows[0].cells[0].text == "指标"


def test_the_report_command_writes_both_formats(plan, tmp_path):
    for fmt in ("xlsx", "docx"):
        out = tmp_path / f"r.{fmt}"
        assert ipcity_main(["report", "indicators", "--format", fmt, "--out", str(out), "--as-of", "2025-06-30"]) == 0
        assert out.stat().st_size > 1000
