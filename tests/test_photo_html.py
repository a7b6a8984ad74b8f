"""The Nu HTML checker finds no errors on the photo pages: the form, what was read, a refusal,
the page with the feature off, and the entry points that now link to it."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from photo import reader
from photo.reader import Line
from tests.test_html_validity import VNU

pytestmark = pytest.mark.django_db
ORIGIN = {"Origin": "http://testserver"}


def post(client, data: bytes):
    upload = SimpleUploadedFile("s.jpg", data, "image/jpeg")
    return client.post("/photo/", {"image": upload}, headers=ORIGIN)


def test_the_photo_pages_are_valid_html(client, settings, tmp_path, monkeypatch):
    settings.PHOTO_SLOTS_DIR = str(tmp_path / "slots")
    pages = {
        "form": client.get("/photo/"),
        "refused": post(client, b"not an image"),
        "home": client.get("/"),
        "card-declined": client.get("/triage/card-declined/"),
        "code-missing": client.get("/codes/QQ/"),
    }
    monkeypatch.setattr(
        reader,
        "read",
        lambda pixels: (Line("交易失败，请重试", 0.9), Line("5I AO", 0.8)),
    )
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (255, 255, 255)).save(out, "JPEG")
    pages["read"] = post(client, out.getvalue())
    assert "照片里读到的字" in pages["read"].content.decode()
    settings.PHOTO_ENABLED = False
    pages["off"] = client.get("/photo/")
    java = shutil.which("java")
    assert VNU.exists() and java
    files = []
    for name, response in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = [
        f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert not errors, "\n".join(errors)
