"""Permission checks: every view, API endpoint and service asks here and nowhere else."""

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
