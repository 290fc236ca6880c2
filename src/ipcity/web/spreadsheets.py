"""Every spreadsheet and document the platform hands out, and every spreadsheet it takes in, goes through here.

Writing (.xlsx, .csv, .docx): a stored value is data, never an instruction to the program that opens the file.
Text beginning with = + - @ tab or CR is written so that no spreadsheet reads it as a formula (an .xlsx string
cell marked "quote prefix"; in a .csv a leading apostrophe, as the OWASP CSV-injection guidance says); numbers
stay numbers. Control characters (which XML cannot hold: python-docx and openpyxl refuse them) are left out, so no
stored value can make a download fail.

Reading (.xlsx, .csv): a spreadsheet is checked before it is parsed and while it is read (zip members' declared
and actual sizes, compression ratio, element counts, rows, columns, cell length), so a small file that unpacks to
gigabytes is refused with a clear message in bounded memory.

No Django import at module level: `stats/core/tabular.py`, a plain-Python core, reads through here.
"""

import csv
import datetime as dt
import html
import io
import math
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from xml.parsers import expat
from xml.sax.saxutils import escape

from lxml import etree

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CSV_TYPE = "text/csv; charset=utf-8"

# C0 controls except tab/LF/CR, DEL, lone surrogates and the two non-characters XML 1.0 forbids
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


# ---------------------------------------------------------------- writing

def document_text(value) -> str:
    """A value as text for a .docx/.pdf/.xlsx/.csv: None is empty; control characters are left out."""
    if value is None:
        return ""
    return CONTROL_CHARACTERS.sub("", value if isinstance(value, str) else str(value))


def paragraph_markup(value) -> str:
    """A value as a reportlab Paragraph's text: control characters left out, markup characters escaped."""
    return escape(document_text(value))


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def _is_number(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, Decimal):
        return value.is_finite()
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, int)


def csv_cell(value):
    """One CSV field: numbers and dates as they are; text without control characters, and with a leading
    apostrophe when it would otherwise start a formula."""
    if value is None:
        return ""
    if _is_number(value) or isinstance(value, (dt.date, dt.time)):
        return value
    text = document_text(value)
    return "'" + text if is_formula_like(text) else text


def _xlsx_cell(sheet, value):
    if _is_number(value):
        if isinstance(value, Decimal):
            return float(value) if value != value.to_integral_value() else int(value)
        return value
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, (bool, dt.date, dt.time)) or value is None:
        return value
    text = document_text(value)
    if not is_formula_like(text):
        return text
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl would make "=…" a formula; a string cell is shown as typed
    cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    return cell


def sheet_title(title: str) -> str:
    cleaned = _SHEET_TITLE_FORBIDDEN.sub("", document_text(title)).strip("'")[:31]
    return cleaned or "Sheet"


def xlsx_bytes(sheets: list[tuple[str, list[str], Iterable[list]]]) -> bytes:
    from openpyxl import Workbook  # here, not at the top: every command would load it at start (about 0.15 s)

    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(sheet_title(title))
        sheet.append([_xlsx_cell(sheet, h) for h in headers])
        for row in rows:
            sheet.append([_xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers: list[str], rows: Iterable[list]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def interchange_csv(headers: list[str], rows: Iterable[list]) -> bytes:
    """CSV the platform writes for its own importer (a workflow's registry write goes through an import batch).
    Never handed to a person, so values stay exactly as they are."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def download_response(body: bytes, content_type: str, filename: str):
    from django.http import HttpResponse

    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(filename: str, title: str, headers: list[str], rows: Iterable[list]):
    return download_response(xlsx_bytes([(title, headers, rows)]), XLSX_TYPE, filename)


def csv_response(filename: str, headers: list[str], rows: Iterable[list]):
    return download_response(csv_bytes(headers, rows), CSV_TYPE, filename)


class DocxReport:
    """A .docx made of a title, headings, paragraphs and tables, laid out as an official document (GB/T 9704-2012:
    A4, 仿宋 三号 on a 22 × 28 grid, page numbers "— 1 —"; see ipcity.web.official_document, which also writes the
    same blocks as PDF). heading(level=0) is the title; issuer, document_number and written_on add the 版头 and the
    signature with its 成文日期. Every text passes `document_text`, so no stored value (a title with a control
    character) can make the document fail to build."""

    def __init__(self, *, issuer: str = "", document_number: str = "", written_on: dt.date | None = None,
                 recipient: str = "", draft: bool = False):
        from ipcity.web.official_document import OfficialDocument  # it reads document_text from here

        self.official = OfficialDocument(issuer=issuer, document_number=document_number, written_on=written_on,
                                         recipient=recipient, draft=draft)

    def heading(self, text, level: int = 1, *, align: str | None = None) -> None:
        if level == 0:
            self.official.title = document_text(text)
        else:
            self.official.heading(text, level=min(level, 3))

    def paragraph(self, text, *, style: str | None = None, align: str | None = None) -> None:
        self.official.paragraph(text, align=align or "justify")

    def table(self, headers: list[str], rows: Iterable[Iterable], **options) -> None:
        self.official.table(headers, [list(row) for row in rows], **options)

    def bytes(self) -> bytes:
        return self.official.docx()

    def pdf(self) -> bytes:
        return self.official.pdf()


# ---------------------------------------------------------------- reading

MAX_ROWS = 100_000  # rows with data, header included
MAX_COLUMNS = 200
MAX_CELLS = 1_500_000  # cells in a worksheet (and non-empty cells kept in memory)
MAX_SHARED_STRINGS = 500_000  # openpyxl keeps every shared string in memory at once
MAX_CELL_CHARS = 32_767  # what one Excel cell can hold
MAX_ZIP_MEMBERS = 1_000
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # all of a workbook's parts together, unpacked
MAX_RATIO = 100  # unpacked / packed, for parts over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_ROW_ELEMENTS = 1_048_576  # Excel's own row limit
MAX_CELLS_IN_ROW = 16_384  # Excel's own column limit (XFD)
MAX_PART_ELEMENTS = 250_000  # styles, workbook, relationships…: parts openpyxl loads whole
SPLIT_ADVICE = "请拆分后分批导入"


class SpreadsheetRefused(ValueError):
    """A spreadsheet that cannot or may not be read; the message says why, in words for the user."""


@dataclass(frozen=True)
class Sheet:
    rows: list[tuple[int, list[str]]]  # (row number as the user sees it, cell texts); blank rows left out
    encoding: str


def decode_text(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first; then GB18030, a superset of GBK that Chinese exports use."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise SpreadsheetRefused("无法识别文件编码：既不是 UTF-8 也不是 GBK/GB18030")


def read_sheet(data: bytes, filename: str) -> Sheet:
    """The first sheet of an .xlsx, or a .csv, as numbered rows of text, within the limits above."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        if not data.startswith(b"PK"):
            raise SpreadsheetRefused("文件扩展名为 .xlsx，但内容不是 Excel 工作簿")
        return Sheet(_collect(_xlsx_rows(data)), "xlsx")
    if name.endswith((".csv", ".txt")):
        text, encoding = decode_text(data)
        return Sheet(_collect(enumerate(_csv_rows(text), start=1)), encoding)
    raise SpreadsheetRefused("只支持 .csv 和 .xlsx 文件")


def _collect(rows: Iterator[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    kept: list[tuple[int, list[str]]] = []
    cells = 0
    for number, row in rows:
        while row and not row[-1]:
            row.pop()
        if not row:
            continue
        if len(row) > MAX_COLUMNS:
            raise SpreadsheetRefused(f"第{number}行有 {len(row)} 列，超过 {MAX_COLUMNS} 列的上限")
        if max(map(len, row)) > MAX_CELL_CHARS:
            column = next(i for i, text in enumerate(row, start=1) if len(text) > MAX_CELL_CHARS)
            raise SpreadsheetRefused(f"第{number}行第{column}列超过 {MAX_CELL_CHARS} 个字符的上限")
        cells += len(row) - row.count("")
        kept.append((number, row))
        if len(kept) > MAX_ROWS:
            raise SpreadsheetRefused(f"文件超过 {MAX_ROWS} 行的上限，{SPLIT_ADVICE}")
        if cells > MAX_CELLS:
            raise SpreadsheetRefused(f"文件超过 {MAX_CELLS} 个非空单元格的上限，{SPLIT_ADVICE}")
    return kept


def _csv_rows(text: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            if len(row) > MAX_CELLS_IN_ROW:
                raise SpreadsheetRefused(f"第{reader.line_num}行有 {len(row)} 列，超过 {MAX_COLUMNS} 列的上限")
            yield [c.strip() for c in row]
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise SpreadsheetRefused(f"第{reader.line_num}行有单元格超过字段长度上限") from None
        raise SpreadsheetRefused(f"CSV 格式错误：{exc}") from None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """(row number, cell texts) of the first sheet: by the fast reader below when the workbook is as Excel, WPS or
    LibreOffice write one, else by openpyxl after every part is checked (inspect_workbook)."""
    try:
        rows = _fast_xlsx_rows(data)
    except SpreadsheetRefused:
        raise
    except Exception:  # unusual or damaged: openpyxl reads it, or says what is wrong, after every check
        rows = None
    if rows is not None:
        yield from rows
        return
    widest = inspect_workbook(data)
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the declared size (A1:XFD1048576…) is the file's claim; read the real cells
        for number, row in enumerate(sheet.iter_rows(max_col=max(widest, 1), values_only=True), start=1):
            yield number, [] if row.count(None) == len(row) else [_cell_text(v) for v in row]  # nothing to the right
    except SpreadsheetRefused:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise SpreadsheetRefused(f"无法读取 Excel 工作簿：{exc}") from None


# ---- the fast reader: the first sheet's cells with lxml (C) instead of openpyxl's objects, about ten times faster.
# It reads only what openpyxl would read for the same values (workbook, its relationships, styles, shared strings,
# the sheet) and gives the same texts; the limits above are checked on each part as it is read. Anything it does not
# know (another namespace, ISO date cells, escaped characters, rows out of order…) goes to openpyxl instead.

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PACKAGE = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class _Unusual(Exception):
    """A workbook the fast reader leaves to openpyxl."""


def _part(archive: zipfile.ZipFile, name: str, *, whole: bool) -> bytes:
    """A part's bytes; a part read whole (a small one) is first checked as inspect_workbook checks every part."""
    try:
        data = archive.read(name)
    except KeyError:
        raise _Unusual(name) from None
    if whole:
        counter = _PartCounter(name)
        counter.feed(data, final=True)
    elif b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
        raise SpreadsheetRefused(f"Excel 工作簿的部件 {name} 含有 DOCTYPE/实体声明（Excel 不会写出这些），已拒绝")
    return data


def _relationships(archive: zipfile.ZipFile, name: str) -> dict[str, tuple[str, str]]:
    """id → (type's last word, part name) of a part's relationships."""
    folder, _, base = name.rpartition("/")
    found = {}
    for rel in etree.fromstring(_part(archive, f"{folder}/_rels/{base}.rels", whole=True), _SAFE).iter(
            f"{_PACKAGE}Relationship"):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"{folder}/{target}")
        found[rel.get("Id")] = (rel.get("Type", "").rsplit("/", 1)[-1], path)
    return found


_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _iterparse(data: bytes, tag: str):
    return etree.iterparse(io.BytesIO(data), events=("end",), tag=tag, resolve_entities=False, no_network=True,
                           load_dtd=False, huge_tree=False)


def _drop(element) -> None:
    element.clear(keep_tail=True)
    while element.getprevious() is not None:
        del element.getparent()[0]


def _text_of(element) -> str:
    """The text of a shared or inline string: its t, then its runs' t (openpyxl's Text.content)."""
    first = element.find(f"{_MAIN}t")
    parts = [first.text or ""] if first is not None else []
    parts += [run.findtext(f"{_MAIN}t") or "" for run in element.iterfind(f"{_MAIN}r")]
    text = "".join(parts)
    if "_x" in text:  # OOXML's escaped characters (_x000D_): openpyxl decodes them its own way
        raise _Unusual("escaped characters")
    return text


def _shared_strings(archive: zipfile.ZipFile, name: str | None) -> list[str]:
    if name is None:
        return []
    data = _part(archive, name, whole=False)
    strings = _plain_strings(data)
    if strings is not None:
        if len(strings) > MAX_SHARED_STRINGS:
            raise SpreadsheetRefused(f"Excel 工作簿的部件 {name} 的共享字符串超过 {MAX_SHARED_STRINGS} 个的上限，{SPLIT_ADVICE}")
        if strings and max(map(len, strings)) > MAX_CELL_CHARS:
            raise SpreadsheetRefused(f"Excel 工作簿的部件 {name} 有单元格超过 {MAX_CELL_CHARS} 个字符的上限，已拒绝")
        return strings
    strings = []
    for _, item in _iterparse(data, f"{_MAIN}si"):
        if len(strings) >= MAX_SHARED_STRINGS:
            raise SpreadsheetRefused(f"Excel 工作簿的部件 {name} 的共享字符串超过 {MAX_SHARED_STRINGS} 个的上限，{SPLIT_ADVICE}")
        text = _text_of(item).replace("x005F_", "")
        if len(text) > MAX_CELL_CHARS:
            raise SpreadsheetRefused(f"Excel 工作簿的部件 {name} 有单元格超过 {MAX_CELL_CHARS} 个字符的上限，已拒绝")
        strings.append(text)
        _drop(item)
    return strings


_PLAIN_STRING = re.compile(r'<si><t(?: xml:space="preserve")?>([^<&_]*)</t></si>|<si><t(?: xml:space="preserve")?/></si>')


def _plain_strings(data: bytes) -> list[str] | None:
    """The shared strings when every one is plain text (no runs, phonetics, entities or escapes), read by a pattern
    after lxml found the part well-formed; None otherwise."""
    if len(data) > MAX_UNCOMPRESSED:
        return None
    _check_well_formed(data)
    text = data.decode("utf-8")
    start = text.find(">", text.find("<sst")) + 1
    end = text.rfind("</sst>")
    if start <= 0 or end < start or "\r" in text:
        return None
    try:
        _check_prefixes(text[:start], {"xml", "xmlns", *_DECLARED_PREFIX.findall(text, 0, start)})
    except _Unusual:
        return None  # read by lxml below, which refuses a prefix not declared
    strings, position = [], start
    for found in _PLAIN_STRING.finditer(text, start, end):
        if found.start() != position:
            return None
        strings.append(found[1] or "")
        position = found.end()
    return strings if position == end else None


def _date_styles(archive: zipfile.ZipFile, name: str | None) -> tuple[set, set]:
    if name is None:
        return set(), set()
    from openpyxl.styles.stylesheet import Stylesheet
    from openpyxl.xml.functions import fromstring

    stylesheet = Stylesheet.from_tree(fromstring(_part(archive, name, whole=True)))
    return stylesheet.date_formats, stylesheet.timedelta_formats


def _fast_xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    archive = _checked_archive(data)
    book = etree.fromstring(_part(archive, "xl/workbook.xml", whole=True), _SAFE)
    if book.tag != f"{_MAIN}workbook":
        raise _Unusual(book.tag)
    relationships = _relationships(archive, "xl/workbook.xml")
    first = book.find(f"{_MAIN}sheets/{_MAIN}sheet")
    kind, sheet_name = relationships.get(first.get(_RELATIONSHIP) if first is not None else None, ("", ""))
    if kind != "worksheet":
        raise _Unusual("the first sheet is not a worksheet")
    by_kind = {kind: path for kind, path in relationships.values()}
    strings = _shared_strings(archive, by_kind.get("sharedStrings"))
    dates, durations = _date_styles(archive, by_kind.get("styles"))
    properties = book.find(f"{_MAIN}workbookPr")
    epoch = CALENDAR_MAC_1904 if properties is not None and properties.get("date1904") in ("1", "true") \
        else CALENDAR_WINDOWS_1900
    sheet = _part(archive, sheet_name, whole=False)

    def refuse(what: str):
        raise SpreadsheetRefused(f"Excel 工作簿的部件 {sheet_name} {what}")

    # The sheet is well-formed XML with no DOCTYPE: libxml2 parses it whole first (in C, building nothing). Then its
    # rows and cells are read from the text by the patterns below, which account for every character of <sheetData>:
    # what they do not know (and any element with a namespace prefix in a cell) sends the workbook to openpyxl.
    _check_well_formed(sheet)
    text = sheet.decode("utf-8")
    start, end = text.find("<sheetData>"), text.rfind("</sheetData>")
    if start < 0 or end < start or text.count("<sheetData") != 1 or "\r" in text or text.find("<!", start, end) >= 0 \
            or text.find("<?", start, end) >= 0 or "<!DOCTYPE" in text:
        raise _Unusual("sheetData")
    # The check above does not hold prefixes to their declarations: a prefix the part does not declare where the
    # fast reader looks for one (before <sheetData>) sends the workbook to openpyxl, which refuses it if undeclared.
    prefixes = {"xml", "xmlns", *_DECLARED_PREFIX.findall(text, 0, start)}
    _check_prefixes(text[:start], prefixes)
    _check_prefixes(text[end:], prefixes.union(_DECLARED_PREFIX.findall(text, end)))  # extLst declares its own
    stripped = [string.strip() for string in strings]  # what _cell_text makes of each
    columns: dict[str, int] = {}
    numbers: dict[tuple[str, str], str] = {}  # (value, style) → its text: a sheet repeats its dates and amounts
    rows: list[tuple[int, list[str]]] = []
    count = number = cells = 0
    # Row by row (finditer, not findall): markup it does not know stops the reading at once, and the limits are
    # checked before a row's cells are taken apart, so a hostile sheet costs no more memory than its text.
    for row in _SHEET_ROW.finditer(text, start + len("<sheetData>"), end):
        attributes, cells_markup, other_attributes, other, content, space, unknown = row.groups()
        if space is not None:
            continue
        if unknown is not None:
            raise _Unusual("unknown markup")
        if other is not None:
            attributes, cells_markup = other_attributes, content or ""
        if "'" in attributes:
            raise _Unusual("quotes")
        _check_prefixes(attributes, prefixes)
        count += 1
        stated = _ROW_NUMBER.search(attributes)
        following = int(stated[1]) if stated else number + 1
        if following <= number:
            raise _Unusual("rows out of order")
        number = following
        if count > MAX_ROW_ELEMENTS or number > MAX_ROW_ELEMENTS:
            refuse(f"的行号超过 Excel 的 {MAX_ROW_ELEMENTS} 行上限，已拒绝")
        if cells + cells_markup.count("<c ") + cells_markup.count("<c>") + cells_markup.count("<c/>") > MAX_CELLS:
            refuse(f"超过 {MAX_CELLS} 个单元格的上限，{SPLIT_ADVICE}")
        row_cells = _other_cells(cells_markup, prefixes) if other is not None else _USUAL_CELL.findall(cells_markup)
        cells += len(row_cells)
        texts: list[str] = []
        column = 0
        for letters, style, kind, raw in row_cells:
            if letters:
                column = columns.get(letters) or columns.setdefault(letters, _column_index(letters))
            else:
                column += 1
            if not raw or raw.isspace():
                if column > MAX_CELLS_IN_ROW:
                    refuse(f"的第{number}行列号超过 Excel 的 {MAX_CELLS_IN_ROW} 列上限，已拒绝")
                continue  # no content: as if the cell were not there
            if column > MAX_COLUMNS or len(raw) > MAX_CELL_CHARS:
                refuse(f"的第{number}行列号超过 Excel 的 {MAX_CELLS_IN_ROW} 列上限，已拒绝" if column > MAX_CELLS_IN_ROW
                       else f"有单元格超过 {MAX_CELL_CHARS} 个字符的上限，已拒绝" if len(raw) > MAX_CELL_CHARS
                       else f"的第{number}行第{column}列有内容，超过 {MAX_COLUMNS} 列的上限")
            if kind == "s":
                cell_text = stripped[int(raw)]
            elif not kind or kind == "n":
                cell_text = numbers.get((raw, style))
                if cell_text is None:
                    number_value = float(raw) if "." in raw or "E" in raw or "e" in raw else int(raw)
                    if style and int(style) in dates:
                        try:
                            number_value = from_excel(number_value, epoch, timedelta=int(style) in durations)
                        except (OverflowError, ValueError):
                            number_value = "#VALUE!"
                    cell_text = numbers[raw, style] = _cell_text(number_value)
            elif kind == "b":
                cell_text = str(bool(int(raw)))
            elif kind in ("str", "e", "inlineStr"):
                if "_x" in raw:
                    raise _Unusual("escaped characters")
                cell_text = raw.strip()
            else:
                raise _Unusual(kind)
            if cell_text:
                if len(texts) >= column:
                    raise _Unusual("cells out of order")
                if len(texts) < column - 1:
                    texts.extend([""] * (column - 1 - len(texts)))
                texts.append(cell_text)
        if texts:
            rows.append((number, texts))
    return rows


def _other_cells(row_content: str, prefixes: set[str]) -> list[tuple[str | None, str | None, str | None, str | None]]:
    """(column letters, style, type, value) of each cell of a row that holds more than the usual cells (formulas,
    inline strings, attributes in another order…); None where the cell has none."""
    cells = []
    for cell in _OTHER_CELL.finditer(row_content):
        attributes, tail, content, unknown = cell.groups()
        if unknown is not None:
            raise _Unusual("unknown markup")
        if tail is None:
            continue  # white space between cells
        if "'" in attributes:
            raise _Unusual("quotes")
        _check_prefixes(attributes, prefixes)
        usual = _USUAL_ATTRIBUTES.fullmatch(attributes)  # r, s, t in the order Excel writes them
        if usual:
            letters, style, kind = usual.groups()
        else:
            letters, style, kind = (found[1] if found else None for found in (
                _CELL_REFERENCE.search(attributes), _CELL_STYLE.search(attributes), _CELL_TYPE.search(attributes)))
        raw = None
        if content:
            if _PREFIXED_ELEMENT.search(content):
                raise _Unusual("an element of another namespace")
            if kind == "inlineStr":
                if "<rPh" in content:
                    raise _Unusual("phonetic text")
                raw = "".join(_INLINE_TEXT.findall(content))
            else:
                value = _CELL_VALUE.search(content)
                raw = value[1] if value else None
            if raw and "&" in raw:
                raw = html.unescape(raw)
        cells.append((letters, style, kind, raw))
    return cells


class _NoEvents:
    """A parser target that keeps nothing: libxml2 checks the document is well-formed and builds no tree."""

    def close(self):
        return None


def _check_prefixes(markup: str, declared: set[str]) -> None:
    """Leaves to openpyxl markup whose elements or attributes use a prefix not among `declared`."""
    if ":" in markup and not declared.issuperset(_PREFIX.findall(markup)):
        raise _Unusual("an undeclared prefix")


def _check_well_formed(data: bytes) -> None:
    """Raises lxml's XMLSyntaxError unless the part is well-formed XML (entities are not resolved: a DOCTYPE is
    refused by the readers themselves)."""
    etree.fromstring(data, etree.XMLParser(target=_NoEvents(), resolve_entities=False, no_network=True,
                                           load_dtd=False, huge_tree=False))


# A cell as Excel writes most: its reference, perhaps a style, a number or a shared string (t="s") as its value
# (1: column letters, 2: style, 3: type, 4: value); and a row's worth of them.
_USUAL_CELL = re.compile(r'<c r="([A-Z]{1,3})\d+"(?: s="(\d+)")?(?: t="([sn])")?><v>([^<&]*)</v></c>')
_USUAL_CELLS = r'(?:<c r="[A-Z]{1,3}\d+"(?: s="\d+")?(?: t="[sn]")?><v>[^<&]*</v></c>)*'
_ATTRIBUTES = r'((?:\s++[\w:]++="[^"<]*+")*+)\s*+'
# In <sheetData>, one of: a row of usual cells only (1: its attributes, 2: its cells); any other row (3: its
# attributes, 4: the rest, 5: its content; it may be empty); white space (6); or any other character (7), which
# the fast reader leaves to openpyxl.
_SHEET_ROW = re.compile(rf'<row{_ATTRIBUTES}>({_USUAL_CELLS})</row>|<row{_ATTRIBUTES}(/>|>([\s\S]*?)</row>)'
                        r'|(\s+)|([\s\S])')
# In any other row, one of: a cell (1: its attributes, 2: the rest, 3: its content), white space, or any other
# character (4).
_OTHER_CELL = re.compile(rf'<c{_ATTRIBUTES}(/>|>((?:</?\w++[^<>]*+>|[^<]++)*?)</c>)|\s+|([\s\S])')
_PREFIXED_ELEMENT = re.compile(r"</?[\w.-]+:")
_DECLARED_PREFIX = re.compile(r'\sxmlns:([\w.-]+)=')
_PREFIX = re.compile(r'(?:\s|</?)([\w.-]+):[\w.-]+[\s=/>]')  # of an attribute or an element

_USUAL_ATTRIBUTES = re.compile(r' r="([A-Z]{1,3})\d+"(?: s="(\d+)")?(?: t="(\w+)")?')
# Attributes by their name, unprefixed: x:r is another attribute, as openpyxl reads it.
_ROW_NUMBER = re.compile(r'\sr="(\d+)"')
_CELL_REFERENCE = re.compile(r'\sr="([A-Z]{1,3})\d+"')
_CELL_TYPE = re.compile(r'\st="(\w+)"')
_CELL_STYLE = re.compile(r'\ss="(\d+)"')
_CELL_VALUE = re.compile(r"<v>([^<]*)</v>")
_INLINE_TEXT = re.compile(r"<t(?:\s[^>]*)?>([^<]*)</t>")


def _checked_archive(data: bytes) -> zipfile.ZipFile:
    """The workbook's zip, its directory within the limits (members, declared sizes, compression ratios). Reading a
    member stops at its declared size and fails on a wrong checksum, so what is unpacked stays within them."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise SpreadsheetRefused("无法读取 Excel 工作簿：文件已损坏或不是 .xlsx") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise SpreadsheetRefused(f"Excel 工作簿包含 {len(members)} 个部件，超过 {MAX_ZIP_MEMBERS} 个的上限")
    declared = sum(m.file_size for m in members)
    if declared > MAX_UNCOMPRESSED:
        raise SpreadsheetRefused(f"Excel 工作簿解压后约 {declared // (1024 * 1024)} MB，"
                                 f"超过 {MAX_UNCOMPRESSED // (1024 * 1024)} MB 的上限，{SPLIT_ADVICE}")
    for member in members:
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise SpreadsheetRefused(f"Excel 工作簿的部件 {member.filename} 压缩比异常"
                                     f"（解压后是压缩后的 {member.file_size // max(member.compress_size, 1)} 倍），"
                                     "疑似压缩炸弹，已拒绝")
    return archive


def inspect_workbook(data: bytes) -> int:
    """Refuse a workbook whose parts would unpack or parse beyond the limits, before openpyxl sees it.
    Sizes are checked as declared in the zip directory and again as actually unpacked, a chunk at a time.
    Returns the rightmost column holding a value in any worksheet."""
    archive = _checked_archive(data)
    members = archive.infolist()
    unpacked = widest = 0
    for member in members:
        counter = _PartCounter(member.filename) if member.filename.endswith((".xml", ".rels")) else None
        try:
            with archive.open(member) as stream:
                size = 0
                while chunk := stream.read(256 * 1024):
                    size += len(chunk)
                    unpacked += len(chunk)
                    if size > member.file_size or unpacked > MAX_UNCOMPRESSED:
                        raise SpreadsheetRefused(f"Excel 工作簿解压后超过 {MAX_UNCOMPRESSED // (1024 * 1024)} MB "
                                                 f"的上限或与声明大小不符，{SPLIT_ADVICE}")
                    if counter is not None:
                        counter.feed(chunk)
                if counter is not None:
                    counter.feed(b"", final=True)
                    widest = max(widest, counter.widest)
        except SpreadsheetRefused:
            raise
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError, ValueError) as exc:
            raise SpreadsheetRefused(f"无法读取 Excel 工作簿：{exc}") from None
        except expat.ExpatError as exc:
            raise SpreadsheetRefused(f"无法读取 Excel 工作簿：部件 {member.filename} 不是有效的 XML（{exc}）") from None
    return widest


class _PartCounter:
    """Streams one XML part through expat with no tree, counting what openpyxl would build from it."""

    def __init__(self, name: str):
        self.name = name
        in_rels = "/_rels/" in name or name.endswith(".rels")
        self.kind = ("sheet" if name.startswith("xl/worksheets/") and not in_rels else
                     "strings" if name.endswith("sharedStrings.xml") else "part")
        self.elements = self.rows = self.row = self.cells = self.column = self.strings = self.text = self.widest = 0
        self.in_data = self.in_text = self.has_content = False
        self.parser = expat.ParserCreate(namespace_separator="}")
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._characters
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._doctype

    def feed(self, chunk: bytes, final: bool = False) -> None:
        self.parser.Parse(chunk, final)

    def _refuse(self, what: str):
        raise SpreadsheetRefused(f"Excel 工作簿的部件 {self.name} {what}")

    def _doctype(self, *args):
        self._refuse("含有 DOCTYPE/实体声明（Excel 不会写出这些），已拒绝")

    def _start(self, tag, attributes):
        local = tag.rsplit("}", 1)[-1]
        if self.kind == "sheet" and self.in_data:
            self._sheet_start(local, attributes)
        elif self.kind == "sheet" and local == "sheetData":
            self.in_data = True
        elif self.kind == "strings" and local in ("si", "t"):
            if local == "si":
                self.strings += 1
                self.text = 0
                if self.strings > MAX_SHARED_STRINGS:
                    self._refuse(f"的共享字符串超过 {MAX_SHARED_STRINGS} 个的上限，{SPLIT_ADVICE}")
            self.in_text = True
        else:
            self.elements += 1  # everything openpyxl loads whole: styles, workbook, relationships, merged cells…
            if self.elements > MAX_PART_ELEMENTS:
                self._refuse(f"超过 {MAX_PART_ELEMENTS} 个元素的上限，已拒绝")

    def _sheet_start(self, local, attributes):
        if local == "row":
            self.rows += 1
            self.row = int(attributes["r"]) if attributes.get("r", "").isdigit() else self.row + 1
            self.column = 0
            if self.rows > MAX_ROW_ELEMENTS or self.row > MAX_ROW_ELEMENTS:
                self._refuse(f"的行号超过 Excel 的 {MAX_ROW_ELEMENTS} 行上限，已拒绝")
        elif local == "c":
            self.cells += 1
            if self.cells > MAX_CELLS:
                self._refuse(f"超过 {MAX_CELLS} 个单元格的上限，{SPLIT_ADVICE}")
            letters = "".join(ch for ch in attributes.get("r", "") if ch.isalpha()).upper()
            self.column = _column_index(letters) if letters else self.column + 1
            if self.column > MAX_CELLS_IN_ROW:
                self._refuse(f"的第{self.row}行列号超过 Excel 的 {MAX_CELLS_IN_ROW} 列上限，已拒绝")
            self.has_content = False
        elif local in ("v", "t"):
            self.in_text, self.text = True, 0

    def _end(self, tag):
        local = tag.rsplit("}", 1)[-1]
        if local in ("v", "t", "si"):
            self.in_text = False
        elif local == "sheetData":
            self.in_data = False
        elif local == "c" and self.in_data and self.has_content:
            if self.column > MAX_COLUMNS:
                self._refuse(f"的第{self.row}行第{self.column}列有内容，超过 {MAX_COLUMNS} 列的上限")
            self.widest = max(self.widest, self.column)

    def _characters(self, text):
        if self.in_text:
            self.text += len(text)
            self.has_content = self.has_content or bool(text.strip())
            if self.text > MAX_CELL_CHARS:
                self._refuse(f"有单元格超过 {MAX_CELL_CHARS} 个字符的上限，已拒绝")


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters[:4]:
        index = index * 26 + (ord(ch) - 64)
    return index
