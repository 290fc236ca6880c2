"""The audit trail: every write leaves a row, the office searches and exports it, nobody edits or deletes it."""

import datetime as dt
import io
import json

import pytest
from django.db import DatabaseError, connection, transaction
from openpyxl import load_workbook

from ipcity.audit.models import AuditEntry, AuditImmutableError


def _some_writes(client_for):
    office = client_for("office_admin")
    office.patch("/api/v1/plan/indicators/valid_patents", json.dumps({"target": 26100}), content_type="application/json")
    office.patch("/api/v1/plan/indicators/trainings", json.dumps({"target": 12}), content_type="application/json")
    client_for("unit_staff").post("/api/v1/plan/indicators/trainings/values",
                                  json.dumps({"as_of": "2026-06-30", "value": 6, "source": "培训签到表"}),
                                  content_type="application/json")


def test_an_audit_row_cannot_be_changed_or_deleted_through_the_app(client_for):
    _some_writes(client_for)
    entry = AuditEntry.objects.first()
    entry.action = "tampered"
    with pytest.raises(AuditImmutableError):
        entry.save()
    with pytest.raises(AuditImmutableError):
        entry.delete()
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.all().delete()


def test_the_database_itself_refuses_to_update_an_audit_row(client_for):
    _some_writes(client_for)
    pk = AuditEntry.objects.first().pk
    with pytest.raises(Exception, match="immutable"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'tampered' WHERE id = %s", [pk])
    assert AuditEntry.objects.get(pk=pk).action != "tampered"


def test_the_database_itself_refuses_to_delete_an_audit_row_or_the_whole_trail(client_for):
    _some_writes(client_for)
    pk, count = AuditEntry.objects.first().pk, AuditEntry.objects.count()
    for sql, params in (("DELETE FROM audit_auditentry WHERE id = %s", [pk]), ("DELETE FROM audit_auditentry", [])):
        with pytest.raises(DatabaseError, match="immutable"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    assert AuditEntry.objects.filter(pk=pk).exists() and AuditEntry.objects.count() == count


def test_the_office_searches_by_action_actor_and_date(client_for, people):
    _some_writes(client_for)
    office = client_for("office_admin")
    rows = office.get("/api/v1/audit", {"action": "plan.indicator.update"}).json()
    assert rows["count"] == 2 and {r["actor_name"] for r in rows["results"]} == {"office_admin"}
    rows = office.get("/api/v1/audit", {"actor": "unit_staff"}).json()
    assert [r["action"] for r in rows["results"]] == ["plan.indicator_value.report"]
    assert rows["results"][0]["organization"] == "区科技局"
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert office.get("/api/v1/audit", {"date_from": tomorrow}).json()["count"] == 0
    page = office.get("/audit/", {"q": "培训"}).content.decode()
    assert page.count('data-action="') >= 2


def test_the_office_exports_the_filtered_trail_as_xlsx(client_for):
    _some_writes(client_for)
    response = client_for("office_admin").get("/audit/export.xlsx", {"action": "plan.indicator.update"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("时间", "操作人", "所属机构", "操作")
    assert len(rows) == 3
    assert {r[3] for r in rows[1:]} == {"修改指标"}  # the action's label; the code stays in the API
    assert any("目标值：26100" in (r[7] or "") for r in rows[1:])
