"""The real stack: gunicorn + production settings + WhiteNoise, as scripts/serve runs it."""

import gzip
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | {
        "DJANGO_SETTINGS_MODULE": "helpcenter.settings",
        "DJANGO_SECRET_KEY": "serving-test-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_ACCESS_LOG": str(tmp / "access.log"),
    }
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    process = subprocess.Popen(
        [str(GUNICORN), "--config", "gunicorn.conf.py", "helpcenter.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp / "gunicorn.log", "wb"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail((tmp / "gunicorn.log").read_text())
    yield base
    process.terminate()
    process.wait(timeout=20)


def fetch(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(quote(url, safe=":/?=&%"), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


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
    code, headers, _ = fetch(server + path)
    assert code == status
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert re.search(r"script-src 'self' 'nonce-[\w-]+'", policy)
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
