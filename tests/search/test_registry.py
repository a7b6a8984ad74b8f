"""search.registry: apps plug in their documents and pins; search imports no app."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import search
from guides.search import guide_documents
from search import registry
from tests.factories import LOCK, PRINTER, make_library, slugs


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
    from triage.search import outcome_documents

    assert registry._sources["outcome"] is outcome_documents
    for module in Path(search.__file__).parent.glob("*.py"):
        source = module.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import) (triage|codes|guides|insights)", source, re.M)


def _card(url: str, title: str, *, by_message: bool = False) -> search.Hit:
    """A pinned card that stands for the printer guide."""
    return search.Hit(
        url=url,
        guide_slug="printer",
        title=title,
        section_title="",
        snippet_html=search.highlight("纸", []),
        score=0.0,
        kind="code",
        by_message=by_message,
    )


def test_pins_come_first_and_a_ranked_hit_with_the_same_url_is_dropped(tmp_path, monkeypatch):
    library = make_library(tmp_path, LOCK, PRINTER)
    index = search.build_index(guide_documents(library))
    pinned = _card("/guides/printer/", "打印机不出纸")
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


# --- a registered reader ------------------------------------------------------------------------


def _reader_hit(slug: str, score: float, warning: str = "") -> search.Hit:
    return search.Hit(
        url=f"/guides/{slug}/#s",
        guide_slug=slug,
        title=slug,
        section_title="",
        snippet_html=search.highlight("", []),
        score=score,
        kind="section",
        warning=warning,
    )


def _with_reader(monkeypatch, understood) -> list:
    asked = []

    def reader(content, query):
        asked.append(query)
        return understood

    monkeypatch.setattr(registry, "_reader", None)
    monkeypatch.setattr(registry, "_pins", [])
    registry.register_reader(reader)
    return asked


def test_the_reader_is_blended_in_and_can_bring_a_guide_the_words_missed(tmp_path, monkeypatch):
    library = make_library(tmp_path, LOCK, PRINTER)
    index = search.build_index(guide_documents(library))
    alone = slugs(search.search(index, "锁机 打印"))
    assert len(alone) == 2
    understood = search.Understood(
        guides={alone[1]: 0.9, "elsewhere": 0.1},
        hits=(_reader_hit(alone[1], 0.9), _reader_hit("elsewhere", 0.1)),
    )
    asked = _with_reader(monkeypatch, understood)
    results = search.search_with_hint(index, "锁机 打印", content=library)
    assert asked == ["锁机 打印"]
    assert slugs(results.hits)[:2] == [alone[1], alone[0]]
    assert "elsewhere" in slugs(results.hits)  # only the reader knew it
    assert [h.score for h in results.hits] == sorted((h.score for h in results.hits), reverse=True)
    # Without content (no reader asked) the ranking is BM25's.
    assert slugs(search.search_with_hint(index, "锁机 打印").hits) == alone


def test_a_safety_answer_from_the_reader_goes_first(tmp_path, monkeypatch):
    library = make_library(tmp_path, LOCK, PRINTER)
    index = search.build_index(guide_documents(library))
    first = _reader_hit("safety", 0.3, warning="这很可能是诈骗")
    _with_reader(monkeypatch, search.Understood(guides={}, first=first))
    hits = search.search_with_hint(index, "锁机", content=library).hits
    assert hits[0] is first and hits[0].warning


def test_off_topic_empties_results_only_when_sure_or_the_words_are_unknown(tmp_path, monkeypatch):
    library = make_library(tmp_path, LOCK, PRINTER)
    index = search.build_index(guide_documents(library))
    _with_reader(monkeypatch, search.Understood(guides={}, off_topic=0.3))
    unknown = search.search_with_hint(index, "红烧肉怎么做好吃 锁", content=library)
    assert unknown.hits == [] and unknown.off_topic
    known = search.search_with_hint(index, "锁机", content=library)
    assert known.hits and not known.off_topic
    _with_reader(monkeypatch, search.Understood(guides={}, off_topic=0.9))
    assert search.search_with_hint(index, "锁机", content=library).off_topic


@pytest.mark.parametrize(
    ("sure", "pinned_guide", "by_message", "first"),
    [
        (0.9, 0.05, True, "unlock"),  # "退货显示余额不足": a refund, not code 51's card
        (0.9, 0.2, True, "printer"),  # the reader relates the message to the query too
        (0.5, 0.05, True, "printer"),  # the reader is not sure enough to overrule the screen
        (0.9, 0.05, False, "printer"),  # a code the query names stays first
    ],
)
def test_a_pinned_message_follows_an_answer_the_reader_is_sure_of_instead(
    tmp_path, monkeypatch, sure, pinned_guide, by_message, first
):
    library = make_library(tmp_path, LOCK, PRINTER)
    index = search.build_index(guide_documents(library))
    card = _card("/codes/99/", "99", by_message=by_message)
    understood = search.Understood(
        guides={"unlock": sure, "printer": pinned_guide},
        hits=(_reader_hit("unlock", sure), _reader_hit("printer", pinned_guide)),
    )
    _with_reader(monkeypatch, understood)
    search.register_pin(lambda lib, query: [card])
    hits = search.search_with_hint(index, "锁机 打印纸", content=library).hits
    assert slugs(hits)[0] == first
    assert card in hits[:2]  # followed, never dropped
