"""The smaller findings of the sweep, one test each: HEAD /sitemap.xml first, control
characters in gunicorn's access log, no hashed client addresses in the cache table,
javascript:/data:/vbscript: links never published, a Permissions-Policy header."""

from __future__ import annotations

import datetime as dt
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client

from tests.factories import VALID_BODY, write_guide

ROOT = Path(__file__).resolve().parent.parent
SAME_ORIGIN = {"Origin": "http://testserver"}


@pytest.mark.django_db
def test_head_sitemap_before_any_get_answers_with_the_get_headers():
    client = Client(raise_request_exception=False)
    head = client.head("/sitemap.xml")
    assert head.status_code == 200
    assert head.content == b""
    get = client.get("/sitemap.xml")
    assert int(head["Content-Length"]) == len(get.content) > 0


def _access_line(tmp_path: Path, path: str) -> str:
    from gunicorn.config import Config

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    cfg = Config()
    cfg.set("accesslog", str(tmp_path / "access.log"))
    cfg.set("access_log_format", config["access_log_format"])
    cfg.set("logger_class", config["logger_class"])
    logger = cfg.logger_class(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "RAW_URI": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "QUERY_STRING": "",
    }
    response = SimpleNamespace(status="404 Not Found", sent=10, headers=[])
    logger.access(response, SimpleNamespace(headers=[]), environ, dt.timedelta(milliseconds=3))
    for handler in logger.access_log.handlers:
        handler.flush()
    return (tmp_path / "access.log").read_text()


def test_cr_lf_and_esc_of_a_path_are_escaped_in_the_access_log(tmp_path):
    forged = '/x\r\n127.0.0.1 "GET /staff/admin/" 200 0 1ms\x1b[2J\\'
    log = _access_line(tmp_path, forged)
    assert log.count("\n") == 1 and "\r" not in log and "\x1b" not in log
    assert "\\x0d\\x0a127.0.0.1" in log and "\\x1b[2J" in log


@pytest.mark.django_db(transaction=True)
def test_no_hashed_client_address_is_left_in_the_cache_table(settings):
    from django.db import connection

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "helpcenter_cache",
        }
    }
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)  # as migrate makes it in production
    client = Client()
    for i in range(20):
        address = f"198.51.100.{i}"
        client.post(
            "/insights/event",
            {"k": "search", "q": "签到"},
            headers=SAME_ORIGIN,
            REMOTE_ADDR=address,
        )
        client.post(
            "/guides/sign-in-after-power-off/feedback/",
            {"helpful": "no"},
            headers=SAME_ORIGIN,
            REMOTE_ADDR=address,
        )
        client.post("/staff/login/", {"username": "x", "password": "y"}, REMOTE_ADDR=address)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM helpcenter_cache")
        assert cursor.fetchone()[0] == 0


UNSAFE = [
    "[点这里](javascript:alert(1))",
    "[点这里](JaVaScRiPt:alert(1))",
    "[点这里]( java\tscript:alert(1))",
    "[点这里](java&#115;cript:alert(1))",
    "![图](data:image/svg+xml;base64,PHN2Zz4=)",
    "[点这里](vbscript:msgbox(1))",
    "[点这里][r]\n\n[r]: javascript:alert(1)",
    '[点这里](/guides/sign-in-after-power-off/){: href="javascript:alert(1)"}',
]


@pytest.mark.django_db
@pytest.mark.parametrize("link", UNSAFE)
def test_javascript_data_and_vbscript_links_are_errors_and_never_published(content_dir, link):
    from helpcenter.checks import check_library
    from helpcenter.content import get_library

    write_guide(content_dir, "unsafe-link", body=VALID_BODY + f"\n\n{link}\n")
    html = Client().get("/guides/unsafe-link/").content.decode().lower()
    for scheme in ("javascript:", "vbscript:", "data:image"):
        assert scheme not in html, link
    assert "java&#115;cript" not in html
    problems = [p for p in check_library(get_library()) if p.path.stem == "unsafe-link"]
    assert any(p.serious and "不安全的链接" in p.message for p in problems), problems


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
