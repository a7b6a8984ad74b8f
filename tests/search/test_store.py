"""search.store: the index built once per content version and kept on disk."""

from __future__ import annotations

import pytest

import search
from guides import library as guides_library
from tests.factories import slugs


@pytest.fixture
def index_dir(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    return settings.SEARCH_INDEX_DIR


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
