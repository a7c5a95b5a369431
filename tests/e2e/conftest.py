"""End-to-end fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Never a downloaded browser build: the executable is CHROMIUM_PATH (default /usr/bin/chromium).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from suanpan.users.choices import Role
from suanpan.users.models import User

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
TABLET = {"width": 768, "height": 1024}


@pytest.fixture(autouse=True, scope="session")
def _live_server_over_http(request: pytest.FixtureRequest) -> None:
    """Start the live server without the HTTPS redirect.

    SecurityMiddleware reads SECURE_SSL_REDIRECT once, when the server loads its middleware,
    so the override only needs to hold while the server starts; it leaks into no other test.
    """
    with override_settings(SECURE_SSL_REDIRECT=False):
        request.getfixturevalue("live_server")


@pytest.fixture(autouse=True)
def _browser_settings(settings: Any) -> None:
    """Plain HTTP, static files from the source tree, the product's default language."""
    # Without DEBUG the settings use WhiteNoise's manifest storage, which needs collectstatic;
    # the live server serves files from the finders instead.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    # The root conftest switches unit tests to English.
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not os.access(executable, os.X_OK):
        pytest.fail(f"No Chromium at {executable}: run .ci/browser-up or set CHROMIUM_PATH")
    # Playwright's sync API keeps an event loop running in the test thread, which makes Django
    # refuse database access there ("You cannot call this from an async context"). The tests
    # touch the database only between browser steps. Set here, not at import, so that a
    # `-m "not e2e"` run, which still imports this module, keeps Django's check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def context_options() -> dict[str, Any]:
    """More options for the browser context; a test module overrides this fixture."""
    return {}


@pytest.fixture
def browser_context(
    chromium: Browser, live_server, context_options: dict[str, Any]
) -> Iterator[BrowserContext]:
    context = chromium.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport=DESKTOP,
        **context_options,
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context: BrowserContext) -> Page:
    return browser_context.new_page()


@pytest.fixture
def pipeline_stages(db: None) -> None:
    """The default pipeline stages, as after `migrate`.

    Browser tests run against the live server, so each one flushes every table when it ends:
    the stages the sales migration seeds are gone for the tests that follow.
    """
    import importlib

    from django.apps import apps

    seeding = importlib.import_module("suanpan.sales.migrations.0002_default_stages")
    seeding.stages_create(apps, None)


@pytest.fixture
def salesperson(make_user: Callable[..., User]) -> User:
    """张伟, the salesperson the user guide's screenshots follow."""
    return make_user(Role.SALES, username="zhangwei", display_name="张伟")
