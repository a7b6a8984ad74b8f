"""Rendered Markdown, kept on disk between processes.

Rendering is most of the cost of loading (a few ms a guide: 13 s for 5,000). What a body
renders to depends only on its text and on the pipeline's code, so the renders of the last
load are written to one file under ``CONTENT_CACHE_DIR`` and a new process (a restart, another
instance on the same release) reads them back instead of rendering again. Only this site's own
processes write that folder and read it back (pickle).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from django.conf import settings
from markdown import __version__ as markdown_version

from guides import markup

# What a kept entry depends on: the Markdown pipeline, and the front matter check in loading.py
# (an entry is kept only for a file whose front matter passed it).
MARKUP_VERSION = hashlib.sha256(
    Path(markup.__file__).read_bytes()
    + Path(__file__).with_name("loading.py").read_bytes()
    + markdown_version.encode()
).hexdigest()[:12]

Stat = tuple[str, int, int]  # path, modification time (ns), size


class RenderCache:
    """Parsed front matter and rendered body of each guide file, by the file's text.

    A file whose path, size and modification time (to the nanosecond) match the last load is
    not even read again: the reload check (``_signature``) trusts the same three things.
    """

    def __init__(self, folder: Path | None) -> None:
        self.file = folder / f"guides-{MARKUP_VERSION}.pickle" if folder else None
        self.known: dict[str, tuple] = {}
        self.used: dict[str, tuple] = {}
        self.stats: dict[tuple[str, int, int], str] = {}  # (path, mtime, size) -> text digest
        self.used_stats: dict[tuple[str, int, int], str] = {}
        self.seen: list[tuple[str, str]] = []  # (file name, digest of its text), every file read
        self.rendered = 0  # bodies rendered in this load, not found here
        if self.file and self.file.exists():
            try:
                with open(self.file, "rb") as handle:
                    saved = pickle.load(handle)
                if isinstance(saved, dict) and set(saved) == {"entries", "stats"}:
                    self.known, self.stats = saved["entries"], saved["stats"]
            except Exception:  # a damaged or foreign file: parse afresh and rewrite it
                self.known, self.stats = {}, {}

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()

    @staticmethod
    def stat(path: Path) -> Stat | None:
        try:
            stat = path.stat()
        except OSError:
            return None
        return (str(path), stat.st_mtime_ns, stat.st_size)

    def unchanged(self, stat: Stat | None) -> str | None:
        """The digest of a file known and untouched since the last load, without reading it."""
        found = self.stats.get(stat) if stat else None
        return found if found in self.known else None

    def remember(self, stat: Stat | None, key: str) -> None:
        """Taken before the file was read: a save in between changes it, so the next load
        reads the file again."""
        if stat:
            self.used_stats[stat] = key

    def parsed(self, key: str) -> tuple[str, dict, int] | None:
        """(front matter, its fields, body line) of a file seen before."""
        found = self.known.get(key)
        return found[:3] if found else None

    def checked(self, key: str) -> dict[str, tuple[str, ...]] | None:
        """The list fields of front matter seen before: it passed the check then, and the same
        text with the same check (the file's version) passes again."""
        found = self.known.get(key)
        return found[5] if found else None

    def render(
        self,
        key: str,
        head: str,
        meta: dict,
        body_line: int,
        body: str,
        lists: dict[str, tuple[str, ...]],
    ) -> markup.Rendered:
        found = self.known.get(key)
        if found is None:
            self.rendered += 1
            rendered = markup.render(body)
            sections = tuple((s.anchor, s.title, s.level, s.text) for s in rendered.sections)
            found = (head, meta, body_line, rendered.html, sections, lists)
        self.used[key] = found
        return markup.Rendered(found[3], tuple(markup.Section(*s) for s in found[4]))

    def save(self) -> None:
        if not self.file or (
            self.used.keys() == self.known.keys() and self.used_stats == self.stats
        ):
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            temp = self.file.with_suffix(f".{os.getpid()}.tmp")
            with open(temp, "wb") as handle:
                saved = {"entries": self.used, "stats": self.used_stats}
                pickle.dump(saved, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, self.file)
        except OSError:  # a read-only release folder: every process renders for itself
            pass


def render_folder() -> Path | None:
    folder = getattr(settings, "CONTENT_CACHE_DIR", None)
    return Path(folder) if folder else None
