"""Shared fixtures: fresh content per test, and Playwright on Debian's chromium."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.conf import settings

# live_server runs Django in a thread while Playwright's sync API holds an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def _shipped_library():
    """The shipped content, loaded and rendered once per test run (not once per test)."""
    from guides import library as guides_library

    guides_library._cached = None
    guides_library.get_library()
    return guides_library._cached


@pytest.fixture(autouse=True)
def _fresh_library(_shipped_library):
    """Each test sees the content as it is on disk (and a test's temp content never leaks):
    the shipped library as loaded once, or, for a test that points CONTENT_DIR elsewhere, its
    own (get_library sees the other folder and loads it)."""
    from django.core.cache import cache

    from database import health
    from guides import library as guides_library
    from helpcenter import anonymous, caching
    from triage import loading as triage_loading

    guides_library._cached = _shipped_library
    caching.memory.clear()  # rendered pages kept from another test's content or settings
    triage_loading._last_good.clear()
    cache.clear()
    anonymous.counts.clear()  # the rate limits' counts (in each process's memory)
    health.mark_database_up()  # the breaker, tripped by another test's outage
    yield
    guides_library._cached = _shipped_library
    caching.memory.clear()
    triage_loading._last_good.clear()


@pytest.fixture
def content_dir(tmp_path, settings):
    """A writable copy of the shipped content, for tests that edit or break it."""
    import shutil

    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    settings.CONTENT_DIR = target
    return target


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def phone(page):
    """A page the size of a small phone (360 x 740)."""
    page.set_viewport_size({"width": 360, "height": 740})
    return page


@pytest.fixture
def axe():
    """Run axe-core in the page; returns the list of violations (empty when accessible)."""
    source = AXE.read_text(encoding="utf-8")

    def run(page) -> list[dict]:
        # evaluate(), not a <script> tag: the strict CSP would block an inline tag.
        page.evaluate(source)
        result = page.evaluate("async () => JSON.stringify((await axe.run(document)).violations)")
        violations = json.loads(result)
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in violations
        ]

    return run


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def pytest_configure(config):
    settings.CONTENT_CHECK_SECONDS = 0


@pytest.fixture
def live_server(live_server, settings, request, monkeypatch):
    """pytest-django's live server, with links built for its address (SITE_URL).

    A page sends its beacon as it loads, so the last one may reach the server while the test's
    database is being emptied; browser tests that are not about counting let beacons count
    nothing (votes, which a test waits for, still count).
    """
    settings.SITE_URL = live_server.url
    if request.module.__name__ != "tests.browser.test_insights":
        from insights import events

        for beacon in ("count_view", "count_open", "count_search", "count_step", "count_ask"):
            monkeypatch.setattr(events, beacon, lambda *args, **kwargs: None)
        monkeypatch.setattr(events, "count_code", lambda *args, **kwargs: None)
    yield live_server
    # The browser is closed by now; a request it started may still be running in the server's
    # threads. The database is emptied after this, so wait for the last one.
    from tests import inflight

    inflight.wait_until_idle()


@pytest.fixture(autouse=True, scope="session")
def _no_counts_left_at_exit():
    """Counts a late beacon left waiting (its test's database already gone) are not written at
    interpreter exit, when there is no database and no log stream left to say so."""
    yield
    from insights import counting

    counting.discard_pending()


# Fixtures that give a test the database; with HELPCENTER_DATABASE_TESTS_ONLY=1 (scripts/test's
# PostgreSQL pass) only tests that use the database run: the rest would only repeat themselves.
DATABASE_FIXTURES = {"db", "transactional_db", "admin_client", "django_user_model", "live_server"}


def pytest_collection_modifyitems(config, items):
    if os.environ.get("HELPCENTER_DATABASE_TESTS_ONLY") != "1":
        return
    keep, drop = [], []
    for item in items:
        uses_database = item.get_closest_marker("django_db") is not None or bool(
            DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ()))
        )
        (keep if uses_database else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
