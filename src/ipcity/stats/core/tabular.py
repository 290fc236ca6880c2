"""Reading CSV (UTF-8 or GBK/GB18030, whatever the file claims) and XLSX into header + rows of text."""

import csv
import datetime as dt
import io
from dataclasses import dataclass

from openpyxl import load_workbook


class TableError(ValueError):
    pass


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as the user sees it in the file, cell texts); blank rows left out
    encoding: str


def decode_text(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first; then GB18030, a superset of GBK that Chinese exports use."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise TableError("无法识别文件编码：既不是 UTF-8 也不是 GBK/GB18030")


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


def read_table(data: bytes, filename: str) -> Table:
    name = filename.lower()
    if name.endswith(".xlsx"):
        if not data.startswith(b"PK"):
            raise TableError("文件扩展名为 .xlsx，但内容不是 Excel 工作簿")
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
            raise TableError(f"无法读取 Excel 工作簿：{exc}") from None
        rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        encoding = "xlsx"
    elif name.endswith((".csv", ".txt")):
        text, encoding = decode_text(data)
        try:
            rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text, newline=""))]
        except csv.Error as exc:
            raise TableError(f"CSV 格式错误：{exc}") from None
    else:
        raise TableError("只支持 .csv 和 .xlsx 文件")
    numbered = [(number, row) for number, row in enumerate(rows, start=1) if any(c for c in row)]
    if not numbered:
        raise TableError("文件中没有数据")
    _, header_row = numbered[0]
    headers = [h.strip().replace("\ufeff", "") for h in header_row]
    width = len(headers)
    body = [(number, (row + [""] * width)[:width] if len(row) <= width else row) for number, row in numbered[1:]]
    return Table(headers=headers, rows=body, encoding=encoding)
