"""Permission checks: every view, API endpoint and service asks here and nowhere else."""

from collections.abc import Callable, Sequence

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from ipcity.accounts.roles import PERM_LABELS, ROLE_PERMISSIONS


def permissions_of(user) -> frozenset[str]:
    if user is None or not user.is_authenticated or not user.is_active or user.organization_id is None:
        return frozenset()
    return ROLE_PERMISSIONS.get(user.role, frozenset())


def has_perm(user, perm: str) -> bool:
    return perm in permissions_of(user)


def missing(perm: str) -> str:
    """The refusal a person reads for a permission they lack, in Chinese: 缺少权限：审计日志查询."""
    return f"缺少权限：{PERM_LABELS.get(perm, '相应权限')}"


def require_perm(user, perm: str) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied(missing(perm))


def users_with_perm(perm: str, *, organization=None):
    """The active users who hold `perm` (in `organization` if given): the one answer to "who can act as …" (the
    mediators of a body, the enforcement officers of a unit), so no caller filters on roles itself."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if perm in perms]
    users = get_user_model().objects.filter(role__in=roles, is_active=True, organization__isnull=False)
    return users if organization is None else users.filter(organization=organization)


def scoped(user, records: QuerySet, rules: Sequence[tuple[str, str | Callable | None]], *, what: str) -> QuerySet:
    """The records the user may see, by the first rule whose permission the user holds: `(perm, None)` all of them,
    `(perm, "bank")` those whose `bank` is the user's organization, `(perm, lambda user: Q(...))` those matching.
    A user holding none of the permissions is refused, naming `what` ("融资申请")."""
    for perm, scope in rules:
        if not has_perm(user, perm):
            continue
        if scope is None:
            return records
        if callable(scope):
            return records.filter(scope(user))
        return records.filter(**{f"{scope}_id": user.organization_id})
    raise PermissionDenied(f"无权查看{what}")
