"""codes/search.py: a query that names a code puts that code's card first, everywhere search is."""

from __future__ import annotations

import re

import pytest

import search
from codes.content import get_codebook
from codes.search import code_documents, code_pins, codes_in
from guides.library import get_library
from helpcenter import caching
from tests.factories import CODES, write_codes
from triage import reading

pytestmark = pytest.mark.django_db

# How merchants type a code they saw: query, the code whose card must come first.
PHRASINGS = [
    ("刷卡显示51", "51"),
    ("提示a0", "A0"),
    ("返回码 97", "97"),
    ("code 91", "91"),
    ("51", "51"),
    ("交易失败 51", "51"),
    ("刷卡提示余额不足51", "51"),
    ("pos机显示55密码错", "55"),
    ("顾客刷卡出现 05", "05"),
    ("校验错，请重新签到 A0", "A0"),
    ("刷信用卡提示14无效卡号", "14"),
    ("机器提示97终端未登记", "97"),
    ("终端未登记 97怎么办", "97"),
    ("错误码99", "99"),
    ("应答码 A7", "A7"),
    ("交易失败，请联系发卡行01", "01"),
    ("刷卡失败03", "03"),
    ("无效商户 03", "03"),
    ("显示45请使用芯片", "45"),
    ("交易超时68钱扣了", "68"),
    ("98 交易超时", "98"),
    ("撤销提示25", "25"),
    ("退货失败 代码22", "22"),
    ("退款显示 64 金额不匹配", "64"),
    ("61 交易金额超限", "61"),
    ("系统日切 90", "90"),
    ("96 交换中心异常", "96"),
    ("提示94重复交易", "94"),
    ("卡过期 54", "54"),
    ("返回码33", "33"),
    ("密码错误次数超限 75", "75"),
    ("38 密码超限", "38"),
    ("刷卡出现 Ａ０", "A0"),
    ("错误代码：12", "12"),
    ("57 不允许此卡交易", "57"),
    ("刷卡后提示77 请重新签到", "77"),
    ("59卡片校验错", "59"),
    ("pos提示62", "62"),
    ("CODE:13", "13"),
    ("扣款失败51", "51"),
    ("扣了两次 显示94", "94"),
    # Said aloud and typed by voice.
    ("刷卡屏幕上显示五十一", "51"),
    ("出来个九十六是啥意思", "96"),
    ("返回码零三", "03"),
    ("提示九四 重复交易", "94"),
]

# Numbers that are not codes: amounts, card, phone and operator numbers, times, rates, dates.
NOT_CODES = [
    "收了51元",
    "51块钱没到账",
    "操作员 01 密码忘了",
    "主管 00 的密码",
    "卡号 6222021234567890",
    "手机号 13800138000",
    "23:00 日切",
    "费率 0.38",
    "10 分钟到账",
    "第10笔交易",
    "2026-11-21 的钱没到账",
    "终端号 12345678",
    "机器用了 3 年",
    "¥51",
    "扣了99",
    "服务费99",
    "99服务费",
    "年费 99",
    "押金99 能退吗",
    "收了五十一块",
    "五一放假钱什么时候到",
    "等了三十分钟",
    "一百五十的单子没到账",
    "第十五笔交易",
    "操作员零一密码忘了",
    "十分着急",
    "一共三十多块",
    "顾客要分十二期",
    "怎么扣了我99的年费",
    "今天刷了四十多万",
]


def card_url(code: str) -> str:
    return get_codebook(get_library()).get(code).url


@pytest.fixture(autouse=True)
def _fresh_pages():
    caching.memory.clear()
    yield
    caching.memory.clear()


def test_there_are_enough_phrasings_and_each_names_a_published_code():
    assert len(PHRASINGS) >= 30
    book = get_codebook(get_library())
    assert [code for _, code in PHRASINGS if book.get(code) is None] == []


@pytest.mark.parametrize(("query", "code"), PHRASINGS)
def test_the_code_card_comes_first_in_search_with_pins(query, code):
    results = search.search_with_hint(search.get_index(), query, limit=10, content=get_library())
    assert results.hits[0].url == card_url(code)
    assert results.hits[0].kind == "code"
    # The pinned card is not listed a second time further down.
    assert [h.url for h in results.hits].count(card_url(code)) == 1


def test_the_code_card_comes_first_on_every_page_that_searches(client):
    wrong = []
    for query, code in PHRASINGS:
        expected = card_url(code)
        api = client.get("/api/search", {"q": query}).json()["results"][0]["url"]
        page = first_link(client.get("/search/", {"q": query}), 'class="result-title"')
        instant = client.get(
            "/search/", {"q": query}, headers={"HX-Request": "true", "HX-Target": "instant-results"}
        )
        instant_first = first_link(instant, 'class="result-title"')
        assistant = first_link(
            client.get("/triage/ask/", {"q": query}), 'class="choice choice-match"'
        )
        for where, url in (
            ("api", api),
            ("page", page),
            ("instant", instant_first),
            ("assistant", assistant),
        ):
            if url != expected:
                wrong.append(f"{where}: {query} → {url} (expected {expected})")
    assert wrong == []


def first_link(response, marker: str) -> str:
    body = response.content.decode()
    for match in re.finditer(r'<a (?:class="[^"]*" )?href="([^"]+)"[^>]*>(.{0,80})', body):
        if marker in match.group(0) or marker in body[match.start() - 40 : match.end()]:
            return match.group(1)
    return ""


@pytest.mark.parametrize("query", NOT_CODES)
def test_numbers_that_are_not_codes_pin_nothing(query):
    assert code_pins(get_library(), query) == []


def test_a_query_naming_two_codes_pins_both_in_order():
    book = get_codebook(get_library())
    assert [e.code for e in codes_in(book, "先是 A0 后来 51")] == ["A0", "51"]


def test_codes_the_book_does_not_have_pin_nothing():
    # Provider letter codes are not in codes.yaml; the shape alone is not enough.
    assert code_pins(get_library(), "刷卡显示Z1") == []
    assert code_pins(get_library(), "88") == []


def test_screen_words_alone_find_the_card_through_its_document():
    # No code in the query: the card is found by what the screen says.
    hits = search.search(search.get_index(), "可用余额不足", limit=5)
    assert card_url("51") in [h.url for h in hits]


def test_each_card_is_one_document_that_names_a_guide_when_it_has_one():
    documents = code_documents(get_library())
    book = get_codebook(get_library())
    assert len(documents) == len(book.entries)
    by_url = {d.url: d for d in documents}
    assert by_url["/codes/A0/"].guide_slug == "sign-in-after-power-off"
    assert by_url["/codes/91/"].guide_slug == "basic-troubleshooting"
    assert by_url["/codes/92/"].guide_slug == "basic-troubleshooting"
    assert {d.kind for d in documents} == {"code"}


def test_a_card_without_links_names_no_guide(content_dir):
    write_codes(content_dir, CODES)
    by_url = {d.url: d for d in code_documents(get_library())}
    assert by_url["/codes/51/"].guide_slug == "basic-troubleshooting"
    assert by_url["/codes/54/"].guide_slug == ""


@pytest.mark.parametrize("query", ["55", "返回码55", "code 55", "显示55是什么意思"])
def test_a_code_typed_alone_is_followed_by_the_sections_its_card_leads_to(query):
    # Not whatever else shares the number ("0.55%" in a fees guide).
    entry = get_codebook(get_library()).get("55")
    hits = code_pins(get_library(), query)
    assert [h.url for h in hits] == [entry.url, *(link.url for link in entry.links)][:3]
    assert [h.kind for h in hits[1:]] == ["section"] * (len(hits) - 1)
    assert all(h.section_title for h in hits[1:])


@pytest.mark.parametrize("query", ["刷卡55", "交易失败41", "55 密码错"])
def test_a_code_among_other_words_pins_its_card_alone_and_once(query):
    # The other words rank the rest; "密码错" is 55's own screen message, one card.
    hits = code_pins(get_library(), query)
    assert [h.kind for h in hits] == ["code"]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        # A message without a code: the host refuses this merchant or terminal.
        ("请联系收单行", "/guides/restore-suspended-terminal/#host-status"),
        ("刷卡老提示请联系收单行 咋回事", "/guides/restore-suspended-terminal/#host-status"),
        # Inside a code's own longer text it is that code's, not the shorter message's.
        ("没收卡，请联系收单行", "/codes/04/"),
    ],
)
def test_a_screen_message_pins_its_answer_first_in_search_and_the_assistant(client, query, first):
    assert code_pins(get_library(), query)[0].url == first
    body = client.get("/search/", {"q": query}).content.decode()
    assert re.findall(r'<a[^>]+href="(/(?:guides|codes)/[^"]+)"', body)[0] == first
    answer = client.get("/triage/ask/", {"q": query}).content.decode()
    if first.startswith("/codes/"):  # the card, among the screen messages
        assert f'href="{first}"' in answer
    else:  # the outcome that lands on that section is the assistant's first choice
        offered = reading.read(get_library(), query).outcomes[0]
        assert offered.guide_url == first
        choices = re.findall(r'class="choice[^"]*" href="[^"]+">([^<]+)', answer)
        assert choices[0] == offered.title


def test_only_a_quoted_message_is_pinned_by_message():
    # search lets a reader sure of another guide go before these, never before a named code.
    assert code_pins(get_library(), "刷卡老提示请联系收单行")[0].by_message
    assert code_pins(get_library(), "退货显示余额不足")[0].by_message
    assert not any(hit.by_message for hit in code_pins(get_library(), "55"))
    assert not code_pins(get_library(), "刷卡55")[0].by_message


def test_a_message_quoted_about_something_else_follows_that_answer(client):
    # "余额不足" while refunding: the refund guide first, code 51's card still right after it.
    body = client.get("/search/", {"q": "退货显示余额不足"}).content.decode()
    links = re.findall(r'<a[^>]+href="(/(?:guides|codes)/[^"]+)"', body)
    assert links[0].startswith("/guides/void-and-refund/")
    assert "/codes/51/" in links[:3]
    alone = client.get("/search/", {"q": "余额不足"}).content.decode()
    assert re.findall(r'<a[^>]+href="(/(?:guides|codes)/[^"]+)"', alone)[0] == "/codes/51/"
