"""A page that lists what the platform keeps accumulating (registrations, requests, cases, applications, offers…)
shows a page at a time, with a pager that keeps the page's filters, as the API's lists do: without it one page of an
active organization read and rendered every row it ever made, and a list cut at fifty rows hid the older ones for
good. A page costs the same queries however many rows there are."""

import json
import secrets

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ipcity.audit.services import audit_record


def _register_trade_secrets(client, n: int) -> None:
    for i in range(n):
        reply = client.post("/api/v1/evidence/registrations?wait=false", json.dumps({
            "kind": "trade_secret", "metadata": {"title": f"配方{i}", "secret_type": "技术信息"},
            "sha256": secrets.token_hex(32), "sm3": secrets.token_hex(32)}), content_type="application/json")
        assert reply.status_code == 201, reply.content.decode()


def _ask_for_notarization(client, n: int) -> None:
    for i in range(n):
        reply = client.post("/api/v1/evidence/registrations/file?wait=false", {
            "kind": "notarization",
            "metadata": json.dumps({"title": f"网店侵权页面{i}", "notary": "测试公证处", "purpose": "诉讼证据"},
                                   ensure_ascii=False),
            "file": SimpleUploadedFile(f"page{i}.html", f"<html>{secrets.token_hex(8)}</html>".encode())})
        assert reply.status_code == 201, reply.content.decode()


def _page(client, path: str) -> str:
    reply = client.get(path)
    assert reply.status_code == 200, reply.content.decode()[:500]
    return reply.content.decode()


# (the page, the persona reading it, the persona making its rows, how, the attribute each row carries)
EVIDENCE_LISTS = {
    "an organization's registrations": ("/evidence/", "enterprise_user", "enterprise_user", _register_trade_secrets,
                                        "data-registration="),
    "a notary office's notarization requests": ("/evidence/notarizations/", "notary_user", "enterprise_user",
                                                _ask_for_notarization, "data-notarization="),
}


@pytest.mark.parametrize("path, reader, maker, make, marker", EVIDENCE_LISTS.values(), ids=EVIDENCE_LISTS.keys())
def test_a_long_evidence_list_shows_a_page_at_a_time_and_the_next_page_the_rest(
        client_for, two_per_page, path, reader, maker, make, marker):
    make(client_for(maker), 3)
    client = client_for(reader)
    first = _page(client, path)
    assert first.count(marker) == 2, "the first page should hold two rows of three"
    assert 'href="?page=2"' in first and "第 1 / 2 页" in first, "no way to reach the older rows"
    second = _page(client, f"{path}?page=2")
    assert second.count(marker) == 1
    assert set(_rows(first, marker)).isdisjoint(_rows(second, marker)), "a row was shown on both pages"


def _rows(html: str, marker: str) -> list[str]:
    return [part.split('"')[1] for part in html.split(marker)[1:]]


@pytest.mark.parametrize("path, reader, maker, make, marker", EVIDENCE_LISTS.values(), ids=EVIDENCE_LISTS.keys())
def test_a_page_of_an_evidence_list_costs_the_same_queries_with_more_rows(
        client_for, two_per_page, path, reader, maker, make, marker):
    client = client_for(reader)
    make(client_for(maker), 3)
    client.get(path)  # sessions, caches: not what is measured
    with CaptureQueriesContext(connection) as fewer:
        _page(client, path)
    make(client_for(maker), 3)
    with CaptureQueriesContext(connection) as more:
        _page(client, path)
    assert len(more) == len(fewer), [q["sql"] for q in more][-5:]


def test_a_page_past_the_last_shows_the_last_and_a_page_that_is_not_a_number_the_first(client_for, two_per_page):
    client = client_for("enterprise_user")
    _register_trade_secrets(client, 3)
    assert "第 2 / 2 页" in _page(client, "/evidence/?page=99")
    assert "第 1 / 2 页" in _page(client, "/evidence/?page=第二页")


def test_the_pager_of_the_audit_log_keeps_its_filters(client_for, people, two_per_page):
    office = people["office_admin"]
    for i in range(3):
        audit_record(actor=office, action="plan.import", obj=office, after={"n": i})
    page = _page(client_for("office_admin"), "/audit/?action=plan.import")
    pager = page[page.index("data-testid=\"pager\""):][:400]
    assert 'href="?action=plan.import&amp;page=2"' in pager, pager
