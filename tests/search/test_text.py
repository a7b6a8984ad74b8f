"""search.text: normalising what merchants type and cutting it into terms."""

from __future__ import annotations

import search

# --- factories ---------------------------------------------------------------------------


def test_normalize_folds_full_width_and_case():
    assert search.normalize("ＰＯＳ机") == "pos机"
    assert search.normalize("ｗｉｆｉ") == "wifi"
    assert search.normalize("ＰＯＳ机，连不上Wi-Fi！") == "pos机 连不上wifi"


def test_normalize_reads_traditional_characters_as_simplified():
    assert search.normalize("刷卡機顯示「終端已鎖定」") == "刷卡机显示 终端已锁定"
    assert search.normalize("張紙用晒點換紙") == "张纸用晒点换纸"
    simplified = "刷卡机显示终端已锁定 请联系客服 结算卡被冻结"
    assert search.normalize(simplified) == simplified  # simplified text is left alone


def test_normalize_reads_the_variant_merchants_type_as_the_guides_character():
    assert search.normalize("钱没到帐 查帐单") == "钱没到账 查账单"


def test_normalize_drops_control_characters_and_collapses_whitespace():
    assert search.normalize("锁\x00机\u200b了\t\n  \x1b吗 ") == "锁机了 吗"


def test_normalize_turns_punctuation_into_word_breaks():
    assert search.normalize("机器锁住了？？怎么办……") == "机器锁住了 怎么办"
    assert search.normalize("？？？!!!") == ""


def test_tokenize_cuts_chinese_into_overlapping_bigrams():
    assert search.tokenize("机器锁住") == ["机器", "器锁", "锁住"]


def test_tokenize_keeps_a_lone_chinese_character_and_latin_words_whole():
    assert search.tokenize("卡") == ["卡"]
    assert search.tokenize("POS机连不上Wi-Fi") == ["pos", "机连", "连不", "不上", "wifi"]
    assert search.tokenize("pos 机 E01") == ["pos", "机", "e01"]


def test_a_code_shape_alone_is_told_from_words():
    from search.text import looks_like_code

    for code in ("93", "Z1", "n6", " Ａ０ ", "1a", "C12"):
        assert looks_like_code(code), code
    for other in ("", "5", "939", "Z1错误", "交易失败93", "pos", "ABC", "z", "9" * 10_000):
        assert not looks_like_code(other), other
