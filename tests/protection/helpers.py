"""An enforcement bureau's team and a complaint, shared by the protection tests."""

from django.test import Client

from ipcity.accounts.services import user_create
from tests.helpers import post_json


def team(people):
    """A second officer in the same bureau, and certificates for both."""
    colleague = user_create(actor=None, username="officer_two", password="Enforce#Duty2026", role="enforcement_officer",
                            organization=people["enforcement_officer"].organization)
    client = Client()
    client.force_login(colleague)
    return colleague, client


def certify(office, officer, number):
    return post_json(office, "/api/v1/protection/certificates", {"officer": officer.pk, "number": number,
                                                                 "issued_on": "2025-01-01", "valid_until": "2030-12-31"})


CASE = {"kind": "trademark", "source": "complaint", "party": "张某（个体户）", "party_id_number": "120104199001011238",
        "party_phone": "13912345678", "facts": "销售假冒注册商标的白酒", "received_on": "2026-10-20",
        "complainant": "某酒业公司", "complainant_phone": "13800001111"}
