"""Permissions are decided in one place (accounts/): everywhere else asks has_perm, require_perm or users_with_perm,
so a role's powers change in accounts/roles.py and nowhere else."""

import ast
import re
from pathlib import Path

from tests.helpers import json_text

SOURCE = Path(__file__).resolve().parents[1] / "src" / "ipcity"
QUERIES = {"filter", "exclude", "get"}


def _role_checks(tree: ast.AST):
    """Line numbers where code compares something's `.role` or filters a query by role."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(isinstance(part, ast.Attribute) and part.attr == "role"
                                                 for part in (node.left, *node.comparators)):
            yield node.lineno
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in QUERIES and any(
                k.arg and (k.arg == "role" or k.arg.startswith("role__") or "__role" in k.arg) for k in node.keywords):
            yield node.lineno


def test_no_code_outside_accounts_decides_by_a_users_role():
    found = [f"{path.relative_to(SOURCE)}:{line}" for path in sorted(SOURCE.rglob("*.py"))
             if "accounts" not in path.relative_to(SOURCE).parts
             for line in _role_checks(ast.parse(path.read_text(encoding="utf-8")))]
    assert found == [], "a role compared outside accounts/ (ask has_perm or users_with_perm): " + ", ".join(found)


def test_the_role_check_sees_a_comparison_and_a_query_by_role():
    sample = "if user.role == 'x': pass\nUser.objects.filter(role__in=['x'])\nuser.role_label\nf(role='x')\n"
    assert list(_role_checks(ast.parse(sample))) == [1, 2]


def test_every_permission_has_a_chinese_name():
    from ipcity.accounts.roles import PERM_LABELS, Perm

    declared = {value for name, value in vars(Perm).items() if name.isupper()}
    assert set(PERM_LABELS) == declared
    assert [label for label in PERM_LABELS.values() if re.search(r"[A-Za-z_]", label)] == []


def test_a_refusal_names_the_missing_permission_in_chinese_not_its_code(client_for):
    page = client_for("enterprise_user").get("/audit/")
    api = client_for("enterprise_user").get("/api/v1/audit")
    assert page.status_code == 403 and "缺少权限：审计日志查询" in page.content.decode()
    assert api.status_code == 403 and "缺少权限：审计日志查询" in json_text(api)
    assert "audit:read" not in page.content.decode() + json_text(api)
