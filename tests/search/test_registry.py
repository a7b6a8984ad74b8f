"""search.registry: apps plug in their documents and pins; search imports no app."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

import search
from guides import content
from guides import loading as guides_loading
from guides.search import guide_documents
from search import registry

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


def slugs(hits: list[search.Hit]) -> list[str]:
    return [hit.guide_slug for hit in hits]


LOCK = guide(
    "unlock",
    "机器被锁定了怎么解锁",
    ("症状", "屏幕提示终端已锁定，刷不了卡。"),
    ("解锁步骤", "联系服务商核实身份后解锁。"),
    keywords=("锁机", "解锁"),
)


PRINTER = guide(
    "printer",
    "打印机不出纸",
    ("换纸", "打开仓盖，放入新的打印纸。"),
)


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
