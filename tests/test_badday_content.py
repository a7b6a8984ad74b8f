"""Content faults stay local: one file that cannot be read (a folder named x.md, no
permission, deleted while listed, not UTF-8) keeps its last good version or is left out, is
reported, and never takes pages, votes or /healthz down. codes.yaml is kept at its last good
version like every other content file."""

from __future__ import annotations

import os
import pathlib

import pytest
from django.test import Client

from helpcenter import content
from tests.factories import write_guide

GUIDE = "/guides/sign-in-after-power-off/"
SAME_ORIGIN = {"Origin": "http://testserver"}


def _client() -> Client:
    return Client(raise_request_exception=False)


def _assert_site_serves(client: Client) -> dict:
    for url in ("/", GUIDE, "/search/?q=签到", "/triage/", "/codes/", "/codes/51/"):
        assert client.get(url).status_code == 200, url
    vote = client.post(GUIDE + "feedback/", {"helpful": "yes"}, headers=SAME_ORIGIN)
    assert vote.status_code == 302
    health = client.get("/healthz")
    assert health.status_code == 200
    return health.json()


@pytest.mark.django_db
def test_a_folder_named_like_a_guide_is_reported_and_the_rest_serves(content_dir):
    client = _client()
    assert client.get(GUIDE).status_code == 200
    (content_dir / "guides" / "x.md").mkdir()
    body = _assert_site_serves(client)
    assert body["status"] == "content-errors"
    assert any("x.md" in error for error in body["content_errors"]), body["content_errors"]


@pytest.mark.django_db
def test_a_folder_named_like_a_guide_at_start_is_reported_too(content_dir):
    (content_dir / "guides" / "x.md").mkdir()
    body = _assert_site_serves(_client())
    assert any("x.md" in error for error in body["content_errors"])


def _unreadable(monkeypatch, target: pathlib.Path, error: type[OSError]) -> None:
    real_read_text, real_read_bytes = pathlib.Path.read_text, pathlib.Path.read_bytes

    def read_text(self, *args, **kwargs):
        if self == target:
            raise error(13, "simulated", str(self))
        return real_read_text(self, *args, **kwargs)

    def read_bytes(self, *args, **kwargs):
        if self == target:
            raise error(13, "simulated", str(self))
        return real_read_bytes(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "read_text", read_text)
    monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)


@pytest.mark.django_db
@pytest.mark.parametrize("error", [PermissionError, FileNotFoundError, OSError])
def test_a_guide_that_cannot_be_read_keeps_its_last_good_version(content_dir, monkeypatch, error):
    client = _client()
    path = content_dir / "guides" / "sign-in-after-power-off.md"
    assert "签到" in client.get(GUIDE).content.decode()
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # a new save
    _unreadable(monkeypatch, path, error)
    body = _assert_site_serves(client)
    assert "签到" in client.get(GUIDE).content.decode()  # the last good version
    errors = [e for e in content.get_library().errors if e.path == path]
    assert [e.message for e in errors][-1] == content.LAST_GOOD_NOTE
    assert any("sign-in-after-power-off.md" in e for e in body["content_errors"])


@pytest.mark.django_db
@pytest.mark.parametrize("error", [PermissionError, FileNotFoundError])
def test_a_new_guide_that_cannot_be_read_is_left_out_and_reported(content_dir, monkeypatch, error):
    client = _client()
    assert client.get(GUIDE).status_code == 200
    path = write_guide(content_dir, "brand-new-guide")
    _unreadable(monkeypatch, path, error)
    body = _assert_site_serves(client)
    assert client.get("/guides/brand-new-guide/").status_code == 404
    assert any("brand-new-guide.md" in e for e in body["content_errors"])


@pytest.mark.django_db
def test_a_guide_deleted_between_listing_and_reading_is_left_out(content_dir, monkeypatch):
    client = _client()
    assert client.get(GUIDE).status_code == 200
    path = write_guide(content_dir, "short-lived")
    real_glob = pathlib.Path.glob

    def glob(self, pattern, *args, **kwargs):
        found = list(real_glob(self, pattern, *args, **kwargs))
        if path in found:
            path.unlink()  # gone after the listing, before the read
        return iter(found)

    monkeypatch.setattr(pathlib.Path, "glob", glob)
    _assert_site_serves(client)
    assert client.get("/guides/short-lived/").status_code == 404


@pytest.mark.django_db
def test_a_guide_saved_as_invalid_utf8_never_makes_healthz_answer_500(content_dir):
    client = _client()
    path = content_dir / "guides" / "sign-in-after-power-off.md"
    assert client.get("/healthz").status_code == 200
    path.write_bytes(path.read_bytes() + b"\n\xff\xfe broken \xc3\x28\n")
    body = _assert_site_serves(client)
    assert "签到" in client.get(GUIDE).content.decode()
    assert body["status"] == "content-errors"
    assert any("UTF-8" in e for e in body["content_errors"]), body["content_errors"]


@pytest.mark.django_db
def test_a_content_check_that_fails_outright_is_reported_not_a_500(monkeypatch):
    from helpcenter import views

    def broken():
        raise RuntimeError("a check crashed")

    monkeypatch.setattr(views, "current_errors", broken)
    response = _client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "content-errors"


@pytest.mark.django_db
@pytest.mark.parametrize("broken", [b"codes: [\n", b"\xff\xfe", b"", None])
def test_a_broken_codes_file_keeps_its_last_good_version(content_dir, broken):
    client = _client()
    assert client.get("/codes/51/").status_code == 200
    path = content_dir / "codes.yaml"
    if broken is None:
        path.unlink()
        path.mkdir()  # a folder where the file was
    else:
        path.write_bytes(broken)
    assert client.get("/codes/51/").status_code == 200
    assert client.get("/codes/jump/?code=51").status_code in (301, 302)
    body = client.get("/healthz").json()
    assert any("codes.yaml" in e and "上一次正确保存" in e for e in body["content_errors"]), body


def test_no_unreadable_test_file_is_left_behind(content_dir):
    # The simulations above never chmod or leave files the next test could trip on.
    assert all(os.access(p, os.R_OK) for p in content_dir.rglob("*"))
