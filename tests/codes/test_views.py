"""codes/views.py: the list, the cards, the jump box, the helpful 404, and the assistant's step."""

from __future__ import annotations

import re

import pytest

from codes.content import get_codebook
from guides.library import get_library
from helpcenter import caching

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


@pytest.fixture(autouse=True)
def _fresh_pages():
    # Each test renders for itself: the page memory would otherwise answer from an earlier test.
    caching.memory.clear()
    yield
    caching.memory.clear()


# --- the list ----------------------------------------------------------------------------------


def test_the_list_shows_every_code_grouped_by_who_acts(client):
    response = client.get("/codes/")
    assert response.status_code == 200
    body = text(response)
    headings = re.findall(r'<h2 id="([a-z-]+)">', body)
    assert headings[:4] == ["card-bank", "cashier", "terminal", "system"]
    for entry in get_codebook(get_library()).entries:
        assert f'href="{entry.url}"' in body
    # The jump box works without JavaScript: a plain GET form.
    assert '<form class="code-jump" action="/codes/jump/" method="get"' in body
    assert 'name="code"' in body
    # Provider-specific letter codes get one honest answer.
    assert "多半是服务商自己定的" in body


# --- a card ------------------------------------------------------------------------------------


def test_a_card_says_whose_problem_what_to_do_and_what_to_say(client):
    response = client.get("/codes/51/")
    assert response.status_code == 200
    body = text(response)
    assert '<span class="code-number">51</span> <span class="code-meaning">余额不足</span>' in body
    assert '<dd class="who">顾客的卡/银行</dd>' in body
    assert "不要重试" in body
    assert "<li>请顾客换一张卡，或换别的方式付款。</li>" in body
    assert "“这张卡没付成功，麻烦您换一张卡或换个方式付。”" in body
    assert "“可用余额不足”" in body
    # "Copy link" for agents, with site.js's existing pattern and its status line.
    assert '<a class="button" href="#card" data-copy-link>复制本页链接</a>' in body
    assert 'id="copy-status"' in body
    assert "<title>返回码 51：余额不足 · 商户帮助中心</title>" in body


def test_a_card_links_its_guides_and_the_channel_for_who_acts(client):
    body = text(client.get("/codes/A0/"))
    assert 'href="/guides/sign-in-after-power-off/#sign-in-steps"' in body
    assert "终端服务商客服热线" in body


def test_codes_that_share_a_card_each_have_an_address(client):
    main, older = client.get("/codes/54/"), client.get("/codes/33/")
    assert main.status_code == older.status_code == 200
    assert "和返回码 54 是同一个意思" in text(older)
    assert "过期的卡" in text(main) and "过期的卡" in text(older)


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/codes/a0/", "/codes/A0/"),
        ("/codes/%EF%BC%A1%EF%BC%90/", "/codes/A0/"),
        ("/codes/a7/", "/codes/A7/"),
    ],
)
def test_a_lower_case_or_full_width_code_moves_permanently(client, path, target):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == target


# --- unknown codes -----------------------------------------------------------------------------


def test_an_unknown_code_gets_a_helpful_404(client):
    response = client.get("/codes/QQ/")
    assert response.status_code == 404
    body = text(response)
    assert "没有找到返回码“QQ”" in body
    assert "多半是服务商自己定的" in body  # the provider advice
    assert 'href="/search/?q=QQ"' in body
    assert 'href="/triage/"' in body
    assert 'href="/codes/51/"' in body  # the list
    assert "服务码" not in body.split("没有找到返回码")[1].split("</section>")[0]
    assert response["Cache-Control"] == "no-store"


def test_an_unknown_code_that_is_a_service_code_offers_the_assistant(client):
    # C1 is a provider's letter code on a terminal and also one of the assistant's service codes.
    body = text(client.get("/codes/C1/"))
    assert 'href="/triage/code/?code=C1"' in body


def test_markup_in_an_unknown_code_is_escaped(client):
    response = client.get("/codes/%3Cb%3E/")
    assert response.status_code == 404
    assert "<B>" not in text(response) and "&lt;B&gt;" in text(response)


# --- the jump box ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "target"),
    [
        ("51", "/codes/51/"),
        ("a0", "/codes/A0/"),
        (" ａ７ ", "/codes/A7/"),
        ("33", "/codes/33/"),
        ("交易失败 51", "/codes/51/"),
        ("可用餘額不足", "/codes/51/"),  # a Hong Kong or Taiwan terminal's screen text
        ("", "/codes/"),
    ],
)
def test_the_jump_box_goes_to_the_card(client, typed, target):
    for path in ("/codes/jump/", "/codes/"):
        response = client.get(path, {"code": typed})
        assert response.status_code == 302, path
        assert response["Location"] == target


def test_the_jump_box_with_an_unknown_code_answers_404_with_help(client):
    response = client.get("/codes/jump/", {"code": "Z9"})
    assert response.status_code == 404
    assert "没有找到返回码“Z9”" in text(response)


# --- the same bytes for every visitor ----------------------------------------------------------


@pytest.mark.parametrize("path", ["/codes/", "/codes/51/", "/codes/A0/"])
def test_pages_are_public_and_the_same_for_every_visitor(client, path):
    first = client.get(path)
    caching.memory.clear()
    second = client.get(path, HTTP_COOKIE="sessionid=someone", HTTP_ACCEPT_LANGUAGE="en")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert "Set-Cookie" not in first and not first.cookies
    assert first["Cache-Control"].startswith("public")
    assert "csrfmiddlewaretoken" not in text(first) and "nonce" not in text(first)


@pytest.mark.parametrize("path", ["/codes/", "/codes/51/", "/codes/QQ/"])
def test_head_answers_like_get_without_a_body(client, path):
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code
    assert head.content == b""


def test_post_is_not_allowed(client):
    assert client.post("/codes/51/").status_code == 405


# --- the way in: home, footer, sitemap, search ------------------------------------------------


def test_home_has_a_small_code_box_and_every_page_a_footer_link(client):
    body = text(client.get("/"))
    assert '<form class="code-form" action="/codes/jump/" method="get">' in body
    assert '<a href="/codes/">返回码查询</a>' in body
    assert '<a href="/codes/">返回码查询</a>' in text(
        client.get("/guides/sign-in-after-power-off/")
    )


def test_the_sitemap_lists_the_list_and_each_card_once(client):
    body = text(client.get("/sitemap.xml"))
    assert "/codes/</loc>" in body and "/codes/A0/</loc>" in body and "/codes/54/</loc>" in body
    assert "/codes/33/</loc>" not in body  # a shared card, listed at its main code


# --- the assistant asks for the code -----------------------------------------------------------


def test_the_assistant_asks_for_the_code_and_ends_on_its_card(client):
    start = text(client.get("/triage/"))
    assert 'href="/triage/card-declined/"' in start
    assert "刷卡失败，屏幕上有提示或代码" in start
    step = client.get("/triage/card-declined/")
    assert step.status_code == 200
    body = text(step)
    form = re.search(
        r'<form class="code-form response-code-form" action="([^"]+)" method="get">', body
    )
    assert form and form.group(1) == "/codes/jump/"
    jumped = client.get(form.group(1), {"code": "a0"})
    assert jumped.status_code == 302 and jumped["Location"] == "/codes/A0/"
    card = client.get(jumped["Location"])
    assert card.status_code == 200 and "MAC 校验错" in text(card)


def test_outcomes_where_a_code_is_typical_link_its_card(client):
    body = text(client.get("/triage/sign-in/failed/"))
    for code in ("A0", "99", "77"):
        assert f'<a href="/codes/{code}/">返回码 {code}</a>' in body


def test_a_response_code_in_the_service_code_box_points_to_its_card(client):
    # The home page has two boxes; "51" in the assistant's one is the code on the screen.
    response = client.get("/triage/code/", {"code": "51"})
    assert response.status_code == 404
    assert '<a href="/codes/51/">返回码 51 是什么意思</a>' in text(response)
    assert (
        "/codes/"
        not in text(client.get("/triage/code/", {"code": "X9"}))
        .split("没有找到服务码")[1]
        .split("</li>")[0]
    )
