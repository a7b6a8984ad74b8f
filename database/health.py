"""Is the database answering? Asked by /healthz, answered within a second whatever happens.

The probe runs in its own thread with its own connection, so a database that accepts
connections and then never answers costs the caller one second, not a worker thread. Only one
probe is in flight at a time: while one is still waiting, callers hear "not answering".

Besides reading, the probe asks for the write lock the counts need without waiting for it
(SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: ``LOCK TABLE … NOWAIT``), so a database that reads
but holds every write is "slow", not "ok". So is one whose calls ran past their deadline
(``database.deadline``) or whose writes met a lock, for the next ``DOWN_SECONDS``.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.db import connections

PROBE_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class DatabaseHealth:
    ok: bool
    detail: str  # for people: never a server path, host or password
    milliseconds: int
    slow: bool = False  # it is there but does not answer in time, or holds its write lock


_in_flight = threading.Lock()
# After a failed write, writes are refused at once until this moment (time.monotonic()).
DOWN_SECONDS = 5.0
_down_until = 0.0


def mark_database_down(seconds: float = DOWN_SECONDS) -> None:
    global _down_until
    _down_until = time.monotonic() + seconds


def database_down() -> bool:
    return time.monotonic() < _down_until


def mark_database_up() -> None:
    global _down_until, _slow_until
    _down_until = _slow_until = 0.0


# After a call ran past its deadline or a write met a lock: /healthz says "slow" until then.
_slow_until = 0.0


def mark_database_slow(seconds: float = DOWN_SECONDS) -> None:
    global _slow_until
    _slow_until = time.monotonic() + seconds


def database_slow() -> bool:
    return time.monotonic() < _slow_until


def is_lock_error(exc: BaseException) -> bool:
    """A write that met someone else's lock (SQLite's "database is locked", PostgreSQL's
    lock_timeout or NOWAIT)."""
    text = f"{type(exc).__name__} {exc} {type(exc.__cause__).__name__}".lower()
    return "locked" in text or ("lock" in text and ("timeout" in text or "notavailable" in text))


# Ask for the lock a write of counts needs, without waiting for it, then let it go.
_WRITE_LOCK = {
    "sqlite": ("BEGIN IMMEDIATE", "ROLLBACK"),
    "postgresql": (
        "BEGIN",
        "LOCK TABLE insights_dailycount IN ROW EXCLUSIVE MODE NOWAIT",
        "ROLLBACK",
    ),
}


def _probe(result: list) -> None:
    from database.deadline import budget

    connection = connections.create_connection("default")
    try:
        with budget(PROBE_SECONDS * 2, fail_fast=False), connection.cursor() as cursor:
            # A table the site writes to, not just SELECT 1: an empty or unmigrated database
            # file answers SELECT 1 too.
            cursor.execute("SELECT 1 FROM django_migrations LIMIT 1")
            cursor.fetchone()
            # (An in-memory database lives in this process: only our own code can lock it.)
            if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
                for statement in _WRITE_LOCK.get(connection.vendor, ()):
                    cursor.execute(statement)
        result.append(True)
    except Exception as exc:  # any driver error: the answer is "not reachable"
        result.append("locked" if is_lock_error(exc) else type(exc).__name__)
    finally:
        try:
            connection.close()
        finally:
            _in_flight.release()


def database_health(*, timeout: float = PROBE_SECONDS) -> DatabaseHealth:
    start = time.monotonic()
    if not _in_flight.acquire(blocking=False):
        return DatabaseHealth(False, "数据库很慢：上一次检查还没有得到回答", 0, slow=True)
    result: list = []
    thread = threading.Thread(target=_probe, args=(result,), daemon=True, name="db-health")
    thread.start()
    thread.join(timeout)
    elapsed = int((time.monotonic() - start) * 1000)
    if not result:
        mark_database_down()
        mark_database_slow()
        return DatabaseHealth(False, f"数据库很慢：{timeout:g} 秒内没有回答", elapsed, slow=True)
    if result[0] == "locked":
        mark_database_down()
        mark_database_slow()
        return DatabaseHealth(False, "数据库很慢：写入被锁住了", elapsed, slow=True)
    if result[0] is True:
        if database_slow():  # it answers now, but a call or a write met a deadline just now
            return DatabaseHealth(False, "数据库很慢：刚才有写入超时或被锁住", elapsed, slow=True)
        mark_database_up()
        return DatabaseHealth(True, "正常", elapsed)
    mark_database_down()
    return DatabaseHealth(False, f"连不上数据库（{result[0]}）", elapsed)


def health_report() -> tuple[str, dict]:
    """What /healthz says of the database: a problem name ("database" when it is away,
    "database-slow" when it answers too late or holds its write lock; "" when fine) and details."""
    health = database_health()
    problem = "" if health.ok else ("database-slow" if health.slow else "database")
    details = {
        "ok": health.ok,
        "slow": health.slow,
        "detail": health.detail,
        "milliseconds": health.milliseconds,
    }
    return problem, details
