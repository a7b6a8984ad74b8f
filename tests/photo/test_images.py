"""Bad uploads to /photo/: a clear 400/413 page or an honest 没看清, never a 500, nothing kept.

And after all of them, no uploaded bytes anywhere on disk: not in the temp dir, not in var/.
"""

from __future__ import annotations

import io
import os
import struct
import tempfile
import time
import zlib
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from insights.models import DailyCount
from tests.screen_photos import SAMPLES, photo

ORIGIN = {"Origin": "http://testserver"}
# A marker inside every upload here, new for each run (so no source file holds it): if it is
# ever written, the disk scan finds it.
MARKER = b"HC-PHOTO-" + os.urandom(12).hex().encode()
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _slots_in_tmp(settings, tmp_path):
    settings.PHOTO_SLOTS_DIR = str(tmp_path / "slots")


def post(client, data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    upload = SimpleUploadedFile(name, data, content_type)
    return client.post("/photo/", {"image": upload}, headers=ORIGIN)


def with_marker(jpeg: bytes) -> bytes:
    """The JPEG with a comment segment holding MARKER (decoders skip it)."""
    comment = b"\xff\xfe" + struct.pack(">H", len(MARKER) + 2) + MARKER
    return jpeg[:2] + comment + jpeg[2:]


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height, with one tiny compressed row of data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def image_bytes(fmt: str, **save) -> bytes:
    image = Image.new("RGB", (200, 120), (230, 230, 230))
    ImageDraw.Draw(image).rectangle((20, 20, 120, 80), fill=(30, 30, 30))
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def refused(response, status: int, words: str) -> None:
    assert response.status_code == status
    assert response["Cache-Control"] == "no-store"
    assert words in response.content.decode()
    assert not DailyCount.objects.exists()


def test_not_an_image(client):
    refused(post(client, b"hello, this is text " + MARKER, "a.txt", "text/plain"), 400, "不是照片")


def test_an_empty_file(client):
    refused(post(client, b""), 400, "没有收到照片")


def test_no_file_at_all(client):
    refused(client.post("/photo/", {"other": "x"}, headers=ORIGIN), 400, "没有收到照片")


def test_a_truncated_jpeg(client):
    whole = with_marker(photo(SAMPLES[0], seed=0))
    refused(post(client, whole[: len(whole) // 2]), 400, "没有传完整")


def test_a_png_claiming_20000_by_20000_pixels_is_refused_before_decoding(client, monkeypatch):
    monkeypatch.setattr(Image.Image, "load", lambda self: pytest.fail("decoded"))
    refused(post(client, png_claiming(20_000, 20_000), "big.png", "image/png"), 413, "像素太多")


def test_a_png_with_corrupt_data(client):
    whole = image_bytes("PNG")
    start = whole.index(b"IDAT") + 8
    flipped = bytes(b ^ 0x5A for b in whole[start : start + 40])
    broken = whole[:start] + flipped + whole[start + 40 :]
    refused(post(client, broken, "a.png", "image/png"), 400, "没有传完整")


def test_a_png_over_40_megapixels_is_refused(client):
    refused(post(client, png_claiming(8_000, 6_000), "big.png", "image/png"), 413, "像素太多")


def test_a_50_mb_upload_is_refused_unread(client, monkeypatch):
    from photo import images

    monkeypatch.setattr(images, "decode", lambda *a, **k: pytest.fail("read"))
    body = MARKER + b"\0" * (50 * 1024 * 1024)
    response = post(client, body)
    refused(response, 413, "照片太大")


def test_a_gif(client):
    refused(post(client, image_bytes("GIF") + MARKER, "a.gif", "image/gif"), 400, "GIF")


def test_a_heic(client):
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + MARKER + b"\0" * 200
    refused(post(client, heic, "IMG_0001.HEIC", "image/heic"), 400, "HEIC")


def test_a_photo_of_something_else_is_an_honest_could_not_read(client):
    plain = Image.new("RGB", (1200, 900), (120, 160, 90))
    ImageDraw.Draw(plain).ellipse((300, 200, 900, 700), fill=(200, 60, 40))
    out = io.BytesIO()
    plain.save(out, "JPEG", quality=80)
    response = post(client, with_marker(out.getvalue()))
    assert response.status_code == 200
    assert "没看清" in response.content.decode()
    assert DailyCount.objects.get(kind="photo").item == ""


def test_exif_is_dropped_and_orientation_applied():
    from photo import images

    image = Image.new("RGB", (300, 100), (255, 255, 255))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated: the phone was held upright
    exif[0x010F] = "MARKER-CAMERA"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    pixels = images.decode(out.getvalue(), max_pixels=40_000_000)
    assert pixels.shape[:2] == (300, 100)  # turned the way the photo was taken
    assert type(pixels).__name__ == "ndarray"  # pixels only: no metadata travels on


def _files_written_since(folder: Path, started: float):
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(root, name)
            try:
                info = path.stat()
                if path.is_file() and info.st_mtime >= started and info.st_size < 200 << 20:
                    yield path
            except OSError:
                continue


def _marked_files(started: float) -> list[str]:
    places = {Path(tempfile.gettempdir()), Path(django_settings.BASE_DIR) / "var"}
    return [
        str(path)
        for place in places
        if place.exists()
        for path in _files_written_since(place, started)
        if MARKER in path.read_bytes()
    ]


def test_no_uploaded_bytes_anywhere_on_disk_after_the_uploads(client, tmp_path):
    started = time.time() - 1
    # The scan finds a file holding the marker (so an empty result means something).
    planted = tmp_path / "planted.bin"
    planted.write_bytes(b"x" + MARKER)
    assert str(planted) in _marked_files(started)
    planted.unlink()
    # Every kind of upload once more, each carrying the marker, then a scan of every file
    # written meanwhile where Django, Pillow or the reader could have put one.
    good = with_marker(photo(SAMPLES[0], seed=0))
    for data in (good, good[: len(good) // 2], MARKER * 10, MARKER + b"\0" * (11 * 1024 * 1024)):
        assert post(client, data).status_code in (200, 303, 400, 413)
    assert _marked_files(started) == []
