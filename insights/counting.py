"""Daily counters, buffered in each process's memory and written in batches.

``count()`` costs a dictionary update under a lock: a page never waits on the database. A
background thread writes what has gathered every ``INSIGHTS_FLUSH_SECONDS``, or as soon as
``INSIGHTS_FLUSH_EVENTS`` events are waiting; at exit the rest is written. With
``INSIGHTS_SYNC = True`` (tests, one-off commands) each event is written at once.

Writing is bounded and never raises into a request: a batch the database cannot take (it is
down, or hangs past its timeouts) goes back into the buffer and is tried again at the next
flush, so counts accepted during an outage are written when the database is back; only what
does not fit in the buffer is lost, and logged. Storage is bounded too: at most
``INSIGHTS_MAX_PENDING`` distinct keys wait in memory, at most ``INSIGHTS_GAP_DAY_LIMIT``
distinct gap queries are kept per day, and no new row is added past ``INSIGHTS_MAX_ROWS``
(existing counters still grow).
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import logging
import os
import threading
import time
from collections import Counter
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.db.models import F
from django.utils import timezone

logger = logging.getLogger(__name__)

GAP = "gap"  # kinds whose items are what merchants typed: distinct items capped per day
CAPPED = frozenset({GAP, "said-yes", "said-no"})


class Key(NamedTuple):
    day: dt.date
    kind: str
    item: str
    detail: str


_lock = threading.Lock()
_pending: Counter[Key] = Counter()
_events_waiting = 0
_dropped = 0  # events refused because the buffer was full, reported at the next flush
_flusher: tuple[int, threading.Thread] | None = None  # (pid, thread): a fork needs its own
_wake = threading.Event()


def count(kind: str, item: str = "", detail: str = "", *, n: int = 1) -> bool:
    """Count one event for today (Beijing time). Never raises, never waits on the database.

    False when the event could not be kept (the buffer is full: the database has been away
    for long); a vote then answers 503 instead of pretending."""
    global _events_waiting, _dropped
    key = Key(timezone.localdate(), kind, item, detail)
    with _lock:
        if key not in _pending and len(_pending) >= settings.INSIGHTS_MAX_PENDING:
            _dropped += n
            return False
        _pending[key] += n
        _events_waiting += n
        due = _events_waiting >= settings.INSIGHTS_FLUSH_EVENTS
    if settings.INSIGHTS_SYNC:
        flush()
        return True
    _ensure_flusher()
    if due:
        _wake.set()
    return True


def pending() -> dict[Key, int]:
    with _lock:
        return dict(_pending)


def discard_pending() -> None:
    """Forget what has not been written (tests)."""
    global _events_waiting, _dropped
    with _lock:
        _pending.clear()
        _events_waiting = _dropped = 0


# One flush at a time per process: at exit, the last flush waits for one still writing (a
# worker recycled by gunicorn's max_requests would otherwise cut a daemon thread's batch off).
_flushing = threading.Lock()


def flush() -> int:
    """Write what is waiting; return how many events were stored. Never raises."""
    with _flushing:
        return _flush()


def _flush() -> int:
    global _events_waiting, _dropped
    with _lock:
        batch = dict(_pending)
        _pending.clear()
        _events_waiting = 0
        dropped, _dropped = _dropped, 0
    if dropped:
        logger.warning("insights: %d events dropped, the buffer was full", dropped)
    for key, n in _claim_spooled().items():
        batch[key] = batch.get(key, 0) + n
    if not batch:
        return 0
    try:
        return _write(batch)
    except Exception as exc:
        _tell_the_breaker(exc)
        kept = _put_back(batch)
        logger.warning(
            "insights: the database could not take %d events; %d wait for the next try, "
            "%d lost (the buffer is full)",
            sum(batch.values()),
            kept,
            sum(batch.values()) - kept,
            exc_info=True,
        )
        return 0


def _tell_the_breaker(exc: Exception) -> None:
    """A write that met a lock, or the database away: /healthz and the staff pages hear it."""
    from database.health import is_lock_error, mark_database_down, mark_database_slow

    mark_database_down()
    if is_lock_error(exc):
        mark_database_slow()


def _put_back(batch: dict[Key, int]) -> int:
    """Return a batch that could not be written to the buffer (bounded); how many were kept."""
    kept = 0
    with _lock:
        for key, n in batch.items():
            if key in _pending or len(_pending) < settings.INSIGHTS_MAX_PENDING:
                _pending[key] += n
                kept += n
    return kept


def _write(batch: dict[Key, int]) -> int:
    from insights.models import DailyCount

    stored = 0
    new: list[tuple[Key, int]] = []
    with transaction.atomic():
        # Writes first: on SQLite a transaction that reads before it writes can deadlock with
        # another writer and fail at once instead of waiting for the lock.
        for key, n in batch.items():
            if DailyCount.objects.filter(**key._asdict()).update(count=F("count") + n):
                stored += n
            else:
                new.append((key, n))
        if not new:
            return stored
        # The caps only ever refuse new rows; existing counters always grow.
        rows = DailyCount.objects.count()
        gaps_today: dict[dt.date, int] = {}
        for key, n in sorted(new, key=lambda kn: -kn[1]):
            if rows >= settings.INSIGHTS_MAX_ROWS:
                break
            if key.kind in CAPPED:
                if key.day not in gaps_today:
                    gaps_today[key.day] = DailyCount.objects.filter(
                        day=key.day, kind__in=CAPPED
                    ).count()
                if gaps_today[key.day] >= settings.INSIGHTS_GAP_DAY_LIMIT:
                    continue
                gaps_today[key.day] += 1
            try:
                with transaction.atomic():
                    DailyCount.objects.create(**key._asdict(), count=n)
            except IntegrityError:
                # Another process added the row since our update: add to it instead.
                DailyCount.objects.filter(**key._asdict()).update(count=F("count") + n)
            else:
                rows += 1
            stored += n
    return stored


def _ensure_flusher() -> None:
    global _flusher
    pid = os.getpid()
    if _flusher is not None and _flusher[0] == pid and _flusher[1].is_alive():
        return
    with _lock:
        if _flusher is not None and _flusher[0] == pid and _flusher[1].is_alive():
            return
        thread = threading.Thread(target=_flush_forever, name="insights-flush", daemon=True)
        _flusher = (pid, thread)
        thread.start()


def _flush_forever() -> None:
    from database.deadline import budget

    while True:
        _wake.wait(timeout=settings.INSIGHTS_FLUSH_SECONDS)
        _wake.clear()
        # Each call of the batch gets the request's budget: a stalled database costs this
        # thread that long, then the batch waits in memory for the next try.
        with budget(settings.DB_TIMEOUT_SECONDS, fail_fast=False):
            flush()
        # This thread's own connection: closed, so a stopped database is retried afresh.
        connections.close_all()


# --- the spool: what an exiting process could not write ------------------------------------
# A worker that exits while the database is away (gunicorn recycles workers after
# max_requests, a deploy restarts them) would take its waiting counts with it. It writes them
# to a file instead, and the next flush of any process on this host claims the file (an atomic
# rename, so only one does) and writes them.


def _spool_dir() -> Path | None:
    folder = getattr(settings, "INSIGHTS_SPOOL_DIR", "")
    return Path(folder) if folder else None


def _spool(batch: dict[Key, int]) -> bool:
    folder = _spool_dir()
    if folder is None or not batch:
        return False
    rows = [[k.day.isoformat(), k.kind, k.item, k.detail, n] for k, n in batch.items()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{os.getpid()}-{time.time_ns()}"
        temp = folder / f"{name}.partial"
        temp.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        os.replace(temp, folder / f"{name}.json")
    except OSError:
        logger.warning("insights: %d events lost at exit", sum(batch.values()), exc_info=True)
        return False
    return True


def _claim_spooled() -> Counter[Key]:
    folder = _spool_dir()
    found: Counter[Key] = Counter()
    if folder is None or not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.json")):
        claimed = path.with_name(f"{path.stem}.{os.getpid()}.claimed")
        try:
            os.rename(path, claimed)  # whoever renames first owns the file
            rows = json.loads(claimed.read_text(encoding="utf-8"))
            claimed.unlink()
        except (OSError, ValueError):
            continue
        for day, kind, item, detail, n in rows:
            found[Key(dt.date.fromisoformat(day), kind, item, detail)] += int(n)
    return found


@atexit.register
def _flush_at_exit() -> None:
    # Waits for a flush still writing on the background thread, then writes the rest; what the
    # database cannot take now goes to the spool for the next process.
    from database.deadline import budget

    if _flushing.acquire(timeout=settings.DB_TIMEOUT_SECONDS * 3):
        try:
            if _pending:
                # Bounded like every other write: a stalled database sends the rest to the spool.
                with budget(settings.DB_TIMEOUT_SECONDS, fail_fast=False):
                    _flush()
            with _lock:
                left = dict(_pending)
                _pending.clear()
            _spool(left)
        finally:
            _flushing.release()
