"""The server threads keep their PostgreSQL connections between requests. When the database server restarts or ends
them, or its host vanishes, the next request of each thread must get a new connection, not an error page; and a busy
thread's connection must not cost a question to the database before each request."""

import concurrent.futures
import contextlib
import os
import resource
import socket
import struct
import threading
import time
import urllib.request

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql.base import DatabaseWrapper as DjangoPostgreSQL

from ipcity.postgresql.base import RECENTLY_USED_SECONDS, DatabaseWrapper, _has_something_to_read
from tests.serving import bare_environment, database_url_of_the_test_database, fetch, served


def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("a database server ending a kept connection is PostgreSQL's case: SQLite is a file in the process")


def _end_other_connections() -> int:
    """What a restart of the database server does to every connection but this test's own; how many there were."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        ended = cursor.fetchone()[0]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND pid <> pg_backend_pid()")
            if cursor.fetchone()[0] == 0:
                break
            time.sleep(0.05)
    return ended


@pytest.mark.django_db(transaction=True)  # the server's processes use the test database on their own connections
def test_every_page_still_answers_after_the_database_server_ends_the_servers_connections(tmp_path):
    _postgresql_only()
    env = bare_environment(tmp_path, IPCITY_ENV="test", IPCITY_EVIDENCE_BACKGROUND_SEQUENCER="0",
                           DATABASE_URL=database_url_of_the_test_database())
    opener = urllib.request.build_opener()
    with served(env, tmp_path / "server.log", workers=2, threads=4) as server:
        def statuses() -> list[int]:
            with concurrent.futures.ThreadPoolExecutor(16) as pool:
                return list(pool.map(lambda _: fetch(opener, server.url + "/evidence/")[0], range(64)))

        assert set(statuses()) == {200}
        assert _end_other_connections() >= 2, "the server's threads should have kept connections open"
        after = statuses()
        assert after.count(200) == len(after), f"error pages after the restart: {after}\n{server.output()[-3000:]}"


class _CountedQuestions:
    """Django's own check (SELECT 1), counted each time it is asked."""

    def __init__(self, monkeypatch):
        self.asked = 0
        ask = DjangoPostgreSQL.is_usable

        def counted(wrapper):
            self.asked += 1
            return ask(wrapper)

        monkeypatch.setattr(DjangoPostgreSQL, "is_usable", counted)


def _kept_connection(**settings) -> DatabaseWrapper:
    """A server thread's connection to the test database, of its own (ending it leaves the test's transaction be)."""
    kept = DatabaseWrapper({**connection.settings_dict, **settings}, alias="kept")
    kept.ensure_connection()
    with kept.cursor() as cursor:
        cursor.execute("SELECT 1")
    return kept


@pytest.fixture
def kept():
    _postgresql_only()
    kept = _kept_connection()
    yield kept
    kept.close()


def _until_something_to_read(kept: DatabaseWrapper) -> None:
    deadline = time.monotonic() + 10
    while not _has_something_to_read(kept.connection.fileno()) and time.monotonic() < deadline:
        time.sleep(0.02)


def _end(kept: DatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [kept.connection.info.backend_pid])
    _until_something_to_read(kept)


def _request_on(kept: DatabaseWrapper) -> tuple:
    """What a request does with a kept connection: Django checks it once a cursor is asked for, then queries."""
    kept.close_if_unusable_or_obsolete()
    with kept.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()


@pytest.mark.django_db
def test_a_connection_used_a_moment_ago_with_nothing_to_read_is_not_asked_again(kept, monkeypatch):
    questions = _CountedQuestions(monkeypatch)
    assert kept.is_usable()
    assert questions.asked == 0


@pytest.mark.django_db
def test_a_connection_unused_for_more_than_a_second_is_asked_before_use(kept, monkeypatch):
    questions = _CountedQuestions(monkeypatch)
    later = time.monotonic() + RECENTLY_USED_SECONDS + 0.5
    monkeypatch.setattr("ipcity.postgresql.base.monotonic", lambda: later)
    assert kept.is_usable()
    assert questions.asked == 1


@pytest.mark.django_db
def test_a_connection_the_database_server_ended_is_replaced_before_a_request_uses_it(kept):
    ended = kept.connection.info.backend_pid
    _end(kept)
    assert not kept.is_usable()
    assert _request_on(kept) == (1,)
    assert kept.connection.info.backend_pid != ended


@pytest.mark.django_db
def test_a_connection_whose_database_host_vanished_without_a_word_is_replaced_once_it_has_been_quiet():
    """A host that loses power, or a virtual address moved to a standby: the old connection has nothing to read, and
    the next packet on it is refused."""
    _postgresql_only()
    proxy = _VanishingHost(connection.settings_dict["HOST"] or "127.0.0.1", int(connection.settings_dict["PORT"] or 5432))
    kept = _kept_connection(HOST="127.0.0.1", PORT=str(proxy.port))
    try:
        time.sleep(RECENTLY_USED_SECONDS + 0.1)
        proxy.vanish()
        assert _request_on(kept) == (1,)
    finally:
        kept.close()
        proxy.close()


@pytest.mark.django_db
def test_a_notification_waiting_on_a_healthy_connection_does_not_get_it_closed(kept, monkeypatch):
    with kept.cursor() as cursor:
        cursor.execute("LISTEN ipcity_test_channel")
    with psycopg.connect(database_url_of_the_test_database(), autocommit=True) as other:
        other.execute("NOTIFY ipcity_test_channel")
    _until_something_to_read(kept)
    questions = _CountedQuestions(monkeypatch)
    assert kept.is_usable()
    assert questions.asked == 1  # something to read: asked, and the answer took the notification in
    assert kept.is_usable()
    assert questions.asked == 1


@pytest.mark.django_db
def test_a_connection_past_descriptor_1023_is_looked_at_as_any_other(monkeypatch):
    _postgresql_only()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip(f"this machine lets a process open {hard} files: no descriptor past 1023 to test")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200), hard))
    held = []
    try:
        while len(held) < 1100:
            held.append(os.open(os.devnull, os.O_RDONLY))
        kept = _kept_connection()
        try:
            assert kept.connection.fileno() > 1023
            questions = _CountedQuestions(monkeypatch)
            assert kept.is_usable()
            assert questions.asked == 0
            _end(kept)
            assert not kept.is_usable()
        finally:
            kept.close()
    finally:
        for descriptor in held:
            os.close(descriptor)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


class _VanishingHost:
    """A TCP relay to the database server standing in for its host. vanish(): the host is gone without closing
    anything (no word reaches the client); the next packet the client sends is refused, as a host that came back, or
    the standby now holding the address, refuses a connection it does not know."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.pairs: list[dict] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            pair = {"client": client, "server": socket.create_connection(self.target), "vanished": False}
            self.pairs.append(pair)
            threading.Thread(target=self._relay, args=(pair, "client", "server"), daemon=True).start()
            threading.Thread(target=self._relay, args=(pair, "server", "client"), daemon=True).start()

    def _relay(self, pair: dict, source: str, destination: str) -> None:
        while True:
            try:
                data = pair[source].recv(65536)
            except OSError:
                data = b""
            if pair["vanished"]:
                if source == "client":  # refused: a reset, not an orderly close
                    pair["client"].setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    pair["client"].close()
                return
            if not data:
                with contextlib.suppress(OSError):
                    pair[destination].shutdown(socket.SHUT_WR)
                return
            try:
                pair[destination].sendall(data)
            except OSError:
                return

    def vanish(self) -> None:
        for pair in self.pairs:
            pair["vanished"] = True
            pair["server"].close()  # the server's side goes; nothing is said to the client
        self.pairs = []

    def close(self) -> None:
        self.listener.close()
