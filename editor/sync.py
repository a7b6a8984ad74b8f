"""Revisions published on any instance reach this instance's content folder.

Each process looks for revisions it has not applied every ``EDITOR_SYNC_SECONDS`` (2 s) and
writes each into its content folder by an atomic rename; the library's own reload
(``guides.library``) then picks the file up like a hand-saved one, with the same last-good
safety. A revision is written only over the text it was made from (or is already there): a
file changed by hand since (a new release, an editor with git) is left alone, so neither way
of editing silently undoes the other.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from django.conf import settings
from django.db import connection

from editor import files

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_applied = 0  # the highest revision id this process has looked at
_started_in: int | None = None  # pid of the process whose poller runs


def apply_pending() -> int:
    """Apply every revision newer than the last one applied here; returns how many were new."""
    global _applied
    from editor.models import Revision

    # The query runs outside the lock: a database that hangs holds up this thread, never a
    # publish waiting for the lock.
    pending = list(
        Revision.objects.filter(id__gt=_applied)
        .order_by("id")
        .values_list("id", "path", "text", "digest", "base")
    )
    with _lock:
        pending = [row for row in pending if row[0] > _applied]
        # A new process goes through every revision; only the newest of a file may say that
        # the file was changed by hand (an older one simply has a newer one after it).
        newest = {path: revision_id for revision_id, path, *_ in pending}
        for revision_id, path, text, text_digest, base in pending:
            apply(path, text, text_digest=text_digest, base=base, quiet=newest[path] != revision_id)
            _applied = revision_id
        return len(pending)


def apply(path: str, text: str, *, text_digest: str, base: str, quiet: bool = False) -> bool:
    if path in files.RETIRED:
        return False  # history of a file the site no longer reads
    if not files.REVISION_PATH.fullmatch(path):
        logger.error("revision names a file that is not editable: %r", path)
        return False
    current = files.digest(files.read(path))
    if current == text_digest:
        return False
    if current != base:
        if quiet:
            return False
        logger.warning(
            "%s changed by hand since it was published in the browser: the file is kept", path
        )
        return False
    files.write_atomic(path, text)
    return True


def forget() -> None:
    """Start again from the first revision (tests; a content folder replaced under a process)."""
    global _applied
    with _lock:
        _applied = 0


def interval() -> float:
    return float(getattr(settings, "EDITOR_SYNC_SECONDS", 2))


def start_poller(**kwargs) -> None:
    global _started_in
    if _started_in == os.getpid() or interval() <= 0:
        return
    with _lock:
        if _started_in == os.getpid():
            return
        _started_in = os.getpid()
    threading.Thread(target=_poll, name="editor-sync", daemon=True).start()


def _poll() -> None:
    while True:
        try:
            apply_pending()
        except Exception:  # the database away: the site serves what it has, and tries again
            logger.warning("could not read published revisions", exc_info=True)
        finally:
            connection.close()
        time.sleep(interval())
