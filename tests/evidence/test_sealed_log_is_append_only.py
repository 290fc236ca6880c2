"""The evidence log is append-only at the database, from any client: a sealed registration (leaf, index, digests,
…) cannot be changed or deleted with raw SQL or through the models, a pending one only gets sealed, a published
checkpoint never changes; so nobody can make the log stop sealing for everyone. Flushing the whole database
(demo reset, tests) still works and leaves the guards in place. Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client

from ipcity.audit.models import AuditEntry
from ipcity.evidence.ledger import forget_tree, sequence_pending
from ipcity.evidence.models import LogCheckpoint, Registration, SealedError
from tests.conftest import make_people

WORK = {"title": "南开老城厢手绘地图", "work_type": "美术", "author": "张三", "completed_on": "2026-10-01"}


def _register(client, content: bytes, wait=True):
    response = client.post(f"/api/v1/evidence/registrations/file?wait={'true' if wait else 'false'}", {
        "kind": "copyright_work", "metadata": json.dumps(WORK, ensure_ascii=False),
        "file": SimpleUploadedFile("map.pdf", content)})
    assert response.status_code == 201, response.content
    return Registration.objects.get(pk=response.json()["id"])


def _refused(sql: str, params=()):
    with pytest.raises(DatabaseError, match="sealed|append-only|immutable"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def sealed(client_for):
    owner = client_for("enterprise_user")
    item = _register(owner, b"map v1")
    assert item.index == 0
    return owner, item


@pytest.mark.parametrize(("column", "value"), [
    ("leaf", b"ipcity-evidence/v1\nkind copyright_work\n"), ("sha256", "0" * 64), ("sm3", "0" * 64),
    ('"index"', 7), ("checkpoint_id", None), ("sequenced_at", None), ("metadata", '{"title": "别人的作品"}'),
    ("organization_id", None), ("submitter_salt", b"x" * 16), ("salted", True), ("title", "改过的名称"),
])
def test_raw_sql_cannot_change_any_column_of_a_sealed_registration(sealed, column, value, people):
    _, item = sealed
    if column == "organization_id":
        value = people["university_user"].organization_id
    _refused(f"UPDATE evidence_registration SET {column} = %s WHERE id = %s", [value, item.pk])
    again = Registration.objects.get(pk=item.pk)
    assert bytes(again.leaf) == bytes(item.leaf) and again.index == 0 and again.sha256 == item.sha256
    assert again.organization_id == item.organization_id and again.title == item.title


def test_raw_sql_cannot_delete_a_sealed_or_a_pending_registration(sealed):
    owner, item = sealed
    pending = _register(owner, b"not yet sealed", wait=False)
    _refused("DELETE FROM evidence_registration WHERE id = %s", [item.pk])
    _refused("DELETE FROM evidence_registration WHERE id = %s", [pending.pk])
    _refused("DELETE FROM evidence_registration")
    assert Registration.objects.count() == 2


def test_a_pending_registration_can_only_be_sealed_and_a_tampered_leaf_never_stops_the_log(sealed):
    owner, _ = sealed
    pending = _register(owner, b"map v2", wait=False)
    _refused("UPDATE evidence_registration SET leaf = %s WHERE id = %s", [b"forged leaf", pending.pk])
    _refused("UPDATE evidence_registration SET sha256 = %s WHERE id = %s", ["1" * 64, pending.pk])
    _refused('UPDATE evidence_registration SET "index" = 5 WHERE id = %s', [pending.pk])  # not a full seal
    forget_tree()  # another app server, rebuilding the trees from the database
    checkpoint = sequence_pending()
    assert checkpoint is not None and checkpoint.size == 2
    assert Registration.objects.get(pk=pending.pk).index == 1
    later = _register(owner, b"map v3")
    assert later.index == 2 and later.checkpoint.size == 3


def test_raw_sql_cannot_change_or_delete_a_published_checkpoint(sealed):
    _, item = sealed
    _refused("UPDATE evidence_logcheckpoint SET root_sha256 = %s WHERE id = %s", ["0" * 64, item.checkpoint_id])
    _refused("UPDATE evidence_logcheckpoint SET note = 'x'")
    _refused("DELETE FROM evidence_logcheckpoint")
    assert LogCheckpoint.objects.get(pk=item.checkpoint_id).root_sha256 == item.checkpoint.root_sha256


def test_the_models_refuse_to_change_or_delete_sealed_evidence(sealed):
    _, item = sealed
    item.leaf = b"forged"
    with pytest.raises(SealedError):
        item.save()
    with pytest.raises(SealedError):
        item.delete()
    with pytest.raises(SealedError):
        Registration.objects.filter(pk=item.pk).update(title="改过的名称")
    with pytest.raises(SealedError):
        Registration.objects.all().delete()
    checkpoint = item.checkpoint
    checkpoint.root_sha256 = "0" * 64
    with pytest.raises(SealedError):
        checkpoint.save()
    with pytest.raises(SealedError):
        checkpoint.delete()
    with pytest.raises(SealedError):
        LogCheckpoint.objects.update(note="x")
    assert bytes(Registration.objects.get(pk=item.pk).leaf) != b"forged"


@pytest.mark.django_db(transaction=True)
def test_flushing_the_database_still_works_and_the_guards_survive_it(client_for):
    _register(client_for("enterprise_user"), b"before the flush")
    assert AuditEntry.objects.exists()
    call_command("flush", interactive=False, verbosity=0)  # what ipcity demo --reset and the test teardown do
    assert not Registration.objects.exists() and not AuditEntry.objects.exists()
    assert not LogCheckpoint.objects.exists()
    forget_tree()
    owner = Client()
    owner.force_login(make_people()["enterprise_user"])
    assert _register(owner, b"after the flush").index == 0
    _refused("DELETE FROM evidence_registration")
    _refused("DELETE FROM audit_auditentry")
    _refused("UPDATE evidence_registration SET leaf = %s", [b"forged"])
