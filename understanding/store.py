"""The trained model on disk: trained by the first process that needs it for some content,
loaded by every other worker and every restart (training imports scikit-learn and takes
seconds; loading a file takes milliseconds). The name is a digest of what the model is built
from; only this site's processes write and read the folder (pickle).

A model is two files: ``<name>.weights``, its weights as raw float32 (most of its size: 45 MB
at 258 labels and 44,000 features), and ``<name>.pickle``, the rest. The weights are mapped,
not read: a new process pays nothing for them at start (reading them cost 56 ms of its
start), a text reads only its few dozen rows, and every worker on the machine shares one copy
in the page cache. The weights file is written first and both are replaced whole, so a
pickle's weights are always there; a file is never rewritten in place (which would break a
mapping), only replaced.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import logging
import mmap
import os
import time
from array import array
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings

from search.store import read_pickle, write_pickle
from understanding.model import Model

MODEL_FILES_KEPT = 3
ORPHAN_SECONDS = 600

logger = logging.getLogger(__name__)


def _folder() -> Path | None:
    folder = getattr(settings, "UNDERSTANDING_MODEL_DIR", "")
    return Path(folder) if folder else None


@functools.cache
def code_version() -> bytes:
    """Digest of what shapes a model besides its samples: this code, search's, the libraries."""
    digest = hashlib.blake2b(digest_size=16)
    for package in ("scikit-learn", "pypinyin", "opencc", "numpy"):
        try:
            digest.update(version(package).encode())
        except PackageNotFoundError:
            digest.update(b"-")
    for folder in (Path(__file__).parent, Path(__file__).parent.parent / "search"):
        for source in sorted(folder.glob("*.py")):
            digest.update(source.read_bytes())
    return digest.digest()


def load(fingerprint: str) -> Model | None:
    folder = _folder()
    if folder is None:
        return None
    path = folder / f"{fingerprint}.pickle"
    model = read_pickle(path, "model")
    if not isinstance(model, Model):
        return None
    weights = _mapped(folder / f"{fingerprint}.weights", len(model.rows) * len(model.labels))
    if weights is None:
        return None
    with contextlib.suppress(OSError):
        path.touch()  # in use: the newest files are the ones kept
    return dataclasses.replace(model, weights=weights)


def _mapped(path: Path, count: int) -> memoryview | None:
    """The ``count`` float32 weights of ``path``, mapped read-only; None if it does not hold
    exactly that many."""
    if count == 0:
        return memoryview(array("f"))
    try:
        with path.open("rb") as file:
            if os.fstat(file.fileno()).st_size != 4 * count:
                raise ValueError("size")
            mapping = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        logger.warning("model weights %s could not be read; training again", path.name)
        return None
    return memoryview(mapping).cast("f")  # the view keeps the mapping open


def save(fingerprint: str, model: Model) -> None:
    folder = _folder()
    if folder is None:
        return
    kept = getattr(settings, "UNDERSTANDING_MODEL_FILES_KEPT", MODEL_FILES_KEPT)
    weights = folder / f"{fingerprint}.weights"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = weights.with_suffix(f".{os.getpid()}.partial")
        partial.write_bytes(model.weights.tobytes())
        os.replace(partial, weights)
    except OSError:
        logger.warning("%s could not be written to %s", weights.name, folder, exc_info=True)
        return
    write_pickle(folder / f"{fingerprint}.pickle", _without_weights(model), kept=kept)
    # write_pickle kept the newest pickles; the weights of the others go too, once they are
    # old enough not to be another process's save between its two files (under a second).
    names = {p.stem for p in folder.glob("*.pickle")}
    for stale in folder.glob("*.weights"):
        with contextlib.suppress(OSError):
            if stale.stem not in names and time.time() - stale.stat().st_mtime > ORPHAN_SECONDS:
                stale.unlink()


def _without_weights(model: Model) -> Model:
    return dataclasses.replace(model, weights=array("f"))


def fingerprint(samples: list, reading: object = ()) -> str:
    """What a model is trained from: its samples, in order, ``code_version``, and ``reading``:
    how search reads a text before features are taken (synonym groups, English read as
    Chinese), whose change changes every sample's features."""
    digest = hashlib.blake2b(code_version(), digest_size=20)
    digest.update(repr(reading).encode() + b"\x1d")
    for sample in samples:
        digest.update(f"{sample.text}\x1f{sample.label}\x1f{sample.weight!r}\x1e".encode())
    return digest.hexdigest()


# --- a content version's model name -------------------------------------------------------------

NAMES_KEPT = 20


def _name_file(folder: Path, version: str, code: bytes) -> Path:
    digest = hashlib.blake2b(code_version() + code + version.encode(), digest_size=20)
    return folder / "names" / digest.hexdigest()


def named(version: str, code: bytes) -> str | None:
    """The name of the model trained for content ``version`` with this code and ``code`` (what
    turns content into samples), if it was written down. A new process then loads the model
    without building and hashing every sample first (150-180 ms of its start at 5,000 guides
    on a two-core machine)."""
    folder = _folder()
    if folder is None or not version:
        return None
    try:
        name = _name_file(folder, version, code).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return name if len(name) == 40 and all(c in "0123456789abcdef" for c in name) else None


def write_name(version: str, code: bytes, fingerprint: str) -> None:
    folder = _folder()
    if folder is None or not version:
        return
    path = _name_file(folder, version, code)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        partial.write_text(fingerprint, encoding="ascii")
        os.replace(partial, path)
        # Names only: another process's partial file is its own to replace.
        names = [p for p in path.parent.iterdir() if "." not in p.name]
        older = sorted(names, key=lambda p: p.stat().st_mtime)
        for stale in older[:-NAMES_KEPT]:
            stale.unlink(missing_ok=True)
    except OSError:
        logger.warning("model name could not be written to %s", path.parent, exc_info=True)
