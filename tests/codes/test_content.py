"""codes/content.py: content/codes.yaml as frozen dataclasses, loaded once per content version."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from codes.content import RETRY, WHO, get_codebook, load_codebook, normalize_code
from guides import loading as guides_loading
from guides.library import get_library

# Every code of the main ("Verified") table of ../shared/reference/response-codes.md.
REFERENCE_TABLE = [
    "00",
    "01",
    "03",
    "04",
    "05",
    "12",
    "13",
    "14",
    "15",
    "21",
    "22",
    "25",
    "30",
    "33",
    "54",
    "34",
    "36",
    "62",
    "38",
    "40",
    "41",
    "43",
    "45",
    "51",
    "55",
    "57",
    "58",
    "59",
    "61",
    "64",
    "65",
    "68",
    "75",
    "77",
    "90",
    "91",
    "92",
    "94",
    "96",
    "97",
    "98",
    "99",
    "A0",
    "A7",
]


def shipped():
    library = guides_loading.load_library(Path(settings.BASE_DIR) / "content")
    return library, load_codebook(library)


def write_codes(content_dir: Path, text: str) -> Path:
    path = content_dir / "codes.yaml"
    path.write_text(text, encoding="utf-8")
    return path


ONE = """\
codes:
  - code: 03
    meaning: 无效商户
    screens: [无效商户]
    who: terminal
    retry: never
    steps: [联系服务商。]
    say: 我们的机器暂时收不了这笔。
"""


# --- the shipped file ---------------------------------------------------------------------------


def test_shipped_codes_load_without_problems():
    _, book = shipped()
    assert [f"{p.line}: {p.message}" for p in book.problems] == []


def test_every_code_of_the_reference_table_is_published():
    _, book = shipped()
    assert [c for c in REFERENCE_TABLE if book.get(c) is None] == []
    assert len(book.entries) == 42  # 44 codes, two pairs share a card


def test_codes_that_mean_the_same_share_one_card():
    _, book = shipped()
    assert book.get("33") is book.get("54")
    assert book.get("54").code == "54" and book.get("54").url == "/codes/54/"
    assert book.get("36") is book.get("62")


def test_the_letter_classes_and_the_standard_are_not_published():
    text = (Path(settings.BASE_DIR) / "content" / "codes.yaml").read_text(encoding="utf-8")
    assert not re.search(r"[A-E] ?类", text)
    assert "Q/CUP" not in text and "006.6" not in text


def test_uncertain_rows_are_hedged():
    _, book = shipped()
    # Keeping the card (04 and the other pick-up codes): up to the provider's agreement.
    for code in ("04", "34", "41", "43"):
        assert "各服务商的要求不同" in book.get(code).note
    # 90: no clock time for the day switch.
    day_switch = book.get("90")
    words = " ".join((*day_switch.steps, day_switch.note, day_switch.say))
    assert not re.search(r"\d{1,2}\s*[:：点]", words)
    assert "各家不同" in day_switch.note


def test_who_acts_matches_the_reference():
    _, book = shipped()
    expected = {
        "51": "card-bank",
        "55": "card-bank",
        "14": "card-bank",
        "58": "terminal",
        "45": "cashier",
        "97": "terminal",
        "03": "terminal",
        "96": "system",
        "90": "system",
        "68": "system",
        "A0": "terminal",
        "00": "none",  # a success: nobody has to fix anything
    }
    assert {c: book.get(c).who.id for c in expected} == expected


def test_retry_advice_matches_the_reference():
    _, book = shipped()
    assert book.get("45").retry.id == "chip"
    assert {book.get(c).retry.id for c in ("A0", "99", "77")} == {"sign-in"}
    assert {book.get(c).retry.id for c in ("68", "98", "94")} == {"check-first"}
    assert book.get("51").retry.id == "never"
    assert "不要把一笔钱拆成几笔来刷。" in book.get("61").steps


def test_links_go_where_the_issue_says():
    _, book = shipped()

    def urls(code: str) -> list[str]:
        return [link.url for link in book.get(code).links]

    for code in ("A0", "99", "77"):
        assert "/guides/sign-in-after-power-off/#sign-in-steps" in urls(code)
    assert any(u.startswith("/guides/activate-new-terminal/") for u in urls("97"))
    assert any(u.startswith("/guides/restore-suspended-terminal/") for u in urls("97"))
    # The customer's card is locked, not the terminal's operator.
    for code in ("38", "75"):
        assert urls(code)[0] == "/guides/unlock-locked-terminal/#faq-card-pin-locked"
    # 45 is what payment-methods' first step quotes ("请插卡交易"): insert the chip.
    assert urls("45") == [
        "/guides/payment-methods/#card-types",
        "/guides/basic-troubleshooting/#card-reader",
    ]
    # A wrong PIN (not yet too many tries) is this card's problem, as 05 and 51 are: other
    # cards still work. It is still the customer's card, not the terminal's operator lock.
    assert urls("55") == [
        "/guides/basic-troubleshooting/#card-reader",
        "/guides/unlock-locked-terminal/#faq-card-pin-locked",
    ]
    # A card reported lost or stolen is this one card's problem too; refusing the sale is in
    # the card's own steps and its second link.
    for code in ("41", "43"):
        assert urls(code) == [
            "/guides/basic-troubleshooting/#card-reader",
            "/guides/payment-safety/#suspicious-transactions",
        ]
        assert "不要完成这笔交易" in book.get(code).steps[0]
    # 58, this terminal may not do this sale: first what the provider opened for it (its
    # steps say to ask), then every card failing, then a refund on another terminal.
    assert urls("58")[:3] == [
        "/guides/payment-methods/#what-it-takes",
        "/guides/restore-suspended-terminal/#host-status",
        "/guides/void-and-refund/#codes",
    ]


def test_groups_follow_who_acts_and_sort_by_code():
    _, book = shipped()
    groups = book.grouped()
    assert [who.id for who, _ in groups] == list(WHO)
    for _, entries in groups:
        assert [e.code for e in entries] == sorted(e.code for e in entries)
    assert sum(len(entries) for _, entries in groups) == len(book.entries)


# --- loading --------------------------------------------------------------------------------------


def test_an_unquoted_code_keeps_its_leading_zero(content_dir):
    write_codes(content_dir, ONE)
    book = get_codebook(get_library())
    assert book.problems == ()
    entry = book.get("03")
    assert entry.codes == ("03",)
    assert entry.who is WHO["terminal"] and entry.retry is RETRY["never"]
    assert entry.line == 2


def test_the_code_book_is_built_once_per_library(content_dir):
    write_codes(content_dir, ONE)
    library = get_library()
    assert get_codebook(library) is get_codebook(library)


def test_an_edit_is_picked_up_with_the_next_library(content_dir):
    path = write_codes(content_dir, ONE)
    assert get_codebook(get_library()).get("51") is None
    path.write_text(ONE.replace("code: 03", 'code: "51"'), encoding="utf-8")
    assert get_codebook(get_library()).get("51") is not None


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("codes: [\n", 2, "YAML 格式错误"),
        ("codes: 5\n", 1, "文件应有一个 codes: 列表"),
        ("- 51\n", 1, "文件应有一个 codes: 列表"),
    ],
)
def test_a_broken_file_never_raises(content_dir, text, line, message):
    write_codes(content_dir, text)
    book = get_codebook(get_library())
    assert book.entries == ()
    assert [(p.line, message in p.message) for p in book.problems] == [(line, True)]


def test_a_missing_file_is_a_problem_not_a_crash(content_dir):
    (content_dir / "codes.yaml").unlink()
    book = get_codebook(get_library())
    assert book.entries == () and book.problems[0].message == "文件不存在"


def test_a_broken_entry_is_left_out_and_the_rest_load(content_dir):
    write_codes(
        content_dir,
        ONE
        + ONE.replace("codes:\n", "")
        .replace("03", '"51"')
        .replace("    say: 我们的机器暂时收不了这笔。\n", ""),
    )
    book = get_codebook(get_library())
    assert [e.code for e in book.entries] == ["03"]
    assert [(p.line, p.message) for p in book.problems] == [(9, "返回码 51：缺少 say")]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("a0", "A0"), (" 5 1 ", "51"), ("ａ０", "A0"), ("Ａ７", "A7"), ("", "")],
)
def test_normalize_code_folds_case_spaces_and_full_width(typed, expected):
    assert normalize_code(typed) == expected


def test_normalize_code_is_bounded():
    assert len(normalize_code("9" * 10_000)) == 16


def _client() -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.django_db
@pytest.mark.parametrize("broken", [b"codes: [\n", b"\xff\xfe", b"", None])
def test_a_broken_codes_file_keeps_its_last_good_version(content_dir, broken):
    client = _client()
    assert client.get("/codes/51/").status_code == 200
    path = content_dir / "codes.yaml"
    if broken is None:
        path.unlink()
        path.mkdir()  # a folder where the file was
    else:
        path.write_bytes(broken)
    assert client.get("/codes/51/").status_code == 200
    assert client.get("/codes/jump/?code=51").status_code in (301, 302)
    body = client.get("/healthz").json()
    assert any("codes.yaml" in e and "上一次正确保存" in e for e in body["content_errors"]), body
