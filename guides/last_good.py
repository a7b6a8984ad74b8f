"""One last-good fallback for every content file: an editor's half-written or broken save keeps
the last version that loaded, and the problem is still reported (the check, /healthz).

The library keeps each guide, categories.yaml, contacts.yaml and synonyms.yaml this way as it
loads (``guides.loading``); codes.yaml and triage.yaml, built by their apps from the library,
call ``kept_or_built`` with a store of their own.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from guides.problems import Problem

LAST_GOOD_NOTE = "网站仍在使用这个文件上一次正确保存的版本，改好后自动生效"


def note(path: Path) -> Problem:
    """What the check says of a file whose last good version is still served."""
    return Problem(path, 0, LAST_GOOD_NOTE)


def kept_or_built(kept: dict[Path, Any], path: Path, built: Any, *, usable: bool) -> Any:
    """``built`` when it is usable (and remembered); otherwise the last usable one for ``path``,
    carrying ``built``'s problems and the note. ``built`` has a ``problems`` tuple."""
    if usable:
        kept[path] = built
        return built
    previous = kept.get(path)
    if previous is None:
        return built
    return replace(previous, problems=(*built.problems, note(path)))
