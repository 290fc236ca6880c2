"""In a real browser: the office drafts, publishes and draws a random inspection; the public page shows the result
and that a second run from the published seed reproduces it exactly."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipcity.accounts.models import Organization, OrgType
from ipcity.protection.enforcement import certificate_record
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_random_inspection_is_drawn_and_a_second_run_reproduces_it(open_page, people, client_for, client):
    for i in range(5):
        Organization.objects.create(name=f"抽查企业{i}", org_type=OrgType.ENTERPRISE)
    certificate_record(actor=people["office_admin"], officer=people["enforcement_officer"], number="津执-浏览器-1",
                       issued_on=dt.date(2024, 1, 1), valid_until=dt.date(2030, 12, 31))
    client_for("enterprise_user").post("/api/v1/evidence/registrations/file", {  # a checkpoint to seed from
        "kind": "copyright_work", "metadata": json.dumps({"title": "t", "work_type": "美术", "author": "a",
                                                          "completed_on": "2026-01-01"}, ensure_ascii=False),
        "file": SimpleUploadedFile("w.txt", b"seed")})
    page = open_page()
    sign_in(page, "office_admin")
    page.goto("/protection/")
    page.fill("#id_plan-code", "2026-q4-patent")
    page.fill("#id_plan-title", "2026年第四季度专利执法双随机抽查")
    page.fill("#id_plan-high", "0")
    page.fill("#id_plan-medium", "0")
    page.fill("#id_plan-low", "3")
    page.fill("#id_plan-inspectors_per_subject", "1")
    page.click("[data-testid=plan-form] button[type=submit]")
    page.wait_for_url("**/protection/inspections/*/")
    page.click("button[data-action=publish]")
    page.wait_for_selector("text=随机种子已冻结")
    seed = page.inner_text("[data-testid=seed]")
    page.click("button[data-action=draw]")
    page.wait_for_selector("text=已按公布的种子抽取并公示")
    url = page.url

    visitor = open_page()  # anyone, not signed in
    visitor.goto(url)
    assert visitor.inner_text("[data-testid=seed]") == seed
    assert "结果一致" in visitor.inner_text("[data-testid=reproduced]")
    assert visitor.locator("[data-testid=results] tbody tr").count() == 3
    record = client.get(f"/api/v1/protection/inspections/{url.rstrip('/').split('/')[-1]}").json()
    from ipcity.protection.core import draw as rules

    again = rules.draw(rules.seed_of(record["code"], record["seed_source"]),
                       [rules.Subject(c["key"], c["risk"]) for c in record["candidates"]],
                       [rules.Inspector(i["key"], frozenset(i["conflicts"])) for i in record["inspectors"]],
                       record["quotas"], record["inspectors_per_subject"])
    assert again.subjects == record["results"]["subjects"] and again.inspectors == record["results"]["inspectors"]
