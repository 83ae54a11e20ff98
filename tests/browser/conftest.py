"""What every browser test shares: the system Chromium (never a downloaded one), launched with
the flags a sandboxed CI machine needs, and the password of the people the tests create."""

import contextlib
import shutil

import pytest
from django.db import connections
from playwright.sync_api import expect, sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "Mat-khau-trinh-duyet-2026"


@contextlib.contextmanager
def playwright_session():
    """``sync_playwright()``, closing on the way out the database connection the ORM opened inside it.

    Between its calls Playwright marks its event loop as running in the test's thread, and Django
    keeps database connections per thread and, where a loop runs, per context: the ORM calls of a
    test made there (its fixtures' and its own) get a connection of their own, beside the test's.
    Nothing else closes it: it stayed open to the end of the run, and on PostgreSQL the test
    database could not be dropped ("being accessed by other users")."""
    with sync_playwright() as p:
        try:
            yield p
        finally:
            connections.close_all()  # here, the loop still marked running: that connection


@pytest.fixture
def browser():
    chromium = shutil.which("chromium")
    assert chromium, "Chromium is required for the browser tests: run `make system-deps` (apt-get install chromium)."
    with playwright_session() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _async_unsafe_orm(monkeypatch):
    """Playwright's sync API runs an event loop in the test's thread; the ORM calls the fixtures
    make there are still synchronous and safe. Set for these tests only, never for a subprocess of
    another test (Django's deployment check refuses the variable)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def sign_in_in_english(browser, base: str, username: str, problems: list):
    """A new page signed in as ``username`` (password ``PASSWORD``), switched to English through the
    header's language menu; page errors and console errors are appended to ``problems``."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN").new_page()
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: problems.append(f"console: {page.url} {msg.text[:300]}")
            if msg.type == "error" else None)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form[action='/accounts/login/'] button[type=submit]").click()
    expect(page).to_have_url(f"{base}/")
    page.locator("#language-menu").click()
    page.locator("header button[name=language][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    return page
