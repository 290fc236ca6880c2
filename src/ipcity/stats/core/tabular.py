"""Reading CSV (UTF-8 or GBK/GB18030, whatever the file claims) and XLSX into header + rows of text.
The file itself is read by `ipcity.web.spreadsheets.read_sheet`, the platform's one spreadsheet reader, which
refuses what would unpack or parse beyond its limits (rows, columns, cell length, uncompressed size)."""

from dataclasses import dataclass

from ipcity.web.spreadsheets import SpreadsheetRefused, decode_text, read_sheet

__all__ = ["Table", "TableError", "decode_text", "read_table"]


class TableError(ValueError):
    pass


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as the user sees it in the file, cell texts); blank rows left out
    encoding: str


def read_table(data: bytes, filename: str) -> Table:
    try:
        sheet = read_sheet(data, filename)
    except SpreadsheetRefused as exc:
        raise TableError(str(exc)) from None
    numbered, encoding = sheet.rows, sheet.encoding
    if not numbered:
        raise TableError("文件中没有数据")
    _, header_row = numbered[0]
    headers = [h.strip().replace("\ufeff", "") for h in header_row]
    width = len(headers)
    body = [(number, row if len(row) >= width else row + [""] * (width - len(row))) for number, row in numbered[1:]]
    return Table(headers=headers, rows=body, encoding=encoding)
