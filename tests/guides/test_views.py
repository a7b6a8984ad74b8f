from guides.library import get_library
from tests.factories import write_guide


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


def test_guide_page_has_toc_copy_links_meta_breadcrumbs_and_channels(client):
    response = client.get("/guides/unlock-locked-terminal/")
    html = response.content.decode()
    assert response.status_code == 200
    title = get_library().guides["unlock-locked-terminal"].title
    assert f"<title>{title} · 商户帮助中心</title>" in html
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
