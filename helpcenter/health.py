"""Is the database answering? Asked by /healthz, answered within a second whatever happens.

The probe runs in its own thread with its own connection, so a database that accepts
connections and then never answers costs the caller one second, not a worker thread. Only one
probe is in flight at a time: while one is still waiting, callers hear "not answering".
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
    global _down_until
    _down_until = 0.0


def _probe(result: list) -> None:
    connection = connections.create_connection("default")
    try:
        with connection.cursor() as cursor:
            # A table the site writes to, not just SELECT 1: an empty or unmigrated database
            # file answers SELECT 1 too.
            cursor.execute("SELECT 1 FROM django_migrations LIMIT 1")
            cursor.fetchone()
        result.append(True)
    except Exception as exc:  # any driver error: the answer is "not reachable"
        result.append(type(exc).__name__)
    finally:
        try:
            connection.close()
        finally:
            _in_flight.release()


def database_health(*, timeout: float = PROBE_SECONDS) -> DatabaseHealth:
    start = time.monotonic()
    if not _in_flight.acquire(blocking=False):
        return DatabaseHealth(False, "上一次检查还没有得到数据库的回答", 0)
    result: list = []
    thread = threading.Thread(target=_probe, args=(result,), daemon=True, name="db-health")
    thread.start()
    thread.join(timeout)
    elapsed = int((time.monotonic() - start) * 1000)
    if not result:
        mark_database_down()
        return DatabaseHealth(False, f"数据库 {timeout:g} 秒内没有回答", elapsed)
    if result[0] is True:
        mark_database_up()
        return DatabaseHealth(True, "正常", elapsed)
    mark_database_down()
    return DatabaseHealth(False, f"连不上数据库（{result[0]}）", elapsed)
