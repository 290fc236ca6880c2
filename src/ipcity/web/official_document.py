"""An official document (公文) in the layout of GB/T 9704-2012《党政机关公文格式》, written as .docx and as PDF from
the same blocks, so both carry the same text in the same layout.

The layout (the standard's clause in brackets):
- A4 paper, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm: a 156 × 225 mm text area (5.2);
- 22 lines a page, 28 characters a line, in 仿宋 三号 (16 pt) (5.2.2, 7.3.3); the .docx says so with a document
  grid (w:docGrid linesAndChars: line pitch 28.95 pt, character pitch 156 mm / 28) and exact line spacing;
- 版头: the issuing organ's mark (发文机关标志) in red 小标宋, the document number (发文字号, e.g. 南开知强办〔2026〕3号)
  centred under it, and a red separating line across the text area (7.2);
- the title in 小标宋 二号 (22 pt), centred, broken into balanced lines (7.3.1); the main recipient flush left (7.3.2);
- headings by level (7.3.3): 一、 黑体; （一） 楷体_GB2312; 1. 仿宋 bold; body paragraphs indented two characters;
- the signature (发文机关署名) and the date written (成文日期, Arabic numerals: 2026年12月20日) under the text, the
  date starting two characters right of the signature, the whole kept two characters from the right (7.3.5.2);
- page numbers in the footer as "— 1 —", 4号 半角宋体 Arabic numerals between em dashes, odd pages right and even
  pages left, one character in from the edge (7.5);
- tables in 仿宋 at a smaller size.

The .docx names the standard's fonts (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312, 宋体), which Word on an office
machine has. The PDF embeds the vendored Noto Serif SC (web/fonts/README.md): bold stands in for 小标宋 and for
黑体 and bold 仿宋 headings, regular for 仿宋, 楷体 and 宋体. reportlab embeds only the glyphs used.

Every text passes `document_text` (control characters left out), so no stored value can make a document fail to build.
No Django import: any module can build a document.
"""

import datetime as dt
import functools
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ipcity.web.spreadsheets import document_text, paragraph_markup

# ---------------------------------------------------------------- the page (GB/T 9704-2012 5.2)

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 37, 35, 28, 26
TEXT_WIDTH_MM = PAGE_WIDTH_MM - LEFT_MM - RIGHT_MM  # 156
TEXT_HEIGHT_MM = PAGE_HEIGHT_MM - TOP_MM - BOTTOM_MM  # 225
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
BODY_PT, TITLE_PT, PAGE_NUMBER_PT = 16, 22, 14  # 三号, 二号, 四号
TABLE_PT = 12  # 小四; wide tables ask for 10.5 (五号)
TITLE_LEADING_PT = 35
LINE_PITCH_TWIPS = 579  # 28.95 pt: 22 lines fit the 225 mm text area (637.8 pt)
LINE_PITCH_PT = LINE_PITCH_TWIPS / 20
CHAR_PITCH_PT = TEXT_WIDTH_MM / 25.4 * 72 / CHARS_PER_LINE  # 15.79 pt: 28 characters fit 156 mm
# w:charSpace is the difference between the character pitch and the Normal font size, in 1/4096 pt
CHAR_SPACE = round((CHAR_PITCH_PT - BODY_PT) * 4096)
PAGE_NUMBER_GAP_MM = 7  # the em dashes' line 7 mm under the text area (7.5)
FOOTER_DISTANCE_MM = 25.5  # page bottom to the footer's bottom: puts the dashes ~7 mm under the text area
RED = "FF0000"

TITLE_FONT, BODY_FONT, HEI_FONT, KAI_FONT, SONG_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
HEADING_FONTS = {1: (HEI_FONT, False), 2: (KAI_FONT, False), 3: (BODY_FONT, True)}  # level -> (font, bold)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
PDF_REGULAR, PDF_BOLD = "NotoSerifSC", "NotoSerifSC-Bold"
PDF_HEADING_FONTS = {1: PDF_BOLD, 2: PDF_REGULAR, 3: PDF_BOLD}  # 黑体 drawn bold; 楷体 has no stand-in

NO_LINE_START = set("，。、；：？！）》〕】」』”’…—·%,.;:?!)]}")
NO_LINE_END = set("（《〔【「『“‘([{")


# 发文字号 (7.2.4): 机关代字, the year in full in 〔〕, the number without 第 or leading zeros (虚位), then 号
DOCUMENT_NUMBER = re.compile(r"(?P<code>[^\s〔〕]{1,40})〔(?P<year>\d{4})〕(?P<number>[1-9]\d{0,5})号")
DOCUMENT_NUMBER_ADVICE = ("文号应由机关代字、用六角括号括入的年份和不带“第”字、不编虚位的序号组成，"
                          "如 南开知强办〔2026〕3号")


def document_number_problem(text: str, *, latest_year: int) -> str | None:
    """Why a 发文字号 is not one GB/T 9704-2012 allows, or None (an empty one is allowed: not yet numbered)."""
    if not text:
        return None
    match = DOCUMENT_NUMBER.fullmatch(text)
    if match is None:
        return DOCUMENT_NUMBER_ADVICE
    if not 2000 <= int(match["year"]) <= latest_year:
        return f"文号中的年份 {match['year']} 不合理"
    return None


def organ_name(region: str, name: str) -> str:
    """An organ's full name for the 版头 and the signature: 区知识产权工作领导小组办公室 in 天津市南开区 is
    天津市南开区知识产权工作领导小组办公室."""
    region = region or ""
    if region.endswith("区") and name.startswith("区"):
        return region + name[1:]
    return name if name.startswith(region) else region + name


def chinese_date(day: dt.date) -> str:
    """成文日期 as GB/T 9704-2012 7.3.5.1 writes it: Arabic numerals, year in full, no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


# Words a title line must not split (GB/T 9704 7.3.1: a title breaks only where its sense stays whole).
TITLE_WORDS = ("知识产权", "强市", "建设", "试点", "评估", "报告", "指标", "监测", "考核", "通报", "工作", "情况",
               "天津市", "南开区", "年度", "国家", "终期", "关于", "领导小组", "办公室")


def _title_breaks(piece: str) -> set[int]:
    """The positions inside a piece where a line may end without splitting one of TITLE_WORDS."""
    inside = set()
    for word in TITLE_WORDS:
        start = piece.find(word)
        while start != -1:
            inside.update(range(start + 1, start + len(word)))
            start = piece.find(word, start + 1)
    return set(range(1, len(piece))) - inside


def title_lines(title: str, *, max_chars: int = 20) -> list[str]:
    """The title broken where its sense allows (before a bracketed part, never inside a word of TITLE_WORDS), each
    piece into balanced lines that fit the 22 pt line (about 20 characters), so the title stands as a trapezoid
    rather than a full line and a stub."""
    text = document_text(title).strip()
    pieces = [p for p in re.split(r"(?=（)", text) if p]
    lines: list[str] = []
    for piece in pieces:
        breaks = _title_breaks(piece)
        while len(piece) > max_chars:
            count = -(-len(piece) // max_chars)
            target = -(-len(piece) // count)
            fitting = [b for b in breaks if b <= max_chars and len(piece) - b <= max_chars * (count - 1)]
            cut = min(fitting, key=lambda b: (abs(b - target), -b)) if fitting else target
            lines.append(piece[:cut])
            piece = piece[cut:]
            breaks = {b - cut for b in breaks if b > cut}
        lines.append(piece)
    return lines or [""]


def _width_chars(text: str) -> float:
    """A text's width in character cells: ASCII and Latin-1 count half."""
    return sum(0.5 if ord(c) < 0x2000 else 1 for c in text)


def centred_columns(rows: list[list]) -> list[bool]:
    """A column of short entries (numbers, years, 完成) is centred; a column with any longer text is flush left."""
    columns = len(rows[0]) if rows else 0
    return [all(cell is None or _width_chars(cell) <= 8 for cell in (row[c] for row in rows)) for c in range(columns)]


# ---------------------------------------------------------------- the blocks

@dataclass
class _Block:
    kind: str  # heading | paragraph | table | spacer
    text: str = ""
    level: int = 0
    align: str = "justify"
    indent: bool = True
    bold: bool = False
    headers: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    widths: list[float] | None = None
    size: float = TABLE_PT


@dataclass
class OfficialDocument:
    """Build with heading/paragraph/table, then write with docx() or pdf(). A cell given as None in a table row
    continues the cell above it (merged vertically)."""

    title: str = ""
    issuer: str = ""  # 发文机关: the mark at the top and the signature at the end
    document_number: str = ""  # 发文字号
    written_on: dt.date | None = None  # 成文日期
    recipient: str = ""  # 主送机关
    draft: bool = False  # marks the document 【草稿】
    sign: bool = True  # False: no signature block (a document whose text already ends with it)
    blocks: list[_Block] = field(default_factory=list)

    def heading(self, text, level: int = 1) -> None:
        if level not in HEADING_FONTS:
            raise ValueError("heading level is 1, 2 or 3")
        self.blocks.append(_Block("heading", document_text(text).strip(), level=level))

    def paragraph(self, text, *, align: str = "justify", indent: bool = True, bold: bool = False) -> None:
        """Text; each of its lines is a paragraph of its own (an office's edited section keeps its paragraphs)."""
        lines = [line.strip() for line in document_text(text).splitlines() if line.strip()]
        for line in lines or [""]:
            self.blocks.append(_Block("paragraph", line, align=align, indent=indent and align == "justify", bold=bold))

    def table(self, headers: list[str], rows, *, widths: list[float] | None = None, size: float = TABLE_PT) -> None:
        """widths: relative column widths (any unit); size: the font size in points (12 小四, 10.5 五号)."""
        clean = [[None if cell is None else document_text(cell) for cell in row] for row in rows]
        for row in clean:
            if len(row) != len(headers):
                raise ValueError("a table row has as many cells as the header")
        self.blocks.append(_Block("table", headers=[document_text(h) for h in headers], rows=clean,
                                  widths=widths, size=size))

    def blank_line(self) -> None:
        self.blocks.append(_Block("spacer"))

    @property
    def has_masthead(self) -> bool:
        return bool(self.issuer or self.document_number)

    @property
    def has_signature(self) -> bool:
        return self.sign and bool(self.issuer or self.written_on)

    def signature_indents(self) -> tuple[float, float]:
        """(signature, date) right indents in characters (7.3.5.2): the signature two characters from the right,
        the date starting two characters right of the signature; a date longer than that is kept two characters
        from the right and the signature moves left."""
        signature = _width_chars(self.issuer)
        date = _width_chars(chinese_date(self.written_on)) if self.written_on else 0
        date_right = max(2.0, signature - date)
        return date_right + date + 2 - signature, date_right

    # ------------------------------------------------------------ .docx

    def docx(self) -> bytes:
        return _DocxWriter(self).write()

    # ------------------------------------------------------------ PDF

    def pdf(self) -> bytes:
        return _PdfWriter(self).write()


# ---------------------------------------------------------------- .docx writer

_DOCX_ALIGN = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
               "right": WD_ALIGN_PARAGRAPH.RIGHT, "left": WD_ALIGN_PARAGRAPH.LEFT}


def _set_fonts(run_or_style_font_element, name: str) -> None:
    """All four font slots (ascii, hAnsi, eastAsia, cs): Word picks the East Asian one for Chinese."""
    rpr = run_or_style_font_element
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]


# w:pPr's children in the order the schema (ECMA-376 CT_PPr) requires: Word refuses a file whose order is wrong
_PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
              "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
              "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")


def _ppr_put(ppr, element) -> None:
    """Put a child into a w:pPr at its place in the schema's order, replacing one of the same name."""
    name = element.tag.rsplit("}", 1)[1]
    existing = ppr.find(qn(f"w:{name}"))
    if existing is not None:
        ppr.remove(existing)
    later = _PPR_ORDER[_PPR_ORDER.index(name) + 1:]
    for index, child in enumerate(ppr):
        if child.tag.rsplit("}", 1)[-1] in later:
            ppr.insert(index, element)
            return
    ppr.append(element)


def _exact_spacing(paragraph, twips: int = LINE_PITCH_TWIPS, *, snap: bool = True) -> None:
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    ppr = paragraph._p.get_or_add_pPr()
    spacing = ppr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        _ppr_put(ppr, spacing)
    spacing.set(qn("w:line"), str(twips))
    spacing.set(qn("w:lineRule"), "exact")
    if not snap:
        grid = OxmlElement("w:snapToGrid")
        grid.set(qn("w:val"), "0")
        _ppr_put(ppr, grid)


def _indent_chars(paragraph, *, first_line: float = 0, right: float = 0, left: float = 0) -> None:
    """Indents in character cells: Word's *Chars attributes (hundredths of a character) with the twips equivalent."""
    ppr = paragraph._p.get_or_add_pPr()
    ind = OxmlElement("w:ind")
    pitch_twips = CHAR_PITCH_PT * 20
    for name, value in (("firstLine", first_line), ("right", right), ("left", left)):
        if value:
            ind.set(qn(f"w:{name}Chars"), str(round(value * 100)))
            ind.set(qn(f"w:{name}"), str(round(value * pitch_twips)))
    _ppr_put(ppr, ind)


class _DocxWriter:
    def __init__(self, doc: OfficialDocument):
        self.doc = doc
        self.document = Document()
        self.cell_styles: dict = {}

    def write(self) -> bytes:
        self._page()
        self._styles()
        doc = self.doc
        first = self.document.paragraphs[0] if self.document.paragraphs else None
        if first is not None:
            first._p.getparent().remove(first._p)
        if doc.draft:
            self._paragraph("【草稿】", font=HEI_FONT, align="left", indent=False)
        if doc.has_masthead:
            self._masthead()
        if doc.title:
            self._title()
        if doc.recipient:
            self._paragraph(doc.recipient, align="left", indent=False)
        for block in doc.blocks:
            if block.kind == "heading":
                font, bold = HEADING_FONTS[block.level]
                paragraph = self._paragraph(block.text, font=font, bold=bold)
                outline = OxmlElement("w:outlineLvl")
                outline.set(qn("w:val"), str(block.level - 1))
                _ppr_put(paragraph._p.get_or_add_pPr(), outline)
            elif block.kind == "paragraph":
                self._paragraph(block.text, align=block.align, indent=block.indent, bold=block.bold)
            elif block.kind == "spacer":
                self._paragraph("", indent=False)
            else:
                self._table(block)
        if doc.has_signature:
            self._signature()
        self.document.core_properties.title = document_text(doc.title)
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    def _page(self) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
        section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
        section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
        section.footer_distance = Mm(FOOTER_DISTANCE_MM)
        section.header_distance = Mm(15)
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            section._sectPr.append(grid)
        grid.set(qn("w:type"), "linesAndChars")
        grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
        grid.set(qn("w:charSpace"), str(CHAR_SPACE))
        self.document.settings.odd_and_even_pages_header_footer = True
        self._page_number(section.footer, odd=True)
        self._page_number(section.even_page_footer, odd=False)

    def _page_number(self, footer, *, odd: bool) -> None:
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
        ppr = paragraph._p.get_or_add_pPr()
        ind = OxmlElement("w:ind")
        one_char = str(PAGE_NUMBER_PT * 20)  # 空一字 at 四号
        ind.set(qn("w:right" if odd else "w:left"), one_char)
        _ppr_put(ppr, ind)

        def run(text: str | None = None):
            r = paragraph.add_run(text)
            _set_fonts(r._r.get_or_add_rPr(), SONG_FONT)
            r.font.size = Pt(PAGE_NUMBER_PT)
            return r

        run("— ")
        for kind, instruction in (("begin", None), (None, " PAGE "), ("separate", None), (None, None), ("end", None)):
            r = run()
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            elif instruction:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = instruction
            else:
                element = OxmlElement("w:t")
                element.text = "1"
            r._r.append(element)
        run(" —")

    def _styles(self) -> None:
        normal = self.document.styles["Normal"]
        normal.font.size = Pt(BODY_PT)
        _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
        fmt = normal.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        # document defaults too, so a table or footer that does not name a style still sets 仿宋 16 pt
        defaults = self.document.styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
            if rpr is not None:
                _set_fonts(rpr, BODY_FONT)

    def _run(self, paragraph, text: str, *, font: str = BODY_FONT, size: float = BODY_PT, bold: bool = False,
             color: str | None = None):
        run = paragraph.add_run(text)
        _set_fonts(run._r.get_or_add_rPr(), font)
        run.font.size = Pt(size)
        run.font.bold = bold or None
        if color:
            run.font.color.rgb = RGBColor.from_string(color)
        return run

    def _paragraph(self, text: str, *, font: str = BODY_FONT, size: float = BODY_PT, bold: bool = False,
                   align: str = "justify", indent: bool = True, color: str | None = None):
        paragraph = self.document.add_paragraph()
        paragraph.alignment = _DOCX_ALIGN[align]
        _exact_spacing(paragraph)
        if indent:
            _indent_chars(paragraph, first_line=2)
        if text:
            self._run(paragraph, text, font=font, size=size, bold=bold, color=color)
        return paragraph

    def _masthead(self) -> None:
        doc = self.doc
        if doc.issuer:
            size = masthead_size(doc.issuer)
            spacer = self.document.add_paragraph()
            _exact_spacing(spacer, round(masthead_offset_pt(size) * 20))
            mark = self._paragraph(doc.issuer, font=TITLE_FONT, size=size, align="center", indent=False, color=RED)
            _exact_spacing(mark, round(size * 1.3 * 20))
            self._paragraph("", indent=False)
            self._paragraph("", indent=False)
        number = self._paragraph(doc.document_number, align="center", indent=False)
        # the red line 4 mm under the number, across the text area
        ppr = number._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "11"), ("w:color", RED)):
            bottom.set(qn(key), value)
        borders.append(bottom)
        _ppr_put(ppr, borders)
        self._paragraph("", indent=False)

    def _title(self) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _exact_spacing(paragraph, TITLE_LEADING_PT * 20)
        run = None
        for line in title_lines(self.doc.title):
            if run is not None:
                run.add_break()  # the title's lines in one paragraph
            run = self._run(paragraph, line, font=TITLE_FONT, size=TITLE_PT)
        self._paragraph("", indent=False)

    def _signature(self) -> None:
        doc = self.doc
        signature_right, date_right = doc.signature_indents()
        self._paragraph("", indent=False)
        if doc.issuer:
            paragraph = self._paragraph(doc.issuer, align="right", indent=False)
            _indent_chars(paragraph, right=signature_right)
        if doc.written_on:
            paragraph = self._paragraph(chinese_date(doc.written_on), align="right", indent=False)
            _indent_chars(paragraph, right=date_right)

    def _table(self, block: _Block) -> None:
        columns = len(block.headers)
        table = self.document.add_table(rows=1, cols=columns)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        widths = block.widths or [1] * columns
        total = sum(widths)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(TEXT_WIDTH_MM * width / total)
        header_row = table.rows[0]
        header_row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeated on every page
        for _ in block.rows:
            table.add_row()
        grid = table._cells  # row by row; computed once (a row's .cells walks the whole table)
        texts = [block.headers, *block.rows]
        centred = centred_columns(block.rows)
        for r, row in enumerate(texts):
            for c, text in enumerate(row):
                cell = grid[r * columns + c]
                cell.width = Mm(TEXT_WIDTH_MM * widths[c] / total)
                if text is not None:
                    self._cell(cell, text, block.size, bold=r == 0, centred=r == 0 or centred[c])
        for column in range(columns):  # None continues the cell above
            top = 1
            for r in range(1, len(texts) + 1):
                if r == len(texts) or texts[r][column] is not None:
                    if r - 1 > top:
                        grid[top * columns + column].merge(grid[(r - 1) * columns + column])
                    top = r

    def _cell_style(self, size: float, bold: bool):
        """One paragraph style per table font size: 仿宋, the size, single-spaced off the grid."""
        name = f"表格{'表头' if bold else '文字'}{size:g}"
        if name in self.cell_styles:
            return self.cell_styles[name]
        styles = self.document.styles
        style = self.cell_styles[name] = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.font.size = Pt(size)
        style.font.bold = bold or None
        _set_fonts(style.element.get_or_add_rPr(), BODY_FONT)
        ppr = style.element.get_or_add_pPr()
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:before"), "0")
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), str(round(size * 1.3 * 20)))
        spacing.set(qn("w:lineRule"), "exact")
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        _ppr_put(ppr, snap)
        _ppr_put(ppr, spacing)
        return style

    def _cell(self, cell, text: str, size: float, *, bold: bool = False, centred: bool = False) -> None:
        paragraph = cell.paragraphs[0]
        paragraph._p.get_or_add_pPr().style = self._cell_style(size, bold).style_id  # .style= looks styles up by name
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT
        paragraph.add_run(text)


def masthead_size(issuer: str) -> float:
    """The organ's mark as large as the line allows, at most 小初 (36 pt), at least 二号 (22 pt)."""
    return max(float(TITLE_PT), min(36.0, (TEXT_WIDTH_MM / 25.4 * 72) / max(_width_chars(issuer), 1) - 0.5))


def masthead_offset_pt(size: float) -> float:
    """Space above the mark: its top edge 35 mm under the top of the text area (7.2.3)."""
    return max(0.0, 35 / 25.4 * 72 - size * 0.3)


# ---------------------------------------------------------------- PDF writer

@functools.cache
def register_pdf_fonts() -> tuple[str, str]:
    """The vendored fonts, registered once; reportlab embeds the subset a document uses."""
    pdfmetrics.registerFont(TTFont(PDF_REGULAR, str(FONT_DIR / "NotoSerifSC-Regular.ttf")))
    pdfmetrics.registerFont(TTFont(PDF_BOLD, str(FONT_DIR / "NotoSerifSC-Bold.ttf")))
    return PDF_REGULAR, PDF_BOLD


def _tokens(text: str) -> list[str]:
    """Words of Latin letters and digits stay whole; every other character stands alone."""
    return re.findall(r"[A-Za-z0-9][A-Za-z0-9.,%/:_\-]*|.", text, flags=re.S)


class GridText(Flowable):
    """Lines of text on the document grid: each line LINE_PITCH_PT high, characters CHAR_PITCH_PT apart (the font
    size plus a negative character space, as Word spaces a 28-character grid), first line indented two characters,
    justified to both edges, a closing mark never starting a line and an opening one never ending it."""

    def __init__(self, text: str, *, font: str, size: float = BODY_PT, leading: float = LINE_PITCH_PT,
                 align: str = "justify", first_indent: float = 0, right_indent: float = 0,
                 color=colors.black, lines: list[list[str]] | None = None, first: bool = True,
                 char_space: float | None = None):
        super().__init__()
        self.text, self.font, self.size, self.leading = text, font, size, leading
        self.align, self.first_indent, self.right_indent, self.color = align, first_indent, right_indent, color
        self.char_space = (CHAR_PITCH_PT - BODY_PT) if char_space is None else char_space
        self._lines, self._first = lines, first

    def _width(self, text: str) -> float:
        """Each character takes its advance plus the character space, as the grid's cells do (28 × 15.79 pt)."""
        return pdfmetrics.stringWidth(text, self.font, self.size) + self.char_space * len(text)

    def _layout(self, width: float) -> list[list[str]]:
        lines: list[list[str]] = []
        line: list[str] = []
        indent = self.first_indent * CHAR_PITCH_PT if self._first else 0
        available = width - indent - self.right_indent * CHAR_PITCH_PT
        for token in _tokens(self.text):
            if token == "\n":
                lines.append(line)
                line, available = [], width - self.right_indent * CHAR_PITCH_PT
                continue
            candidate = "".join(line) + token
            if line and self._width(candidate) > available + 0.01:
                carry: list[str] = []
                if token[0] in NO_LINE_START:  # closing marks take the character before them to the next line
                    while len(line) > 1 and line[-1][0] in NO_LINE_START:
                        carry.insert(0, line.pop())
                    if len(line) > 1:
                        carry.insert(0, line.pop())
                while line and line[-1] and line[-1][-1] in NO_LINE_END and len(line) > 1:
                    carry.insert(0, line.pop())
                lines.append(line)
                line, available = carry, width - self.right_indent * CHAR_PITCH_PT
            line.append(token)
        lines.append(line)
        return lines

    def wrap(self, available_width, available_height):
        self.width = available_width
        if self._lines is None:
            self._lines = self._layout(available_width)
        self.height = len(self._lines) * self.leading
        return self.width, self.height

    def split(self, available_width, available_height):
        self.wrap(available_width, available_height)
        fit = int(available_height // self.leading)
        if fit <= 0 or fit >= len(self._lines):
            return [] if fit <= 0 else [self]
        keep = dict(font=self.font, size=self.size, leading=self.leading, align=self.align,
                    first_indent=self.first_indent, right_indent=self.right_indent, color=self.color,
                    char_space=self.char_space)
        return [GridText(self.text, lines=self._lines[:fit], first=self._first, **keep),
                GridText(self.text, lines=self._lines[fit:], first=False, **keep)]

    def draw(self):
        canvas = self.canv
        canvas.setFillColor(self.color)
        # the baseline where Word puts it: the glyphs centred in the line
        baseline_from_top = (self.leading - self.size) / 2 + self.size * 0.88
        for number, tokens in enumerate(self._lines):
            text = "".join(tokens)
            if not text:
                continue
            first_line = number == 0 and self._first
            left = self.first_indent * CHAR_PITCH_PT if first_line else 0
            right_edge = self.width - self.right_indent * CHAR_PITCH_PT
            natural = self._width(text)
            space = self.char_space
            last = number == len(self._lines) - 1
            if self.align == "justify" and not last and len(text) > 1:
                space += (right_edge - left - natural) / len(text)
                x = left
            elif self.align == "center":
                x = left + (right_edge - left - natural) / 2
            elif self.align == "right":
                x = right_edge - natural
            else:
                x = left
            y = self.height - number * self.leading - baseline_from_top
            obj = canvas.beginText(x, y)
            obj.setFont(self.font, self.size)
            obj.setCharSpace(space)
            obj.textOut(text)
            canvas.drawText(obj)


class _RedLine(Flowable):
    def __init__(self, below: float):
        super().__init__()
        self.below = below

    def wrap(self, available_width, available_height):
        self.width, self.height = available_width, self.below
        return self.width, self.height

    def draw(self):
        self.canv.setStrokeColor(colors.HexColor("#" + RED))
        self.canv.setLineWidth(1.5)
        self.canv.line(0, 0, self.width, 0)


class _PdfWriter:
    def __init__(self, doc: OfficialDocument):
        self.doc = doc
        self.regular, self.bold = register_pdf_fonts()

    def _text(self, text: str, **kw) -> GridText:
        kw.setdefault("font", self.regular)
        return GridText(text, **kw)

    def write(self) -> bytes:
        doc = self.doc
        story: list[Flowable] = []
        blank = Spacer(1, LINE_PITCH_PT)
        if doc.draft:
            story.append(self._text("【草稿】", font=self.bold, align="left"))
        if doc.has_masthead:
            if doc.issuer:
                size = masthead_size(doc.issuer)
                story += [Spacer(1, masthead_offset_pt(size)),
                          self._text(doc.issuer, font=self.bold, size=size, leading=size * 1.3, align="center",
                                     color=colors.HexColor("#" + RED), char_space=0), blank, blank]
            story += [self._text(doc.document_number, align="center"), _RedLine(4 * mm + LINE_PITCH_PT), blank]
        if doc.title:
            story += [self._text("\n".join(title_lines(doc.title)), font=self.bold, size=TITLE_PT,
                                 leading=TITLE_LEADING_PT, align="center", char_space=0), blank]
        if doc.recipient:
            story.append(self._text(doc.recipient, align="left"))
        for block in doc.blocks:
            if block.kind == "heading":
                story.append(self._text(block.text, font=PDF_HEADING_FONTS[block.level], first_indent=2))
            elif block.kind == "paragraph":
                story.append(self._text(block.text, font=self.bold if block.bold else self.regular,
                                        align=block.align, first_indent=2 if block.indent else 0))
            elif block.kind == "spacer":
                story.append(blank)
            else:
                story.append(self._table(block))
        if doc.has_signature:
            signature_right, date_right = doc.signature_indents()
            story.append(blank)
            if doc.issuer:
                story.append(self._text(doc.issuer, align="right", right_indent=signature_right))
            if doc.written_on:
                story.append(self._text(chinese_date(doc.written_on), align="right", right_indent=date_right))
        buffer = io.BytesIO()
        frame = Frame(LEFT_MM * mm, BOTTOM_MM * mm, TEXT_WIDTH_MM * mm, TEXT_HEIGHT_MM * mm,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="text")
        template = BaseDocTemplate(buffer, pagesize=A4, title=document_text(doc.title), author=document_text(doc.issuer),
                                   leftMargin=LEFT_MM * mm, rightMargin=RIGHT_MM * mm, topMargin=TOP_MM * mm,
                                   bottomMargin=BOTTOM_MM * mm)
        template.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._page_number)])
        template.build(story)
        return buffer.getvalue()

    def _page_number(self, canvas, template) -> None:
        number = canvas.getPageNumber()
        text = f"— {number} —"
        canvas.saveState()
        canvas.setFont(self.regular, PAGE_NUMBER_PT)
        # the dashes' middle 7 mm under the text area; an em dash sits about 0.3 em above the baseline
        baseline = (BOTTOM_MM - PAGE_NUMBER_GAP_MM) * mm - PAGE_NUMBER_PT * 0.3
        if number % 2:
            canvas.drawRightString((PAGE_WIDTH_MM - RIGHT_MM) * mm - PAGE_NUMBER_PT, baseline, text)
        else:
            canvas.drawString(LEFT_MM * mm + PAGE_NUMBER_PT, baseline, text)
        canvas.restoreState()

    def _table(self, block: _Block) -> Table:
        size = block.size
        body = ParagraphStyle("cell", fontName=self.regular, fontSize=size, leading=size * 1.3, wordWrap="CJK")
        centred = ParagraphStyle("cell-centred", parent=body, alignment=1)
        header = ParagraphStyle("header", parent=centred, fontName=self.bold)
        data = [[Paragraph(paragraph_markup(h), header) for h in block.headers]]
        columns = centred_columns(block.rows)
        for row in block.rows:
            data.append(["" if cell is None else Paragraph(paragraph_markup(cell), centred if columns[c] else body)
                         for c, cell in enumerate(row)])
        widths = block.widths or [1] * len(block.headers)
        total = sum(widths)
        table = Table(data, colWidths=[TEXT_WIDTH_MM * mm * w / total for w in widths], repeatRows=1)
        style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                 ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
        for column in range(len(block.headers)):  # None continues the cell above
            top = 1
            for r in range(1, len(block.rows) + 2):
                if r == len(block.rows) + 1 or block.rows[r - 1][column] is not None:
                    if r - 1 > top:
                        style.append(("SPAN", (column, top), (column, r - 1)))
                    top = r
        table.setStyle(TableStyle(style))
        return table
