"""Computed indicator values are cached under the registry version: every way of writing what the engine reads moves
it, in the same transaction; reading it is one query; values are shared between processes and never stale."""

import datetime as dt
import os
import threading

import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection, connections, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from ipcity import versions
from ipcity.accounts.models import Organization, OrgType
from ipcity.stats import activities, selectors
from ipcity.stats import models as m
from ipcity.web.models import DataVersion
from tests.helpers import tables_read
from tests.stats.helpers import PATENTS, upload


def _patent(number: str) -> m.Patent:
    return m.Patent(application_number=number, patent_type="invention", filing_date=dt.date(2023, 1, 5),
                    title="一种方法", patentee="天开智能", owner_district="南开区")


def _moves(write) -> bool:
    before = versions.current("registry")
    write()
    return versions.current("registry") != before


@pytest.mark.django_db
def test_saving_bulk_creating_updating_deleting_and_raw_sql_each_move_the_version():
    assert _moves(lambda: _patent("202310000001.1").save())
    assert _moves(lambda: m.Patent.objects.bulk_create([_patent("202310000002.X"), _patent("202310000003.8")]))
    assert _moves(lambda: m.Patent.objects.filter(application_number__startswith="2023").update(title="改名"))
    assert _moves(lambda: m.Patent.objects.filter(application_number="202310000003.8").delete())
    table = connection.ops.quote_name(m.Patent._meta.db_table)
    assert _moves(lambda: connection.cursor().execute(f"UPDATE {table} SET title = %s", ["直接改写"]))


@pytest.mark.django_db
def test_an_organization_s_category_moves_the_version_since_breakdowns_group_by_it():
    organization = Organization.objects.create(name="某企业", org_type=OrgType.ENTERPRISE)
    assert _moves(lambda: Organization.objects.filter(pk=organization.pk).update(tags=["high_tech"]))


@pytest.mark.django_db
def test_a_statement_that_changes_no_row_leaves_the_version_alone():
    assert not _moves(lambda: m.Patent.objects.filter(application_number="不存在").update(title="x"))


def test_writes_to_tables_the_engine_does_not_read_leave_the_version_alone(plan):
    assert not _moves(plan.save)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_leaves_the_version_it_found():
    before = versions.current("registry")
    with pytest.raises(RuntimeError), transaction.atomic():
        _patent("202310000009.5").save()
        assert versions.current("registry") != before  # seen inside the transaction that wrote
        raise RuntimeError
    assert versions.current("registry") == before


def _version_writes(write) -> int:
    table = DataVersion._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        write()
    return sum(1 for q in queries if q["sql"].startswith("UPDATE") and table in q["sql"].split(" SET ")[0])


@pytest.mark.django_db
def test_a_transaction_of_many_writes_moves_the_version_once_not_per_statement():
    def import_like():
        with transaction.atomic():
            for number in ("202310000011.9", "202310000012.3", "202310000013.8"):
                _patent(number).save()
            m.Patent.objects.filter(application_number__startswith="2023").update(title="改名")

    versions.current("registry")
    assert _version_writes(import_like) == 1


@pytest.mark.django_db
def test_a_version_read_inside_a_transaction_is_not_reused_after_its_next_write():
    with transaction.atomic():
        _patent("202310000014.1").save()
        after_one = versions.current("registry")
        _patent("202310000015.6").save()
        assert versions.current("registry") != after_one


@pytest.mark.django_db(transaction=True)
def test_a_write_after_a_rolled_back_savepoint_still_moves_the_version():
    """The savepoint's move is rolled back with its write; the next write must move the version again."""
    before = versions.current("registry")
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            _patent("202310000016.X").save()
            raise RuntimeError
        _patent("202310000017.4").save()
    assert versions.current("registry") != before


def _seen_by_another_worker() -> str:
    """The version as another worker reads it: another thread, so another connection, seeing only what committed."""
    seen = {}

    def read():
        try:
            seen["token"] = versions.current("registry")
        finally:
            connections.close_all()

    worker = threading.Thread(target=read)
    worker.start()
    worker.join()
    return seen["token"]


@pytest.mark.django_db(transaction=True)
def test_under_manual_transactions_each_commit_of_a_write_moves_the_version_another_worker_sees():
    """commit() keeps Django's commit hooks under manual transactions: a move remembered from the first transaction
    must not excuse the second, or values cached under the first token would outlive the second write."""
    transaction.set_autocommit(False)
    try:
        with transaction.atomic():
            _patent("202310000021.1").save()
        transaction.commit()
        with_one_patent = _seen_by_another_worker()
        with transaction.atomic():
            _patent("202310000022.6").save()
        transaction.commit()
        with_two = _seen_by_another_worker()
        _patent("202310000023.0").save()  # outside any atomic block
        transaction.commit()
    finally:
        transaction.set_autocommit(True)
    assert len({with_one_patent, with_two, _seen_by_another_worker()}) == 3


@pytest.mark.django_db(transaction=True)
def test_a_write_after_sqlite_rolled_back_the_whole_transaction_by_itself_still_moves_the_version():
    if connection.vendor != "sqlite":
        pytest.skip("a statement rolling back its whole transaction and carrying on is SQLite's (ON CONFLICT ROLLBACK)")
    before = versions.current("registry")
    table = connection.ops.quote_name(m.Patent._meta.db_table)
    with transaction.atomic():
        _patent("202310000025.X").save()
        with pytest.raises(IntegrityError), connection.cursor() as cursor:
            cursor.execute(f"INSERT OR ROLLBACK INTO {table} (application_number, patent_type, filing_date, title, "
                           f"patentee, owner_district) SELECT application_number, patent_type, filing_date, title, "
                           f"patentee, owner_district FROM {table}")
        _patent("202310000026.4").save()
    assert m.Patent.objects.count() == 1 and versions.current("registry") != before


@pytest.mark.django_db(transaction=True)
def test_a_database_emptied_of_its_version_row_gets_a_new_one_on_first_read_or_write():
    DataVersion.objects.all().delete()
    first = versions.current("registry")
    assert DataVersion.objects.get(scope="registry").token == first
    DataVersion.objects.all().delete()
    _patent("202310000010.2").save()
    assert DataVersion.objects.filter(scope="registry").count() == 1 and versions.current("registry") != first


@pytest.mark.django_db
def test_every_table_the_engine_reads_is_one_whose_writes_move_the_version(plan):
    """A table read by the registry snapshot or by an activity source but not watched would let a cached value
    outlive the records it was computed from."""
    watched = versions.tables("registry") | {DataVersion._meta.db_table}
    read = tables_read(lambda: selectors._build_registry("南开区"))
    for source in activities.SOURCES:
        read |= tables_read(source.records)
    read |= tables_read(lambda: selectors.valid_patent_breakdowns(plan=plan, as_of=dt.date(2026, 6, 30)))
    assert read and read <= watched, f"read but not watched: {sorted(read - watched)}"


@pytest.mark.django_db
def test_reading_the_version_is_one_query():
    versions.current("registry")  # a new database writes the scope's first token on its first read
    with CaptureQueriesContext(connection) as queries:
        versions.current("registry")
    assert len(queries) == 1


def test_the_watch_recognizes_the_write_statements_of_both_databases():
    assert versions.written_table('INSERT INTO "stats_patent" ("a") VALUES (%s)') == "stats_patent"
    assert versions.written_table('INSERT OR IGNORE INTO "stats_patent" ("a") VALUES (%s)') == "stats_patent"
    assert versions.written_table('UPDATE "stats_patent" SET "a" = %s') == "stats_patent"
    assert versions.written_table('DELETE FROM "stats_patent" WHERE "id" IN (%s)') == "stats_patent"
    assert versions.written_table('SELECT * FROM "stats_patent"') is None


def _valid_patents(client) -> int:
    return client.get("/api/v1/indicators/valid_patents/records", {"as_of": "2024-12-31"}).json()["count"]


def test_an_import_shows_in_the_indicators_at_once_and_a_second_import_moves_them_again(client_for, plan):
    office = client_for("office_admin")
    upload(office, "patents", "p.csv", PATENTS)
    first = _valid_patents(office)
    more = PATENTS + "202310012347.2,2023-02-01,发明,一种传感器,天开智能,天津市南开区华苑街道,2024-08-01\n"
    upload(office, "patents", "p2.csv", more)
    assert first == 2 and _valid_patents(office) == 3


def test_a_value_computed_by_one_process_is_read_by_another_without_computing_again(client_for, plan, monkeypatch):
    office = client_for("office_admin")
    upload(office, "patents", "p.csv", PATENTS)
    computed = selectors.computed_indicators(plan=plan, as_of=dt.date(2024, 12, 31))
    selectors.clear_cache()  # another worker: nothing in its memory, the shared cache as it is

    def no_rebuild(*_):
        raise AssertionError("the registry was built again although the shared cache held the values")

    monkeypatch.setattr(selectors, "_build_registry", no_rebuild)
    assert selectors.computed_indicators(plan=plan, as_of=dt.date(2024, 12, 31)) == computed
    cache.clear()
    selectors.clear_cache()
    with pytest.raises(AssertionError, match="built again"):
        selectors.computed_indicators(plan=plan, as_of=dt.date(2024, 12, 31))


def test_asking_for_another_date_keeps_the_values_of_the_first(client_for, plan, monkeypatch):
    office = client_for("office_admin")
    upload(office, "patents", "p.csv", PATENTS)
    at_year_end = selectors.computed_indicators(plan=plan, as_of=dt.date(2024, 12, 31))
    selectors.computed_indicators(plan=plan, as_of=dt.date(2025, 6, 30))
    monkeypatch.setattr(selectors.engine, "evaluate", lambda *_: pytest.fail("evaluated again"))
    assert selectors.computed_indicators(plan=plan, as_of=dt.date(2024, 12, 31)) == at_year_end


def test_after_an_import_the_indicator_pages_are_computed_before_the_first_visit(
        client_for, plan, monkeypatch, django_capture_on_commit_callbacks):
    office = client_for("office_admin")
    with django_capture_on_commit_callbacks(execute=True):
        upload(office, "patents", "p.csv", PATENTS)
    selectors.clear_cache()  # the visit lands on another worker

    def no_rebuild(*_):
        raise AssertionError("the page computed what the import's task should have computed")

    monkeypatch.setattr(selectors, "_build_registry", no_rebuild)
    for page in ("/indicators/", "/indicators/by-year/", "/api/v1/plan/indicators", "/"):
        assert office.get(page).status_code == 200, page


REDIS_URL = os.environ.get("IPCITY_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"CI runs Redis for the shared-cache test: nothing answers at {REDIS_URL}")
        pytest.skip(f"no Redis at {REDIS_URL}: the shared cache is tested on the file cache only")


@pytest.mark.parametrize("backend", ["file", "redis"])
def test_another_process_reads_the_values_one_computed_from_the_file_cache_or_redis(
        client_for, plan, monkeypatch, tmp_path, backend):
    if backend == "redis":
        _redis_or_skip()
        shared = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                  "KEY_PREFIX": f"test-{os.getpid()}"}
    else:  # the default: DATA_DIR/cache
        shared = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}
    with override_settings(CACHES={"default": shared}):
        cache.clear()
        office = client_for("office_admin")
        upload(office, "patents", "p.csv", PATENTS)
        computed = selectors.computed_indicators(plan=plan, as_of=dt.date(2024, 12, 31))
        selectors.clear_cache()
        monkeypatch.setattr(selectors, "_build_registry", lambda *_: pytest.fail("computed again"))
        assert selectors.computed_indicators(plan=plan, as_of=dt.date(2024, 12, 31)) == computed
        cache.clear()
