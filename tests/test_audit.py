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


def _organizations_made_by(office, names):
    from ipcity.accounts.services import organization_create

    for name in names:
        organization_create(actor=office, name=name, org_type="enterprise")


@pytest.mark.django_db(transaction=True)
def test_audit_rows_held_for_one_long_write_are_written_in_order_when_it_ends(people):
    from ipcity.audit.services import audit_rows_written_together

    office = people["office_admin"]
    before = AuditEntry.objects.count()
    with transaction.atomic(), audit_rows_written_together():
        _organizations_made_by(office, ["甲企业", "乙企业", "丙企业"])
        assert AuditEntry.objects.count() == before  # held, not yet written
    rows = AuditEntry.objects.filter(action="accounts.organization.create").order_by("id")
    assert [r.object_repr for r in rows][-3:] == ["甲企业", "乙企业", "丙企业"]
    assert all(r.actor_id == office.pk and r.organization_id == office.organization_id for r in rows)


@pytest.mark.django_db(transaction=True)
def test_a_long_write_that_fails_leaves_neither_its_records_nor_their_audit_rows(people):
    from ipcity.accounts.models import Organization
    from ipcity.audit.services import audit_rows_written_together

    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic(), audit_rows_written_together():
        _organizations_made_by(people["office_admin"], ["丁企业"])
        raise RuntimeError("the long write fails half-way")
    assert AuditEntry.objects.count() == before and not Organization.objects.filter(name="丁企业").exists()


@pytest.mark.django_db(transaction=True)
def test_audit_rows_are_never_held_outside_a_transaction_that_would_write_them(people):
    from ipcity.audit.services import audit_rows_written_together

    with pytest.raises(RuntimeError, match="open one first"), audit_rows_written_together():
        pass
    _organizations_made_by(people["office_admin"], ["戊企业"])
    assert AuditEntry.objects.filter(action="accounts.organization.create", object_repr="戊企业").exists()
