"""Two instances on one PostgreSQL, each with its own content folder: a guide published in the
browser on one is served by the other within 5 seconds (its poller applies the revision)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from tests.live_gunicorn import ROOT, gunicorn

GUIDE = "unlock-locked-terminal"
PASSWORD = "a-long-stack-password"


def _postgres_url() -> str:
    found = subprocess.run(
        ["bash", "-c", "source scripts/_postgres.sh && ensure_postgres"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    url = found.stdout.strip()
    if found.returncode or not url.startswith("postgres"):
        pytest.skip(f"no PostgreSQL for the two-instance test: {found.stderr.strip()}")
    return url


@pytest.fixture
def database():
    """A database of its own on the local PostgreSQL, dropped afterwards."""
    import psycopg

    url = _postgres_url()
    name = f"editor_stack_{uuid.uuid4().hex[:8]}"
    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(parts._replace(path=f"/{name}"))
    # FORCE ends the sessions left on it, but this role may not end an autovacuum worker's
    # (PostgreSQL's own, a superuser's): that refusal passes once the worker is done.
    deadline = time.monotonic() + 30
    with psycopg.connect(url, autocommit=True) as connection:
        while True:
            try:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                return
            except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectInUse):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)


class Staff:
    """A logged-in browser, over plain http behind a pretend TLS proxy (secure cookies)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}
        self.headers = {"X-Forwarded-Proto": "https", "Origin": base.replace("http:", "https:")}

    def get(self, path: str) -> requests.Response:
        response = requests.get(
            self.base + path, headers=self.headers, cookies=self.cookies, allow_redirects=False
        )
        self.cookies |= dict(response.cookies)
        return response

    def post(self, path: str, data: dict) -> requests.Response:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.get(path).text)[1]
        response = requests.post(
            self.base + path,
            data={**data, "csrfmiddlewaretoken": token},
            headers={**self.headers, "Referer": self.base.replace("http:", "https:") + path},
            cookies=self.cookies,
            allow_redirects=False,
        )
        self.cookies |= dict(response.cookies)
        return response


def test_a_publish_on_one_instance_is_served_by_the_other_within_5_seconds(tmp_path, database):
    folders = {}
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        folders[name] = tmp_path / name / "content"
        shutil.copytree(ROOT / "content", folders[name])
    settings = {"DATABASE_URL": database, "HELPCENTER_EDITOR_SYNC_SECONDS": "2"}

    def env_for(name):
        return {
            **settings,
            "HELPCENTER_CONTENT_DIR": str(folders[name]),
            "HELPCENTER_CONTENT_CACHE_DIR": str(tmp_path / name / "cache"),
            "HELPCENTER_SEARCH_INDEX_DIR": str(tmp_path / name / "search"),
        }

    with (
        gunicorn(tmp_path / "a", **env_for("a")) as first,
        gunicorn(tmp_path / "b", migrate=False, **env_for("b")) as second,
    ):
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from django.contrib.auth.models import Group, User;"
                f"u = User.objects.create_user('editor', password='{PASSWORD}', is_staff=True);"
                "u.groups.add(Group.objects.get(name='editors'))",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "helpcenter.settings",
                "DJANGO_SECRET_KEY": "x" * 50,
                "DATABASE_URL": database,
            },
            check=True,
        )
        staff = Staff(first)
        login = staff.post("/staff/login/", {"username": "editor", "password": PASSWORD})
        assert login.status_code == 302, login.text[:500]

        editor = f"/staff/content/guides/{GUIDE}/"
        page = staff.get(editor)
        assert page.status_code == 200
        text = (folders["a"] / "guides" / f"{GUIDE}.md").read_text(encoding="utf-8")
        base = re.search(r'name="base" value="([0-9a-f]+)"', page.text)[1]
        marker = f"两台都看到的新句子{uuid.uuid4().hex[:6]}"
        draft = text.replace("## 症状 {#symptoms}\n", f"## 症状 {{#symptoms}}\n\n{marker}\n")
        published = staff.post(
            editor, {"text": draft, "base": base, "action": "publish", "message": "两台"}
        )
        assert published.status_code == 302, published.text[:2000]
        start = time.monotonic()
        seen: dict[str, float] = {}
        while len(seen) < 2:
            for name, base_url in (("publishing", first), ("other", second)):
                if name not in seen and marker in requests.get(f"{base_url}/guides/{GUIDE}/").text:
                    seen[name] = time.monotonic() - start
            assert time.monotonic() - start < 5, f"not served everywhere within 5 s: {seen}"
            time.sleep(0.05)
        print(f"\nserved after (s): {seen}")
        assert (folders["b"] / "guides" / f"{GUIDE}.md").read_text(encoding="utf-8") == draft
