"""Nothing that names a merchant is stored: numbers in any grouping and e-mail addresses go."""

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insights.masking import gap_text, mask


@pytest.mark.parametrize(
    "typed",
    [
        "6222021234567890",  # card, one run
        "6222 0212 3456 7890",  # card in fours
        "6222-0212-3456-7890",
        "6222　0212　3456　7890",  # full-width spaces
        "６２２２０２１２３４５６７８９０",  # full-width digits
        "62220212 34567890 123",
        "13812345678",  # phone
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "(010) 8888-6666",
        "110101199001011234",  # ID card
        "11010119900101123X",
        "110101 19900101 123x",
        "1101.0119.9001.0112.34",
        "12345",  # terminal or merchant numbers, short ones too
    ],
)
def test_numbers_of_five_digits_or_more_are_masked_in_any_grouping(typed):
    stored = gap_text(f"卡号 {typed} 刷不了")
    assert stored.startswith("卡号 #") and stored.endswith("刷不了")
    assert not any(ch.isdigit() for ch in stored)


@pytest.mark.parametrize(
    "address",
    ["boss@example.com", "Shop.Owner+pos@mail.example.cn", "ＡＢＣ＠ＱＱ．ＣＯＭ", "a_b-c@qq"],
)
def test_email_addresses_are_masked(address):
    stored = gap_text(f"我的邮箱 {address} 收不到对账单")
    assert stored == "我的邮箱 # 收不到对账单"


def test_codes_and_short_numbers_survive():
    # Error codes, response codes and service codes are what editors need to see.
    assert gap_text("刷卡提示 51 和 E01，服务码 A3") == "刷卡提示 51 和 e01 服务码 a3"
    assert mask("1234 元") == "1234 元"


@pytest.mark.parametrize("typed", ["", "   ", "了吗", "13812345678", "boss@example.com", "！？"])
def test_nothing_is_kept_of_a_query_with_no_words(typed):
    assert gap_text(typed) == ""


def test_stored_text_is_bounded():
    assert len(gap_text("长" * 5000)) == 200


CASES = settings(
    max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


ASCII_DIGITS = "0123456789"


FULL_WIDTH_DIGITS = "０１２３４５６７８９"


CHINESE = "〇一二三四五六七八九零壹贰叁肆伍陆柒捌玖两"


CHINESE_DIGITS = frozenset(CHINESE + "貳參陸")


DIGIT = st.sampled_from(ASCII_DIGITS + FULL_WIDTH_DIGITS + CHINESE)


NAMED_SEPARATORS = " 　-‐–—−.．。、，,*＊~～|｜:：;；+＋\\＼/／_()（）·・'\"「」\t\u200b\u00a0"


# Any punctuation, symbol or space character Unicode knows (besides the named ones).
ANY_SEPARATOR = st.characters(
    categories=["Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs"]
)


SEPARATOR = st.text(st.one_of(st.sampled_from(NAMED_SEPARATORS), ANY_SEPARATOR), max_size=3)


WORDS = st.sampled_from(
    ["卡号", "电话", "我的手机是", "身份证", "刷不了", "请回电", "pos机", "", " "]
)


def _value(ch: str) -> int | None:
    folded = unicodedata.normalize("NFKC", ch)
    if folded.isdigit():
        return int(folded)
    return None


@st.composite
def grouped_number(draw, *, digits: int) -> str:
    parts = []
    for index in range(digits):
        if index:
            parts.append(draw(SEPARATOR))
        parts.append(draw(DIGIT))
    return "".join(parts)


def _digits_left(stored: str) -> int:
    """Digits of any script still in the stored text, counted across anything between them."""
    return sum(1 for ch in stored if _value(ch) is not None or ch in CHINESE_DIGITS)


LOCAL = st.text(
    st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789._+-"), min_size=1, max_size=12
)


DOMAIN = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789-"), min_size=1, max_size=10)


@CASES
@given(
    before=WORDS,
    number=st.integers(11, 24).flatmap(lambda n: grouped_number(digits=n)),
    after=WORDS,
)
def test_eleven_or_more_digits_never_survive_whatever_separates_them(before, number, after):
    stored = gap_text(f"{before}{number}{after}")
    masked = mask(f"{before}{number}{after}")
    assert _digits_left(stored) < 5, (number, stored)
    assert _digits_left(masked) < 5, (number, masked)


@CASES
@given(
    before=WORDS,
    body=grouped_number(digits=17),
    check=st.sampled_from(["x", "X", "ｘ", "Ｘ", "0", "9"]),
    gap=SEPARATOR,
    after=WORDS,
)
def test_id_card_numbers_go_with_their_check_character(before, body, check, gap, after):
    stored = mask(f"{before}{body}{gap}{check} {after}")
    assert _digits_left(stored) == 0, stored
    assert "x" not in stored.replace("pos", ""), stored


@CASES
@given(
    before=WORDS,
    local=LOCAL,
    domain=DOMAIN,
    tld=st.sampled_from(["com", "cn", "com.cn", ""]),
    wide=st.booleans(),
    after=WORDS,
)
def test_email_addresses_never_survive(before, local, domain, tld, wide, after):
    address = f"{local}@{domain}" + (f".{tld}" if tld else "")
    if wide:  # full-width forms, as a phone's Chinese keyboard types them
        address = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in address)
    stored = gap_text(f"{before} {address} {after}")
    assert "@" not in stored and domain not in stored.replace("pos", "X"), stored


def test_the_reported_leaks_are_masked():
    for typed in (
        "6222。0212。3456。7890。123",
        "138、0013、8000",
        "138*0013*8000",
        "138~0013~8000",
        "138|0013|8000",
        "138:0013;8000",
        "138+0013+8000",
        "138\\0013\\8000",
        "一三八零零一三八零零零",
        "壹叁捌零零壹叁捌零零零",
        "一三八 0013 八〇〇〇",
        "１３８、００１３、８０００",
        "138a0013b8000",  # letters between digits
        "6222x0212x3456x7890",
        "138 a 0013 b 8000",
    ):
        assert _digits_left(gap_text(f"卡号{typed}刷不了")) == 0, typed


def test_words_codes_and_short_numbers_still_survive():
    assert gap_text("刷卡提示 51 和 E01，服务码 A3") == "刷卡提示 51 和 e01 服务码 a3"
    assert gap_text("连不上 Wi-Fi 两次") == "连不上 wifi 两次"
    assert gap_text("5g 卡 a3 b2 e01 返回码 51") == "5g 卡 a3 b2 e01 返回码 51"


def test_masking_reads_no_search_internals():
    import ast
    from pathlib import Path

    import insights.masking

    tree = ast.parse(Path(insights.masking.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not any(name.startswith("helpcenter") for name in imported), imported
