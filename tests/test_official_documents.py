"""Documents the platform hands out are official documents in the layout of GB/T 9704-2012: A4, margins 37/35/28/26
mm, the title in 小标宋 二号, the body in 仿宋 三号 on a grid of 22 lines × 28 characters, 文号 and 成文日期, page
numbers "— 1 —"; the PDF carries the same text and layout, its Chinese drawn in an embedded font.

The .docx is read back with python-docx; the PDF is rendered to images with pdfium (pypdfium2), so a test sees
what a reader would see: dark pixels where the title is, text that extracts as the Chinese written."""

import datetime as dt
import io
import json
import re

import pypdfium2 as pdfium
import pytest
from django.db import transaction
from django.test import Client
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Length

from ipcity import clock
from ipcity.plan.core.schema import parse_plan
from ipcity.plan.services import plan_import
from ipcity.web.official_document import (
    FONT_DIR,
    TITLE_WORDS,
    OfficialDocument,
    register_pdf_fonts,
    title_lines,
)
from tests.conftest import bundled_plan_bytes, make_people

DAY = dt.datetime(2027, 1, 8, 9, 0, tzinfo=dt.UTC)
TITLE_LINE = "天津市南开区国家知识产权"  # the first line of the final report's title as it breaks


@pytest.fixture(scope="module")
def final_report(django_db_setup, django_db_blocker):
    """The office's final report with its 文号 and 成文日期, released: made once for the module's tests, which only
    read the documents, in a transaction rolled back right after."""
    with django_db_blocker.unblock(), transaction.atomic():
        plan_import(plan_data=parse_plan(bundled_plan_bytes()), actor=None)
        office = Client()
        office.force_login(make_people()["office_admin"])
        with clock.frozen_at(DAY):
            report = office.post("/api/v1/supervision/evaluations", json.dumps({"kind": "final"}),
                                 content_type="application/json").json()
            url = f"/api/v1/supervision/evaluations/{report['id']}"
            office.patch(url, json.dumps({"document_number": "南开知强办〔2027〕3号", "written_on": "2027-01-08"}),
                         content_type="application/json")
            office.post(f"{url}/release")
            docx = office.get(f"{url}/document", {"format": "docx"}).content
            pdf = office.get(f"{url}/document", {"format": "pdf"}).content
        transaction.set_rollback(True)
    return {"docx": Document(io.BytesIO(docx)), "pdf": pdf}


def _mm(length: Length) -> float:
    return length / 36000


def _east_asia(run) -> str | None:
    fonts = run._r.rPr.find(qn("w:rFonts")) if run._r.rPr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def _paragraph(document, text: str):
    return next(p for p in document.paragraphs if p.text == text)


# ---------------------------------------------------------------------------------------------------- .docx

def test_the_report_docx_is_a4_with_the_standard_margins(final_report):
    section = final_report["docx"].sections[0]
    assert _mm(section.page_width) == pytest.approx(210, abs=0.5)
    assert _mm(section.page_height) == pytest.approx(297, abs=0.5)
    assert _mm(section.top_margin) == pytest.approx(37, abs=0.5)
    assert _mm(section.bottom_margin) == pytest.approx(35, abs=0.5)
    assert _mm(section.left_margin) == pytest.approx(28, abs=0.5)
    assert _mm(section.right_margin) == pytest.approx(26, abs=0.5)


def test_the_report_docx_sets_22_lines_of_28_characters_on_its_document_grid(final_report):
    document = final_report["docx"]
    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    line_pitch = int(grid.get(qn("w:linePitch")))
    assert 22 * line_pitch / 20 <= 225 / 25.4 * 72 < 23 * line_pitch / 20  # 22 lines fill the 225 mm text area
    char_pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096  # the Normal size plus the grid's character space
    assert round(156 / 25.4 * 72 / char_pitch) == 28
    body = _paragraph(document, "一、基本情况")
    spacing = body._p.pPr.find(qn("w:spacing"))
    assert spacing.get(qn("w:lineRule")) == "exact" and int(spacing.get(qn("w:line"))) == line_pitch


def test_the_title_is_xiaobiaosong_22pt_and_the_body_fangsong_16pt_with_headings_by_level(final_report):
    document = final_report["docx"]
    title = next(p for p in document.paragraphs if p.text.startswith(TITLE_LINE))
    assert {run.font.size.pt for run in title.runs} == {22}
    assert {_east_asia(run) for run in title.runs} == {"方正小标宋简体"}
    assert title.alignment == 1  # centred
    body = next(p for p in document.paragraphs if p.text.startswith("根据《"))
    assert body.runs[0].font.size.pt == 16 and _east_asia(body.runs[0]) == "仿宋_GB2312"
    assert _east_asia(_paragraph(document, "一、基本情况").runs[0]) == "黑体"
    assert _east_asia(_paragraph(document, "（一）加强组织领导").runs[0]) == "楷体_GB2312"
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 16
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_the_document_number_is_centred_under_the_issuer_and_the_date_written_right_under_the_signature(final_report):
    document = final_report["docx"]
    texts = [p.text for p in document.paragraphs]
    issuer = "天津市南开区知识产权工作领导小组办公室"
    number = _paragraph(document, "南开知强办〔2027〕3号")
    assert number.alignment == 1 and texts.index(issuer) < texts.index("南开知强办〔2027〕3号")
    signature = len(texts) - 1 - texts[::-1].index(issuer)
    assert texts[signature + 1] == "2027年1月8日"
    assert document.paragraphs[signature].alignment == 2 and document.paragraphs[signature + 1].alignment == 2


def test_page_numbers_are_em_dash_page_em_dash_right_on_odd_pages_and_left_on_even_pages(final_report):
    document = final_report["docx"]
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, alignment in ((section.footer, 2), (section.even_page_footer, 0)):
        paragraph = footer.paragraphs[0]
        xml = paragraph._p.xml
        texts = [t.text for t in paragraph._p.iter(qn("w:t"))]
        instructions = [t.text.strip() for t in paragraph._p.iter(qn("w:instrText"))]
        assert texts[0] == "— " and texts[-1] == " —" and instructions == ["PAGE"]
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        assert paragraph.alignment == alignment
        assert {run.font.size.pt for run in paragraph.runs} == {14}  # 四号
        assert {_east_asia(run) for run in paragraph.runs} == {"宋体"}


def test_word_can_open_the_docx_because_paragraph_and_run_properties_are_in_the_schema_order(final_report):
    """Word refuses (\"unreadable content\") a file whose w:pPr children are out of the ECMA-376 order."""
    from ipcity.web.official_document import _PPR_ORDER

    document = final_report["docx"]
    parts = [document.element, *(s.footer._element for s in document.sections),
             *(s.even_page_footer._element for s in document.sections), document.styles.element]
    for part in parts:
        for ppr in part.iter(qn("w:pPr")):
            names = [child.tag.rsplit("}", 1)[1] for child in ppr]
            assert names == sorted(names, key=_PPR_ORDER.index), names
        for run in part.iter(qn("w:r")):
            names = [child.tag.rsplit("}", 1)[1] for child in run]
            assert "rPr" not in names[1:], names


def test_every_docx_the_platform_writes_is_a4_with_page_numbers(client_for, people):
    """The 通报, the navigation report and the indicator report go through the same writer."""
    office = client_for("office_admin")
    with clock.frozen_at(DAY):
        bulletin = office.get("/api/v1/supervision/assessment/bulletin.docx",
                              {"year": 2026, "document_number": "南开知强办〔2027〕1号"})
        refused = office.get("/api/v1/supervision/assessment/bulletin.docx",
                             {"year": 2026, "document_number": "南开知强办2027年1号"})
        report = client_for(None).get("/indicators/report.docx", {"as_of": "2026-06-30"})
    assert refused.status_code == 422 and "六角括号" in json.dumps(refused.json(), ensure_ascii=False)
    for body in (bulletin.content, report.content):
        document = Document(io.BytesIO(body))
        section = document.sections[0]
        assert (round(_mm(section.page_width)), round(_mm(section.page_height))) == (210, 297)
        assert "PAGE" in section.footer.paragraphs[0]._p.xml
    texts = [p.text for p in Document(io.BytesIO(bulletin.content)).paragraphs]
    assert "南开知强办〔2027〕1号" in texts and "区知识产权工作领导小组各成员单位：" in texts
    assert texts[-2:] == ["天津市南开区知识产权工作领导小组办公室", "2027年1月8日"]


# ---------------------------------------------------------------------------------------------------- PDF

def _page_image(pdf, index, scale=2):
    page = pdf[index]
    return page, page.render(scale=scale, grayscale=True).to_pil(), scale


def _dark_share(image, box) -> float:
    crop = image.crop(box)
    pixels = list(crop.get_flattened_data() if hasattr(crop, "get_flattened_data") else crop.getdata())
    return sum(1 for p in pixels if p < 128) / max(len(pixels), 1)


def test_the_pdf_draws_the_chinese_title_where_the_text_says_it_is(final_report):
    pdf = pdfium.PdfDocument(final_report["pdf"])
    page, image, scale = _page_image(pdf, 0)
    width, height = page.get_size()
    assert (round(width, 1), round(height, 1)) == (595.3, 841.9)  # A4
    text = page.get_textpage()
    extracted = text.get_text_range()
    assert TITLE_LINE in extracted and "南开知强办〔2027〕3号" in extracted
    start = extracted.index(TITLE_LINE)
    boxes = [text.get_charbox(i) for i in range(start, start + len(TITLE_LINE))]
    left, bottom = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, top = max(b[2] for b in boxes), max(b[3] for b in boxes)
    title_box = (int(left * scale), int((height - top) * scale), int(right * scale), int((height - bottom) * scale))
    assert _dark_share(image, title_box) > 0.08, "the title's place on the page is blank: its glyphs are not drawn"
    assert right - left > 200  # 12 characters of 22 pt, not boxes of nothing


def test_the_pdf_keeps_its_text_inside_the_standard_margins_and_numbers_pages_outside_and_inside(final_report):
    pdf = pdfium.PdfDocument(final_report["pdf"])
    assert len(pdf) >= 3
    for index in (1, 2):
        page, image, scale = _page_image(pdf, index)
        width, height = page.get_size()
        mm = 72 / 25.4 * scale
        margins = {"left": (0, 0, int(27 * mm), int(250 * mm)),
                   "right": (int((210 - 25) * mm), 0, int(width * scale), int(250 * mm)),
                   "top": (0, 0, int(width * scale), int(36 * mm))}
        for name, box in margins.items():
            assert _dark_share(image, box) == 0, f"page {index + 1}: something is drawn in the {name} margin"
        numbers = page.get_textpage().search(f"— {index + 1} —")
        found = numbers.get_next()
        assert found is not None, f"page {index + 1} has no page number"
        box = page.get_textpage().get_charbox(found[0])
        if (index + 1) % 2:
            assert box[0] > width / 2  # odd pages: right
        else:
            assert box[0] < width / 2  # even pages: left
        assert box[1] < 35 * 72 / 25.4  # below the text area


def test_the_pdf_embeds_its_chinese_font(final_report):
    body = final_report["pdf"]
    assert b"/FontFile2" in body  # an embedded TrueType font program
    assert re.search(rb"/BaseFont /[A-Z]{6}\+NotoSerifSC", body) or b"NotoSerifSC" in body
    assert b"STSong-Light" not in body  # not a font the reader's machine must supply


def test_a_full_pdf_page_holds_22_lines_of_28_characters():
    document = OfficialDocument(title="版式测试", sign=False)
    document.paragraph("知识产权强市建设试点工作" * 120, indent=False)
    pdf = pdfium.PdfDocument(document.pdf())
    lines = [line for line in pdf[1].get_textpage().get_text_range().splitlines() if line and "—" not in line]
    assert [len(line) for line in lines] == [28] * 22


def test_no_pdf_line_starts_with_a_closing_mark_or_ends_with_an_opening_one():
    document = OfficialDocument(title="版式测试", sign=False)
    document.paragraph("知识产权强市建设试点工作，（南开区）“直播间”。" * 40)
    pdf = pdfium.PdfDocument(document.pdf())
    lines = [line for i in range(len(pdf)) for line in pdf[i].get_textpage().get_text_range().splitlines()
             if line and "—" not in line]
    assert len(lines) > 22
    assert not {line[0] for line in lines} & set("，。、；：？！）》”")
    assert not {line[-1] for line in lines} & set("（《“")


def test_every_character_of_the_final_report_has_a_glyph_in_the_embedded_font(client_for, people):
    """A character the font lacks prints as nothing: the report's whole text, and the standard's marks, are in it."""
    from ipcity.plan.evaluation import evaluation_document
    from ipcity.plan.models import EvaluationReport

    with clock.frozen_at(DAY):
        office = client_for("office_admin")
        made = office.post("/api/v1/supervision/evaluations", json.dumps({"kind": "final"}),
                           content_type="application/json").json()
        document = evaluation_document(EvaluationReport.objects.get(pk=made["id"]), user=people["office_admin"])
    texts = [document.title, document.issuer, "〔〕—≥“”《》、。〇①Ⅰ"]
    for block in document.blocks:
        texts += [block.text, *block.headers, *(cell or "" for row in block.rows for cell in row)]
    regular, _ = register_pdf_fonts()
    from reportlab.pdfbase import pdfmetrics

    glyphs = pdfmetrics.getFont(regular).face.charToGlyph
    missing = sorted({c for text in texts for c in text if c.strip() and ord(c) not in glyphs})
    assert not missing, f"characters the PDF cannot draw: {''.join(missing)}"


def test_the_fonts_ship_inside_the_package_with_their_licence():
    assert (FONT_DIR / "NotoSerifSC-Regular.ttf").stat().st_size > 1_000_000
    assert (FONT_DIR / "NotoSerifSC-Bold.ttf").stat().st_size > 1_000_000
    assert "SIL OPEN FONT LICENSE" in (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    readme = (FONT_DIR / "README.md").read_text(encoding="utf-8")
    assert "pyftsubset" in readme and "@expo-google-fonts/noto-serif-sc@0.4.3" in readme


@pytest.mark.parametrize("title", [
    "天津市南开区知识产权强市建设试点指标监测报告",
    "天津市南开区国家知识产权强市建设试点终期评估报告（2024年1月至2026年12月）",
    "关于天津市南开区知识产权强市建设试点工作2025年度考核情况的通报",
])
def test_a_long_title_breaks_between_words_never_inside_one(title):
    lines = title_lines(title)
    assert "".join(lines) == title and all(len(line) <= 20 for line in lines)
    ends = [sum(len(line) for line in lines[:i]) for i in range(1, len(lines))]
    words = [(m.start(), m.end()) for word in TITLE_WORDS for m in re.finditer(word, title)]
    assert not [end for end in ends for start, stop in words if start < end < stop], lines
