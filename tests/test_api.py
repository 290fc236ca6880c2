"""The JSON API: token authentication for scripts, the OpenAPI document, and the same rules as the pages."""

import json

import pytest
from django.db import connection

from ipcity.accounts.models import ApiToken
from ipcity.accounts.services import api_token_revoke


def test_a_script_uses_a_bearer_token_created_in_the_account_page(client_for, people, client):
    page = client_for("office_admin").post("/account/", {"form": "token", "token-name": "统计脚本"}).content.decode()
    raw = page.split('data-testid="new-token"')[1].split("<code>")[1].split("</code>")[0]
    assert raw.startswith("ipc_")
    assert not ApiToken.objects.filter(token_hash=raw).exists()  # only the hash is stored
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.status_code == 200 and me.json()["role"] == "office_admin"
    edited = client.patch("/api/v1/plan/indicators/cluster_agencies", json.dumps({"target": 35}),
                          content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert edited.status_code == 200 and edited.json()["target"] == "35.0000"


def test_a_revoked_or_wrong_token_is_refused(people, client):
    from ipcity.accounts.services import api_token_create

    token, raw = api_token_create(user=people["unit_staff"], name="x")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    api_token_revoke(user=people["unit_staff"], token=token)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer ipc_forged").status_code == 401


def test_a_token_of_a_deactivated_account_is_refused(people, client):
    from ipcity.accounts.services import api_token_create

    _, raw = api_token_create(user=people["unit_staff"], name="x")
    people["unit_staff"].is_active = False
    people["unit_staff"].save(update_fields=["is_active"])
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_a_token_request_sees_its_account_and_organization_exactly_as_stored(people, client):
    """The token's lookup is written out in SQL: every field of the token, the account and its organization reads back
    as the ORM reads it (SQLite hands back times as text, booleans as integers and JSON as text)."""
    import datetime as dt

    from ipcity.accounts.services import api_token_create

    member = people["enterprise_user"]
    member.organization.tags = ["high_tech", "专精特新"]
    member.organization.is_synthetic = True
    member.organization.save()
    member.locked_until = dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC)
    member.save()
    token, raw = api_token_create(user=member, name="x")

    def fields(record):
        return {field.attname: getattr(record, field.attname) for field in record._meta.concrete_fields}

    written_out = ApiToken.objects.live_with_user(token.token_hash)
    through_orm = ApiToken.objects.select_related("user__organization").get(pk=token.pk)
    assert fields(written_out) == fields(through_orm)
    assert fields(written_out.user) == fields(through_orm.user)
    assert fields(written_out.user.organization) == fields(through_orm.user.organization)
    assert written_out.user.organization.tags == ["high_tech", "专精特新"] and written_out.user.is_active is True
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert me["organization"]["name"] == member.organization.name


def test_a_token_of_an_account_without_an_organization_reads_none_for_it(people, client):
    from django.test.utils import CaptureQueriesContext

    from ipcity.accounts.models import User
    from ipcity.accounts.services import api_token_create

    # The services give every person an organization; the platform's own account and older rows may have none.
    loner = User.objects.create_user(username="loner", password="Loner@Test2024", role="enterprise_user")
    token, raw = api_token_create(user=loner, name="x")
    found = ApiToken.objects.live_with_user(token.token_hash)
    with CaptureQueriesContext(connection) as queries:
        assert found.user.organization is None and found.user.pk == loner.pk
    assert len(queries) == 0  # loaded with the token, as select_related would
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.status_code == 200 and me.json()["organization"] is None


def test_a_token_carries_its_users_permissions_not_more(people, client):
    from ipcity.accounts.services import api_token_create

    _, raw = api_token_create(user=people["enterprise_user"], name="x")
    response = client.patch("/api/v1/plan/indicators/cluster_agencies", json.dumps({"target": 1}),
                            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 403


def test_the_openapi_document_describes_the_api_in_chinese(plan, client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"].startswith("ipcity")
    summaries = {op["summary"] for item in spec["paths"].values() for op in item.values()}
    assert "18项重点任务" in summaries and "审计日志查询（仅知识产权办公室）" in summaries
    docs = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs


def test_indicators_as_of_an_earlier_date_show_the_value_known_then(client_for):
    unit = client_for("office_admin")
    for as_of, value in [("2025-12-31", 20000), ("2026-06-30", 24000)]:
        unit.post("/api/v1/plan/indicators/valid_patents/values", json.dumps({"as_of": as_of, "value": value, "source": "s"}),
                  content_type="application/json")
    rows = {r["code"]: r for r in unit.get("/api/v1/plan/indicators", {"as_of": "2026-01-31"}).json()}
    assert rows["valid_patents"]["latest"]["value"] == "20000.0000"
    rows = {r["code"]: r for r in unit.get("/api/v1/plan/indicators").json()}
    assert rows["valid_patents"]["latest"]["value"] == "24000.0000"
    assert rows["valid_patents"]["status"] == "in_progress"


def test_a_future_as_of_date_is_refused(client_for):
    response = client_for("office_admin").post("/api/v1/plan/indicators/valid_patents/values",
                                               json.dumps({"as_of": "2099-01-01", "value": 1, "source": "s"}),
                                               content_type="application/json")
    assert response.status_code == 422 and "截至日期不能晚于今天" in response.json()["detail"][0]


def test_a_token_script_writes_without_a_csrf_token_but_a_signed_in_browser_needs_one(people):
    """The real CSRF check (the default test client skips it): a bearer token carries no cookie to forge with."""
    from django.test import Client

    from ipcity.accounts.services import api_token_create

    _, raw = api_token_create(user=people["office_admin"], name="脚本")
    script = Client(enforce_csrf_checks=True)
    written = script.patch("/api/v1/plan/indicators/cluster_agencies", json.dumps({"target": 31}),
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert written.status_code == 200
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["office_admin"])
    forged = browser.patch("/api/v1/plan/indicators/cluster_agencies", json.dumps({"target": 1}),
                           content_type="application/json")
    assert forged.status_code == 403
    assert Client(enforce_csrf_checks=True).patch("/api/v1/plan/indicators/cluster_agencies", "{}",
                                                  content_type="application/json").status_code == 401


def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")


def test_on_postgresql_the_token_lookup_is_prepared_once_per_connection(people, client):
    """The database plans the token's join once per connection, not on every API call."""
    from ipcity.accounts.services import api_token_create

    _postgresql_only()
    _, raw = api_token_create(user=people["unit_staff"], name="x")
    for _ in range(2):
        assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", ["%accounts_apitoken%"])
        prepared = [row[0] for row in cursor.fetchall()]
    assert len(prepared) == 1 and "token_hash" in prepared[0]


@pytest.mark.django_db(transaction=True)
def test_api_calls_go_on_working_when_a_migration_changes_a_column_the_prepared_lookup_reads(people, client):
    """Servers keep serving while `ipcity migrate` runs: a column whose type changed under a prepared statement made
    every call on that connection fail ("cached plan must not change result type") until the connection was
    replaced."""
    import psycopg

    from ipcity.accounts.services import api_token_create

    _postgresql_only()
    _, raw = api_token_create(user=people["unit_staff"], name="x")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    database = connection.settings_dict

    def migrate_name_to(length: int) -> None:  # as another process's migration would, on its own connection
        with psycopg.connect(dbname=database["NAME"], host=database["HOST"], port=database["PORT"] or None,
                             user=database["USER"], password=database["PASSWORD"], autocommit=True) as other:
            other.execute(f"ALTER TABLE accounts_apitoken ALTER COLUMN name TYPE varchar({length})")

    migrate_name_to(120)
    try:
        for _ in range(2):
            assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    finally:
        migrate_name_to(100)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
