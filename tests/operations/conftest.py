import pytest
from django.test import Client

from ipcity.accounts.models import Organization
from ipcity.accounts.services import user_create
from tests.conftest import PASSWORD


@pytest.fixture
def member_client(people):
    """A signed-in client for one more person, in an organization named here (a second enterprise or agency)."""
    def make(username: str, org_name: str, org_type: str, role: str) -> Client:
        org, _ = Organization.objects.get_or_create(name=org_name, defaults={"org_type": org_type})
        user = user_create(actor=None, username=username, password=PASSWORD, organization=org, role=role)
        client = Client()
        client.force_login(user)
        return client
    return make
