"""The real stack: gunicorn + production settings + WhiteNoise, as scripts/serve runs it."""

import gzip
import re

import pytest

from tests.live_gunicorn import fetch, gunicorn


@pytest.fixture(scope="module")
def serve_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("serve")


@pytest.fixture(scope="module")
def server(serve_dir):
    with gunicorn(serve_dir) as base:
        yield base


PAGES = [
    ("/", 200),
    ("/categories/terminal-status/", 200),
    ("/guides/unlock-locked-terminal/", 200),
    ("/search/?q=签到", 200),
    ("/search/?q=火星快递", 200),
    ("/triage/", 200),
    ("/no-such-page/", 404),
    ("/guides/..%2f..%2fetc%2fpasswd/", 404),
]


@pytest.mark.parametrize(("path", "status"), PAGES)
def test_every_page_has_a_strict_csp_and_security_headers(server, path, status):
    fetch(server + path)  # the second answer comes from the page memory: the same headers
    code, headers, _ = fetch(server + path)
    assert code == status
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self';" in policy and "nonce" not in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_static_files_are_hashed_compressed_and_cached(server):
    _, _, body = fetch(server + "/")
    css = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body).group(1).decode()
    code, headers, compressed = fetch(server + css, **{"Accept-Encoding": "gzip"})
    assert code == 200
    assert headers.get("Content-Encoding") == "gzip"
    assert b":root" in gzip.decompress(compressed)
    assert "max-age=315360000" in headers["Cache-Control"]  # hashed names never change
    htmx = re.search(rb'src="(/static/django_htmx/htmx-2[^"]+)"', body)
    assert htmx and fetch(server + htmx.group(1).decode())[0] == 200


def test_html_is_gzipped_for_slow_connections(server):
    code, headers, body = fetch(
        server + "/guides/unlock-locked-terminal/", **{"Accept-Encoding": "gzip"}
    )
    assert code == 200
    assert headers.get("Content-Encoding") == "gzip"
    assert "POS 机被锁定" in gzip.decompress(body).decode()


def test_proxy_https_header_is_trusted_and_gets_hsts(server):
    _, headers, _ = fetch(server + "/", **{"X-Forwarded-Proto": "https"})
    assert "max-age=31536000" in headers["Strict-Transport-Security"]


def test_a_vote_is_limited_in_memory_and_leaves_nothing_in_the_cache_table(server, serve_dir):
    import sqlite3

    status, _, _ = fetch(
        server + "/guides/sign-in-after-power-off/feedback/",
        data=b"helpful=yes",
        Origin=server,
        **{"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 200  # the thanks page, after the redirect
    with sqlite3.connect(serve_dir / "db.sqlite3") as db:
        (rows,) = db.execute("SELECT COUNT(*) FROM helpcenter_cache").fetchone()
    # The per-client count lives in the worker's memory (no database on a vote's path), so no
    # hashed address is left in the database to expire.
    assert rows == 0
