"""Data versions: what the platform's cached computations are keyed by.

A scope names the models a computation reads: "registry" is what the indicator engine reads (the registries, its
settings and coverage, the activity sources' tables, the organizations its breakdowns group by); "supervision" is
what the supervision dashboard reads. Every statement that writes to a table of a scope gives that scope's row of
web.DataVersion a new random token, on the same connection and so in the same transaction. The watch sits under the
ORM, on the database connection, so bulk_create, QuerySet.update and delete, and raw SQL move a version as surely
as save(): no write path can leave a cached value standing over records it no longer matches. A token rather than a
counter, so a rolled-back write or a restored database can never meet a value computed from other records. Reading
a version is one query. Within one transaction a scope's token moves once, at the first write: later writes of the
same transaction leave it alone unless someone read the token since (or a savepoint holding the move was rolled
back), so no token ever names two states of the records, and a long write (an import, the demo) pays one UPDATE per
scope rather than one per statement. The price: transactions writing to one scope's tables wait for each other's
commit on its row (PostgreSQL; SQLite has one writer anyway), which an office's write rates never notice.

An app declares a scope in its AppConfig.ready() (`declare`), with a function naming the models, called once the
apps are loaded (so a scope can take in models other apps register later, like the activity sources)."""

import hashlib
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable

from django.apps import apps
from django.core.cache import cache
from django.db import connections
from django.db.backends.signals import connection_created
from django.utils import timezone

_declared: dict[str, Callable[[], list[str]]] = {}  # scope -> the "app_label.Model" labels it watches
_scopes_of_table: dict[str, tuple[str, ...]] | None = None
_WRITE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def declare(scope: str, models: Callable[[], list[str]]) -> None:
    global _scopes_of_table
    _declared[scope] = models
    _scopes_of_table = None


def tables(scope: str) -> frozenset[str]:
    return frozenset(apps.get_model(label)._meta.db_table for label in _declared[scope]())


def _scopes_by_table() -> dict[str, tuple[str, ...]]:
    global _scopes_of_table
    if _scopes_of_table is None:
        found: dict[str, list[str]] = {}
        for scope in _declared:
            for table in tables(scope):
                found.setdefault(table, []).append(scope)
        # sorted: a statement touching two scopes takes their rows in one fixed order, never the reverse
        _scopes_of_table = {table: tuple(sorted(scopes)) for table, scopes in found.items()}
    return _scopes_of_table


def _version_table(connection) -> str:
    return connection.ops.quote_name(apps.get_model("web.DataVersion")._meta.db_table)


def written_table(sql: str) -> str | None:
    """The table an INSERT, UPDATE or DELETE statement writes to; None for anything else."""
    if sql[:1] not in "IUDiud \n":
        return None
    match = _WRITE.match(sql)
    return match.group(1) if match else None


def bump(connection, scope: str) -> str:
    """A new token for a scope, written through `connection` (inside its transaction, if any)."""
    token, now, table = secrets.token_hex(16), timezone.now(), _version_table(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET token = %s, changed_at = %s WHERE scope = %s", [token, now, scope])
        if cursor.rowcount == 0:  # the scope's first write (or a flushed database)
            cursor.execute(f"INSERT INTO {table} (scope, token, changed_at) VALUES (%s, %s, %s) "
                           "ON CONFLICT (scope) DO UPDATE SET token = excluded.token, changed_at = excluded.changed_at",
                           [scope, token, now])
    return token


def _in_atomic_transaction(connection) -> bool:
    """Inside an atomic block that commits when it ends (Django's usual way). Not under manual transactions
    (autocommit turned off by hand): there `commit()` keeps the commit hooks, so a remembered move would outlive its
    transaction. Not after SQLite ended the transaction by itself (a statement's ON CONFLICT ROLLBACK, an I/O error)
    while Django still thinks the block open: the move went with it."""
    return (connection.in_atomic_block and connection.commit_on_exit
            and getattr(connection.connection, "in_transaction", True))  # sqlite3 says; psycopg refuses all instead


def _moved_in_this_transaction(connection, scope: str) -> bool:
    """Whether this transaction already gave `scope` a token no one has read since. The move is remembered as a
    no-op commit hook: Django drops a transaction's hooks on rollback, and a savepoint's on its rollback (building a
    new list either way, as committing does), so a remembered move whose list and place still hold it is one the
    transaction still carries."""
    held = getattr(connection, "_ipcity_moved", {}).get(scope)
    if held is None or not _in_atomic_transaction(connection):
        return False
    hooks, place, hook = held
    return connection.run_on_commit is hooks and len(hooks) > place and hooks[place][1] is hook


def _remember_move(connection, scope: str) -> None:
    if not _in_atomic_transaction(connection):
        return  # each statement (autocommit) or each commit (manual transactions) moves the version anew

    def move_held() -> None:  # a new function each time: its identity is what is looked for
        pass

    connection.on_commit(move_held)
    connection.__dict__.setdefault("_ipcity_moved", {})[scope] = (connection.run_on_commit,
                                                                 len(connection.run_on_commit) - 1, move_held)


def current(scope: str, using: str = "default") -> str:
    """The scope's version now (one query; a scope never written yet gets its first token)."""
    connection = connections[using]
    getattr(connection, "_ipcity_moved", {}).pop(scope, None)  # a token read is never reused for other records
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {_version_table(connection)} WHERE scope = %s", [scope])
        row = cursor.fetchone()
    return row[0] if row else bump(connection, scope)


def _changed_nothing(sql: str, cursor) -> bool:
    """An UPDATE or DELETE that matched no row. (An INSERT … RETURNING reports its rows only once they are read.)"""
    return cursor.rowcount == 0 and sql.lstrip()[:6].upper() != "INSERT"


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    table = written_table(sql)
    if table is not None and (scopes := _scopes_by_table().get(table)) and not _changed_nothing(sql, context["cursor"]):
        connection = context["connection"]
        for scope in scopes:
            if not _moved_in_this_transaction(connection, scope):
                bump(connection, scope)
                _remember_move(connection, scope)
    return result


def _install(connection, **_) -> None:
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def install() -> None:
    """Watch every connection, those already open and those opened later (once, from WebConfig.ready)."""
    connection_created.connect(_install, dispatch_uid="ipcity.versions")
    for connection in connections.all(initialized_only=True):
        _install(connection)


# ---- values computed once and shared by every worker ----
SHARED_TIMEOUT = 30 * 24 * 3600  # a value is keyed by its data's version, so age never makes it wrong
_RECENT_SIZE = 64
_recent: OrderedDict = OrderedDict()  # this process's copy of the shared values it read last
_recent_lock = threading.Lock()
_MISSING = object()


def forget_recent() -> None:
    with _recent_lock:
        _recent.clear()


def cached(name: str, key, build):
    """A computed value every worker shares: from this process's recent values, else from the shared cache (Django's
    cache framework: a file cache by default, Redis when configured), else computed once and stored in both. `key`
    must carry the version of every scope the value reads, so a stored value is never stale; `build` must return
    something that pickles."""
    shared_key = f"ipcity:{name}:{hashlib.sha256(repr(key).encode()).hexdigest()}"
    with _recent_lock:
        if shared_key in _recent:
            _recent.move_to_end(shared_key)
            return _recent[shared_key]
    value = cache.get(shared_key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(shared_key, value, SHARED_TIMEOUT)
    with _recent_lock:
        _recent[shared_key] = value
        while len(_recent) > _RECENT_SIZE:
            _recent.popitem(last=False)
    return value
