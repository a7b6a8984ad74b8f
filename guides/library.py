"""The current library: loaded once, re-read when a file under content/ changes.

An editor's save shows up without a restart; the look for changes costs a directory scan, so it
happens at most every ``CONTENT_CHECK_SECONDS``.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from guides.content import Library
from guides.loading import load_library

# --- the cached library ----------------------------------------------------------------


def _signature(root: Path) -> tuple:
    """What changes when an editor saves, adds, renames or removes a content file."""
    entries = []
    for folder in (root, root / "guides", root / "examples"):
        try:
            found = _scan(folder)
        except OSError:
            found = []
        with_stats = []
        for entry in found:
            try:  # a file deleted since the scan listed it is simply not there
                stat = entry.stat()
            except OSError:
                continue
            with_stats.append((entry.path, stat.st_mtime_ns, stat.st_size))
        entries.extend(sorted(with_stats))
    return tuple(entries)


def _scan(folder: Path) -> Iterable:
    with os.scandir(folder) as it:
        # A folder named x.md is listed too (the loader reports it), as is a file we may not read.
        return [e for e in it if e.name.endswith((".md", ".yaml", ".yml"))]


_lock = threading.Lock()
_cached: tuple[Path, tuple, Library] | None = None
_checked_at = 0.0


def get_library() -> Library:
    """The current library, re-read when a file under content/ changed since the last look.

    The look costs a directory scan, so it happens at most every CONTENT_CHECK_SECONDS.
    """
    global _cached, _checked_at
    root = Path(settings.CONTENT_DIR)
    now = time.monotonic()
    cached = _cached
    if cached and cached[0] == root and now - _checked_at < settings.CONTENT_CHECK_SECONDS:
        return cached[2]
    with _lock:
        signature = _signature(root)
        if _cached is None or _cached[0] != root or _cached[1] != signature:
            previous = _cached[2] if _cached and _cached[0] == root else None
            try:
                loaded = load_library(root, previous)
            except Exception:  # never expected; the last good library serves meanwhile
                if previous is None:
                    raise
                logging.getLogger(__name__).exception("content could not be loaded")
                loaded = previous
            _cached = (root, signature, loaded)
        _checked_at = now
        return _cached[2]
