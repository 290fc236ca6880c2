"""Permission checks: every view, API endpoint and service asks here and nowhere else."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from ipcity.accounts.roles import ROLE_PERMISSIONS


def permissions_of(user) -> frozenset[str]:
    if user is None or not user.is_authenticated or not user.is_active or user.organization_id is None:
        return frozenset()
    return ROLE_PERMISSIONS.get(user.role, frozenset())


def has_perm(user, perm: str) -> bool:
    return perm in permissions_of(user)


def require_perm(user, perm: str) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied(f"缺少权限：{perm}")


def users_with_perm(perm: str, *, organization=None):
    """The active users who hold `perm` (in `organization` if given): the one answer to "who can act as …" (the
    mediators of a body, the enforcement officers of a unit), so no caller filters on roles itself."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if perm in perms]
    users = get_user_model().objects.filter(role__in=roles, is_active=True, organization__isnull=False)
    return users if organization is None else users.filter(organization=organization)
