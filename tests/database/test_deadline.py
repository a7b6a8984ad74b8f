"""database/deadline.py and health.py: no request waits on the database past its budget,
whatever the database does; the breaker; /healthz says when the database is slow."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError
from django.test import Client

from database import health

GUIDE = "/guides/sign-in-after-power-off/"


SAME_ORIGIN = {"Origin": "http://testserver"}


class _StalledConnection:
    """A raw connection whose query never answers until interrupted (as SQLite's would be)."""

    def __init__(self) -> None:
        self.interrupted = threading.Event()

    def interrupt(self) -> None:
        self.interrupted.set()


class _Wrapper:
    vendor = "sqlite"
    errors_occurred = False

    def __init__(self) -> None:
        self.connection = _StalledConnection()


def _stalled_execute(sql, params, many, context):
    raw = context["connection"].connection
    if not raw.interrupted.wait(30):
        return "answered after 30 s"
    raise OperationalError("interrupted")


@pytest.fixture
def staff_client(db):
    from django.contrib.auth.models import User

    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_user("editor", password="x" * 20, is_staff=True))
    return client


@pytest.mark.django_db
def test_beacons_and_votes_make_no_database_call(settings, django_assert_num_queries):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "helpcenter_cache",
        }
    }
    settings.INSIGHTS_SYNC = False
    settings.INSIGHTS_FLUSH_SECONDS = 3600
    from django.core.management import call_command

    from insights import counting

    call_command("createcachetable", verbosity=0)  # as migrate makes it in production

    client = Client()
    try:
        with django_assert_num_queries(0):
            beacon = client.post(
                "/insights/event",
                {"kind": "view", "guide": "sign-in-after-power-off"},
                headers=SAME_ORIGIN,
            )
            vote = client.post(GUIDE + "feedback/", {"helpful": "no"}, headers=SAME_ORIGIN)
        assert beacon.status_code == 204 and vote.status_code == 302
        assert sum(counting.pending().values()) == 2  # counted, waiting to be written
    finally:
        counting.discard_pending()


def test_a_stalled_call_returns_at_its_deadline_and_trips_the_breaker():
    from database import deadline

    wrapper = _Wrapper()
    start = time.monotonic()
    with deadline.budget(0.3), pytest.raises(OperationalError):
        deadline._execute_with_deadline(
            _stalled_execute, "SELECT 1", (), False, {"connection": wrapper}
        )
    assert time.monotonic() - start < 1.0
    assert health.database_down() and health.database_slow()
    assert wrapper.errors_occurred  # Django throws the connection away
    # While it is down, the next call does not wait at all.
    start = time.monotonic()
    with deadline.budget(0.3), pytest.raises(OperationalError):
        deadline._execute_with_deadline(
            _stalled_execute, "SELECT 1", (), False, {"connection": _Wrapper()}
        )
    assert time.monotonic() - start < 0.1


def test_calls_outside_a_budget_are_left_alone():
    from database import deadline

    def quick(sql, params, many, context):
        return "ok"

    health.mark_database_down()
    assert deadline._execute_with_deadline(quick, "", (), False, {"connection": _Wrapper()}) == "ok"


@pytest.mark.django_db
def test_requests_run_with_the_database_budget(settings, client, monkeypatch):
    from database import deadline

    seen = []
    from insights import views

    def build(*args, **kwargs):
        seen.append(deadline.current_budget())
        raise OperationalError("no answer")

    monkeypatch.setattr(views.report, "build", build)
    settings.DB_TIMEOUT_SECONDS = 1.5
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("ed", password="x" * 20, is_staff=True))
    client.raise_request_exception = False
    assert client.get("/staff/insights/").status_code == 503
    assert seen == [1.5]


@pytest.mark.django_db
def test_healthz_says_database_slow_within_about_a_second(client, monkeypatch):
    def stalled_probe(result: list) -> None:
        time.sleep(3)
        health._in_flight.release()

    monkeypatch.setattr(health, "_probe", stalled_probe)
    from helpcenter.status import content_errors as current_errors

    current_errors()  # the content check runs once per content version, not per look
    start = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - start < 1.5
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "database-slow" and body["database"]["slow"] is True
    # The next look, while that probe still waits, answers at once and says the same.
    start = time.monotonic()
    assert client.get("/healthz").json()["status"] == "database-slow"
    assert time.monotonic() - start < 0.5


@pytest.mark.django_db
def test_healthz_says_database_slow_when_writes_met_a_lock(client):
    from insights import counting

    counting._tell_the_breaker(OperationalError("database is locked"))
    assert client.get("/healthz").json()["status"] == "database-slow"


@pytest.mark.parametrize("url", ["/staff/insights/", "/staff/insights/guides.csv"])
def test_staff_pages_answer_503_not_500_while_the_database_is_away(staff_client, monkeypatch, url):
    from insights import report

    def away(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(report, "build", away)
    response = staff_client.get(url)
    assert response.status_code == 503
    assert "暂时打不开" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert health.database_down()


def test_the_login_answers_503_while_the_database_is_away(db, monkeypatch):
    import django.contrib.auth.forms as forms

    def away(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(forms, "authenticate", away)
    response = Client(raise_request_exception=False).post(
        "/staff/login/", {"username": "editor", "password": "whatever"}
    )
    assert response.status_code == 503
