"""The platform itself as a named actor: reminders, the task worker, the evidence sequencer and the command line
write their audit rows as this account, never as nobody. It cannot sign in (inactive, no usable password), belongs
to no organization and so holds no permission; it is made the first time it is needed."""

from django.db import IntegrityError, transaction

from ipcity.accounts.models import User

SYSTEM_USERNAME = "system"
SYSTEM_NAME = "系统"


def system_actor() -> User:
    user = User.objects.filter(username=SYSTEM_USERNAME).first()
    if user is not None:
        return user
    try:
        with transaction.atomic():
            user = User(username=SYSTEM_USERNAME, full_name=SYSTEM_NAME, is_active=False, role="")
            user.set_unusable_password()
            user.save()
            return user
    except IntegrityError:  # made at the same moment by another process
        return User.objects.get(username=SYSTEM_USERNAME)


def is_system(user) -> bool:
    return user is not None and getattr(user, "username", None) == SYSTEM_USERNAME and not user.is_active
