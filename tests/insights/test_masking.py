"""Nothing that names a merchant is stored: numbers in any grouping and e-mail addresses go."""

import pytest

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
