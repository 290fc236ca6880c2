import os
import re
import shutil
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium for the browser tests")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def refusals():
    """The refusals a test opens on purpose, as (status, path): `refusals.append((403, "/plan/"))`. The browser logs
    each one as a console error; one the test states is expected (and must happen), any other fails the test."""
    return []


@pytest.fixture
def open_page(browser, live_server, refusals):
    """A fresh browser context (its own cookies) per persona; console errors fail the test, except the refusals it
    states it expects (see `refusals`)."""
    contexts = []
    problems = []  # (console text, address of the resource it is about)

    def make():
        context = browser.new_context(base_url=live_server.url, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: problems.append((msg.text, msg.location.get("url", "")))
                if msg.type == "error" else None)
        page.on("pageerror", lambda exc: problems.append((str(exc), "")))
        return page

    yield make
    for context in contexts:
        context.close()
    expected = {(status, path) for status, path in refusals}
    seen = set()
    unexpected = []
    for text, url in problems:
        status = re.search(r"status of (\d{3})", text)
        found = (int(status.group(1)), urlsplit(url).path) if status else None
        if found in expected:
            seen.add(found)
        else:
            unexpected.append(f"{text} ({url})" if url else text)
    assert unexpected == [], "console errors the test did not state it expects"
    assert expected - seen == set(), "refusals the test expected but the browser never saw"


def sign_in(page, username: str, password: str | None = None) -> None:
    from tests.conftest import PASSWORD

    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password or PASSWORD)
    page.click("[data-testid=login-form] button[type=submit]")
    page.wait_for_url("**/workspace/")
