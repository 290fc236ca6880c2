"""The demo's office records realistic registry coverage: activity records start in 2025, so 2024 keeps the units'
reported values while 2025 is computed from the records; recognitions are on record since the pilot began."""

from decimal import Decimal

import pytest
from django.test import Client

from ipcity.demo import build_demo
from ipcity.stats.models import RegistryCoverage


def _row(client, code, as_of):
    return next(r for r in client.get("/api/v1/plan/indicators", {"as_of": as_of}).json() if r["code"] == code)


@pytest.mark.django_db(transaction=True)
def test_the_demo_keeps_2024_reported_values_and_computes_2025_from_the_records():
    build_demo(scale=0.02)
    client = Client()
    at_2024, at_2025 = _row(client, "patent_enforcement_cases", "2024-12-31"), _row(client, "patent_enforcement_cases", "2025-12-31")
    assert not at_2024["computed"] and at_2024["latest"]["source"].startswith("演示数据")
    assert at_2025["computed"] and at_2025["latest"]["source"].startswith("由登记记录计算")
    markets = _row(client, "national_standardized_markets", "2024-12-31")
    assert markets["computed"] and Decimal(markets["latest"]["value"]) == 0
    assert Decimal(_row(client, "operation_centers", "2026-06-30")["latest"]["value"]) == 1
    assert RegistryCoverage.objects.filter(kind="activity:case_patent").get().complete_from.isoformat() == "2025-01-01"
