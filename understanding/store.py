"""The trained model on disk: trained by the first process that needs it for some content,
loaded by every other worker and every restart (training imports scikit-learn and takes
seconds; loading a file takes milliseconds). The name is a digest of what the model is built
from; only this site's processes write and read the folder (pickle)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings

from search.store import read_pickle, write_pickle
from understanding.model import Model

MODEL_FILES_KEPT = 3


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
    with contextlib.suppress(OSError):
        path.touch()  # in use: the newest files are the ones kept
    return model


def save(fingerprint: str, model: Model) -> None:
    folder = _folder()
    if folder is not None:
        kept = getattr(settings, "UNDERSTANDING_MODEL_FILES_KEPT", MODEL_FILES_KEPT)
        write_pickle(folder / f"{fingerprint}.pickle", model, kept=kept)


def fingerprint(samples: list) -> str:
    """What a model is trained from: its samples, in order, and ``code_version``."""
    digest = hashlib.blake2b(code_version(), digest_size=20)
    for sample in samples:
        digest.update(f"{sample.text}\x1f{sample.label}\x1f{sample.weight!r}\x1e".encode())
    return digest.hexdigest()
