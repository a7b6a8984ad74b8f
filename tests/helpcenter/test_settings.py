"""Production settings come from the environment; check --deploy must be clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x9!production-like-secret-key-with-enough-entropy-0123456789-abcdef",
    "DJANGO_ALLOWED_HOSTS": "help.example.com",
    "DJANGO_SETTINGS_MODULE": "helpcenter.settings",
}


def run(args, **env):
    # Only the settings a test names: not the DJANGO_* or DATABASE_URL of the test run itself
    # (scripts/test runs the suite a second time with DATABASE_URL set to PostgreSQL).
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "HELPCENTER_")) and k != "DATABASE_URL"
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        # Nothing written into the repository's var/ by these processes.
        env=clean | {"HELPCENTER_CONTENT_CACHE_DIR": "", "HELPCENTER_SEARCH_INDEX_DIR": ""} | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_reports_no_issues_with_production_environment():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_off_without_secret_key_refuses_to_start():
    result = run(["manage.py", "check"], DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_settings_follow_the_environment():
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.ALLOWED_HOSTS, s.SECURE_PROXY_SSL_HEADER,"
        " s.DATABASES['default']['ENGINE'], s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"
    )
    setup = "import django; django.setup();"
    result = run(
        ["-c", setup + code],
        **PRODUCTION_ENV,
        DATABASE_URL="postgres://help:pw@db.internal:5432/help",
    )
    assert result.stdout.split("\n")[0] == (
        "False True ['help.example.com'] ('HTTP_X_FORWARDED_PROTO', 'https') "
        "django.db.backends.postgresql True True"
    ), result.stderr
    local = run(["-c", setup + code], **PRODUCTION_ENV, DJANGO_SECURE_SSL_REDIRECT="0")
    assert local.stdout.startswith("False False"), local.stderr
    debug_env = {"DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "helpcenter.settings"}
    debug = run(["-c", setup + code], **debug_env)
    assert debug.stdout.startswith("True False"), debug.stderr
    assert "sqlite3" in debug.stdout


def test_forwarded_proto_from_the_proxy_counts_as_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/").status_code == 301  # plain http is redirected
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response.headers


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/guides/sign-in-after-power-off/", "/staff/login/"])
def test_every_answer_carries_a_permissions_policy(url):
    client = Client()
    for _ in range(2):  # rendered, then from memory
        policy = client.get(url)["Permissions-Policy"]
        assert "geolocation=()" in policy and "microphone=()" in policy
        assert "payment=()" in policy and "usb=()" in policy
        # A photo upload (a file input with capture) needs no permission; camera is left out.
        assert "camera" not in policy
