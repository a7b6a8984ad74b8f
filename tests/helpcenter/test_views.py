import re

import pytest
from django.test import Client

from guides.library import get_library
from helpcenter import caching
from tests.factories import SITE_GUIDE as GUIDE
from tests.factories import assert_site_serves, lenient_client, write_guide

CSP_HEADER = "Content-Security-Policy"


def test_every_page_carries_the_same_strict_csp_without_a_nonce(client):
    policies = set()
    for url in ("/", "/guides/unlock-locked-terminal/", "/search/?q=签到", "/triage/", "/nope/"):
        response = client.get(url)
        policies.add(response.headers[CSP_HEADER])
        assert "nonce" not in response.content.decode()
    assert len(policies) == 1
    policy = policies.pop()
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy and "nonce" not in policy
    assert "script-src 'self';" in policy
    assert "django_htmx/htmx-2" in client.get("/").content.decode()


def test_canonical_links_come_from_the_site_url_not_the_host_header(client, settings):
    settings.SITE_URL = "https://help.example.com"
    caching.memory.clear()
    html = client.get("/guides/unlock-locked-terminal/", headers={"Host": "localhost"}).content
    assert (
        b'<link rel="canonical" href="https://help.example.com/guides/unlock-locked-terminal/">'
        in html
    )
    assert b"localhost" not in html


def test_no_external_assets_are_referenced(client):
    for url in ("/", "/guides/unlock-locked-terminal/", "/search/?q=签到", "/no-such-page/"):
        html = client.get(url).content.decode()
        absolute = re.findall(r'(?:src|href)="((?:https?:)?//[^"]*)"', html)
        # Only the canonical link is absolute (error pages have none), and it is this site.
        assert len(absolute) == (0 if url == "/no-such-page/" else 1), (url, absolute)
        assert all(u.startswith("http://testserver/") for u in absolute), (url, absolute)


@pytest.mark.parametrize(
    "path",
    [
        "/guides/no-such-guide/",
        "/guides/..%2f..%2fsettings/",
        "/guides/%2e%2e/",
        "/guides/..%2F..%2F..%2Fetc%2Fpasswd/",
        "/guides/%00/",
        "/guides/unlock-locked-terminal%00/",
        "/guides/" + "a" * 2000 + "/",
        "/guides/锁机/",
        "/guides/../README.md",
        "/categories/nowhere/",
        "/no-such-page/",
    ],
)
def test_bad_paths_get_the_helpful_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert "没有找到这个页面" in html
    assert 'href="/triage/"' in html and 'action="/search/"' in html
    assert "root:" not in html and "SECRET_KEY" not in html


def test_non_get_methods_are_refused_politely(client):
    assert client.post("/guides/unlock-locked-terminal/").status_code == 405


def test_sitemap_lists_every_guide_and_robots_points_to_it(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/guides/unlock-locked-terminal/" in sitemap
    updated = get_library().guides["unlock-locked-terminal"].updated
    assert f"<lastmod>{updated:%Y-%m-%d}</lastmod>" in sitemap
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots


@pytest.mark.django_db
def test_healthz_reports_content_errors_for_editors(client, content_dir):
    healthy = client.get("/healthz").json()
    assert healthy["status"] == "ok" and healthy["content_errors"] == []
    assert healthy["guides"] >= 6
    (content_dir / "guides" / "broken.md").write_text("no front matter", encoding="utf-8")
    body = client.get("/healthz").json()
    assert body["status"] == "content-errors"
    assert any("broken.md" in e for e in body["content_errors"])


@pytest.mark.django_db
def test_healthz_reports_a_broken_assistant_tree_and_logs_it_once(client, content_dir, caplog):
    tree = content_dir / "triage.yaml"
    tree.write_text(tree.read_text(encoding="utf-8") + "\n  : [", encoding="utf-8")
    body = client.get("/healthz").json()
    assert body["status"] == "content-errors"
    assert any("triage.yaml" in e and "YAML" in e for e in body["content_errors"])
    client.get("/healthz")  # a second probe re-uses the result: nothing is checked or logged again
    logged = [r.getMessage() for r in caplog.records if "triage.yaml" in r.getMessage()]
    assert len(logged) == 1


@pytest.mark.django_db
def test_healthz_shows_a_link_to_a_missing_anchor_as_an_error(client, content_dir):
    path = content_dir / "guides" / "basic-troubleshooting.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n[坏](#gone)\n", encoding="utf-8")
    errors = client.get("/healthz").json()["content_errors"]
    assert any("basic-troubleshooting.md" in e and "#gone" in e for e in errors)


def test_500_page_is_chinese_and_self_contained(client, settings):
    from django.template import loader

    html = loader.render_to_string("500.html", {})
    assert "抱歉，页面出错了" in html and 'action="/search/"' in html


def test_an_unexpected_error_answers_with_the_500_page(client, monkeypatch):
    from guides import views

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "get_library", explode)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "抱歉，页面出错了" in response.content.decode()


@pytest.mark.django_db
def test_healthz_lists_guides_whose_review_is_overdue(client, content_dir):
    assert client.get("/healthz").json()["overdue_reviews"] == []
    write_guide(content_dir, "stale-guide", reviewed=None)
    body = client.get("/healthz").json()
    assert body["overdue_reviews"] == [{"guide": "stale-guide", "reviewed": None}]
    assert body["status"] == "ok"  # a review date is a reminder, not a content error


@pytest.mark.django_db
def test_healthz_says_the_database_answers(client):
    body = client.get("/healthz").json()
    assert body["database"]["ok"] is True and body["status"] == "ok"


def test_healthz_says_when_the_database_does_not_answer(client):
    # No django_db mark: pytest-django refuses every connection, as a dead database would.
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["database"]["ok"] is False and body["status"] == "database"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_head(client):
    response = client.head("/healthz")
    assert response.status_code == 200 and not response.content


@pytest.mark.django_db
def test_a_guide_saved_as_invalid_utf8_never_makes_healthz_answer_500(content_dir):
    client = lenient_client()
    path = content_dir / "guides" / "sign-in-after-power-off.md"
    assert client.get("/healthz").status_code == 200
    path.write_bytes(path.read_bytes() + b"\n\xff\xfe broken \xc3\x28\n")
    body = assert_site_serves(client)
    assert "签到" in client.get(GUIDE).content.decode()
    assert body["status"] == "content-errors"
    assert any("UTF-8" in e for e in body["content_errors"]), body["content_errors"]


@pytest.mark.django_db
def test_a_content_check_that_fails_outright_is_reported_not_a_500(monkeypatch):
    from helpcenter import status

    def broken(**kwargs):
        raise RuntimeError("a check crashed")

    monkeypatch.setattr(status.checks, "run_checks", broken)
    monkeypatch.setattr(status, "_errors", None)
    response = lenient_client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "content-errors"


@pytest.mark.django_db
def test_head_sitemap_before_any_get_answers_with_the_get_headers():
    client = Client(raise_request_exception=False)
    head = client.head("/sitemap.xml")
    assert head.status_code == 200
    assert head.content == b""
    get = client.get("/sitemap.xml")
    assert int(head["Content-Length"]) == len(get.content) > 0
