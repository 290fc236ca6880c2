import os
import shutil

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
def open_page(browser, live_server):
    """A fresh browser context (its own cookies) per persona; console errors fail the test."""
    contexts = []
    problems = []

    def make():
        context = browser.new_context(base_url=live_server.url, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()
    expected = [p for p in problems if "403" in p or "404" in p]  # pages the test opens to see a refusal
    assert [p for p in problems if p not in expected] == []


def sign_in(page, username: str, password: str | None = None) -> None:
    from tests.conftest import PASSWORD

    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password or PASSWORD)
    page.click("[data-testid=login-form] button[type=submit]")
    page.wait_for_url("**/workspace/")
