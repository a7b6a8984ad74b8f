import re

import pytest

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


def test_every_page_carries_a_strict_csp_with_a_nonce_for_htmx(client):
    response = client.get("/guides/unlock-locked-terminal/")
    policy = response.headers[CSP_HEADER]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert f'nonce="{nonce}"' in response.content.decode()
    assert "django_htmx/htmx-2" in response.content.decode()


def test_no_external_assets_are_referenced(client):
    for url in ("/", "/guides/unlock-locked-terminal/", "/search/?q=签到", "/no-such-page/"):
        html = client.get(url).content.decode()
        absolute = re.findall(r'(?:src|href)="((?:https?:)?//[^"]*)"', html)
        assert absolute, "the canonical link at least is absolute"
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


def test_healthz_reports_content_errors_for_editors(client, content_dir):
    healthy = client.get("/healthz").json()
    assert healthy["status"] == "ok" and healthy["content_errors"] == []
    assert healthy["guides"] >= 6
    (content_dir / "guides" / "broken.md").write_text("no front matter", encoding="utf-8")
    body = client.get("/healthz").json()
    assert body["status"] == "content-errors"
    assert any("broken.md" in e for e in body["content_errors"])


def test_healthz_reports_a_broken_assistant_tree_and_logs_it_once(client, content_dir, caplog):
    tree = content_dir / "triage.yaml"
    tree.write_text(tree.read_text(encoding="utf-8") + "\n  : [", encoding="utf-8")
    body = client.get("/healthz").json()
    assert body["status"] == "content-errors"
    assert any("triage.yaml" in e and "YAML" in e for e in body["content_errors"])
    client.get("/healthz")  # a second probe re-uses the result: nothing is checked or logged again
    logged = [r.getMessage() for r in caplog.records if "triage.yaml" in r.getMessage()]
    assert len(logged) == 1


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
    from helpcenter import views

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "get_library", explode)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "抱歉，页面出错了" in response.content.decode()


# --- "这篇指南有帮助吗？" -------------------------------------------------------------------


@pytest.mark.django_db
def test_feedback_without_javascript_posts_then_redirects_to_the_thanks(client):
    from helpcenter.models import GuideFeedback

    page = client.get("/guides/unlock-locked-terminal/").content.decode()
    assert 'action="/guides/unlock-locked-terminal/feedback/"' in page
    response = client.post("/guides/unlock-locked-terminal/feedback/", {"helpful": "no"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/guides/unlock-locked-terminal/?feedback=no#feedback"
    thanks = client.get(response.headers["Location"]).content.decode()
    assert "谢谢您的反馈" in thanks and "抱歉没有帮上忙" in thanks
    assert list(GuideFeedback.objects.values_list("slug", "helpful")) == [
        ("unlock-locked-terminal", False)
    ]


@pytest.mark.django_db
def test_feedback_with_htmx_swaps_only_the_box(client):
    response = client.post(
        "/guides/sign-in-after-power-off/feedback/",
        {"helpful": "yes"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<section id="feedback"')
    assert "很高兴帮上了忙" in html
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "data", "status"),
    [
        ("/guides/no-such-guide/feedback/", {"helpful": "yes"}, 404),
        ("/guides/unlock-locked-terminal/feedback/", {"helpful": "maybe"}, 400),
        ("/guides/unlock-locked-terminal/feedback/", {}, 400),
    ],
)
def test_bad_feedback_gets_a_clear_answer_and_stores_nothing(client, path, data, status):
    from helpcenter.models import GuideFeedback

    response = client.post(path, data)
    assert response.status_code == status
    assert "<html" in response.content.decode()
    assert GuideFeedback.objects.count() == 0


def test_feedback_is_post_only_and_needs_the_csrf_token(client):
    assert client.get("/guides/unlock-locked-terminal/feedback/").status_code == 405
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/guides/unlock-locked-terminal/feedback/", {"helpful": "yes"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


@pytest.mark.django_db
def test_guide_feedback_command_lists_the_least_helpful_first():
    from io import StringIO

    from django.core.management import call_command

    from helpcenter.models import GuideFeedback

    for slug, helpful in [("a-guide", True), ("b-guide", False), ("b-guide", True)]:
        GuideFeedback.objects.create(slug=slug, helpful=helpful)
    out = StringIO()
    call_command("guide_feedback", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["没解决", "有帮助", "没解决占比", "指南"]
    assert lines[1].split() == ["1", "1", "50%", "b-guide"]
    assert lines[2].split() == ["0", "1", "0%", "a-guide"]


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
