"""deploy/nginx.conf in front of the real stack: what it keeps, what it never keeps, and what a
merchant sees when no instance answers. nginx runs the production example as it is, with only
ports and folders moved (bench/nginx_front.py)."""

from __future__ import annotations

import contextlib
import http.client
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest

from bench.nginx_front import local_config
from editor import files
from tests.live_gunicorn import free_port, gunicorn
from tests.screen_photos import SAMPLES, photo

pytestmark = pytest.mark.stack

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
GUIDE = "/guides/sign-in-after-power-off/"
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


class Answer:
    def __init__(self, response: http.client.HTTPResponse) -> None:
        self.status = response.status
        self.headers = response.headers
        self.body = response.read()

    def all(self, name: str) -> list[str]:
        return self.headers.get_all(name) or []

    @property
    def cache(self) -> str | None:
        return self.headers.get("X-Cache-Status")


def get(base: str, path: str, *, method: str = "GET", body: bytes | None = None, **headers):
    """One request, redirects not followed; every header kept, repeated ones too."""
    url = urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        connection.request(method, quote(path, safe="/?=&%"), body=body, headers=headers)
        return Answer(connection.getresponse())
    finally:
        connection.close()


@contextlib.contextmanager
def front(scratch: Path, upstream: str, listen: int) -> Iterator[str]:
    """nginx with deploy/nginx.conf on a loopback port; yields its base URL."""
    conf = scratch / "nginx.conf"
    # Not yet bound, ``listen`` may come back from the OS again: nginx would then serve the
    # redirect server on the port under test, and every answer would be a 301.
    redirect = free_port()
    while redirect == listen:
        redirect = free_port()
    conf.write_text(
        local_config(
            scratch=scratch,
            listen=listen,
            redirect=redirect,
            upstream=upstream,
            static_root=scratch / "static",
        )
    )
    command = [NGINX, "-c", str(conf), "-p", str(scratch)]
    subprocess.run(command, check=True, capture_output=True)
    base = f"http://127.0.0.1:{listen}"
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                get(base, "/robots.txt")
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        subprocess.run([*command, "-s", "quit"], check=False, capture_output=True)
        pid = scratch / "nginx.pid"
        deadline = time.monotonic() + 10
        while pid.exists() and time.monotonic() < deadline:
            time.sleep(0.1)


@contextlib.contextmanager
def stack() -> Iterator[tuple[str, str, contextlib.ExitStack]]:
    """gunicorn + nginx in a scratch folder that nginx's workers (nobody, under root) can read.
    Yields (nginx URL, gunicorn URL, the exit stack that stops gunicorn first)."""
    assert Path(NGINX).exists(), "scripts/test installs nginx-light"
    scratch = Path(tempfile.mkdtemp(prefix="nginx-front-"))
    scratch.chmod(0o755)
    listen = free_port()
    try:
        with contextlib.ExitStack() as nginx_stack:
            app_stack = contextlib.ExitStack()
            with app_stack:
                app = app_stack.enter_context(
                    gunicorn(
                        scratch,
                        # Votes come from the address the merchant sees: nginx's.
                        DJANGO_SITE_URL=f"http://127.0.0.1:{listen}",
                        GUNICORN_THREADS="4",
                    )
                )
                (scratch / "static").chmod(0o755)
                base = nginx_stack.enter_context(
                    front(scratch, app.removeprefix("http://"), listen)
                )
                yield base, app, app_stack
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture(scope="module")
def site():
    with stack() as (base, app, _):
        yield base, app


def test_a_guide_is_kept_and_served_with_djangos_headers(site):
    base, app = site
    first, second = get(base, GUIDE, **GZIP), get(base, GUIDE, **GZIP)
    direct = get(app, GUIDE, **{"Accept-Encoding": "gzip"})  # what nginx asks for
    assert (first.status, second.status) == (200, 200)
    assert (first.cache, second.cache) == ("MISS", "HIT")
    assert second.body == direct.body  # the page itself, compressed once by Django
    assert second.headers["Content-Encoding"] == "gzip"
    assert second.all("Cache-Control") == direct.all("Cache-Control")
    assert second.all("Cache-Control")[0].startswith("public, max-age=")
    assert second.headers["ETag"] == direct.headers["ETag"]
    assert "default-src 'none'" in second.headers["Content-Security-Policy"]
    # X-Forwarded-Proto https reached Django: the page went out as over TLS.
    assert second.headers["Strict-Transport-Security"].startswith("max-age=")
    assert not second.all("Set-Cookie")


def test_a_kept_page_still_answers_304_to_its_etag(site):
    base, _ = site
    etag = get(base, GUIDE, **GZIP).headers["ETag"]
    again = get(base, GUIDE, **GZIP, **{"If-None-Match": etag})
    assert again.status == 304 and again.body == b""


def test_without_gzip_a_plain_copy_is_kept_apart(site):
    base, _ = site
    get(base, "/codes/", **GZIP)
    get(base, "/codes/")
    plain = get(base, "/codes/")
    assert plain.cache == "HIT"
    assert "Content-Encoding" not in plain.headers
    assert "返回码".encode() in plain.body


def test_an_assistant_step_and_its_htmx_fragment_are_kept_apart(site):
    base, _ = site
    fragment_headers = {"HX-Request": "true", "HX-Target": "conversation"}
    get(base, "/triage/")
    get(base, "/triage/", **fragment_headers)
    page, fragment = get(base, "/triage/"), get(base, "/triage/", **fragment_headers)
    assert (page.cache, fragment.cache) == ("HIT", "HIT")
    assert b"<html" in page.body
    assert b"<html" not in fragment.body and fragment.body


@pytest.mark.parametrize(
    "path",
    [
        "/guides/no-such-guide/",  # an error page: no-store
        "/staff/login/",  # a form with a CSRF cookie
        "/staff/insights/",  # the editors' page: a redirect to the login
    ],
)
def test_errors_and_editors_pages_are_never_kept(site, path):
    base, _ = site
    answers = [get(base, path) for _ in range(3)]
    assert {a.cache for a in answers} <= {"MISS", "BYPASS", "EXPIRED", None}, path


def test_health_checks_always_reach_an_instance(site):
    base, _ = site
    for _ in range(2):
        answer = get(base, "/healthz")
        assert answer.status == 200
        assert "X-Cache-Status" not in answer.headers
        assert "no-store" in answer.headers["Cache-Control"]


def test_a_vote_goes_through_and_is_never_answered_from_the_cache(site):
    base, _ = site
    form = {
        "Origin": base,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    for _ in range(2):
        answer = get(base, GUIDE + "feedback/", method="POST", body=b"helpful=yes", **form)
        assert answer.status == 302
        assert answer.headers["Location"].startswith(GUIDE + "feedback/thanks/")
        assert answer.cache in {"MISS", "BYPASS", None}
    foreign = get(
        base,
        GUIDE + "feedback/",
        method="POST",
        body=b"helpful=yes",
        **{**form, "Origin": "https://evil.example"},
    )
    assert foreign.status == 403


def test_static_files_have_one_cache_control_and_come_gzipped(site):
    base, app = site
    page = get(app, "/").body.decode()
    stylesheet = next(
        part.split('"')[0]
        for part in page.split('href="')[1:]
        if part.startswith("/static/css/site.")
    )
    answer = get(base, stylesheet, **GZIP)
    assert answer.status == 200
    assert answer.all("Cache-Control") == ["public, max-age=31536000, immutable"]
    assert "Expires" not in answer.headers
    assert answer.headers["Content-Encoding"] == "gzip"


def test_merchants_tapping_through_behind_one_address_can_still_vote(site):
    # Every page and assistant step sends a beacon (a POST). Five merchants behind one
    # carrier NAT address, each tapping through eight pages in a few seconds and then voting:
    # nginx's flood limit must not refuse what the app's own limits (insights/, votes) allow.
    base, _ = site
    beacon = {"Origin": base, "Content-Type": "application/x-www-form-urlencoded"}
    for _ in range(5):
        for _ in range(8):
            seen = get(
                base,
                "/insights/event",
                method="POST",
                body=b"kind=view&guide=sign-in-after-power-off",
                **beacon,
            )
            assert seen.status == 204
        vote = get(base, GUIDE + "feedback/", method="POST", body=b"helpful=yes", **beacon)
        assert vote.status == 302, vote.body.decode()[:200]


def test_too_many_posts_from_one_address_get_a_page_in_chinese(site):
    # POSTs to home: the app refuses them (403) and limits nothing, so every 429 is nginx's.
    base, _ = site
    answers = [get(base, "/", method="POST", body=b"x=1", Origin=base) for _ in range(150)]
    assert {a.status for a in answers} == {403, 429}
    refused = [a for a in answers if a.status == 429]
    assert len(refused) >= 150 - 61 - 10  # past the burst of 60, at 5 a second
    assert "提交太频繁了".encode() in refused[-1].body
    assert refused[-1].headers["Content-Type"].startswith("text/html")
    assert refused[-1].all("Cache-Control") == ["no-store"]


def test_with_every_instance_down_kept_pages_stay_and_others_get_a_page_in_chinese():
    with stack() as (base, _, app_stack):
        assert get(base, GUIDE, **GZIP).status == 200  # now kept
        app_stack.close()  # gunicorn stops
        kept = get(base, GUIDE, **GZIP)
        assert kept.status == 200 and kept.cache in {"HIT", "STALE"}
        missing = get(base, "/guides/unlock-locked-terminal/")
        assert missing.status == 502
        text = missing.body.decode()
        assert "帮助中心暂时打不开" in text and "nginx" not in text
        assert missing.all("Cache-Control") == ["no-store"]
        style = get(base, "/static/errors/errors.css")
        assert style.status == 200
        assert style.all("Cache-Control") == ["public, max-age=3600"]


def test_nginx_example_buffers_slow_clients_and_limits_posts():
    text = (Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf").read_text()
    for directive in (
        "client_body_timeout",
        "client_header_timeout",
        "proxy_request_buffering on",
        "limit_req zone=helpcenter_writes",
        "proxy_set_header X-Forwarded-Proto https",
        "proxy_cache_use_stale",
        '"$request_method $uri"',
    ):
        assert directive in text, directive


def test_nginx_example_is_a_valid_configuration(tmp_path):
    assert Path(NGINX).exists(), "scripts/test installs nginx-light"
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        local_config(
            scratch=tmp_path,
            listen=18080,
            redirect=18082,
            upstream="127.0.0.1:18081",
            static_root=tmp_path,
        )
    )
    result = subprocess.run(
        [NGINX, "-t", "-c", str(conf), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def multipart(data: bytes) -> tuple[bytes, str]:
    boundary = "----photo"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="s.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    return (
        head + data + f"\r\n--{boundary}--\r\n".encode(),
        f"multipart/form-data; boundary={boundary}",
    )


def test_a_phone_sized_photo_passes_nginx_and_a_huge_one_is_stopped():
    with stack() as (base, _app, _):
        big_photo = photo(SAMPLES[0], seed=0, width=4000, quality=98)
        assert len(big_photo) > 64 * 1024
        body, kind = multipart(big_photo)
        answer = get(
            base, "/photo/", method="POST", body=body, **{"Content-Type": kind, "Origin": base}
        )
        assert answer.status == 303, answer.body[:300]
        assert answer.headers["Location"] == "/codes/51/"
        assert answer.cache is None
        body, kind = multipart(b"\xff\xd8" + b"\0" * (12 * 1024 * 1024))
        refused = get(
            base, "/photo/", method="POST", body=body, **{"Content-Type": kind, "Origin": base}
        )
        assert refused.status == 413
        # Elsewhere the small limit stands.
        vote = get(
            base,
            "/guides/sign-in-after-power-off/feedback/",
            method="POST",
            body=body,
            **{"Content-Type": kind, "Origin": base},
        )
        assert vote.status == 413


def test_the_editor_can_post_a_file_at_its_own_limit_through_nginx_and_no_more():
    # As long as the editor takes (editor/files.py), all of it Chinese: 9 bytes a character.
    body = urlencode({"text": "锁" * files.MAX_CHARS, "base": ""}).encode()
    assert len(body) > 1024 * 1024  # over nginx's default limit
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    with stack() as (base, _app, _):
        url = "/staff/content/files/examples/locked.yaml/"
        passed = get(base, url, method="POST", body=body, **form)
        # Django answers it (not signed in), not nginx; the body says which one did.
        assert passed.status != 413, (passed.headers, passed.body[:500])
        huge = b"text=" + b"a" * (21 * 1024 * 1024)
        refused = get(base, url, method="POST", body=huge, **form)
        assert refused.status == 413
