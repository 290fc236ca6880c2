"""An Excel file reads the same whichever of the platform's two readers reads it: the fast one (the sheet's text read
by patterns, for workbooks as Excel, WPS, LibreOffice and openpyxl write them) or openpyxl, which takes whatever the
fast one leaves. A difference would be a registry import storing other values than the ones the user sees in Excel."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from ipcity.web import spreadsheets
from ipcity.web.spreadsheets import read_sheet
from tests.test_spreadsheet_limits import sheet, workbook


def _by_openpyxl(data: bytes, monkeypatch) -> list:
    with monkeypatch.context() as patched:
        def leave_it(_):
            raise spreadsheets._Unusual("left to openpyxl by the test")
        patched.setattr(spreadsheets, "_fast_xlsx_rows", leave_it)
        return read_sheet(data, "表.xlsx").rows


def _by_the_fast_reader(data: bytes) -> list:
    return spreadsheets._collect(iter(spreadsheets._fast_xlsx_rows(data)))


def _saved(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _openpyxl_workbook() -> bytes:
    book = Workbook()
    sheet_ = book.active
    sheet_.append(["申请号", "申请日", "金额（元）", "有效", "备注"])
    sheet_.append(["CN202310000001.1", dt.date(2023, 5, 6), 1250000, True, "  前后有空格  "])
    sheet_.append(["CN202310000002.X", dt.datetime(2024, 2, 29, 13, 30), 12.5, False, "A&B <c> \"引号\" '单引号'"])
    sheet_.append([None, None, None, None, None])  # a blank row in the middle
    sheet_.append(["", dt.date(1900, 3, 1), -3.25e-7, 0, "=不是公式"])
    sheet_["G7"] = "隔了一列"  # cells with gaps between them, in a row of their own
    sheet_["A8"] = 20_000_000_000
    sheet_["C8"] = CellRichText(["富", TextBlock(InlineFont(b=True), "文本")])
    sheet_["A9"] = "=1+1"  # a formula: no value is stored until Excel calculates it
    sheet_["A10"] = dt.time(8, 15)
    return _saved(book)


def _as_excel_writes_it() -> bytes:
    """Shared strings and the attributes Excel adds (spans, x14ac), a row of its own kind of cells, a number style."""
    strings = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">'
               '<si><t>申请号</t></si><si><t xml:space="preserve"> 专利权人 </t></si><si><t>南开区</t></si></sst>')
    rows = ('<row r="1" spans="1:3" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
            '</row>'
            '<row r="3" spans="1:3"><c r="A3" t="s"><v>2</v></c><c r="C3"><v>42</v></c></row>'
            '<row r="4"><c r="A4" t="str"><f>A3&amp;"!"</f><v>南开区!</v></c><c r="B4" t="b"><v>1</v></c>'
            '<c r="C4" t="e"><v>#DIV/0!</v></c></row>'
            '<row r="5"><c r="A5" t="s"><v>2</v></c><c r="C5" t="inlineStr"><is><t>行内</t></is></c></row>')
    data = sheet(rows).replace(b"<worksheet ", b'<worksheet xmlns:x14ac="http://schemas.microsoft.com/office/'
                                                 b'spreadsheetml/2009/9/ac" ')
    return workbook(data, [strings.encode()])


def _without_references() -> bytes:
    """Rows and cells without their r attributes (allowed, and written by some exporters), white space between them,
    attributes in another order, escaped characters, inline rich text."""
    rows = ('\n  <row>\n    <c t="inlineStr"><is><t>甲 &amp; 乙</t></is></c>\n    <c t="n" s="0"><v>7</v></c>\n  </row>'
            '\n  <row><c/><c t="inlineStr"><is><r><t>富</t></r><r><rPr><b/></rPr><t>文本</t></r></is></c></row>'
            '\n  <row r="9"><c t="inlineStr" r="C9"><is><t>最后</t></is></c></row>\n')
    return workbook(sheet(rows))


WORKBOOKS = {"written by openpyxl": _openpyxl_workbook, "as Excel writes it": _as_excel_writes_it,
             "rows and cells without references": _without_references}


@pytest.mark.parametrize("made", WORKBOOKS.values(), ids=WORKBOOKS.keys())
def test_the_fast_reader_reads_what_openpyxl_reads(made, monkeypatch):
    data = made()
    fast = _by_the_fast_reader(data)  # raises when it would leave the workbook to openpyxl
    assert fast == _by_openpyxl(data, monkeypatch)
    assert fast  # something was read


def test_the_usual_cells_are_read_as_the_user_sees_them():
    rows = _by_the_fast_reader(_openpyxl_workbook())
    assert rows[1] == (2, ["CN202310000001.1", "2023-05-06", "1250000", "True", "前后有空格"])
    assert rows[2][1][:3] == ["CN202310000002.X", "2024-02-29 13:30:00", "12.5"]
    assert rows[3][0] == 5  # the blank row 4 is left out, the numbering kept


@pytest.mark.parametrize("markup", [
    '<row r="1"><c r="A1"><v>1</v></c></row><c r="A2"><v>2</v></c>',  # a cell outside any row
    '<row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c r="A1"><v>2</v></c></row>',  # rows out of order
    '<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>2</v></c></row>',  # cells out of order
    '<row r="1"><c r="A1"><v>1</v><x:y xmlns:x="urn:x"/></c></row>',  # an element of another namespace
    '<row r="1"><c r="A1" t="inlineStr"><is><t>a_x000D_b</t></is></c></row>',  # an escaped character
    "<row r='1'><c r='A1'><v>1</v></c></row>",  # quotes Excel does not write
    '<row r="1"><c r="A1" x:t="s"><v>0</v></c></row>',  # a prefix nobody declared (openpyxl refuses the sheet)
    '<row r="1"><c r="A1">' + "a" * 40 + "<?x?></c></row>",  # a processing instruction in a cell
    # a row the other rows' pattern ends early: read in time linear in the text, not exponential
    '<row r="1"><c r="A1"><x>' + "a" * 40 + "<row></row></x></c></row>",
    "甲" * 10_000,  # text where rows should be: the reading stops at its first character
])
def test_markup_the_fast_reader_does_not_know_is_left_to_openpyxl(markup, monkeypatch):
    data = workbook(sheet(markup))
    with pytest.raises(spreadsheets._Unusual):
        spreadsheets._fast_xlsx_rows(data)
    assert _outcome(read_sheet, data, "表.xlsx") == _outcome(_by_openpyxl, data, monkeypatch)


def _outcome(read, *args):
    """The rows read, or the reason the file was refused."""
    try:
        return read(*args) if read is _by_openpyxl else read(*args).rows
    except spreadsheets.SpreadsheetRefused as refused:
        return f"refused: {refused}"
