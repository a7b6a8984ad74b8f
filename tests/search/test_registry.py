"""search.registry: apps plug in their documents and pins; search imports no app."""

from __future__ import annotations

import re
from pathlib import Path

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
