"""The server threads keep their PostgreSQL connections between requests. When the database server restarts or ends
them, the next request of each thread must get a new connection, not an error page."""

import concurrent.futures
import time
import urllib.request

import pytest
from django.db import connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper as DjangoPostgreSQL

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


@pytest.mark.django_db
def test_a_kept_connection_with_nothing_to_read_is_used_without_a_question_to_the_database(monkeypatch):
    _postgresql_only()
    connection.ensure_connection()

    def round_trip(self):
        raise AssertionError("the connection was checked with a query")

    monkeypatch.setattr(DjangoPostgreSQL, "is_usable", round_trip)
    assert connection.is_usable()


@pytest.mark.django_db
def test_a_connection_the_database_server_ended_is_not_used_again():
    _postgresql_only()
    kept = connections.create_connection("default")
    try:
        kept.ensure_connection()
        assert kept.is_usable()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [kept.connection.info.backend_pid])
        deadline = time.monotonic() + 10
        while kept.is_usable() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not kept.is_usable()
        # At a request's start Django checks the connection once it is asked for a cursor: a new one is opened.
        kept.health_check_done = False
        with kept.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
    finally:
        kept.close()
