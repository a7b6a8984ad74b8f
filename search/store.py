"""The index on disk: built once per content version, loaded by every other process.

Building the index of a large library takes seconds; loading it takes a fraction of one. The
first process to need an index for some content builds it and writes it to
``SEARCH_INDEX_DIR``; every other worker, and every restart, loads that file. The file's name
is a digest of everything the index is built from (the content version or each document, the
synonyms, the registered sources, search's own code and pypinyin's version), so changed
content or code never meets a stale index. Only this site's processes write there and read it
back (pickle: the folder is the site's own).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
from collections.abc import Iterable, Mapping
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path

from django.conf import settings

from search.documents import Document
from search.index import Index, by_unit

logger = logging.getLogger(__name__)

INDEX_FILES_KEPT = 3


def _folder() -> Path | None:
    folder = getattr(settings, "SEARCH_INDEX_DIR", Path(settings.BASE_DIR) / "var" / "search-index")
    return Path(folder) if folder else None


@functools.cache
def _code_version() -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for package in ("pypinyin", "opencc"):  # their tables shape what the index holds
        digest.update(version(package).encode() + b"\x1f")
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    return digest.digest()


def content_fingerprint(
    content_version: str,
    documents: list[Document],
    synonyms: Iterable[frozenset[str]],
    sources: Mapping[str, object],
    readings: Iterable[tuple[str, str]] = (),
) -> str:
    """What an index is built from: the content files (their version, a digest of every file,
    synonyms and the tree included), the registered sources and search's code. Without a
    version (content made by hand), the documents and synonyms themselves."""
    digest = hashlib.blake2b(_code_version(), digest_size=20)
    if content_version:
        digest.update(content_version.encode())
        for kind, source in sorted(sources.items()):
            name = f"{getattr(source, '__module__', '')}.{getattr(source, '__qualname__', '')}"
            digest.update(f"{kind}\x1f{name}\x1e".encode())
        return digest.hexdigest()
    for d in documents:
        fields = (d.kind, d.url, d.guide_slug, d.title, d.section_title, d.text, d.summary)
        digest.update(
            "\x1f".join((*fields, "\x1e".join(d.keywords), repr(d.anchor_weight))).encode()
        )
        digest.update(b"\x1d")
    for group in sorted(sorted(g) for g in synonyms):
        digest.update("\x1e".join(group).encode() + b"\x1d")
    for english, chinese in readings:
        digest.update(f"{english}\x1f{chinese}\x1e".encode())
    return digest.hexdigest()


def read_pickle(path: Path, what: str) -> object | None:
    """What ``path`` holds, or None when it is missing, torn or foreign (built afresh then)."""
    try:
        with path.open("rb") as file:
            return pickle.load(file)
    except FileNotFoundError:
        return None
    except Exception:
        logger.warning("%s file %s could not be read; building it again", what, path.name)
        return None


def write_pickle(path: Path, value: object, *, kept: int) -> None:
    """Write ``value`` whole or not at all, keeping the ``kept`` newest files of the folder."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        with partial.open("wb") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)  # readers see the whole file or none
        older = sorted(path.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
        for stale in older[:-kept]:
            stale.unlink(missing_ok=True)
    except OSError:
        logger.warning("%s could not be written to %s", path.name, path.parent, exc_info=True)


def load_cached(fingerprint: str, documents: list[Document]) -> Index | None:
    folder = _folder()
    if folder is None:
        return None
    index = read_pickle(folder / f"{fingerprint}.pickle", "search index")
    if not isinstance(index, Index) or len(index.unit_start) < 1:
        return None
    # The documents are not in the file: the content holds their text already.
    documents = by_unit(documents)
    if index.unit_start[-1] != len(documents):
        return None
    return replace(index, documents=documents)


def store(fingerprint: str, index: Index) -> None:
    folder = _folder()
    if folder is None:
        return
    path = folder / f"{fingerprint}.pickle"
    write_pickle(path, replace(index, documents=()), kept=INDEX_FILES_KEPT)
