"""A draft checked as the site would check it, before anything is published.

The live content folder is copied to a scratch folder of this thread, the draft put in its
place, and the whole library loaded and checked there: links, anchors, the assistant's tree and
codes.yaml are checked together, so a removed anchor still linked from the tree is found. The
live folder is never written by a preview.

Trust boundary: a draft comes from a logged-in editor and is rendered by the site's one
Markdown pipeline (``guides.markup``), which escapes raw HTML; nothing of it reaches a merchant
before it is published.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path

from django.core.checks import ERROR

from codes import content as codes_content
from codes.checks import codes_problems
from codes.content import get_codebook
from editor import files
from editor.checks import duplicate_anchors
from guides import markup
from guides.checks import check_library
from guides.content import Library
from guides.last_good import LAST_GOOD_NOTE
from guides.library import get_library
from guides.loading import load_library, split_front_matter
from guides.problems import Problem
from triage import loading as triage_loading
from triage.checks import response_code_problems, tree_messages
from triage.loading import get_tree

CHECK_MESSAGE = re.compile(r"^(?P<path>.*?):(?P<line>\d+): (?P<message>.*)$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Finding:
    path: str  # relative to the content folder
    line: int
    message: str
    serious: bool
    new: bool  # caused by the draft (not already a problem of the live content)


@dataclass(frozen=True, slots=True)
class Checked:
    relative: str
    findings: tuple[Finding, ...]
    html: str  # the rendered guide ("" for YAML files or front matter that does not parse)

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.serious and f.new]

    @property
    def shown(self) -> list[Finding]:
        """What the draft caused, and the warnings about its own file."""
        return [f for f in self.findings if f.new or f.path == self.relative]


def library_problems(library: Library) -> list[tuple[str, int, str, bool]]:
    """Everything the site's content check says about a library, as (path, line, message,
    serious) with paths relative to the library's folder."""
    problems: list[Problem] = [
        *check_library(library),
        *codes_problems(library),
        *response_code_problems(library, get_codebook(library)),
        *duplicate_anchors(library),
    ]
    found = [(_relative(p.path, library.root), p.line, p.message, p.serious) for p in problems]
    tree = get_tree(library)
    for message in tree_messages(tree):
        parsed = CHECK_MESSAGE.match(message.msg)
        if parsed:
            found.append(
                (
                    _relative(tree.source, library.root),
                    int(parsed["line"]),
                    parsed["message"],
                    message.level >= ERROR,
                )
            )
    return [p for p in found if LAST_GOOD_NOTE not in p[2]]


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _live_problems(library: Library) -> set[tuple[str, str]]:
    return {(path, message) for path, _, message, _ in library_problems(library)}


class _Scratch:
    """A thread's scratch folder, removed when the thread ends or the process exits (a server
    that starts a thread per request would otherwise leave one folder per request behind)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="editor-draft-"))
        weakref.finalize(self, _forget, self.root)


def _forget(root: Path) -> None:
    """Remove a scratch folder and what the tree and codebook loaders keep of it by path."""
    shutil.rmtree(root, ignore_errors=True)
    for kept in (triage_loading._last_good, codes_content._last_good):
        for path in [p for p in kept if root in p.parents]:
            kept.pop(path, None)


_scratch = threading.local()


def _scratch_folder() -> Path:
    # One folder per thread, reused while the thread lives (the tree's and codebook's last-good
    # memories are keyed by path); _forget drops both with the folder.
    held = getattr(_scratch, "held", None)
    if held is None:
        held = _scratch.held = _Scratch()
    return held.root / "content"


def check(relative: str, text: str) -> Checked:
    """Check the content as it would be with ``text`` at ``relative``."""
    live = get_library()
    known = live.derive("editor-live-problems", _live_problems)
    folder = _scratch_folder()
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(
        files.content_root(), folder, ignore=shutil.ignore_patterns(".*", "*.tmp", "README.md")
    )
    files.write_atomic(relative, text, root=folder)
    draft = load_library(folder, keep_renders=False)
    findings = sorted(
        (
            Finding(path, line, message, serious, (path, message) not in known)
            for path, line, message, serious in library_problems(draft)
        ),
        key=lambda f: (f.path != relative, f.path, f.line),
    )
    return Checked(relative, tuple(findings), render(relative, text))


def render(relative: str, text: str) -> str:
    if not relative.startswith("guides/"):
        return ""
    try:
        _, body, _ = split_front_matter(text)
    except ValueError:
        return ""
    return markup.render(body).html
