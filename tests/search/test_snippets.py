"""search.snippets: highlighting, escaped before it marks."""

from __future__ import annotations

import re

from django.utils.safestring import SafeString

import search
from search import text as search_text
from tests.factories import guide, make_index


def test_highlight_marks_only_the_matches():
    snippet = search.highlight("开机后先签到再收款。", ["签到"])

    assert isinstance(snippet, SafeString)
    assert snippet == "开机后先<mark>签到</mark>再收款。"


def test_highlight_merges_overlapping_bigrams_and_finds_latin_spellings():
    assert search.highlight("机器锁住了", ["锁住", "住了"]) == "机器<mark>锁住了</mark>"
    assert search.highlight("连上 Wi-Fi 再试", ["wifi"]) == "连上 <mark>Wi-Fi</mark> 再试"


def test_highlight_escapes_html_in_the_text_and_in_the_terms():
    text = '提示 <script>alert("x")</script> 终端已锁定 & 刷不了卡'

    snippet = search.highlight(text, ["<script>", "锁定", "amp", "lt"])

    assert "<script" not in snippet
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in snippet.replace(
        "<mark>", ""
    ).replace("</mark>", "")
    assert re.sub(r"</?mark>", "", snippet).count("<") == 0
    assert "&amp;" in snippet  # "amp" and "lt" never split an entity
    assert re.findall(r"<mark>(.*?)</mark>", snippet) == ["script", "script", "锁定"]


def test_search_snippets_escape_a_script_in_the_guide_and_in_the_query(tmp_path):
    pasted = guide(
        "pasted", "锁机", ("说明", "有人贴了 <script>alert(1)</script> 进来，锁机请联系客服。")
    )
    index = make_index(tmp_path, pasted)

    (hit,) = search.search(index, "<script>锁机</script>")

    assert "<script>" not in hit.snippet_html
    assert "&lt;" in hit.snippet_html
    assert re.sub(r"</?mark>", "", hit.snippet_html).count("<") == 0
    assert search.plain_text(hit.snippet_html).count("<script>") == 1


def test_highlight_cuts_about_80_characters_around_the_best_match():
    text = "无关的文字。" * 40 + "机器提示终端已锁定。" + "后面的文字。" * 40

    snippet = search.highlight(text, ["锁定"])

    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>锁定</mark>" in snippet
    assert len(search.plain_text(snippet)) <= search_text.SNIPPET_CHARS + 2


def test_highlight_without_a_match_shows_the_start_of_the_text():
    assert search.highlight("短短一句。", ["锁定"]) == "短短一句。"
