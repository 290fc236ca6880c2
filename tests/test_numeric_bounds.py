"""One number must not take the site down: a value the platform cannot read back (an amount of 1e30 in a column
of 16 digits) or one that makes no business sense (NaN, a negative amount, more than 一万亿元) is refused at every
door — the JSON API with 422, a page with a form error or message — and behind the doors no save() stores it, so
the pages that read the registries keep rendering for everyone."""

import decimal
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from ipcity.accounts.models import Organization
from ipcity.api import api
from ipcity.operations.models import Deal, FinancingApplication, PatentProduct, TechNeed
from ipcity.stats.models import LegalEvent, Patent
from ipcity.stats.services import import_batch_run, import_batch_start
from tests.helpers import json_text, post_json
from tests.operations.helpers import OPEN, PATENTS

ENTERPRISE_PATENTS = PATENTS.decode().replace("测试大学", "测试企业有限公司").encode()
PAGES = ["/", "/indicators/", "/workspace/", "/supervision/", "/api/v1/plan/indicators"]


@pytest.fixture
def registry(people):
    batch = import_batch_start(kind="patents", filename="patents.csv", actor=None)
    import_batch_run(batch=batch, data=PATENTS)


def _pages_render_for_everyone(client_for, *pages):
    for persona in ("office_admin", "unit_staff", "enterprise_user", "university_user", None):
        client = client_for(persona)
        for page in (*PAGES, *pages):
            response = client.get(page)
            assert response.status_code in (200, 302, 403), (persona, page, response.status_code)


def _interest_in_meeting(client_for):
    university, enterprise = client_for("university_user"), client_for("enterprise_user")
    offer = post_json(university, "/api/v1/operations/offers", {**OPEN, "patent_number": "202110011111.1"}).json()
    interest = post_json(enterprise, "/api/v1/operations/interests", {"offer": offer["id"]}).json()
    assert post_json(university, f"/api/v1/operations/interests/{interest['id']}/steps",
                 {"action": "meet", "meeting_on": "2026-10-15"}).json()["state"] == "meeting"
    return interest["id"]


DEAL = {"kind": "open", "contract_date": "2026-10-20", "recordal_date": "2026-10-28"}


@pytest.mark.parametrize("amount", ["1e30", 1e30, "NaN", "Infinity", "-1", "2000000000000", "12.345", True, "abc"])
def test_a_deal_amount_beyond_its_column_or_sense_is_refused_and_pages_still_render(
        client_for, registry, frozen_clock, amount):
    university = client_for("university_user")
    pk = _interest_in_meeting(client_for)
    refused = post_json(university, f"/api/v1/operations/interests/{pk}/deal", {**DEAL, "amount": amount})
    assert refused.status_code == 422, refused.content
    assert "金额（元）" in json_text(refused)
    assert not Deal.objects.exists() and not LegalEvent.objects.filter(event_type="licence").exists()
    _pages_render_for_everyone(client_for)
    accepted = post_json(university, f"/api/v1/operations/interests/{pk}/deal", {**DEAL, "amount": "1000000000000"})
    assert accepted.status_code == 201, accepted.content
    _pages_render_for_everyone(client_for)


def test_a_deal_of_1e30_names_the_bound_in_chinese(client_for, registry, frozen_clock):
    pk = _interest_in_meeting(client_for)
    refused = post_json(client_for("university_user"), f"/api/v1/operations/interests/{pk}/deal", {**DEAL, "amount": "1e30"})
    assert "金额（元）应在0～1,000,000,000,000之间" in json_text(refused)


def test_a_product_with_annual_sales_of_1e30_is_refused_and_the_products_page_renders(client_for, registry,
                                                                                      frozen_clock):
    university = client_for("university_user")
    refused = post_json(university, "/api/v1/operations/products", {
        "name": "电池健康监测模组", "patent_numbers": ["202110011111.1"], "recorded_on": "2026-10-01",
        "annual_sales": "1e30"})
    assert refused.status_code == 422 and "年销售额（万元）" in json_text(refused)
    assert not PatentProduct.objects.exists()
    page = university.post("/operations/products/", {
        "name": "电池健康监测模组", "patent_numbers": "202110011111.1", "recorded_on": "2026-10-01",
        "annual_sales": "100000001"})
    assert page.status_code == 200 and "年销售额（万元）应在0～100,000,000之间" in page.content.decode()
    assert not PatentProduct.objects.exists()
    _pages_render_for_everyone(client_for, "/operations/products/")


def test_a_need_with_a_budget_of_1e30_is_refused_and_the_office_operations_page_renders(client_for, registry,
                                                                                        frozen_clock):
    enterprise = client_for("enterprise_user")
    refused = post_json(enterprise, "/api/v1/operations/needs", {
        "title": "动力电池寿命预测", "problem": "需要根据充放电数据预测电池健康状态", "field": "新能源",
        "budget": "1e30", "deadline": "2027-06-30"})
    assert refused.status_code == 422 and "预算（万元）" in json_text(refused)
    assert not TechNeed.objects.exists()
    assert client_for("office_admin").get("/operations/").status_code == 200
    _pages_render_for_everyone(client_for, "/operations/")


@pytest.fixture
def enterprise_registry(people):
    batch = import_batch_start(kind="patents", filename="patents.csv", actor=None)
    import_batch_run(batch=batch, data=ENTERPRISE_PATENTS)


def test_a_financing_request_of_1e30_is_refused_and_the_finance_page_renders(client_for, people, enterprise_registry,
                                                                             frozen_clock):
    enterprise = client_for("enterprise_user")
    refused = post_json(enterprise, "/api/v1/operations/financing", {
        "bank": people["finance_user"].organization_id, "amount_requested": "1e30", "purpose": "研发投入",
        "patents": ["202110011111.1"]})
    assert refused.status_code == 422 and "申请金额（万元）" in json_text(refused)
    assert not FinancingApplication.objects.exists()
    for persona in ("enterprise_user", "finance_user", "office_admin"):
        assert client_for(persona).get("/operations/finance/").status_code == 200


@pytest.mark.parametrize("approved", ["NaN", "1e30", "-5", "abc"])
def test_the_banks_approved_amount_must_be_a_sensible_number_on_the_page_and_the_api(
        client_for, people, enterprise_registry, frozen_clock, approved):
    enterprise, bank = client_for("enterprise_user"), client_for("finance_user")
    pk = post_json(enterprise, "/api/v1/operations/financing", {
        "bank": people["finance_user"].organization_id, "amount_requested": "300", "purpose": "研发投入",
        "patents": ["202110011111.1"]}).json()["id"]
    post_json(bank, f"/api/v1/operations/financing/{pk}/steps", {"action": "accept"})
    page = bank.post("/operations/finance/", {"form": "step", "pk": pk, "action": "approve",
                                              "approved_amount": approved})
    assert page.status_code == 200 and "批准金额（万元）" in page.content.decode()
    api_refused = post_json(bank, f"/api/v1/operations/financing/{pk}/steps",
                        {"action": "approve", "approved_amount": approved})
    assert api_refused.status_code == 422 and "批准金额（万元）" in json_text(api_refused)
    application = FinancingApplication.objects.get(pk=pk)
    assert application.state == "accepted" and application.approved_amount is None
    assert post_json(bank, f"/api/v1/operations/financing/{pk}/steps",
                 {"action": "approve", "approved_amount": "250"}).status_code == 200


def test_no_save_stores_a_number_its_column_cannot_hold_even_when_a_service_forgets_the_bound(registry):
    """Defence in depth: the pre_save guard, whatever door or service the value came through."""
    patent = Patent.objects.get(application_number="202110011111.1")
    with pytest.raises(ValidationError) as refused:
        LegalEvent.objects.create(patent=patent, event_type="licence", date="2026-01-01", amount=Decimal("1e30"))
    assert "金额（元）" in refused.value.message_dict["amount"][0]
    with pytest.raises(ValidationError):
        LegalEvent.objects.create(patent=patent, event_type="licence", date="2026-01-01", amount=Decimal("NaN"))
    org = Organization.objects.first()
    from ipcity.services.models import BrandDesignation

    with pytest.raises(ValidationError) as year:  # a PositiveIntegerField past PostgreSQL's 2**31 - 1
        BrandDesignation.objects.create(agency=org, year=2**31, designated_on="2026-01-01")
    assert "年度" in year.value.message_dict["year"][0]
    assert not LegalEvent.objects.filter(event_type="licence").exists()


def test_a_value_rounded_by_the_column_is_still_stored(registry):
    patent = Patent.objects.get(application_number="202110011111.1")
    event = LegalEvent.objects.create(patent=patent, event_type="licence", date="2026-01-01", amount=Decimal("1.005"))
    event.refresh_from_db()
    assert event.amount in (Decimal("1.00"), Decimal("1.01"))


# ---- every API input declares its bounds, so a new unbounded number fails here ----

def _schemas():
    doc = api.get_openapi_schema()
    return doc, doc["components"]["schemas"]


def _numeric_leaves(schema, components, path, seen):
    """Yield (path, schema) for every number or integer a request can carry, following refs, unions, lists and
    dictionaries."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return
        yield from _numeric_leaves(components[name], components, path, seen | {name})
        return
    branches = schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", [])
    kinds = {b.get("type") for b in branches} | {schema.get("type")}
    if kinds & {"number", "integer"}:
        yield path, schema
        return
    for branch in branches:
        yield from _numeric_leaves(branch, components, path, seen)
    for name, sub in schema.get("properties", {}).items():
        yield from _numeric_leaves(sub, components, f"{path}.{name}", seen)
    if isinstance(schema.get("items"), dict):
        yield from _numeric_leaves(schema["items"], components, f"{path}[]", seen)
    if isinstance(schema.get("additionalProperties"), dict):
        yield from _numeric_leaves(schema["additionalProperties"], components, f"{path}{{}}", seen)


def _bounded(schema) -> bool:
    """Both ends declared, on the number itself or on its branch of a union with null."""
    if "minimum" in schema and "maximum" in schema:
        return True
    return any(_bounded(b) for b in schema.get("anyOf", []) if b.get("type") != "null")


def test_every_number_an_api_operation_accepts_declares_its_minimum_and_maximum():
    doc, components = _schemas()
    unbounded, checked = [], 0
    for route, operations in doc["paths"].items():
        for method, operation in operations.items():
            leaves = []
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"].endswith("_id"):
                    continue  # a record's id in the path only looks a record up; an id out of range finds none
                leaves += _numeric_leaves(parameter["schema"], components, f"{parameter['in']}:{parameter['name']}",
                                          frozenset())
            for content in operation.get("requestBody", {}).get("content", {}).values():
                leaves += _numeric_leaves(content["schema"], components, "body", frozenset())
            for where, schema in leaves:
                checked += 1
                if not _bounded(schema):
                    unbounded.append(f"{method.upper()} {route} {where}")
    assert checked > 50
    assert not unbounded, "numbers without minimum and maximum (use ipcity.bounds):\n" + "\n".join(unbounded)


def test_every_decimal_column_has_a_business_bound():
    from django.apps import apps

    from ipcity.bounds import RULES

    missing = [f"{m._meta.label}.{f.name}" for m in apps.get_models() if m._meta.label.startswith(
        ("stats.", "plan.", "operations.", "protection.", "services.", "accounts.", "evidence.", "audit.", "web."))
        for f in m._meta.concrete_fields if f.get_internal_type() == "DecimalField"
        and f"{m._meta.label}.{f.name}" not in RULES]
    assert not missing, f"add a business bound to ipcity.bounds.RULES for: {missing}"
    stale = [key for key in RULES if _missing_field(apps, key)]
    assert not stale, f"RULES names fields that do not exist: {stale}"


def _missing_field(apps, key) -> bool:
    app, model, field = key.split(".")
    try:
        apps.get_model(app, model)._meta.get_field(field)
    except LookupError:
        return True
    except Exception:  # FieldDoesNotExist
        return True
    return False


def test_an_anonymous_visitor_sees_no_500_after_a_refused_value(client_for, registry, frozen_clock):
    client = Client(raise_request_exception=False)
    pk = _interest_in_meeting(client_for)
    post_json(client_for("university_user"), f"/api/v1/operations/interests/{pk}/deal", {**DEAL, "amount": "1e30"})
    for page in PAGES:
        assert client.get(page).status_code < 500, page


def test_a_value_stored_before_the_guard_is_repaired_so_the_pages_render_again(client_for, registry, frozen_clock):
    """SQLite took 1e30 into a 16-digit column before the guard (PostgreSQL took NaN); the upgrade's data migration
    makes the row readable and says in the audit trail what it found."""
    from django.db import connection

    from ipcity.audit.models import AuditEntry
    from ipcity.bounds import repair_unreadable_numbers

    sqlite = connection.vendor == "sqlite"
    stored, raw = ("1E+30", "1.0e+30") if sqlite else ("NaN", "NaN")
    patent = Patent.objects.get(application_number="202110011111.1")
    event = LegalEvent.objects.create(patent=patent, event_type="licence", date="2026-01-01", amount=Decimal("5"))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE stats_legalevent SET amount = %s WHERE id = %s", [stored, event.pk])
    if sqlite:
        with pytest.raises(decimal.InvalidOperation):  # what everyone saw: the row cannot be read back
            LegalEvent.objects.get(pk=event.pk)
    repaired = repair_unreadable_numbers()
    assert [(r["model"], r["field"], r["raw"]) for r in repaired] == [("stats.LegalEvent", "amount", raw)]
    assert LegalEvent.objects.get(pk=event.pk).amount is None
    audit = AuditEntry.objects.get(action="bounds.unreadable_number.repair")
    assert audit.object_id == str(event.pk) and audit.before == {"amount": raw}
    _pages_render_for_everyone(client_for)
    assert repair_unreadable_numbers() == []


def test_a_refusal_a_page_did_not_expect_is_a_400_with_its_reason_not_a_server_error(client_for, monkeypatch):
    """Should a service (or the number guard on save) refuse where a view catches nothing, the visitor reads why."""
    from ipcity.stats import views

    def refuse(**kwargs):
        raise ValidationError({"value": ["高价值发明专利：质押融资金额门槛（元）应在1～1,000,000,000,000之间"]})

    monkeypatch.setattr(views, "engine_setting_set", refuse)
    client = client_for("office_admin")
    client.raise_request_exception = False
    page = client.post("/registries/", {"form": "threshold", "value": "5000000"})
    assert page.status_code == 400 and "应在1～1,000,000,000,000之间" in page.content.decode()


def test_an_import_with_an_absurd_amount_or_year_names_the_cell_and_stores_nothing(db, tmp_path, capsys):
    """The registry importer holds the same bounds: a pledge of 1e30 元, NaN, or a population year 0001 is a problem
    row, and the file imports whole or not at all."""
    from ipcity.cli import main as ipcity_main
    from ipcity.stats.models import Pledge, PopulationFigure

    pledges = tmp_path / "pledges.csv"
    pledges.write_text("质押登记号,出质人,质押金额（元）,登记日\nZ1,甲公司,1e30,2025-01-10\nZ2,乙公司,NaN,2025-01-10\n"
                       "Z3,丙公司,100.005,2025-01-10\nZ4,丁公司,5000000,2025-01-10\n", encoding="utf-8")
    assert ipcity_main(["import", "pledges", str(pledges)]) != 0
    err = capsys.readouterr().err
    assert "第2行“质押金额（元）”列（值：1e30）：应在0～1,000,000,000,000之间" in err
    assert "第3行“质押金额（元）”列（值：NaN）：应为有限的数字" in err
    assert "第4行“质押金额（元）”列（值：100.005）：最多保留2位小数" in err
    assert not Pledge.objects.exists()
    population = tmp_path / "population.csv"
    population.write_text("年份,年末常住人口（万人）,来源\n0001,80,统计公报\n2024,1e30,统计公报\n", encoding="utf-8")
    assert ipcity_main(["import", "population", str(population)]) != 0
    err = capsys.readouterr().err
    assert "第2行“年份”列（值：0001）：应为1949～2100之间的四位年份" in err
    assert "第3行“年末常住人口（万人）”列（值：1e30）：应在0.01～100,000之间" in err
    assert not PopulationFigure.objects.exists()
