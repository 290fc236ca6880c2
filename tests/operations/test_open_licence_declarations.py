"""An open licence declaration is checked against the registry before it is published: its patent number is the
listed patent's, the patent is in force on the day, and the declarant is the patentee the registry knows today (after
any recorded transfer). A declaration naming another patent or another company is refused and appears neither on
the offer page nor in the open data CSV."""

import pytest

from ipcity.operations.models import OpenLicenceDeclaration, TechOffer
from ipcity.stats.services import import_batch_run, import_batch_start
from tests.helpers import json_text, post_json
from tests.operations.helpers import OPEN, PATENTS


def _import(kind: str, data: bytes) -> None:
    import_batch_run(batch=import_batch_start(kind=kind, filename=f"{kind}.csv", actor=None), data=data)


@pytest.fixture
def registry(people):
    _import("patents", PATENTS)


def _open_data(client_for) -> str:
    response = client_for(None).get("/services/open-data/open_licences.csv")
    assert response.status_code == 200
    return response.content.decode("utf-8-sig")


def test_a_declaration_naming_an_unknown_patent_and_another_company_is_refused_and_not_published(
        client_for, registry, frozen_clock):
    university = client_for("university_user")
    forged = post_json(university, "/api/v1/operations/offers", {**OPEN, "patent_number": "202110011111.1", "declaration": {
        **OPEN["declaration"], "patent_number": "ZL209999999999.9", "patentee": "某某科技有限公司"}})
    assert forged.status_code == 422
    assert "209999999999.9" in json_text(forged) and "某某科技有限公司" in json_text(forged)
    assert not TechOffer.objects.exists() and not OpenLicenceDeclaration.objects.exists()
    published = _open_data(client_for)
    assert "209999999999.9" not in published and "某某科技有限公司" not in published


def test_a_declaration_takes_its_number_and_patentee_from_the_registry(client_for, registry, frozen_clock):
    university = client_for("university_user")
    spelled = post_json(university, "/api/v1/operations/offers", {**OPEN, "patent_number": "202110011111.1", "declaration": {
        **OPEN["declaration"], "patent_number": "CN202110011111.1", "patentee": "测试大学"}})
    assert spelled.status_code == 201 and spelled.json()["state"] == "published", spelled.content
    declaration = OpenLicenceDeclaration.objects.get()
    assert (declaration.patent_number, declaration.patentee) == ("ZL202110011111.1", "测试大学")
    page = client_for(None).get(f"/operations/offers/{spelled.json()['id']}/").content.decode()
    assert "ZL202110011111.1，测试大学" in page
    assert "ZL202110011111.1" in _open_data(client_for)


def test_only_the_current_patentee_may_declare_an_open_licence(client_for, registry, frozen_clock):
    _import("events", "申请号,法律事件,生效日,相对方\n202110011111.1,转让,2026-09-01,某科技公司\n".encode())
    university = client_for("university_user")
    response = post_json(university, "/api/v1/operations/offers", {**OPEN, "patent_number": "202110011111.1"})
    assert response.status_code == 422 and "某科技公司" in json_text(response)
    assert not OpenLicenceDeclaration.objects.exists()
    assert "202110011111.1" not in _open_data(client_for)


def test_a_patent_no_longer_in_force_on_the_day_is_not_published(client_for, registry, frozen_clock):
    _import("events", "申请号,法律事件,生效日\n202110011111.1,未缴年费专利权终止,2026-05-01\n".encode())
    university = client_for("university_user")
    response = post_json(university, "/api/v1/operations/offers", {**OPEN, "patent_number": "202110011111.1"})
    assert response.status_code == 201 and response.json()["state"] == "refused"
    assert any("终止" in reason for reason in response.json()["refusal_reasons"])
    assert "202110011111.1" not in _open_data(client_for)
