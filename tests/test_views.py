import re

import pytest

from helpcenter import caching
from tests.factories import write_guide

CSP_HEADER = "Content-Security-Policy"


def test_home_lists_categories_guides_search_and_the_assistant(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html
    assert 'href="/triage/"' in html
    assert 'action="/triage/code/"' in html
    assert 'href="/guides/unlock-locked-terminal/"' in html
    assert 'href="/categories/terminal-status/"' in html
    assert '<html lang="zh-CN">' in html


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


def test_guide_page_has_toc_copy_links_meta_breadcrumbs_and_channels(client):
    response = client.get("/guides/unlock-locked-terminal/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>POS 机被锁定" in html or "<title>" in html
    assert '<meta name="description" content="' in html
    assert '<link rel="canonical" href="http://testserver/guides/unlock-locked-terminal/">' in html
    assert 'aria-label="本页目录"' in html and 'href="#symptoms"' in html
    assert 'id="wrong-password"' in html
    assert html.count("data-copy-link") >= 5
    assert 'aria-label="面包屑"' in html and 'href="/categories/terminal-status/"' in html
    assert "更新于" in html
    assert "终端服务商客服热线" in html  # a channel card from contacts.yaml
    assert "相关指南" in html


def test_category_page_lists_its_guides(client):
    html = client.get("/categories/terminal-status/").content.decode()
    assert 'href="/guides/unlock-locked-terminal/"' in html
    assert 'href="/guides/activate-new-terminal/"' not in html


def test_alias_redirects_permanently_to_the_current_slug(client, content_dir):
    write_guide(content_dir, "renamed-guide", aliases=["old-name"])
    response = client.get("/guides/old-name/")
    assert response.status_code == 301
    assert response.headers["Location"] == "/guides/renamed-guide/"


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
    assert "<lastmod>2026-11-21</lastmod>" in sitemap
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


# --- "这篇指南有帮助吗？" -------------------------------------------------------------------

SAME_ORIGIN = {"Origin": "http://testserver"}
# The vote itself (JS off, htmx, reasons, bad input) is tested in tests/test_insights_views.py;
# these tests are about the gate every anonymous write passes (helpcenter/anonymous.py).


def stored_votes() -> int:
    from django.db.models import Sum

    from insights.models import DailyCount

    kinds = ["vote-yes", "vote-no"]
    return DailyCount.objects.filter(kind__in=kinds).aggregate(n=Sum("count"))["n"] or 0


def test_feedback_is_post_only(client):
    assert client.get("/guides/unlock-locked-terminal/feedback/").status_code == 405
    assert client.head("/guides/unlock-locked-terminal/feedback/").status_code == 405


@pytest.mark.django_db
def test_the_vote_form_carries_no_csrf_token_and_the_page_sets_no_cookie(client):
    response = client.get("/guides/unlock-locked-terminal/")
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies and "Cookie" not in response.get("Vary", "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://testserver"},
        {"Sec-Fetch-Site": "same-origin"},  # a browser that sends no Origin
        {"Origin": "https://help.example.com"},  # SITE_URL, the address before the proxy
    ],
)
def test_a_vote_from_this_site_is_accepted_without_a_csrf_token(headers, settings):
    from django.test import Client

    settings.SITE_URL = "https://help.example.com"
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/guides/unlock-locked-terminal/feedback/", {"helpful": "yes"}, headers=headers
    )
    assert response.status_code == 302
    assert stored_votes() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {},  # neither Origin nor Sec-Fetch-Site
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://testserver.evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "https://evil.example", "Sec-Fetch-Site": "same-origin"},
    ],
)
def test_a_vote_from_elsewhere_gets_a_clear_403_and_stores_nothing(client, headers):
    response = client.post(
        "/guides/unlock-locked-terminal/feedback/", {"helpful": "yes"}, headers=headers
    )
    assert response.status_code == 403
    assert "这次提交没有被接受" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert stored_votes() == 0


@pytest.mark.django_db
def test_a_burst_of_votes_from_one_client_gets_429_with_how_long_to_wait(client, settings):
    settings.ANONYMOUS_WRITE_LIMITS = {"vote": (3, 60)}
    url = "/guides/unlock-locked-terminal/feedback/"
    answers = [
        client.post(url, {"helpful": "yes"}, headers=SAME_ORIGIN, REMOTE_ADDR="203.0.113.9")
        for _ in range(5)
    ]
    assert [r.status_code for r in answers] == [302, 302, 302, 429, 429]
    assert 1 <= int(answers[-1]["Retry-After"]) <= 60
    assert f"请等 {answers[-1]['Retry-After']} 秒" in answers[-1].content.decode()
    assert stored_votes() == 3
    # Another client is not held back by the first one's burst.
    other = client.post(url, {"helpful": "yes"}, headers=SAME_ORIGIN, REMOTE_ADDR="203.0.113.10")
    assert other.status_code == 302


@pytest.mark.django_db
def test_the_rate_limit_knows_clients_behind_the_trusted_proxy_only(client, settings):
    settings.ANONYMOUS_WRITE_LIMITS = {"vote": (1, 60)}
    url = "/guides/unlock-locked-terminal/feedback/"

    def vote(peer: str, forwarded: str) -> int:
        headers = {**SAME_ORIGIN, "X-Forwarded-For": forwarded}
        return client.post(url, {"helpful": "no"}, headers=headers, REMOTE_ADDR=peer).status_code

    # Behind our proxy (127.0.0.1), two clients are two clients.
    assert vote("127.0.0.1", "198.51.100.1") == 302
    assert vote("127.0.0.1", "198.51.100.2") == 302
    # From anywhere else, a made-up X-Forwarded-For does not buy a fresh allowance.
    assert vote("203.0.113.7", "198.51.100.3") == 302
    assert vote("203.0.113.7", "198.51.100.4") == 429


@pytest.mark.django_db
def test_nothing_about_the_voter_is_stored(client):
    from django.db import connection

    client.post(
        "/guides/unlock-locked-terminal/feedback/",
        {"helpful": "no"},
        headers={**SAME_ORIGIN, "User-Agent": "UA-MARKER"},
        REMOTE_ADDR="192.0.2.77",
    )
    assert stored_votes() == 1
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')
            dump = repr(cursor.fetchall())
            assert "192.0.2.77" not in dump and "UA-MARKER" not in dump, table


@pytest.mark.django_db
def test_healthz_lists_guides_whose_review_is_overdue(client, content_dir):
    assert client.get("/healthz").json()["overdue_reviews"] == []
    write_guide(content_dir, "stale-guide", reviewed=None)
    body = client.get("/healthz").json()
    assert body["overdue_reviews"] == [{"guide": "stale-guide", "reviewed": None}]
    assert body["status"] == "ok"  # a review date is a reminder, not a content error


def test_guide_page_shows_when_its_facts_were_last_checked(client, content_dir):
    import datetime as dt

    write_guide(content_dir, "checked-guide", reviewed=dt.date(2026, 11, 20))
    write_guide(content_dir, "unchecked-guide", reviewed=None)
    html = client.get("/guides/checked-guide/").content.decode()
    assert '最近核实 <time datetime="2026-11-20">2026 年 11 月 20 日</time>' in html
    assert "最近核实" not in client.get("/guides/unchecked-guide/").content.decode()


def test_a_channel_with_unknown_hours_says_so_on_the_page(client):
    html = client.get("/guides/unlock-locked-terminal/").content.decode()
    assert '<span class="status status-unknown">不确定现在有没有人接听</span>' in html
    assert "现在不在服务时间" not in html and "现在可联系" not in html


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
