"""helpcenter/anonymous.py: limits on anonymous writes and logins, counted atomically in memory."""

from __future__ import annotations

import concurrent.futures
import threading
import time

import pytest
from django.test import Client

from helpcenter import anonymous
from insights import counting

GUIDE = "/guides/sign-in-after-power-off/"


SAME_ORIGIN = {"Origin": "http://testserver"}


DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "helpcenter_cache",
    }
}


@pytest.fixture
def production_limits(settings):
    settings.CACHES = DATABASE_CACHE
    settings.ANONYMOUS_WRITE_LIMITS = {}
    settings.INSIGHTS_SYNC = False  # counts wait in memory, as in production
    settings.INSIGHTS_FLUSH_SECONDS = 3600
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)  # as migrate makes it in production
    yield
    counting.discard_pending()


def _burst(n: int, send) -> list[int]:
    start = threading.Barrier(min(n, 50))

    def one(i: int) -> int:
        if i < 50:
            start.wait()
        return send(i)

    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        return list(pool.map(one, range(n)))


def _beacon(i: int) -> int:
    return (
        Client(raise_request_exception=False)
        .post(
            "/insights/event",
            {"kind": "view", "guide": "sign-in-after-power-off"},
            headers=SAME_ORIGIN,
            REMOTE_ADDR="203.0.113.50",
        )
        .status_code
    )


def _vote(i: int) -> int:
    return (
        Client(raise_request_exception=False)
        .post(
            GUIDE + "feedback/",
            {"helpful": "yes"},
            headers=SAME_ORIGIN,
            REMOTE_ADDR="203.0.113.51",
        )
        .status_code
    )


@pytest.fixture
def slow_password_check(monkeypatch):
    """Every password check takes 50 ms and fails, and is counted."""
    import django.contrib.auth.forms as forms

    checked = []
    lock = threading.Lock()

    def authenticate(request=None, **credentials):
        with lock:
            checked.append(credentials.get("username"))
        time.sleep(0.05)
        return None

    monkeypatch.setattr(forms, "authenticate", authenticate)
    return checked


def _wrong_login(i: int) -> int:
    return (
        Client(raise_request_exception=False)
        .post(
            "/staff/login/",
            {"username": "editor", "password": f"wrong-{i}"},
            REMOTE_ADDR="203.0.113.52",
        )
        .status_code
    )


@pytest.fixture
def database_away(settings):
    """The cache table is gone (the database refuses): whatever relied on it fails."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "no_such_table_the_database_is_away",
        }
    }


@pytest.mark.django_db(transaction=True)
def test_300_concurrent_beacons_from_one_address_get_at_most_120_through(production_limits):
    statuses = _burst(300, _beacon)
    assert statuses.count(204) <= 120, statuses.count(204)
    assert statuses.count(204) >= 100  # the limit is a limit, not an outage
    assert set(statuses) <= {204, 429}, set(statuses)


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_from_one_address_get_at_most_10_through(production_limits):
    statuses = _burst(60, _vote)
    assert statuses.count(302) <= 10, statuses.count(302)
    assert statuses.count(302) == 10
    assert set(statuses) <= {302, 429}, set(statuses)


@pytest.mark.django_db(transaction=True)
def test_40_concurrent_wrong_passwords_get_at_most_5_checked(
    production_limits, slow_password_check
):
    statuses = _burst(40, _wrong_login)
    assert len(slow_password_check) <= 5, len(slow_password_check)
    assert statuses.count(429) >= 35, statuses


@pytest.mark.django_db
def test_wrong_passwords_are_counted_while_the_database_is_away(database_away, slow_password_check):
    statuses = [_wrong_login(i) for i in range(8)]
    assert statuses == [200] * 5 + [429] * 3, statuses
    assert len(slow_password_check) == 5


@pytest.mark.django_db
def test_votes_are_limited_while_the_database_is_away(database_away, settings):
    settings.INSIGHTS_SYNC = False
    try:
        statuses = [_vote(i) for i in range(12)]
    finally:
        counting.discard_pending()
    assert statuses == [302] * 10 + [429] * 2, statuses


def test_the_limit_memory_is_bounded_and_forgets_ended_windows(monkeypatch):
    counts = anonymous.WindowCounts(max_keys=100)
    for i in range(1000):
        assert counts.take(f"client-{i}", allowed=1, window=60) == 0
    assert len(counts) <= 100
    now = time.monotonic()
    monkeypatch.setattr(anonymous.time, "monotonic", lambda: now + 3600)
    counts.take("late", allowed=1, window=60)
    assert len(counts) == 1


def test_a_burst_across_a_window_boundary_gets_no_second_allowance(monkeypatch):
    """Fixed windows let 2 x the limit through around a boundary; the limit holds over any span."""
    counts = anonymous.WindowCounts()
    clock = [1000.0]
    monkeypatch.setattr(anonymous.time, "monotonic", lambda: clock[0])
    taken = 0
    for _ in range(300):  # 300 takes spread over 2 s that straddle t = 1020 (a minute mark)
        clock[0] += 2 / 300
        taken += counts.take("burst", allowed=120, window=60) == 0
    assert taken == 120
    clock[0] += 60  # a window later, a new allowance
    assert counts.take("burst", allowed=120, window=60) == 0


@pytest.mark.django_db(transaction=True)
def test_no_hashed_client_address_is_left_in_the_cache_table(settings):
    from django.db import connection

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "helpcenter_cache",
        }
    }
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)  # as migrate makes it in production
    client = Client()
    for i in range(20):
        address = f"198.51.100.{i}"
        client.post(
            "/insights/event",
            {"kind": "search", "query": "签到"},
            headers=SAME_ORIGIN,
            REMOTE_ADDR=address,
        )
        client.post(
            "/guides/sign-in-after-power-off/feedback/",
            {"helpful": "no"},
            headers=SAME_ORIGIN,
            REMOTE_ADDR=address,
        )
        client.post("/staff/login/", {"username": "x", "password": "y"}, REMOTE_ADDR=address)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM helpcenter_cache")
        assert cursor.fetchone()[0] == 0
