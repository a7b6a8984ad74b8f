"""search.query: ranking guides, sections and outcomes for a query."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

import search
from search import text as search_text
from tests.factories import LOCK, NETWORK, PRINTER, guide, make_index, slugs


def test_title_match_ranks_above_body_match(tmp_path):
    in_body = guide("body", "日常使用", ("收款", "收款前检查打印机有没有纸。"))
    index = make_index(tmp_path, in_body, PRINTER)

    assert slugs(search.search(index, "打印机")) == ["printer", "body"]


def test_each_guide_appears_once_at_its_best_section(tmp_path):
    index = make_index(tmp_path, NETWORK, PRINTER)

    hits = search.search(index, "SIM 卡欠费")

    assert slugs(hits) == ["network"]
    assert hits[0].url == "/guides/network/#流量卡"
    assert hits[0].section_title == "流量卡"
    assert hits[0].kind == "section"


def test_guide_level_match_links_to_the_guide(tmp_path):
    only_title = guide("scam", "防诈骗提醒", ("说明", "不要轻信陌生来电。"))
    index = make_index(tmp_path, only_title, PRINTER)

    (hit,) = search.search(index, "诈骗")

    assert hit.url == "/guides/scam/"
    assert hit.kind == "guide"


def test_mixed_latin_and_chinese_spellings_find_the_same_guide(tmp_path):
    index = make_index(tmp_path, LOCK, NETWORK, PRINTER)

    for query in ("POS机连不上WiFi", "pos 机 连不上 wifi", "ＰＯＳ机连不上Ｗｉ－Ｆｉ", "Wi-Fi"):
        assert slugs(search.search(index, query))[:1] == ["network"], query


def test_exact_phrase_outranks_scattered_bigrams(tmp_path):
    scattered = guide("scattered", "锁定与签字", ("说明", "签字以后锁定单据，到账会晚。"))
    exact = guide("exact", "其他问题", ("说明", "签到以后才能收款。"))
    index = make_index(tmp_path, scattered, exact)

    assert slugs(search.search(index, "签到"))[:1] == ["exact"]


def test_control_characters_in_the_query_are_ignored(tmp_path):
    index = make_index(tmp_path, LOCK, PRINTER)

    assert slugs(search.search(index, "锁\x00机\x1b\u200b"))[:1] == ["unlock"]


@pytest.mark.parametrize("query", ["", "   ", "的了吗", "？？？", "!!!", "\x00\x01", "怎么办？"])
def test_queries_without_searchable_words_find_nothing(tmp_path, query):
    index = make_index(tmp_path, LOCK, NETWORK, PRINTER)

    assert search.search(index, query) == []


def test_a_10kb_query_is_bounded_and_fast(tmp_path):
    index = make_index(tmp_path, LOCK, NETWORK, PRINTER)
    query = "机器锁住了网络连不上打印机不出纸" * 700

    started = time.perf_counter()
    hits = search.search(index, query)
    elapsed = time.perf_counter() - started
    parsed = search.parse_query(index, query)

    assert len(query.encode()) > 10_000
    assert len(parsed.text) <= search.MAX_QUERY_CHARS
    assert len(parsed.terms) <= search_text.MAX_QUERY_TERMS
    assert hits and elapsed < 0.2


def test_limit_caps_the_number_of_hits(tmp_path):
    index = make_index(tmp_path, LOCK, NETWORK, PRINTER)

    assert len(search.search(index, "屏幕 纸 卡", limit=2)) == 2
    assert search.search(index, "屏幕", limit=0) == []


def test_outcome_documents_are_ranked_on_their_own(tmp_path):
    outcome = search.Document(
        kind="outcome",
        url="/assistant/frozen/",
        guide_slug="",
        title="结算卡被冻结",
        section_title="",
        text="请联系开户银行了解冻结原因。",
        keywords=("冻结",),
    )
    index = make_index(tmp_path, LOCK, PRINTER, extra=[outcome])

    (hit,) = search.search(index, "冻结")

    assert (hit.kind, hit.url, hit.title) == ("outcome", "/assistant/frozen/", "结算卡被冻结")


def test_a_synonym_in_the_query_finds_the_guide_that_uses_another_word(tmp_path):
    index = make_index(tmp_path, LOCK, PRINTER, synonyms=(("锁机", "锁住", "锁死"),))

    assert slugs(search.search(index, "锁住了"))[:1] == ["unlock"]


def test_without_the_synonym_group_the_colloquial_word_finds_nothing(tmp_path):
    index = make_index(tmp_path, LOCK, PRINTER)

    assert search.search(index, "锁住了") == []


ENGLISH = {"stolen": "被偷", "lost": "丢了", "lost signal": "没信号", "sms code": "验证码"}


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("my pos was stolen", "mypos was被偷"),
        ("POS LOST", "pos丢了"),
        ("lost signal", "没信号"),  # the phrase, not its first word
        ("gave him the smscode", "gave him the验证码"),  # a space left out
        ("almost done", "almost done"),  # whole words only
        ("wifi stolen123", "wifi stolen123"),
    ],
)
def test_english_the_content_reads_as_chinese_is_read_so(tmp_path, typed, read):
    index = make_index(tmp_path, LOCK, PRINTER, english=ENGLISH)

    parsed = search.parse_query(index, typed)

    assert parsed.text == read.replace(" ", "")
    assert not parsed.suggestion  # English read as Chinese is not offered back as a correction


def test_an_english_word_finds_the_guide_that_says_it_in_chinese(tmp_path):
    stolen = guide("stop-terminal", "机器被偷了怎么办", ("马上停用", "打服务商客服停用机器。"))

    assert search.search(make_index(tmp_path / "a", LOCK, stolen), "it was stolen") == []
    index = make_index(tmp_path / "b", LOCK, stolen, english=ENGLISH)
    assert slugs(search.search(index, "it was stolen"))[:1] == ["stop-terminal"]


def test_the_merchants_own_word_outranks_its_synonym(tmp_path):
    literal = guide("literal", "刷卡没有反应", ("说明", "检查读卡器。"))
    synonym = guide("synonym", "插卡没有反应", ("说明", "检查卡槽。"))
    index = make_index(tmp_path, synonym, literal, synonyms=(("刷卡", "插卡"),))

    assert slugs(search.search(index, "刷卡")) == ["literal", "synonym"]


def test_a_section_the_reader_is_sure_of_takes_its_guides_section_place_but_no_code_cards():
    from search.documents import Hit, Understood
    from search.query import blend

    def hit(url, slug, kind, score=1.0):
        return Hit(url, slug, "t", "", "", score, kind)

    card = hit("/codes/00/", "basic-troubleshooting", "code", 3.0)
    printer = hit("/guides/basic-troubleshooting/#printer", "basic-troubleshooting", "section", 2.0)
    other = hit("/guides/payment-methods/#faq", "payment-methods", "section", 1.0)
    sure = hit(
        "/guides/basic-troubleshooting/#faq-receipt-fades", "basic-troubleshooting", "section"
    )
    understood = Understood({"basic-troubleshooting": 0.8}, (sure,), exact=(sure,))
    urls = [h.url for h in blend([card, printer, other], understood)]
    assert sure.url in urls and printer.url not in urls
    assert card.url in urls  # a code's card is no section of the guide: it stays
    assert urls.index(sure.url) < urls.index(other.url)


def test_cards_the_words_merely_find_take_one_place_and_leave_the_rest_to_guides():
    # "交易失败" is on a dozen cards' screens; a code the query names is pinned, not blended.
    from search.documents import Hit, Understood
    from search.query import UNNAMED_CARDS, blend

    def hit(url, slug, kind, score):
        return Hit(url, slug, "t", "", "", score, kind)

    cards = [
        hit(f"/codes/{c}/", "basic-troubleshooting", "code", 5.0 - i) for i, c in enumerate("0123")
    ]
    section = hit(
        "/guides/sign-in-after-power-off/#faq-still-fails",
        "sign-in-after-power-off",
        "section",
        1.0,
    )
    understood = Understood({"sign-in-after-power-off": 0.5, "basic-troubleshooting": 0.3}, ())
    ranked = blend([*cards, section], understood)
    assert [h.url for h in ranked if h.kind == "code"] == ["/codes/0/"]  # the best of them stays
    assert UNNAMED_CARDS == 1
    assert section.url in [h.url for h in ranked]


def test_a_long_description_leans_on_the_reader_more_than_a_short_query(tmp_path, monkeypatch):
    from search import query as search_query
    from search.documents import Hit, Understood
    from search.query import READER_SHARE, READER_SHARE_LONG, blend

    def hit(slug, score):
        return Hit(f"/guides/{slug}/", slug, "t", "", "", score, "guide")

    words = [hit("transaction-records", 1.0), hit("settlement-not-received", 0.5)]
    reader = Understood({"settlement-not-received": 0.5, "transaction-records": 0.3}, ())
    assert blend(words, reader, share=READER_SHARE)[0].guide_slug == "transaction-records"
    assert blend(words, reader, share=READER_SHARE_LONG)[0].guide_slug == "settlement-not-received"

    shares = []
    real_blend = search_query.blend
    monkeypatch.setattr(
        search_query, "blend", lambda h, u, share: shares.append(share) or real_blend(h, u)
    )
    monkeypatch.setattr(search_query.registry, "read", lambda content, query: reader)
    monkeypatch.setattr(search_query.registry, "pins", lambda: [])
    index = make_index(tmp_path, LOCK, NETWORK)
    for query in ("锁定了", "早上开机提示终端已锁定 刷不了卡 怎么解锁"):
        search_query.search_with_hint(index, query, content=object())
    assert shares == [READER_SHARE, READER_SHARE_LONG]


@pytest.mark.parametrize(
    ("guide_p", "found_p", "shown"),
    [
        (0.85, 0.0, "landing"),  # sure of the guide, the words' section hardly rated: replaced
        (0.85, 0.07, "found"),  # the reader rates the words' section too: it stays ("保修")
        (0.4, 0.0, "found"),  # not sure of the guide: the words decide the section
    ],
)
def test_a_guide_the_reader_is_sure_of_shows_its_likeliest_answer_there(guide_p, found_p, shown):
    # "app里的钱提不出来": the reader is sure of settlement-not-received and likeliest its
    # frozen-money answer; the words found the scam-prevention section of the same guide.
    from search.documents import Hit, Understood
    from search.query import KEEP_FOUND_SECTION, SURE_GUIDE, blend

    assert SURE_GUIDE <= 0.85 and SURE_GUIDE > 0.4 and KEEP_FOUND_SECTION <= 0.07

    def hit(url, slug, score=1.0):
        return Hit(url, slug, "t", "", "", score, "section")

    found = hit("/guides/settlement-not-received/#prevention", "settlement-not-received", 2.0)
    other = hit("/guides/basic-troubleshooting/#printer", "basic-troubleshooting", 1.5)
    landing = hit("/guides/settlement-not-received/#really-frozen", "settlement-not-received")
    understood = Understood(
        {"settlement-not-received": guide_p},
        (replace(landing, score=guide_p),),
        answers={landing.url: 0.43, found.url: found_p},
    )
    urls = [h.url for h in blend([found, other], understood)]
    assert urls[0] == (landing.url if shown == "landing" else found.url)
    assert (found.url in urls) == (shown == "found") and other.url in urls
