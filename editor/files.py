"""Which content files an editor may open, and reading and writing them.

A path is never built from what a browser sends: a guide is looked up by slug in the loaded
library (or a new slug checked against the slug rule), a YAML file by name in ``DATA_FILES`` or
among the examples files that exist (``examples_files``).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from django.conf import settings

from triage.tree import EXAMPLES_FOLDER, TREE_FILE, examples_paths

DATA_FILES = (
    "codes.yaml",
    "triage.yaml",
    "contacts.yaml",
    "categories.yaml",
    "synonyms.yaml",
)
# The merchants' phrasings, one file a topic: examples/locked.yaml…
EXAMPLES_PATH = r"examples/[a-z0-9]+(?:-[a-z0-9]+)*\.yaml"
# What a revision may name (checked again before anything is written).
REVISION_PATH = re.compile(
    r"^(?:guides/[a-z0-9]+(?:-[a-z0-9]+)*\.md|"
    + EXAMPLES_PATH
    + "|"
    + "|".join(re.escape(n) for n in DATA_FILES)
    + r")$"
)
# Files that were once editable and are no more: their old revisions are history, never
# written back (examples.yaml became the examples/ folder, one file a topic).
RETIRED = frozenset({"examples.yaml"})
# A long guide is about 10,000 characters, triage.yaml about 85,000, the largest examples file
# about 100,000. A file may grow far past that and still open in the editor.
MAX_CHARS = 2_000_000


def content_root() -> Path:
    return Path(settings.CONTENT_DIR)


def examples_files(root: Path | None = None) -> list[str]:
    """The examples files the assistant reads, as an editor names them ("examples/locked.yaml");
    one whose name is not a slug stays out of the browser (it is read, and edited in git)."""
    paths = examples_paths((root or content_root()) / TREE_FILE)
    names = (f"{EXAMPLES_FOLDER}/{path.name}" for path in paths)
    return [name for name in names if re.fullmatch(EXAMPLES_PATH, name)]


def is_data_file(name: str) -> bool:
    return name in DATA_FILES or name in examples_files()


def guide_path(slug: str) -> str:
    return f"guides/{slug}.md"


def digest(text: str | None) -> str:
    """The version of a text as a form carries it; "" for a file that does not exist."""
    return "" if text is None else hashlib.sha256(text.encode()).hexdigest()


def read(relative: str, root: Path | None = None) -> str | None:
    path = (root or content_root()) / relative
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        return path.read_bytes().decode("utf-8", errors="replace")


def write_atomic(relative: str, text: str, root: Path | None = None) -> None:
    """Write the whole file at once: the site's reload never sees half a file."""
    if not REVISION_PATH.fullmatch(relative):
        raise ValueError(f"not an editable content file: {relative!r}")
    target = (root or content_root()) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".editor-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        if target.exists():
            os.chmod(temp, target.stat().st_mode & 0o777)
        else:
            os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def normalize(text: str) -> str:
    """What a textarea sends (CRLF) as the files keep it (LF), ending with one newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.endswith("\n") or not text else text + "\n"
