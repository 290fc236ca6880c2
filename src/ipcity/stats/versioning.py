"""The registry version: what every cached indicator value is keyed by.

Every statement that writes to a table the indicator engine reads (the registries, the engine's settings and
coverage, the activity sources' tables, the organizations the breakdowns group by) changes the token of the one
RegistryVersion row, on the same connection and so in the same transaction. The watch sits under the ORM, on the
database connection, so bulk_create, QuerySet.update and delete, and raw SQL move the version as surely as save():
no write path can leave a cached value standing over records it no longer matches. Reading the version is one
query."""

import re
import secrets

from django.apps import apps
from django.db import connections
from django.db.backends.signals import connection_created
from django.utils import timezone

# The registries and what else the engine reads; activity sources add their own models (stats.activities).
ENGINE_MODELS = ("stats.Patent", "stats.LegalEvent", "stats.Trademark", "stats.Pledge",
                 "stats.InsurancePolicy", "stats.SecuritizationProduct", "stats.PopulationFigure", "stats.SeiIpcEntry",
                 "stats.EngineSetting", "stats.RegistryCoverage", "accounts.Organization")
_WRITE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
_tables: frozenset[str] | None = None


def watched_models() -> list[type]:
    from ipcity.stats import activities

    labels = list(ENGINE_MODELS) + [label for source in activities.SOURCES for label in source.models]
    return [apps.get_model(label) for label in dict.fromkeys(labels)]


def watched_tables() -> frozenset[str]:
    global _tables
    if _tables is None:
        _tables = frozenset(model._meta.db_table for model in watched_models())
    return _tables


def _version_table() -> str:
    return apps.get_model("stats.RegistryVersion")._meta.db_table


def written_table(sql: str) -> str | None:
    """The table an INSERT, UPDATE or DELETE statement writes to; None for anything else."""
    if sql[:1] not in "IUDiud \n":
        return None
    match = _WRITE.match(sql)
    return match.group(1) if match else None


def bump(connection) -> str:
    """A new token for the registry version, written through `connection` (inside its transaction, if any)."""
    token, now = secrets.token_hex(16), timezone.now()
    table = connection.ops.quote_name(_version_table())
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET token = %s, changed_at = %s WHERE id = 1", [token, now])
        if cursor.rowcount == 0:  # a flushed database: the row comes back with the first write
            cursor.execute(f"INSERT INTO {table} (id, token, changed_at) VALUES (1, %s, %s)", [token, now])
    return token


def current(using: str = "default") -> str:
    """The registry version now (one query; a database without the row gets one)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {connection.ops.quote_name(_version_table())} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else bump(connection)


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    table = written_table(sql)
    if table is not None and table in watched_tables() and not _changed_nothing(sql, context["cursor"]):
        bump(context["connection"])
    return result


def _changed_nothing(sql: str, cursor) -> bool:
    """An UPDATE or DELETE that matched no row. (An INSERT … RETURNING reports its rows only once they are read.)"""
    return cursor.rowcount == 0 and not sql.lstrip()[:6].upper() == "INSERT"


def _install(connection, **_) -> None:
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def install() -> None:
    """Watch every connection, those already open and those opened later (called once, from StatsConfig.ready)."""
    connection_created.connect(_install, dispatch_uid="ipcity.stats.versioning")
    for connection in connections.all(initialized_only=True):
        _install(connection)
