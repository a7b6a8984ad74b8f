"""The whole stack on a bad day: a PostgreSQL whose server processes are stopped (SIGSTOP: the
kernel still accepts connections and acknowledges every byte, nothing answers), and a SQLite
database whose write lock is held, each while 8 clients send beacons and 8 read pages.

Pages keep answering fast, no answer is a 5xx, beacons are answered at once (their limits and
counts live in memory) and are stored once the database is back; /healthz says
"database-slow" within about a second."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live_gunicorn import fetch, free_port, gunicorn

GUIDE_SLUG = "sign-in-after-power-off"
PAGES = [f"/guides/{GUIDE_SLUG}/", "/", "/search/?q=签到", "/triage/", "/codes/51/"]
FORM = "application/x-www-form-urlencoded"
CLIENTS = 8


class Load:
    """8 clients sending beacons and 8 reading pages until stopped; what each one saw."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.stop = threading.Event()
        self.pages: list[tuple[int, float]] = []
        self.beacons: list[tuple[int, float]] = []
        self.threads = [
            threading.Thread(target=self._reader, args=(i,), daemon=True) for i in range(CLIENTS)
        ] + [threading.Thread(target=self._beacon, args=(i,), daemon=True) for i in range(CLIENTS)]

    def _reader(self, i: int) -> None:
        n = i
        while not self.stop.is_set():
            start = time.monotonic()
            status, _, _ = fetch(self.base + PAGES[n % len(PAGES)], timeout=10)
            self.pages.append((status, time.monotonic() - start))
            n += 1
            time.sleep(0.05)

    def _beacon(self, i: int) -> None:
        while not self.stop.is_set():
            start = time.monotonic()
            status, _, _ = fetch(
                self.base + "/insights/event",
                data=f"kind=view&guide={GUIDE_SLUG}".encode(),
                timeout=10,
                Origin=self.base,
                **{"Content-Type": FORM, "X-Forwarded-For": f"198.51.100.{i + 1}"},
            )
            self.beacons.append((status, time.monotonic() - start))
            time.sleep(0.1)

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(15)

    @staticmethod
    def p95(samples: list[tuple[int, float]]) -> float:
        times = sorted(seconds for _, seconds in samples)
        return times[int(len(times) * 0.95)] if times else 0.0


def _healthz(base: str) -> tuple[float, dict]:
    import json

    start = time.monotonic()
    status, _, body = fetch(base + "/healthz", timeout=10)
    assert status == 200
    return time.monotonic() - start, json.loads(body)


def _assert_served_through(load: Load, *, page_limit: float, beacon_limit: float) -> int:
    statuses = [s for s, _ in load.pages] + [s for s, _ in load.beacons]
    assert load.pages and load.beacons
    assert not [s for s in statuses if s >= 500], sorted(set(statuses))
    assert {s for s, _ in load.pages} == {200}
    assert max(seconds for _, seconds in load.beacons) < beacon_limit, Load.p95(load.beacons)
    accepted = sum(1 for s, _ in load.beacons if s == 204)
    assert accepted >= len(load.beacons) * 0.9
    return accepted


# --- PostgreSQL, stopped ----------------------------------------------------------------


def _pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


@contextlib.contextmanager
def own_postgres() -> Iterator[tuple[str, Path]]:
    """A throwaway PostgreSQL cluster on a free port (needs root and Debian's postgresql)."""
    pg_bin = _pg_bin()
    if pg_bin is None or os.geteuid() != 0:
        pytest.skip("needs root and Debian's postgresql package")
    owner = pwd.getpwnam("postgres")
    folder = Path(tempfile.mkdtemp(prefix="badday-pg-"))
    os.chown(folder, owner.pw_uid, owner.pw_gid)
    data, port = folder / "data", free_port()

    def as_postgres(command: str) -> None:
        subprocess.run(["su", "postgres", "-c", command], check=True, capture_output=True)

    try:
        as_postgres(f"{pg_bin}/initdb -D {data} -A trust -U postgres -E UTF8 --no-sync")
        # In its configuration, so a restart (bench/bench_faults.py stops and starts it) keeps them.
        with open(data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(
                f"port = {port}\nunix_socket_directories = '{folder}'\n"
                "listen_addresses = '127.0.0.1'\nfsync = off\n"
            )
        as_postgres(f"{pg_bin}/pg_ctl -D {data} -l {folder}/log -w start")
        yield f"postgres://postgres@127.0.0.1:{port}/postgres", data
    finally:
        resume(data)
        with contextlib.suppress(Exception):
            as_postgres(f"{pg_bin}/pg_ctl -D {data} -m immediate -w stop")
        shutil.rmtree(folder, ignore_errors=True)


def _server_processes(data: Path) -> list[int]:
    """The postmaster first, then every process it started."""
    with contextlib.suppress(OSError, ValueError):
        postmaster = int((data / "postmaster.pid").read_text().split()[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == postmaster:
                    children.append(int(stat.parent.name))
        return [postmaster, *children]
    return []


def stall(data: Path) -> None:
    for pid in _server_processes(data):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGSTOP)


def resume(data: Path) -> None:
    for pid in _server_processes(data):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGCONT)


def _pg_views(url: str) -> int:
    import psycopg

    with psycopg.connect(url, connect_timeout=3) as db:
        row = db.execute(
            "SELECT COALESCE(SUM(count), 0) FROM insights_dailycount WHERE kind = 'view'"
        ).fetchone()
    return int(row[0])


def _wait_for(stored, expected: int, seconds: float = 20) -> int:
    deadline = time.monotonic() + seconds
    found = -1
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            found = stored()
            if found >= expected:
                return found
        time.sleep(0.5)
    return found


@pytest.mark.stack
def test_a_stopped_postgresql_holds_no_page_and_loses_no_beacon(tmp_path):
    with (
        own_postgres() as (url, data),
        gunicorn(
            tmp_path,
            DATABASE_URL=url,
            GUNICORN_WORKERS="2",
            GUNICORN_THREADS="4",
            HELPCENTER_INSIGHTS_FLUSH_SECONDS="1",
        ) as base,
    ):
        # Warm: every worker has sent counts, so the stall meets open connections.
        with Load(base) as warm:
            time.sleep(2.5)
        warm_accepted = sum(1 for s, _ in warm.beacons if s == 204)
        assert _wait_for(lambda: _pg_views(url), warm_accepted) >= warm_accepted
        stall(data)
        try:
            with Load(base) as load:
                time.sleep(2.5)  # the flushers have met the stall by now
                seconds, health = _healthz(base)
                time.sleep(4)
        finally:
            resume(data)
        accepted = _assert_served_through(load, page_limit=2, beacon_limit=2)
        assert max(seconds for _, seconds in load.pages) < 2, Load.p95(load.pages)
        assert seconds < 1.5 and health["status"] == "database-slow", (seconds, health)
        total = warm_accepted + accepted
        assert _wait_for(lambda: _pg_views(url), total) == total


# --- SQLite, write lock held ------------------------------------------------------------


def _sqlite_views(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path, timeout=5)) as db:
        row = db.execute(
            "SELECT COALESCE(SUM(count), 0) FROM insights_dailycount WHERE kind = 'view'"
        ).fetchone()
    return int(row[0])


@pytest.mark.stack
def test_a_held_sqlite_write_lock_keeps_pages_fast_and_writes_answered(tmp_path):
    database = tmp_path / "db.sqlite3"
    with gunicorn(
        tmp_path,
        GUNICORN_WORKERS="2",
        GUNICORN_THREADS="4",
        HELPCENTER_INSIGHTS_FLUSH_SECONDS="1",
    ) as base:
        for page in PAGES:  # rendered once per worker before the clock starts
            fetch(base + page)
            fetch(base + page)
        holder = sqlite3.connect(database, isolation_level=None, timeout=5)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            with Load(base) as load:
                time.sleep(3)
                seconds, health = _healthz(base)
                time.sleep(7)  # the lock is held 10 s in all
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        accepted = _assert_served_through(load, page_limit=2, beacon_limit=1)
        assert Load.p95(load.pages) < 0.2, Load.p95(load.pages)
        assert seconds < 1.5 and health["status"] == "database-slow", (seconds, health)
        assert _wait_for(lambda: _sqlite_views(database), accepted) == accepted


@pytest.mark.stack
def test_a_query_on_an_open_connection_to_a_stopped_postgresql_returns_at_its_deadline(
    django_db_blocker,
):
    import dj_database_url
    from django.db import OperationalError
    from django.db.utils import ConnectionHandler

    from database import deadline, health

    with own_postgres() as (url, data), django_db_blocker.unblock():
        handler = ConnectionHandler({"default": dj_database_url.parse(url)})
        connection = handler["default"]
        try:
            with deadline.budget(1.0), connection.cursor() as cursor:
                cursor.execute("SELECT 1")  # the connection is open before the stall
            stall(data)
            try:
                start = time.monotonic()
                with (
                    pytest.raises(OperationalError),
                    deadline.budget(1.0),
                    connection.cursor() as cursor,
                ):
                    cursor.execute("SELECT 1")
                elapsed = time.monotonic() - start
                assert elapsed < 2, elapsed
                assert health.database_down() and health.database_slow()
                # The next call does not wait at all, nor try to connect again.
                start = time.monotonic()
                with pytest.raises(OperationalError), deadline.budget(1.0):
                    connection.close()
                    connection.cursor().execute("SELECT 1")
                assert time.monotonic() - start < 0.5
            finally:
                resume(data)
            health.mark_database_up()
            with deadline.budget(1.0), connection.cursor() as cursor:
                cursor.execute("SELECT 2")  # back: a fresh connection answers
                assert cursor.fetchone() == (2,)
        finally:
            connection.close()
            health.mark_database_up()
