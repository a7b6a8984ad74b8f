"""An uploaded photo, checked and decoded in memory: limits first, pixels last.

Everything here is visitor input. The checks run cheapest first, and each refusal is a
``Refused`` with the status and the sentence the page shows:

1. the request's declared size (``Content-Length``) against ``PHOTO_MAX_BYTES``, in the view,
   before the body is read;
2. the first bytes: a GIF or a HEIC is named as such (a phone's HEIC is converted to JPEG by
   the page's script; without it the merchant is told how); only JPEG, PNG and WebP are opened;
3. Pillow reads the header only: the pixel count is checked against ``PHOTO_MAX_PIXELS``
   before anything is decoded, and Pillow's own decompression-bomb check stays on;
4. decoding, with JPEG's draft mode (the decoder scales by 1/2, 1/4, 1/8 as it reads, so a
   12-megapixel photo costs a 3-megapixel decode), then the EXIF orientation is applied and
   every bit of metadata is dropped: what leaves here is an array of pixels.

Nothing is written to disk: the upload lives in memory (``MemoryFileUploadHandler`` only) and
the decoded array is dropped when the request ends.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps

ACCEPTED = {"JPEG", "PNG", "WEBP"}
# The longest side the reader looks at: a screen's text is still large at this size.
WORKING_SIDE = 1600


@dataclass(frozen=True, slots=True)
class Refused(Exception):
    status: int
    message: str


def _sniff(head: bytes) -> str:
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc"):
        return "HEIC"
    return ""


def decode(data: bytes, *, max_pixels: int) -> np.ndarray:
    """RGB pixels of an uploaded photo, at most ``WORKING_SIDE`` on the longest side."""
    if not data:
        raise Refused(400, "没有收到照片，请重新选择或重新拍一张。")
    kind = _sniff(data[:16])
    if kind == "GIF":
        raise Refused(400, "这是一张 GIF 动图，请直接拍屏幕的照片再上传。")
    if kind == "HEIC":
        raise Refused(
            400,
            "这张照片是 HEIC 格式，这里读不了。请在相机设置里选“兼容性最佳”，或者截图后上传截图。",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=sorted(ACCEPTED))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Refused(413, "照片的像素太多了，请用手机相机正常拍一张。") from None
    except Exception:  # UnidentifiedImageError, OSError and whatever a broken header raises
        raise Refused(400, "这个文件不是照片，请拍屏幕的照片再上传。") from None
    width, height = image.size
    if width < 1 or height < 1 or width * height > max_pixels:
        raise Refused(413, "照片的像素太多了，请用手机相机正常拍一张。")
    try:
        if image.format == "JPEG":
            image.draft("RGB", (WORKING_SIDE, WORKING_SIDE))
        image.load()
        image = ImageOps.exif_transpose(image)  # the phone's orientation, then no metadata
        image = image.convert("RGB")
    except Exception:  # truncated or corrupt data: OSError, zlib.error, ValueError, ...
        raise Refused(400, "照片没有传完整，请重新拍一张再上传。") from None
    image.thumbnail((WORKING_SIDE, WORKING_SIDE), Image.Resampling.BILINEAR)
    return np.asarray(image)
