"""/search/ (full page, HTMX fragments) and /api/search (JSON)."""

import re

import pytest

from insights.models import DailyCount

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}
INSTANT = {"HX-Request": "true", "HX-Target": "instant-results"}


def test_full_page_links_results_to_the_best_section(client):
    response = client.get("/search/", {"q": "签到失败"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and 'id="search-results"' in html
    assert 'href="/guides/sign-in-after-power-off/#sign-in-failed"' in html
    assert "<mark>签到失败</mark>" in html or "<mark>签到</mark>" in html
    assert set(response.headers["Vary"].replace(" ", "").split(",")) >= {"HX-Request", "HX-Target"}


def test_pinyin_initials_land_on_the_answer_and_say_what_they_were_read_as(client):
    # What a merchant in a hurry types for 主管密码: the section first, the reading offered.
    html = client.get("/search/", {"q": "zgmm"}).content.decode()
    first = re.search(r'<a [^>]*href="(/guides/[^"]+)"', html.split('id="search-results"')[1])
    assert first.group(1) == "/guides/forgotten-operator-password/#supervisor-password-forgotten"
    assert re.search(r'<p class="suggestion">您是不是要找：<a [^>]*>主管密码</a>', html)


def test_htmx_request_gets_only_the_results_fragment(client):
    response = client.get("/search/", {"q": "机器锁住了"}, headers=HX)
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="search-results">')
    assert "/guides/unlock-locked-terminal/" in html


def test_instant_results_are_a_short_list_and_store_nothing(client):
    response = client.get("/search/", {"q": "锁"}, headers=INSTANT)
    html = response.content.decode()
    assert "<html" not in html and 'id="search-results"' not in html
    assert html.count("<li>") <= 6
    client.get("/search/", {"q": "zzqqxx"}, headers=INSTANT)
    assert DailyCount.objects.count() == 0  # half-typed words are not content gaps


def test_no_results_page_helps_and_the_get_itself_stores_nothing(client):
    # The page is public and cacheable: a gap is counted by the page's beacon
    # (tests/insights/test_views.py), never by the GET, which a proxy may answer instead.
    for _ in range(2):
        response = client.get("/search/", {"q": "恐龙化石"})
    html = response.content.decode()
    assert "没有找到和“恐龙化石”相关的内容" in html
    assert 'href="/triage/"' in html
    assert "常见问题指南" in html and "终端服务商客服热线" in html
    assert 'src="/static/js/insights.js"' in html
    assert DailyCount.objects.count() == 0


def test_a_code_typed_alone_points_to_the_code_lookup_unless_its_card_was_found(client):
    # "93" is no code of the table, "N6" a provider's own: the page says where to look.
    for typed in ("93", "N6"):
        html = client.get("/search/", {"q": typed}).content.decode()
        assert f"没有找到和“{typed}”相关的内容" in html
        assert f'href="/codes/jump/?code={typed}"' in html
        assert "多半是服务商自己定的" in html
    # C6 is a provider's screen code and the assistant's service code: both doors.
    html = client.get("/search/", {"q": "C6"}).content.decode()
    assert "服务码 C6" in html and 'href="/codes/jump/?code=C6"' in html
    fragment = client.get("/search/", {"q": "C6"}, headers={"HX-Request": "true"})
    assert 'href="/codes/jump/?code=C6"' in fragment.content.decode()
    # Words nothing was found for get no code lookup; nor does a code that was found.
    assert "/codes/jump/" not in client.get("/search/", {"q": "恐龙化石"}).content.decode()
    assert "多半是服务商自己定的" not in client.get("/search/", {"q": "51"}).content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "签" * 10_000,
        "签到\x00\x07\x1b[31m",
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "？？？",
        "%",
        "\u202e签到",
    ],
)
def test_bad_input_gets_a_normal_bounded_escaped_page(client, query):
    response = client.get("/search/", {"q": query})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "\x00" not in html and "\x1b" not in html
    assert len(html) < 200_000


def test_q_given_twice_uses_the_first(client):
    response = client.get("/search/?q=签到&q=<b>x</b>")
    assert "“签到”的搜索结果" in response.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999", "2.5", "１"])
def test_nonsense_page_numbers_give_a_valid_page(client, page):
    response = client.get("/search/", {"q": "密码", "page": page})
    assert response.status_code == 200
    assert "/guides/" in response.content.decode()


def test_api_returns_ranked_results_with_anchor_urls(client):
    response = client.get("/api/search", {"q": "密码想不起来"})
    assert response["Content-Type"] == "application/json"
    body = response.json()
    first = body["results"][0]
    assert first["slug"] == "forgotten-operator-password"
    assert first["url"].startswith("/guides/forgotten-operator-password/")
    assert first["absolute_url"].startswith("http://testserver/guides/")
    assert set(first) >= {"slug", "title", "section", "url", "snippet", "score"}
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)
    assert "<" not in first["snippet"]


def test_api_handles_empty_and_hostile_queries(client):
    assert client.get("/api/search").json() == {
        "query": "",
        "count": 0,
        "results": [],
        "suggestion": "",
    }
    body = client.get("/api/search", {"q": "<script>" * 2000}).json()
    assert len(body["query"]) <= 200
    for result in body["results"]:
        assert "<script>" not in result["snippet_html"]


def test_assistant_outcomes_are_labelled_and_capped(client):
    html = client.get("/search/", {"q": "密码输错被锁了"}).content.decode()
    assert 0 < html.count('<span class="result-kind">智能助手</span>') <= 3
    assert '<a href="/triage/' in html
    instant = client.get("/search/", {"q": "密码输错被锁了"}, headers=INSTANT).content.decode()
    assert instant.count('href="/triage/') <= 1


def test_a_colloquial_lock_query_lands_on_the_guide_not_a_side_faq(client):
    # With 26 guides "机器" is common enough that no single section wins clearly: the guide's
    # top (its summary and table of contents) is the landing place, never a side FAQ.
    html = client.get("/search/", {"q": "机器锁住了"}).content.decode()
    first_guide_link = re.search(r'href="(/guides/[^"]+)"', html.split('id="search-results"')[1])
    assert first_guide_link.group(1).startswith("/guides/unlock-locked-terminal/")
    assert "faq" not in first_guide_link.group(1)


def test_the_results_page_and_the_api_offer_the_correction(client):
    page = client.get("/search/", {"q": "签道"})
    api = client.get("/api/search", {"q": "qiandao"}).json()

    assert page.status_code == 200
    html_ = page.content.decode()
    assert '您是不是要找：<a href="/search/?q=%E7%AD%BE%E5%88%B0">签到</a>' in html_
    assert "/guides/sign-in-after-power-off/" in html_
    assert api["suggestion"] == "签到"
    assert api["results"][0]["slug"] == "sign-in-after-power-off"
    assert "您是不是要找" not in client.get("/search/", {"q": "签到"}).content.decode()


def test_a_merchant_asking_about_repairs_finds_the_repair_entry(client):
    # One word, as typed into the box; the entry's own phrasings do not hold it alone.
    urls = [r["url"] for r in client.get("/api/search", {"q": "保修"}).json()["results"][:3]]
    assert "/guides/change-merchant-details/#faq-repair" in urls


def test_a_slip_is_read_by_the_word_it_makes_on_either_side(client):
    # "所定" makes no word with "机" before it, and "锁定" with "定" after it: 刷卡机锁定.
    api = client.get("/api/search", {"q": "刷卡机所定"}).json()
    assert api["suggestion"] == "刷卡机锁定"
    assert api["results"][0]["slug"] == "unlock-locked-terminal"
    # A particle makes no word: "纸" is as meant, and is not read as "知" of "不知怎么办".
    assert client.get("/api/search", {"q": "纸怎么装"}).json()["suggestion"] == ""


def test_a_message_many_cards_show_leaves_the_page_to_guides(client):
    # "交易失败" is on a dozen cards' screens: one card, then guides, not a page of cards.
    html = client.get("/search/", {"q": "交易失败"}).content.decode()
    results = html.split('id="search-results"')[1]
    links = re.findall(r'<a [^>]*href="(/(?:codes|guides)/[^"]+)"', results)
    assert len([u for u in links if u.startswith("/codes/") and u != "/codes/"]) <= 1
    assert any(u.startswith("/guides/") for u in links[:3])
    api = client.get("/api/search", {"q": "交易失败"}).json()
    urls = [r["url"] for r in api["results"]]
    assert len([u for u in urls if u.startswith("/codes/")]) <= 1


@pytest.mark.parametrize(
    ("query", "anchor"),
    [
        # Neither phrasing is an example: the staff entries are found in other words too.
        ("店员离职了要做什么", "faq-staff-leaves"),
        ("店员手机听收款播报", "faq-staff-account"),
    ],
)
def test_a_shop_with_staff_finds_the_staff_entries_in_search_and_the_assistant(
    client, query, anchor
):
    url = f"/guides/forgotten-operator-password/#{anchor}"
    page = client.get("/search/", {"q": query}).content.decode()
    assert re.findall(r'<a[^>]+href="(/(?:guides|codes|triage)/[^"]+)"', page)[0] == url
    answer = client.get("/triage/ask/", {"q": query}).content.decode()
    assert re.findall(r'href="(/(?:guides|triage)/[^"]+)"', answer)[0] == url
