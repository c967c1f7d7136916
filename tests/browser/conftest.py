"""A real browser (Debian's Chromium, driven by Playwright) against pytest-django's live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("FACTCHECK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _unavailable(reason: str) -> None:
    """Skip on a developer's machine; in CI a missing browser is a failure."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _reference_data(transactional_db) -> None:
    """What the data migrations made (topics, ratings, the Editors and Publishers groups).

    The live server needs committed data, so these tests flush the database after each
    run, and so does any other transactional test that ran before them.
    """
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    import_module("claims.migrations.0002_default_topics_and_ratings").topics_load(apps)
    import_module("claims.migrations.0020_rate_ratings_translations").ratings_load(apps)
    roles = import_module("claims.migrations.0004_editor_and_publisher_groups")
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    for name, codenames in (("Editors", roles.EDITOR_PERMISSIONS), ("Publishers", roles.PUBLISHER_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
        )


@pytest.fixture(scope="package")
def browser() -> Iterator:
    """One Chromium for the browser tests; it closes before the rest of the suite runs."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -r requirements-dev.txt)")
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)  # CI machines are busy: wait, never sleep
    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        # While Playwright's sync API is open it keeps an event loop on this thread, and
        # Django refuses ORM calls under a running loop. Set only for these tests: other
        # tests run `manage.py check --deploy`, which rightly fails with it set.
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_test_failed = report.failed
    return report


@pytest.fixture
def page(request, browser, live_server) -> Iterator:
    """A fresh browser tab (no cookies) pointed at the live server, in English.

    When the test fails, the tab as it was is saved as test-artifacts/FAILED-<test>.png.
    """
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    if getattr(request.node, "browser_test_failed", False):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def screenshot(page):
    """screenshot("desk-queue") saves test-artifacts/desk-queue.png (full page)."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def log_in(page):
    """Sign in through the real admin login form."""
    from playwright.sync_api import expect

    def sign_in(username: str, password: str) -> None:
        page.goto("/admin/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()

    return sign_in


@pytest.fixture
def log_out(page):
    from playwright.sync_api import expect

    def sign_out() -> None:
        page.get_by_role("button", name="Log out").click()
        expect(page.get_by_role("heading", name="Logged out")).to_be_visible()

    return sign_out

