"""Demo accounts: synthetic people who sign in with one published password."""

import functools

from django.conf import settings
from django.contrib.auth.hashers import make_password

from ipcity.accounts.models import Organization, User
from ipcity.accounts.services import user_create

DEMO_PASSWORD = "Nankai@2024"


@functools.cache
def _demo_password_hash(default_hasher: str) -> str:
    """Made by the default hasher, which keys the cache (settings may change it, as tests do)."""
    return make_password(DEMO_PASSWORD)


def demo_account(*, username: str, organization: Organization, role: str, full_name: str = "", phone: str = "",
                 id_number: str = "") -> User:
    """A synthetic account with the demo password. All of them share one hash of it (made once per hasher): an Argon2
    hash for each of the demo's hundred accounts was a tenth of building the demo, and one salt for a password printed
    in the README hides nothing that separate salts would."""
    return user_create(actor=None, username=username, password=DEMO_PASSWORD,
                       password_hash=_demo_password_hash(settings.PASSWORD_HASHERS[0]), organization=organization,
                       role=role, full_name=full_name, phone=phone, id_number=id_number, is_synthetic=True)
