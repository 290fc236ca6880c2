"""Every spreadsheet the platform reads (registry imports, bulk listing, sign-in lists, the task ledger) is checked
before and while it is parsed: a small file that unpacks to gigabytes, declares a million rows, or holds a row or a
cell beyond the limits is refused with a clear message, in bounded memory, and nothing is imported."""

import datetime as dt
import io
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipcity import clock
from ipcity.services.models import Training
from ipcity.stats.core.tabular import TableError, read_table
from ipcity.stats.models import ImportBatch, Patent

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml."
RSS_LIMIT_KB = 300 * 1024


def workbook(sheet_xml: bytes, shared_strings=None) -> bytes:
    """A minimal .xlsx written by hand, so a test can put exactly the hostile part it needs inside."""
    types = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             f'<Override PartName="/xl/workbook.xml" ContentType="{CT}sheet.main+xml"/>'
             f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}worksheet+xml"/>'
             + (f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}sharedStrings+xml"/>'
                if shared_strings else "") + "</Types>")
    book_rels = (f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" '
                 'Target="worksheets/sheet1.xml"/>'
                 + (f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
                    if shared_strings else "") + "</Relationships>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
                                        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        archive.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
                                            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", book_rels)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if shared_strings:
            part = zipfile.ZipInfo("xl/sharedStrings.xml")
            part.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(part, "w", force_zip64=True) as stream:
                for chunk in shared_strings:
                    stream.write(chunk)
    return out.getvalue()


def sheet(rows: str, dimension: str = "A1:B2") -> bytes:
    return f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'.encode()


def dimension_bomb() -> bytes:
    """1.4 KB: declares A1:XFD1048576 and has a (blank) cell in the sheet's last row."""
    return workbook(sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>申请号</t></is></c></row>'
                          '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t></t></is></c></row>',
                          "A1:XFD1048576"))


def shared_strings_bomb(megabytes: int) -> bytes:
    def parts():
        yield f'<sst xmlns="{MAIN}">'.encode()
        chunk = b"<si><t>ab</t></si>" * 100_000
        for _ in range(megabytes * 1024 * 1024 // len(chunk)):
            yield chunk
        yield b"</sst>"
    return workbook(sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), parts())


MEASURE = textwrap.dedent("""
    import json, resource, sys
    limit = 1536 * 1024 * 1024  # so a bomb that still works ends in MemoryError, not in a machine swapping
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from ipcity.stats.core.tabular import TableError, read_table
    data = open(sys.argv[1], "rb").read()
    try:
        table = read_table(data, "bomb.xlsx")
        result = {"headers": table.headers, "rows": len(table.rows)}
    except TableError as exc:
        result = {"refused": str(exc)}
    hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
    print(json.dumps({**result, "hwm_kb": hwm}, ensure_ascii=False))
""")


def _read_in_a_fresh_process(tmp_path, data: bytes) -> dict:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(data)
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_a_tiny_workbook_declaring_every_cell_of_the_sheet_is_read_in_bounded_memory(tmp_path):
    data = dimension_bomb()
    assert len(data) < 2000
    result = _read_in_a_fresh_process(tmp_path, data)
    assert result["hwm_kb"] < RSS_LIMIT_KB, result
    assert result.get("headers") == ["申请号"] and result["rows"] == 0  # only what is really there


def test_a_shared_strings_bomb_is_refused_in_bounded_memory(tmp_path):
    data = shared_strings_bomb(120)
    assert len(data) < 400 * 1024
    result = _read_in_a_fresh_process(tmp_path, data)
    assert result["hwm_kb"] < RSS_LIMIT_KB, result
    assert "解压后" in result.get("refused", "") and "上限" in result["refused"], result


def test_a_part_packed_far_beyond_any_real_workbook_is_refused_as_a_bomb(tmp_path):
    result = _read_in_a_fresh_process(tmp_path, shared_strings_bomb(60))  # under the size cap, packed 400:1
    assert result["hwm_kb"] < RSS_LIMIT_KB, result
    assert "压缩比异常" in result.get("refused", ""), result


def _shared_strings(count: int):
    yield f'<sst xmlns="{MAIN}">'.encode()
    yield "".join(f"<si><t>{i:x}</t></si>" for i in range(count)).encode()
    yield b"</sst>"


def test_too_many_shared_strings_too_long_a_cell_a_doctype_or_a_lying_zip_are_refused(monkeypatch):
    from ipcity.web import spreadsheets

    monkeypatch.setattr(spreadsheets, "MAX_SHARED_STRINGS", 1000)
    cases = {
        "共享字符串超过 1000 个": workbook(sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), _shared_strings(5000)),
        "超过 32767 个字符": workbook(sheet(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{"长" * 40_000}</t></is></c>'
                                        "</row>")),
        "DOCTYPE": workbook(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>' + sheet("")),
        "超过 200 列": workbook(sheet('<row r="1"><c r="GT1" t="inlineStr"><is><t>x</t></is></c></row>')),
        "行号超过": workbook(sheet('<row r="2000000"><c r="A2000000"><v>1</v></c></row>')),
    }
    for expected, data in cases.items():
        with pytest.raises(TableError, match=expected):
            read_table(data, "x.xlsx")
    honest = workbook(sheet("".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 5000))))
    lying = bytearray(honest)  # the sheet says it unpacks to 100 bytes: reading stops there and the file is refused
    central = lying.rfind(b"PK\x01\x02", 0, lying.rfind(b"xl/worksheets/sheet1.xml"))
    lying[central + 24:central + 28] = (100).to_bytes(4, "little")
    with pytest.raises(TableError, match="无法读取|与声明大小不符"):
        read_table(bytes(lying), "x.xlsx")


def test_rows_and_columns_beyond_the_limits_are_refused_in_csv_too():
    from ipcity.web.spreadsheets import MAX_COLUMNS, MAX_ROWS

    with pytest.raises(TableError, match=f"超过 {MAX_ROWS} 行的上限"):
        read_table(("申请号\n" + "1\n" * MAX_ROWS).encode(), "x.csv")
    with pytest.raises(TableError, match=f"超过 {MAX_COLUMNS} 列的上限"):
        read_table((",".join(["x"] * 30_000) + "\n").encode(), "x.csv")
    with pytest.raises(TableError, match="字段长度上限|32767"):
        read_table(("申请号\n" + "长" * 200_000 + "\n").encode(), "x.csv")


TOO_WIDE = workbook(sheet('<row r="1">' + "".join(f'<c r="{c}1" t="inlineStr"><is><t>列{c}</t></is></c>'
                                                  for c in ("A", "B", "HA")) + "</row>"))
TOO_LONG = ("申请号,方式\n" + "长" * 40_000 + ",开放许可\n").encode()


@pytest.fixture
def training(people):
    agency = people["agency_user"]
    return Training.objects.create(title="专利检索培训", audience=Training.Audience.choices[0][0],
                                   held_on=clock.today() - dt.timedelta(days=3), hours=Decimal("2.0"), place="区图书馆",
                                   organizer=agency.organization, sign_in_token="s" * 43, created_by=agency,
                                   created_at=clock.now())


IMPORTS = [  # (persona, path): every import that takes a file, besides the registry's (below)
    ("university_user", "/api/v1/operations/offers/import"),
    ("office_admin", "/api/v1/services/trainings/{training}/attendees/import"),
    ("office_admin", "/api/v1/supervision/ledger"),
    ("office_admin", "/supervision/ledger/"),
]


@pytest.mark.parametrize(("name", "data", "message"), [("wide.xlsx", TOO_WIDE, "超过 200 列的上限"),
                                                        ("long.csv", TOO_LONG, "超过 32767 个字符的上限")])
@pytest.mark.parametrize(("persona", "path"), IMPORTS, ids=[i[1] for i in IMPORTS])
def test_every_import_refuses_a_file_beyond_the_limits_with_the_reason(client_for, training, persona, path, name, data,
                                                                     message):
    response = client_for(persona).post(path.format(training=training.pk), {"file": SimpleUploadedFile(name, data)})
    text = response.content.decode()
    assert message in (json.dumps(response.json(), ensure_ascii=False) if path.startswith("/api/") else text), text[:500]
    assert response.status_code in (200, 422)
    assert not training.attendances.exists()


def test_a_registry_import_beyond_the_limits_fails_with_the_reason_and_stores_nothing(client_for):
    office = client_for("office_admin")
    response = office.post("/registries/", {"kind": "patents", "file": SimpleUploadedFile("p.xlsx", TOO_WIDE)})
    batch = ImportBatch.objects.get(filename="p.xlsx")
    assert batch.state == "failed" and Patent.objects.count() == 0
    assert "超过 200 列的上限" in office.get(response["Location"]).content.decode()
