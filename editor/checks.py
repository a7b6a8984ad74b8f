"""Checks the editor adds to the content check (they run in `manage.py check` too)."""

from __future__ import annotations

import re

from django.core import checks

from guides.content import Library
from guides.library import get_library
from guides.problems import Problem

EXPLICIT_ANCHOR = re.compile(r"\{:?\s*#([^}\s]+)[^}]*\}\s*$")


def duplicate_anchors(library: Library) -> list[Problem]:
    """Two headings with the same {#anchor}: Markdown quietly renames the second (faq_1), and
    every link to it lands on the first."""
    problems = []
    for guide in library.guides.values():
        try:
            lines = guide.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        first: dict[str, int] = {}
        for number, line in enumerate(lines[guide.body_line - 1 :], start=guide.body_line):
            found = EXPLICIT_ANCHOR.search(line) if line.startswith("#") else None
            if not found:
                continue
            anchor = found.group(1)
            if anchor in first:
                problems.append(
                    Problem(
                        guide.path,
                        number,
                        f"锚点 #{anchor} 重复：第 {first[anchor]} 行已经用过，请换一个",
                    )
                )
            first.setdefault(anchor, number)
    return problems


@checks.register("content")
def anchor_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return [p.as_check("editor.E001") for p in duplicate_anchors(get_library())]
