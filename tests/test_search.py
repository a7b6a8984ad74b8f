"""helpcenter.search: normalising, bigrams, ranking, registry, pinyin and slips, synonyms, snippets,
the index on disk, shipped content (content gaps are the insights app's: tests/test_insights_*)."""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.utils.safestring import SafeString

import search
from guides import content
from guides import library as guides_library
from guides import loading as guides_loading
from guides.search import guide_documents
from search import registry, sounds
from search import text as search_text

# --- factories ---------------------------------------------------------------------------


def guide(
    slug: str,
    title: str,
    *sections: tuple[str, str],
    keywords: tuple[str, ...] = (),
    summary: str = "一篇测试用的指南。",
) -> dict:
    return {
        "slug": slug,
        "title": title,
        "summary": summary,
        # Keywords are required; the slug is a word no test searches for.
        "keywords": list(keywords) or [slug],
        "sections": sections or (("说明", "正文。"),),
    }


def make_library(
    root: Path, *guides: dict, synonyms: tuple[tuple[str, ...], ...] = ()
) -> content.Library:
    (root / "guides").mkdir(parents=True)
    (root / "categories.yaml").write_text(
        "categories:\n  - {id: general, title: 常见问题}\n", encoding="utf-8"
    )
    (root / "contacts.yaml").write_text("channels: []\n", encoding="utf-8")
    (root / "synonyms.yaml").write_text(
        yaml.safe_dump({"groups": [list(g) for g in synonyms]}, allow_unicode=True),
        encoding="utf-8",
    )
    for g in guides:
        front = {
            "title": g["title"],
            "summary": g["summary"],
            "category": "general",
            "keywords": g["keywords"],
            "updated": dt.date(2026, 11, 21),
        }
        body = "".join(f"## {title}\n\n{text}\n\n" for title, text in g["sections"])
        (root / "guides" / f"{g['slug']}.md").write_text(
            f"---\n{yaml.safe_dump(front, allow_unicode=True)}---\n\n{body}", encoding="utf-8"
        )
    library = guides_loading.load_library(root)
    assert set(library.guides) == {g["slug"] for g in guides}, library.errors
    return library


def make_index(root: Path, *guides: dict, synonyms=(), extra=()) -> search.Index:
    library = make_library(root, *guides, synonyms=synonyms)
    return search.build_index([*guide_documents(library), *extra], library.synonyms)


def slugs(hits: list[search.Hit]) -> list[str]:
    return [hit.guide_slug for hit in hits]


LOCK = guide(
    "unlock",
    "机器被锁定了怎么解锁",
    ("症状", "屏幕提示终端已锁定，刷不了卡。"),
    ("解锁步骤", "联系服务商核实身份后解锁。"),
    keywords=("锁机", "解锁"),
)
NETWORK = guide(
    "network",
    "网络连不上",
    ("检查 Wi-Fi", "看屏幕上的 Wi-Fi 图标，POS 机要连上店里的无线网络。"),
    ("流量卡", "SIM 卡欠费也会连不上。"),
)
PRINTER = guide(
    "printer",
    "打印机不出纸",
    ("换纸", "打开仓盖，放入新的打印纸。"),
)


# --- normalising and tokenising ----------------------------------------------------------


def test_normalize_folds_full_width_and_case():
    assert search.normalize("ＰＯＳ机") == "pos机"
    assert search.normalize("ｗｉｆｉ") == "wifi"
    assert search.normalize("ＰＯＳ机，连不上Wi-Fi！") == "pos机 连不上wifi"


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


# --- ranking -----------------------------------------------------------------------------


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


# --- the registry ------------------------------------------------------------------------


def code_document(code: str, text: str) -> search.Document:
    return search.Document(
        kind="code",
        url=f"/codes/{code}/",
        guide_slug="",
        title=f"应答码 {code}",
        section_title="",
        text=text,
        keywords=(code,),
    )


def test_registered_sources_are_indexed_with_the_guides(tmp_path, monkeypatch):
    library = make_library(tmp_path, LOCK, PRINTER)
    monkeypatch.setattr(registry, "_sources", dict(registry._sources))
    search.register_documents("code", lambda lib: [code_document("51", "余额不足，换卡再试。")])

    index = search.build_content_index(library)

    assert {d.kind for d in index.documents} == {"guide", "section", "code"}
    (hit,) = search.search(index, "余额不足")
    assert (hit.kind, hit.url) == ("code", "/codes/51/")


def test_the_assistant_registers_its_outcomes_and_search_imports_no_app():
    from triage.flow import outcome_documents

    assert registry._sources["outcome"] is outcome_documents
    for module in Path(search.__file__).parent.glob("*.py"):
        source = module.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import) (triage|codes|guides|insights)", source, re.M)


def test_pins_come_first_and_a_ranked_hit_with_the_same_url_is_dropped(tmp_path, monkeypatch):
    library = make_library(tmp_path, LOCK, PRINTER)
    index = search.build_index(guide_documents(library))
    pinned = search.Hit(
        url="/guides/printer/",
        guide_slug="printer",
        title="打印机不出纸",
        section_title="",
        snippet_html=search.highlight("换纸", []),
        score=0.0,
        kind="code",
    )
    asked = []

    def pin(lib, query):
        asked.append((lib, query))
        return [pinned] if "纸" in query else []

    monkeypatch.setattr(registry, "_pins", [])
    search.register_pin(pin)
    search.register_pin(pin)  # registering twice asks once

    hits = search.search_with_hint(index, "锁机 打印纸", content=library).hits
    assert hits[0] is pinned
    assert [h.url for h in hits].count("/guides/printer/") == 1
    assert "unlock" in slugs(hits)
    assert asked == [(library, "锁机 打印纸")]
    # Without a library (or with a query the pin ignores) nothing is pinned.
    assert search.search_with_hint(index, "打印纸").hits[0] is not pinned
    assert search.search_with_hint(index, "锁机", content=library).hits[0].kind != "code"
    assert len(search.search_with_hint(index, "锁机 打印纸", content=library, limit=1).hits) == 1


# --- synonyms ----------------------------------------------------------------------------


def test_a_synonym_in_the_query_finds_the_guide_that_uses_another_word(tmp_path):
    index = make_index(tmp_path, LOCK, PRINTER, synonyms=(("锁机", "锁住", "锁死"),))

    assert slugs(search.search(index, "锁住了"))[:1] == ["unlock"]


def test_without_the_synonym_group_the_colloquial_word_finds_nothing(tmp_path):
    index = make_index(tmp_path, LOCK, PRINTER)

    assert search.search(index, "锁住了") == []


def test_the_merchants_own_word_outranks_its_synonym(tmp_path):
    literal = guide("literal", "刷卡没有反应", ("说明", "检查读卡器。"))
    synonym = guide("synonym", "插卡没有反应", ("说明", "检查卡槽。"))
    index = make_index(tmp_path, synonym, literal, synonyms=(("刷卡", "插卡"),))

    assert slugs(search.search(index, "刷卡")) == ["literal", "synonym"]


# --- pinyin and homophone slips ----------------------------------------------------------

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


def test_latin_words_that_are_not_pinyin_or_are_the_guides_own_stay_as_typed(sounding_index):
    # "wifi" is a word of the guides; "xyz" and "pos" spell no syllables the index holds.
    for query in ("wifi", "xyz", "pos", "e01"):
        assert search.parse_query(sounding_index, query).text == query
    assert search.search_with_hint(sounding_index, "wifi").suggestion == ""


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


def test_the_results_page_and_the_api_offer_the_correction(client):
    page = client.get("/search/", {"q": "签道"})
    api = client.get("/api/search", {"q": "qiandao"}).json()

    assert page.status_code == 200
    html_ = page.content.decode()
    assert '您是不是要找：<a href="/search/?q=%E7%AD%BE%E5%88%B0">签到</a>' in html_
    assert "/guides/sign-in-after-power-off/" in html_
    assert api["suggestion"] == "签到"
    assert api["results"][0]["slug"] == "sign-in-after-power-off"
    assert "您是不是要找" not in client.get("/search/", {"q": "签到"}).content.decode()


# --- snippets ----------------------------------------------------------------------------


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


# --- the cached index --------------------------------------------------------------------


def test_get_index_is_built_once_and_rebuilt_when_content_changes(content_dir):
    first = search.get_index()
    assert search.get_index() is first

    (content_dir / "guides" / "zz-new-topic.md").write_text(
        "---\ntitle: 彩虹测试指南\nsummary: 测试。\ncategory: troubleshooting\n"
        "keywords: [彩虹]\nupdated: 2026-11-21\n---\n\n## 说明\n\n彩虹。\n",
        encoding="utf-8",
    )

    rebuilt = search.get_index()
    assert rebuilt is not first
    assert slugs(search.search(rebuilt, "彩虹")) == ["zz-new-topic"]


# --- the index on disk -------------------------------------------------------------------


@pytest.fixture
def index_dir(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    return settings.SEARCH_INDEX_DIR


def test_the_index_is_built_once_and_the_next_process_loads_it(content_dir, index_dir, monkeypatch):
    built = search.build_content_index(guides_library.get_library())
    (written,) = index_dir.glob("*.pickle")

    def no_building(*args, **kwargs):
        raise AssertionError("the index was built again instead of loaded")

    monkeypatch.setattr(search, "build_index", no_building)
    guides_library._cached = None  # as in a new worker
    loaded = search.build_content_index(guides_library.get_library())

    assert loaded.documents == built.documents
    assert (
        loaded.documents[0].text
        is guides_library.get_library().guides[loaded.documents[0].guide_slug].summary
    )  # the text is the library's, not a second copy
    for query in ("机器锁住了", "qiandao", "签道", "forgot password"):
        assert search.search(loaded, query) == search.search(built, query)
    assert list(index_dir.glob("*.pickle")) == [written]


def test_changed_content_gets_a_new_index_file(content_dir, index_dir):
    search.build_content_index(guides_library.get_library())
    (first,) = index_dir.glob("*.pickle")

    (content_dir / "guides" / "zz-new-topic.md").write_text(
        "---\ntitle: 彩虹测试指南\nsummary: 测试。\ncategory: troubleshooting\n"
        "keywords: [彩虹]\nupdated: 2026-11-21\n---\n\n## 说明\n\n彩虹。\n",
        encoding="utf-8",
    )
    guides_library._cached = None
    rebuilt = search.build_content_index(guides_library.get_library())

    assert slugs(search.search(rebuilt, "彩虹")) == ["zz-new-topic"]
    assert {p.name for p in index_dir.glob("*.pickle")} > {first.name}


def test_a_torn_index_file_is_rebuilt_not_trusted(content_dir, index_dir):
    search.build_content_index(guides_library.get_library())
    (written,) = index_dir.glob("*.pickle")
    written.write_bytes(b"\x80\x05not a pickle at all")
    guides_library._cached = None

    index = search.build_content_index(guides_library.get_library())

    assert slugs(search.search(index, "机器锁住了"))[:1] == ["unlock-locked-terminal"]
    assert written.read_bytes()[:2] == b"\x80\x05" and len(written.read_bytes()) > 1000


def test_an_empty_index_dir_setting_turns_the_file_off(content_dir, settings, tmp_path):
    settings.SEARCH_INDEX_DIR = ""

    index = search.build_content_index(guides_library.get_library())

    assert slugs(search.search(index, "签到"))[:1] == ["sign-in-after-power-off"]


# --- the shipped content -----------------------------------------------------------------

# How merchants ask, not how the titles read: tests/phrasings/*.tsv, one "query<TAB>slug" a line
# (a file per theme, so each can grow without touching the others).
PHRASINGS = Path(__file__).resolve().parent / "phrasings"


def _phrasings(pattern: str = "*.tsv") -> list[tuple[str, str]]:
    rows = []
    for path in sorted(PHRASINGS.glob(pattern)):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                query, slug = line.split("\t")
                rows.append((query, slug.strip()))
    return rows


MERCHANT_QUERIES = _phrasings()
# Pinyin, homophone slips, English and Cantonese, as merchants type them.
TYPED_QUERIES = _phrasings("typing.tsv")
MIN_FIRST_PLACE = 0.9


@pytest.fixture(scope="module")
def shipped_index() -> search.Index:
    library = guides_loading.load_library(Path(settings.BASE_DIR) / "content")
    return search.build_index(guide_documents(library), library.synonyms)


def test_merchant_phrasings_find_their_guide(shipped_index):
    assert len(MERCHANT_QUERIES) >= 120
    assert len(TYPED_QUERIES) >= 25
    missing, not_first = [], []
    for query, expected in MERCHANT_QUERIES:
        found = slugs(search.search(shipped_index, query, limit=3))
        if expected not in found:
            missing.append(f"{query} → {found} (expected {expected})")
        elif found[0] != expected:
            not_first.append(f"{query} → {found} (expected {expected})")

    first_place = 1 - (len(missing) + len(not_first)) / len(MERCHANT_QUERIES)
    assert not missing, "not in the top 3:\n" + "\n".join(missing)
    assert first_place >= MIN_FIRST_PLACE, (
        f"first for {first_place:.0%} of the queries; not first:\n" + "\n".join(not_first)
    )


def test_typed_phrasings_pinyin_slips_english_cantonese_find_their_guide_first(shipped_index):
    not_first = [
        f"{query} → {found} (expected {expected})"
        for query, expected in TYPED_QUERIES
        if (found := slugs(search.search(shipped_index, query, limit=3)))[:1] != [expected]
    ]
    assert len(not_first) <= (1 - MIN_FIRST_PLACE) * len(TYPED_QUERIES), "\n".join(not_first)


def test_merchant_phrasings_still_find_their_guide_among_the_assistants_outcomes():
    # The live index also holds the assistant's outcomes; an outcome hit names its guide.
    index = search.get_index()
    missing = [
        f"{query} → {slugs(search.search(index, query, limit=3))} (expected {expected})"
        for query, expected in MERCHANT_QUERIES
        if expected not in slugs(search.search(index, query, limit=3))
    ]
    assert not missing, "not in the top 3:\n" + "\n".join(missing)


def test_every_shipped_guide_can_be_found_by_its_title(shipped_index):
    library = guides_loading.load_library(Path(settings.BASE_DIR) / "content")
    for guide_ in library.guides.values():
        assert slugs(search.search(shipped_index, guide_.title, limit=1)) == [guide_.slug]
