"""Reading the text of a photo: rapidocr's PP-OCR models on onnxruntime, once per process.

Why once per process and not one shared reader process: a gunicorn worker that has read
photos holds 130-180 MB more than one that has not (``bench/bench_photo.py``; the wheel's
models are 31 MB, the rest is onnxruntime's sessions and buffers), and only then: the models
load on the first photo a worker reads (about 1 s), never at start, and never in gunicorn's
master before it forks (onnxruntime's thread pools do not survive a fork). A shared reader
would hold them once, but it would be another process to start, watch, restart and talk to
over a socket with the photo's bytes in flight, and a crashed reader would take the feature
down for every worker. The number of photos read at once is bounded across all workers
anyway (``photo.slots``), so the CPU is shared the same way; what a deployer pays for one kind
of process is memory: up to that much per worker. ``HELPCENTER_PHOTO=0`` pays nothing.

The models run with ``PHOTO_THREADS`` onnxruntime threads; the detector looks at the photo at
``PHOTO_DETECT_SIDE`` pixels on its longest side (a terminal's text is large), which is most
of the time a photo costs.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import threading
from dataclasses import dataclass

import numpy as np
from django.conf import settings

logger = logging.getLogger(__name__)

_engine = None
_engine_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    score: float


def engine():
    """The OCR engine of this process, loaded on first use."""
    global _engine
    with _engine_lock:
        if _engine is None:
            from rapidocr import RapidOCR  # heavy: only a process that reads photos pays

            threads = settings.PHOTO_THREADS
            _engine = RapidOCR(
                params={
                    "Global.log_level": "error",  # not "no text found" for every blank photo
                    "Global.use_cls": False,  # a screen photo is never upside down
                    "Det.limit_type": "max",
                    "Det.limit_side_len": settings.PHOTO_DETECT_SIDE,
                    "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                }
            )
            # The models load on the first call: load them now, on a blank image.
            _engine(np.full((32, 32, 3), 255, dtype=np.uint8))
            logger.info("photo reader loaded (%s threads)", threads)
    return _engine


def _libc_trim():
    """glibc's malloc_trim: hand the freed buffers of a read back to the system."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim
        return None


_trim = _libc_trim()


def loaded() -> bool:
    return _engine is not None


def read(pixels: np.ndarray) -> tuple[Line, ...]:
    """The text of an RGB photo, as lines from top to bottom (boxes on one row joined)."""
    try:
        result = engine()(np.ascontiguousarray(pixels[:, :, ::-1]))  # the engine wants BGR
    finally:
        # A read leaves ~200 MB of freed buffers that glibc keeps mapped in the worker; given
        # back, a worker that has read photos holds 130-180 MB more than one that has not, not
        # ~300 MB (bench/bench_photo.py). It costs well under a millisecond.
        if _trim is not None:
            _trim(0)
    if not result.txts:
        return ()
    boxes = []
    for box, text, score in zip(result.boxes, result.txts, result.scores, strict=False):
        ys = [p[1] for p in box]
        xs = [p[0] for p in box]
        boxes.append((min(ys), max(ys), min(xs), text.strip(), float(score)))
    boxes.sort()
    rows: list[list[tuple]] = []
    for box in boxes:
        top, bottom = box[0], box[1]
        if rows:
            row_top = min(b[0] for b in rows[-1])
            row_bottom = max(b[1] for b in rows[-1])
            overlap = min(bottom, row_bottom) - max(top, row_top)
            if overlap > 0.5 * min(bottom - top, row_bottom - row_top):
                rows[-1].append(box)
                continue
        rows.append([box])
    lines = []
    for row in rows:
        row.sort(key=lambda b: b[2])
        text = " ".join(b[3] for b in row if b[3])
        if text:
            lines.append(Line(text, min(b[4] for b in row)))
    return tuple(lines)
