"""The Nu HTML checker (vnu-jar from npm, on Java) finds no errors on the main kinds of page."""

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

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

PAGES = {
    "home": "/",
    "guide": "/guides/sign-in-after-power-off/",
    "category": "/categories/terminal-status/",
    "assistant-question": "/triage/status/locked/",
    "assistant-outcome": "/triage/status/locked/frozen/",
    "search": "/search/?q=签到",
    "search-empty": "/search/?q=火星快递",
    "not-found": "/no-such-page/",
}


def nu_errors(java: str, files: list[str]) -> list[str]:
    """The Nu HTML checker's errors for these files, as file:line: message."""
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    return [
        f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]


@pytest.mark.django_db
def test_the_nu_checker_reports_no_errors(client, tmp_path):
    assert VNU.exists(), "npm ci installs vnu-jar (see package.json)"
    java = shutil.which("java")
    assert java, "Java 17 runs the Nu HTML checker"
    files = []
    for name, url in PAGES.items():
        response = client.get(url)
        # Every page answers 200 but the one about a missing page, which must be a 404.
        assert response.status_code == (404 if name == "not-found" else 200), url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    errors = nu_errors(java, files)
    assert not errors, "\n".join(errors)


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
    errors = nu_errors(java, files)
    assert not errors, "\n".join(errors)
