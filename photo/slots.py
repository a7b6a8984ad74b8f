"""How many photos are read at once, across every worker process of one host.

Reading a photo keeps both cores of a small host busy for about a second. A semaphore inside
one process would still let each of gunicorn's workers read at the same time and starve the
pages; so the semaphore is a set of ``PHOTO_SLOTS`` lock files (``fcntl.flock``), shared by
every process and thread of the host and released by the kernel if a worker dies mid-read.
A photo waits up to ``PHOTO_WAIT_SECONDS`` for a slot; after that the visitor gets a 503 page
with ``Retry-After`` and the worker is free for pages again.

The lock files are empty; nothing of a photo is ever written.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

POLL_SECONDS = 0.05

# Threads of one process take a slot here first, so they queue without spinning on flock.
_local = threading.Lock()
_local_slots: threading.BoundedSemaphore | None = None


class Busy(Exception):
    """No slot came free in time."""


def _semaphore() -> threading.BoundedSemaphore:
    global _local_slots
    with _local:
        if _local_slots is None:
            _local_slots = threading.BoundedSemaphore(settings.PHOTO_SLOTS)
        return _local_slots


def _try_lock(folder: Path) -> int | None:
    for index in range(settings.PHOTO_SLOTS):
        fd = os.open(folder / f"slot-{index}", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return fd
    return None


@contextlib.contextmanager
def slot() -> Iterator[None]:
    """Hold one reading slot for the block, or raise ``Busy``."""
    deadline = time.monotonic() + settings.PHOTO_WAIT_SECONDS
    local = _semaphore()
    if not local.acquire(timeout=settings.PHOTO_WAIT_SECONDS):
        raise Busy
    try:
        folder = Path(settings.PHOTO_SLOTS_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        fd = _try_lock(folder)
        while fd is None:
            if time.monotonic() >= deadline:
                raise Busy
            time.sleep(POLL_SECONDS)
            fd = _try_lock(folder)
        try:
            yield
        finally:
            os.close(fd)  # closing releases the lock
    finally:
        local.release()
