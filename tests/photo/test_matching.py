"""From the lines read off a screen to the answer: codes (minding look-alikes) and messages."""

from __future__ import annotations

import pytest

from codes.content import get_codebook
from codes.screens import MESSAGES, get_screens, key
from guides.library import get_library
from photo.matching import find_codes, match


@pytest.fixture
def book():
    return get_codebook(get_library())


@pytest.fixture
def screens():
    return get_screens(get_library())


def answer(lines: list[str]) -> str:
    library = get_library()
    return match(get_codebook(library), get_screens(library), lines).url


@pytest.mark.parametrize(
    ("lines", "url"),
    [
        (["消费", "余额不足", "返回码：51"], "/codes/51/"),
        (["MAC校验错，请重新签到", "返回码：AO"], "/codes/A0/"),  # O read for 0
        (["返回码:5I"], "/codes/51/"),  # I read for 1
        (["应答码 O5"], "/codes/05/"),
        (["返回码：Ａ０"], "/codes/A0/"),  # full-width
        (["错误码 S5"], "/codes/55/"),
        (["交易失败", "余额不足 51"], "/codes/51/"),
        (["该卡已过期", "(54)"], "/codes/54/"),
        (["交易失败，请重试", "返回码：30"], "/codes/30/"),
        (["余额不足"], "/codes/51/"),
        (["终端已锁定，请联系客服"], "/guides/unlock-locked-terminal/#symptoms"),
        (["请先签到"], "/guides/sign-in-after-power-off/#sign-in-steps"),
        (["商户状态异常"], "/guides/restore-suspended-terminal/#host-status"),
        (["交易失败", "请联系收单行"], "/guides/restore-suspended-terminal/#host-status"),
        (["没收卡，请联系收单行"], "/codes/04/"),  # the longer text is the code's own
        (["请下载参数", "确认"], "/guides/sign-in-after-power-off/#faq-download-params"),
    ],
)
def test_one_clear_answer(lines, url):
    assert answer(lines) == url


@pytest.mark.parametrize(
    "lines",
    [
        ["交易失败，请重试"],  # 12 and 30 both show it
        ["校验错，请重新签到"],  # 99 and A0
        ["返回码：51", "返回码：55"],  # two codes, nothing to choose by
        ["今天天气很好"],
        [],
    ],
)
def test_no_single_answer_is_not_guessed(lines):
    assert answer(lines) == ""


def test_dates_times_amounts_and_numbers_are_not_codes(book):
    lines = ["2026-12-05 15:51", "金额:12.00", "终端号 12345678", "12/05", "第3/51页"]
    assert find_codes(book, lines) == []


def test_an_unknown_code_is_never_accepted(book):
    assert find_codes(book, ["返回码：K9", "返回码：XY", "返回码：N6"]) == []


def test_a_labelled_code_beats_one_standing_alone(book, screens):
    found = match(book, screens, ["余额不足 51", "返回码：55"])
    assert found.url == "/codes/55/"
    assert [h.code for h in found.codes] == ["55", "51"]


def test_a_message_that_names_the_code_breaks_a_tie(book, screens):
    assert match(book, screens, ["余额不足", "51 14"]).url == "/codes/51/"


def test_the_screen_index_is_built_from_codes_yaml_and_the_curated_table(screens):
    assert screens.problems == ()
    texts = {s.text: s for s in screens.screens}
    assert texts["余额不足"].codes == ("51",) and texts["余额不足"].url == "/codes/51/"
    shared = texts["交易失败，请重试"]
    assert shared.url == "" and set(shared.codes) == {"12", "30"}
    for curated, slug, anchor in MESSAGES:
        for text in curated:
            assert texts[text].url == f"/guides/{slug}/#{anchor}"
    assert len({s.key for s in screens.screens}) == len(screens.screens)


def test_matching_folds_what_a_screen_or_a_camera_varies():
    assert key("校验错, 请重新签到") == key("校验错，请重新签到")
    assert key("ＩＣ 卡请插卡") == key("IC卡请插卡")


def test_a_curated_message_whose_anchor_is_gone_is_left_out_and_named(content_dir):
    guide = content_dir / "guides" / "sign-in-after-power-off.md"
    guide.write_text(guide.read_text().replace("{#sign-in-steps}", "{#steps}"))
    built = get_screens(get_library())
    assert any("sign-in-steps" in p for p in built.problems)
    assert "请先签到" not in {s.text for s in built.screens}
