"""Publishing a checked draft: a new revision in the database, then the file on this instance.

The revision is the truth that every instance applies (``editor.sync``). A publish is refused
as a conflict when the file is no longer the text the editor started from (``base``): another
editor published meanwhile, or someone saved the file by hand. Two publishes from the same
version at the same moment both ask for the same version number; the unique constraint lets
exactly one of them in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max

from editor import files, sync
from editor.models import Revision


class Conflict(Exception):
    """The file changed since the draft was loaded; ``current`` is the text now."""

    def __init__(self, current: str | None) -> None:
        super().__init__("conflict")
        self.current = current


@dataclass(frozen=True, slots=True)
class Published:
    revision: Revision | None  # None: the draft was the text already there
    changed: bool


def current(relative: str) -> str | None:
    """The file as it is now, after every revision published anywhere has been applied here."""
    sync.apply_pending()
    return files.read(relative)


def publish(
    *, relative: str, text: str, base: str, user, message: str, reverts: Revision | None = None
) -> Published:
    # The version number this publish follows, read before the file is brought up to date: a
    # publish committed before this read is applied to the file (and its base no longer
    # matches); one committed after takes this number + 1 first, and ours is refused.
    seen = Revision.objects.filter(path=relative).aggregate(n=Max("number"))["n"] or 0
    now = current(relative)
    if files.digest(now) != base:
        raise Conflict(now)
    if now == text:
        return Published(None, changed=False)  # nothing to record
    try:
        with transaction.atomic():
            revision = Revision.objects.create(
                path=relative,
                number=seen + 1,
                text=text,
                digest=files.digest(text),
                base=base,
                previous=now or "",
                message=message[:200],
                reverts=reverts,
                editor=user,
            )
    except IntegrityError:
        raise Conflict(current(relative)) from None
    # This instance shows it at once; the others within EDITOR_SYNC_SECONDS.
    sync.apply(relative, text, text_digest=revision.digest, base=base)
    return Published(revision, changed=now != text)
