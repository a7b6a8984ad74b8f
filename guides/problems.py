"""One problem type for every content check: a file, a line and what is wrong, in Chinese."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import checks


@dataclass(frozen=True, slots=True)
class Problem:
    path: Path
    line: int  # 0 when the problem is the file as a whole
    message: str
    serious: bool = True  # False: a warning (the guide is still published)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    def as_check(self, check_id: str) -> checks.CheckMessage:
        level = checks.Error if self.serious else checks.Warning
        return level(f"{display_path(self.path)}:{self.line}: {self.message}", id=check_id)


class Problems:
    """Problems found while loading, in order."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, path: Path, line: int, message: str) -> None:
        self.items.append(Problem(path, line, message))

    def failed(self, path: Path, since: int) -> bool:
        """Whether a problem about ``path`` was added after the first ``since`` ones."""
        return any(p.path == path for p in self.items[since:])


def display_path(path: Path) -> str:
    try:
        return str(path.relative_to(settings.BASE_DIR))
    except ValueError:
        return str(path)
