"""The platform's own jobs act as a named system account: every audit row names who acted, and that account can
neither sign in nor be claimed by a person."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import permissions_of
from ipcity.accounts.services import user_create
from ipcity.accounts.system import system_actor
from ipcity.audit.models import AuditEntry
from ipcity.audit.services import audit_record
from tests.conftest import PASSWORD


def test_an_audit_row_without_an_actor_is_refused(db):
    with pytest.raises(ValueError):
        audit_record(actor=None, action="test.nobody")
    assert not AuditEntry.objects.exists()


def test_the_system_account_is_one_named_account_that_cannot_sign_in_or_act_for_a_person(db):
    org = Organization.objects.create(name="某企业", org_type="enterprise")
    with pytest.raises(ValidationError) as refused:  # reserved before the platform first needs it
        user_create(actor=None, username="system", password=PASSWORD, organization=org, role="enterprise_user")
    assert "已被使用" in str(refused.value)
    system = system_actor()
    assert system_actor().pk == system.pk and system.display_name == "系统"
    assert not system.is_active and not system.has_usable_password() and permissions_of(system) == frozenset()
    assert Client().post("/login/", {"username": "system", "password": ""}).status_code != 302


def test_a_failed_sign_in_with_an_unknown_name_is_recorded_as_the_system(db):
    Client().post("/login/", {"username": "nobody", "password": "whatever"})
    assert AuditEntry.objects.get(action="auth.login_failed_unknown_user").actor_name == "system"
