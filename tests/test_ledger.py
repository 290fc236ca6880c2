"""The task ledger round-trips through Excel: export, edit a cell, import; a bad ledger changes nothing."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ipcity.accounts.models import Organization
from ipcity.plan.models import KeyTask, WorkItem
from ipcity.plan.supervision import work_item_create


def _items(people):
    task = KeyTask.objects.get(number=2)
    tech = Organization.objects.get(code="science_technology")
    return [work_item_create(actor=people["office_admin"], task=task, unit=tech, year=2026, title=f"事项{i}",
                             deadline=dt.date(2026, 12, 1 + i)) for i in range(2)]


def _edited(office, edit) -> bytes:
    book = load_workbook(io.BytesIO(office.get("/supervision/ledger.xlsx").content))
    edit(book["任务台账"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(office, data):
    return office.post("/supervision/ledger/", {"file": SimpleUploadedFile("台账.xlsx", data)})


def test_the_ledger_round_trips_an_edited_cell_and_a_new_row(client_for, people):
    first, _ = _items(people)
    office = client_for("office_admin")

    def edit(sheet):
        assert [c.value for c in sheet[1]][:7] == ["编号", "重点任务编号", "重点任务", "牵头单位", "承办单位", "年度", "工作事项"]
        sheet.cell(row=2, column=7, value="事项0（已细化）")
        sheet.append([None, 2, None, None, "区科技局", 2026, "新增事项", "导航报告", dt.datetime(2026, 12, 20), None])

    response = _upload(office, _edited(office, edit))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.title == "事项0（已细化）"
    assert WorkItem.objects.filter(title="新增事项", deliverable="导航报告").exists()
    page = office.get("/supervision/").content.decode()
    assert "新立项 1 项，修改 1 项，未变 1 项" in page


def test_a_malformed_ledger_reports_rows_and_columns_and_changes_nothing(client_for, people):
    _items(people)
    office = client_for("office_admin")

    def edit(sheet):
        sheet.cell(row=2, column=9, value="2027-13-01")  # 完成时限
        sheet.cell(row=3, column=10, value="已办结")  # 状态
        sheet.append([999, 2, None, None, "区科技局", 2026, "x", None, "2026-12-01"])
        sheet.append([None, 16, None, None, "区科技局", 2026, "y", None, "2026-12-01"])

    page = _upload(office, _edited(office, edit)).content.decode()
    assert "第2行“完成时限”列（值：2027-13-01）：不是有效日期" in page
    assert "第3行“状态”列（值：已办结）：状态不能在台账中修改（当前为“立项”）" in page
    assert "第4行“编号”列（值：999）：没有这个工作事项" in page
    assert "第5行“承办单位”列（值：区科技局）：不是重点任务16的责任单位" in page
    assert sorted(WorkItem.objects.values_list("title", flat=True)) == ["事项0", "事项1"]


def test_a_unit_exports_only_its_own_items_and_cannot_import(client_for, people):
    items = _items(people)
    from ipcity.plan.supervision import work_item_transition

    work_item_transition(actor=people["office_admin"], item=items[0], action="assign")
    unit = client_for("unit_staff")
    rows = list(load_workbook(io.BytesIO(unit.get("/supervision/ledger.xlsx").content))["任务台账"].iter_rows(values_only=True))
    assert [r[6] for r in rows[1:]] == ["事项0"]  # the unassigned draft is the office's business
    assert _upload(unit, b"PK").status_code == 403
