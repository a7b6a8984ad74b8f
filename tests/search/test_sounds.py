"""search.sounds: pinyin and homophone slips read as the Chinese the guides use."""

from __future__ import annotations

import pytest

import search
from search import sounds
from tests.factories import NETWORK, PRINTER, guide, make_index, phrasings, slugs

SIGN_IN = guide(
    "sign-in",
    "开机后签到",
    ("签到步骤", "按提示输入操作员号和密码完成签到。"),
    ("签到失败", "网络不通时签到会失败，先检查网络。"),
    keywords=("签到", "签不上"),
)


ACTIVATE = guide(
    "activate",
    "新机器怎么激活",
    ("激活步骤", "按说明书输入激活码。"),
    keywords=("激活", "开通"),
)


LOCKED = guide(
    "locked",
    "机器锁住了怎么办",
    ("解锁", "联系服务商核实身份后解锁。"),
    keywords=("锁住", "解锁"),
)


PASSWORD = guide(
    "password",
    "操作员密码忘了",
    ("重置密码", "主管在管理菜单里给操作员重置密码。"),
    keywords=("密码", "忘记密码"),
)


@pytest.fixture
def sounding_index(tmp_path) -> search.Index:
    return make_index(tmp_path, SIGN_IN, ACTIVATE, LOCKED, PASSWORD, NETWORK, PRINTER)


TYPED_QUERIES = phrasings("typing.tsv")


MIN_FIRST_PLACE = 0.9


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("qiandao", "sign-in"),
        ("qian dao", "sign-in"),
        ("QianDao", "sign-in"),
        ("qiān dào", "sign-in"),
        ("qian1 dao4", "sign-in"),
        ("qiandao shibai", "sign-in"),
        ("jihuo", "activate"),
        ("mima wangle", "password"),
        ("caozuoyuan mima wangle", "password"),
        ("dayinji", "printer"),
        ("pos机 jihuo", "activate"),
    ],
)
def test_pinyin_finds_the_chinese_it_spells(sounding_index, query, expected):
    assert slugs(search.search(sounding_index, query))[:1] == [expected]


def test_pinyin_is_read_as_the_chinese_the_guides_use(sounding_index):
    assert search.parse_query(sounding_index, "caozuoyuan mima wangle").text == "操作员密码忘了"
    assert search.parse_query(sounding_index, "qian dao").text == "签到"


def test_a_sentence_typed_a_syllable_a_word_is_read_word_by_word(sounding_index):
    # As a whole it reads as nothing the guides say; its words that do are still read.
    assert search.parse_query(sounding_index, "qian dao hen man a").text.startswith("签到")


@pytest.mark.parametrize(
    ("query", "read"),
    [("dianchi", "电池"), ("dianchi buchong", "电池补充"), ("xianshi", "显示")],
)
def test_pinyin_is_cut_into_as_few_syllables_as_it_allows(shipped_index, query, read):
    # "dianchi" is dian-chi, never di-an-chi (的按池), however often the guides say 的按钮.
    assert search.parse_query(shipped_index, query).text == read


@pytest.mark.parametrize(
    ("query", "read"), [("yuyin bobao", "语音播报"), ("hai mei dao zhang", "还没到账")]
)
def test_a_syllable_is_read_first_as_the_characters_it_is_the_usual_sound_of(
    shipped_index, query, read
):
    # "yu" is the usual sound of 语 and a rare one of 或 (which the guides use far more): 或银服报
    # was the reading. 还 is "hai" as usual, and "huan" only after 换.
    assert search.parse_query(shipped_index, query).text == read


def test_latin_words_that_are_not_pinyin_or_are_the_guides_own_stay_as_typed(sounding_index):
    # "wifi" is a word of the guides; "xyz" and "pos" spell no syllables the index holds.
    for query in ("wifi", "xyz", "pos", "e01"):
        assert search.parse_query(sounding_index, query).text == query
    assert search.search_with_hint(sounding_index, "wifi").suggestion == ""


SUPERVISOR = guide(
    "supervisor",
    "主管密码忘记了",
    ("找回", "主管密码忘记了，带证件联系服务商。"),
    keywords=("主管密码", "忘记", "激活码无效"),
)


@pytest.fixture
def initials_index(tmp_path) -> search.Index:
    return make_index(tmp_path, SUPERVISOR, SIGN_IN, ACTIVATE, LOCKED, PASSWORD, NETWORK, PRINTER)


@pytest.mark.parametrize(
    ("query", "read"),
    [
        ("zgmm", "主管密码"),  # a keyword
        ("zgmmwj", "主管密码忘记"),  # two keywords in a row
        ("mmwjzgmm", "密码忘记主管密码"),  # three
        ("zgmm jhmwx", "主管密码 激活码无效"),  # each word alone
        ("jhwx", "激活无效"),  # a title's words inside a keyword ("激活码无效")
        ("jhmwx没反应", "激活码无效没反应"),
    ],
)
def test_pinyin_initials_read_as_the_sites_own_phrases(initials_index, query, read):
    assert search.parse_query(initials_index, query).text == read.replace(" ", "")


def test_pinyin_initials_find_the_guide(initials_index):
    assert slugs(search.search(initials_index, "zgmm"))[:1] == ["supervisor"]


@pytest.mark.parametrize("query", ["mm", "qd", "xkcd", "tmd", "wifi"])
def test_two_letters_and_letters_that_spell_nothing_of_the_sites_stay_as_typed(
    initials_index, query
):
    # Two letters are too many things ("mm": 密码, 买卖); "xkcd" spells no keyword.
    assert search.parse_query(initials_index, query).text == query


@pytest.mark.parametrize(
    ("query", "read"),
    [
        ("hsouxufei", "手续费"),  # the first two letters swapped
        ("daozhagn", "到账"),  # the last two
        ("qiandoa", "签到"),
        ("shanfu bunegn", "闪付不能"),  # one word of two
        ("shouxufeii", "手续费"),  # a letter typed twice
        ("qiandaoo", "签到"),
    ],
)
def test_pinyin_with_two_letters_swapped_or_one_typed_twice_is_read_as_meant(
    shipped_index, query, read
):
    assert search.parse_query(shipped_index, query).text == read


@pytest.mark.parametrize("query", ["restart", "network", "merchant", "siel", "printer"])
def test_english_and_short_words_are_not_read_as_mistyped_pinyin(shipped_index, query):
    # A slip in a word under six letters too often spells some other word; English words
    # whose swaps spell no syllables stay as typed.
    assert search.parse_query(shipped_index, query).text == query


@pytest.mark.parametrize(
    ("query", "meant", "expected"),
    [("签道", "签到", "sign-in"), ("锁主了", "锁住了", "locked"), ("激话", "激活", "activate")],
)
def test_a_homophone_slip_still_finds_the_guide_and_suggests_the_word(
    sounding_index, query, meant, expected
):
    results = search.search_with_hint(sounding_index, query)

    assert slugs(results.hits)[:1] == [expected]
    assert results.suggestion == meant


def test_an_exact_match_ranks_above_a_homophone_correction(tmp_path):
    # The same field on both sides: only the word differs.
    exact = guide("exact", "分店的营业时间", ("说明", "签道路分店周一休息。"))
    corrected = guide("corrected", "开机以后", ("签到", "开机后先签到再收款。"))
    index = make_index(tmp_path, corrected, exact)

    assert slugs(search.search(index, "签道")) == ["exact", "corrected"]


def test_words_that_read_fine_or_are_real_gaps_get_no_suggestion(sounding_index):
    for query in ("签到", "机器冒烟了", "打印机", "qiandao"):
        parsed = search.parse_query(sounding_index, query)
        assert parsed.corrected == "", query
    assert search.search_with_hint(sounding_index, "签到").suggestion == ""
    assert search.search_with_hint(sounding_index, "qiandao").suggestion == "签到"


@pytest.mark.parametrize(
    "query",
    [
        " ".join("abcdefghijklmnopqrstuvwxyz"[i % 26] for i in range(200)),
        "a" * 5000,
        "qiandao" * 300,
        "zhuangshuangchuang" * 40,
        "😀🙏🏻🔥" * 50,
        "？！。，、…—" * 100,
        "签道" * 300,
        "qiandao签道mima密马" * 40,
    ],
)
def test_bad_input_costs_bounded_work(sounding_index, monkeypatch, query):
    calls = []
    real = sounds._pair_score

    def counted(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(sounds, "_pair_score", counted)

    results = search.search_with_hint(sounding_index, query)

    assert isinstance(results.hits, list)
    # Each pinyin letter or Chinese character costs at most beam × candidates pair looks.
    bound = sounds.PINYIN_MAX_LETTERS * 2 * sounds.MAX_SYLLABLE + 4 * sounds.HOMOPHONE_MAX_CHARS
    assert len(calls) <= bound * sounds.PINYIN_BEAM * 64


def test_typed_phrasings_pinyin_slips_english_cantonese_find_their_guide_first(shipped_index):
    not_first = [
        f"{query} → {found} (expected {expected})"
        for query, expected in TYPED_QUERIES
        if (found := slugs(search.search(shipped_index, query, limit=3)))[:1] != [expected]
    ]
    assert len(not_first) <= (1 - MIN_FIRST_PLACE) * len(TYPED_QUERIES), "\n".join(not_first)


# Runs whose correction depended on the order of a set (each process's hash seed) before the
# near sounds were sorted: 66 of the 17,470 runs of the examples read differently.
SEED_SENSITIVE = ["啥卡都刷不了", "登不上", "登不进去", "这机器是不是白买了", "机器半年没刷"]


def test_a_slip_is_corrected_the_same_way_in_every_process():
    import json
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    script = (
        "import json, sys, django; django.setup()\n"
        "from search.registry import get_index\n"
        "from search.sounds import homophone\n"
        "index = get_index()\n"
        "print(json.dumps([homophone(index.sounds, r) for r in sys.argv[1:]]))\n"
    )
    seen = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "DJANGO_SETTINGS_MODULE": "tests.settings"}
        done = subprocess.run(
            [sys.executable, "-c", script, *SEED_SENSITIVE],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        seen.add(json.dumps(json.loads(done.stdout.strip().splitlines()[-1])))
    assert len(seen) == 1, seen
