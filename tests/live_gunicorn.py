"""Start the real stack (gunicorn + production settings) for a test, and fetch from it."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
START_SECONDS = 120


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(tmp: Path, port: int, **overrides: str) -> dict[str, str]:
    return (
        {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "HELPCENTER_"))}
        | {
            "DJANGO_SETTINGS_MODULE": "helpcenter.settings",
            "DJANGO_SECRET_KEY": "serving-test-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_STATIC_ROOT": str(tmp / "static"),
            "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "1",
            "GUNICORN_ACCESS_LOG": str(tmp / "access.log"),
            # The reader's model scripts/test trained (manage.py train_reader), not another.
            "HELPCENTER_UNDERSTANDING_MODEL_DIR": str(settings.UNDERSTANDING_MODEL_DIR),
        }
        | overrides
    )


@contextlib.contextmanager
def gunicorn(tmp: Path, *, migrate: bool = True, **overrides: str) -> Iterator[str]:
    """gunicorn on a free loopback port; yields its base URL."""
    port = free_port()
    env = production_env(tmp, port, **overrides)
    commands = [["collectstatic", "--noinput", "-v0"]]
    if migrate:
        commands.insert(0, ["migrate", "--noinput", "-v0"])
    for command in commands:
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    log = tmp / f"gunicorn-{port}.log"
    process = subprocess.Popen(
        [str(GUNICORN), "--config", "gunicorn.conf.py", "helpcenter.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "wb"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # gunicorn loads the reader's model scripts/test trained; run without it, the first
        # one trains the model before it forks (about a minute). A process that exits fails
        # at once.
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline and process.poll() is None:
            try:
                urllib.request.urlopen(base + "/robots.txt", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(f"gunicorn did not answer (exit code {process.poll()}):\n{log.read_text()}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def fetch(url: str, *, data: bytes | None = None, timeout: float = 10, **headers):
    """(status, headers, body) of one request; HTTP errors are answers, not exceptions."""
    request = urllib.request.Request(quote(url, safe=":/?=&%"), data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
