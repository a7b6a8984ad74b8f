"""triage/loading.py: the parsed tree kept between processes."""

from __future__ import annotations

import pytest

from guides import loading as guides_loading
from triage import loading


@pytest.fixture
def kept(content_dir, settings):
    settings.CONTENT_CACHE_DIR = str(content_dir.parent / "cache")
    return content_dir.parent / "cache" / "trees"


def test_the_next_process_reads_the_kept_tree_instead_of_parsing(content_dir, kept, monkeypatch):
    first = loading.get_tree(guides_loading.load_library(content_dir))
    assert len(list(kept.glob("*.pickle"))) == 2  # one tree, under two names

    def no_parsing(library):
        raise AssertionError("parsed again")

    monkeypatch.setattr(loading, "load_tree", no_parsing)
    again = loading.get_tree(guides_loading.load_library(content_dir))  # a new library object
    assert again.outcomes == first.outcomes
    assert again.routes == first.routes
    assert again.off_topic == first.off_topic


def test_a_tree_kept_from_a_copy_elsewhere_is_this_files_and_keeps_its_last_good(
    content_dir, kept, tmp_path
):
    import shutil

    loading.get_tree(guides_loading.load_library(content_dir))  # kept, from the first folder
    copy = tmp_path / "release-2" / "content"
    shutil.copytree(content_dir, copy)
    tree = loading.get_tree(guides_loading.load_library(copy))
    assert tree.source == copy / "triage.yaml"
    assert loading._last_good[copy / "triage.yaml"] is tree  # what a broken save falls back to
    assert len(list(kept.glob("*.pickle"))) == 2  # read back, not parsed again


def test_a_moved_trees_problems_name_the_file_it_was_read_for(content_dir, tmp_path):
    from dataclasses import replace

    from guides.problems import Problem

    tree = loading.get_tree(guides_loading.load_library(content_dir))
    problems = [
        Problem(tree.source, 7, "第 7 行"),
        Problem(content_dir / "examples" / "locked.yaml", 3, "例句"),
        Problem(content_dir / "guides" / "x.md", 2, "指南"),
        Problem(tmp_path / "elsewhere" / "x.md", 2, "别处的文件"),
    ]
    moved = loading._moved_to(replace(tree, problems=tuple(problems)), tmp_path / "triage.yaml")
    assert [p.path for p in moved.problems] == [
        tmp_path / "triage.yaml",
        tmp_path / "examples" / "locked.yaml",
        tmp_path / "guides" / "x.md",
        tmp_path / "elsewhere" / "x.md",
    ]
    assert moved.source == tmp_path / "triage.yaml"


def test_an_edited_tree_is_parsed_again(content_dir, kept):
    loading.get_tree(guides_loading.load_library(content_dir))
    source = content_dir / "triage.yaml"
    source.write_text(source.read_text(encoding="utf-8") + "\n# 编辑改过\n", encoding="utf-8")
    edited = loading.get_tree(guides_loading.load_library(content_dir))
    assert edited.root is not None
    assert len(list(kept.glob("*.pickle"))) == 4


def test_a_guides_new_text_reads_the_kept_tree_and_a_new_heading_parses_again(
    content_dir, kept, monkeypatch
):
    """The tree names guides' sections, not their text: an editor's draft of a guide's text
    (the preview checks the whole content with it) does not parse every phrasing again."""
    first = loading.get_tree(guides_loading.load_library(content_dir))
    slug = next(o.guide for o in first.outcomes.values() if o.guide)
    guide = content_dir / "guides" / f"{slug}.md"
    text = guide.read_text(encoding="utf-8")
    parse = loading.load_tree
    parsed = []
    monkeypatch.setattr(loading, "load_tree", lambda library: parsed.append(1) or parse(library))

    guide.write_text(text + "\n补一句。\n", encoding="utf-8")
    again = loading.get_tree(guides_loading.load_library(content_dir))
    assert parsed == [] and again.outcomes == first.outcomes
    assert len(list(kept.glob("*.pickle"))) == 3  # the new version's name too

    guide.write_text(text + "\n## 新的一节 {#a-new-section}\n\n补一句。\n", encoding="utf-8")
    loading.get_tree(guides_loading.load_library(content_dir))
    assert parsed == [1]
    assert len(list(kept.glob("*.pickle"))) == 5


def test_a_damaged_kept_tree_is_parsed_afresh(content_dir, kept):
    first = loading.get_tree(guides_loading.load_library(content_dir))
    for file in kept.glob("*.pickle"):
        file.write_bytes(b"not a pickle")
    again = loading.get_tree(guides_loading.load_library(content_dir))
    assert again.outcomes == first.outcomes


def test_without_a_cache_folder_nothing_is_kept(content_dir, settings):
    settings.CONTENT_CACHE_DIR = ""
    assert loading.get_tree(guides_loading.load_library(content_dir)).outcomes
    assert not list(content_dir.parent.glob("**/trees"))


def test_the_kept_tree_in_use_is_kept_when_others_are_written(content_dir, kept, settings):
    import os

    settings.TRIAGE_TREES_KEPT = 3
    loading.get_tree(guides_loading.load_library(content_dir))
    first = set(kept.glob("*.pickle"))
    for file in first:
        os.utime(file, (1, 1))  # written long ago
    loading.get_tree(guides_loading.load_library(content_dir))  # read back: in use
    source = content_dir / "triage.yaml"
    source.write_text(source.read_text(encoding="utf-8") + "\n# 编辑改过\n", encoding="utf-8")
    loading.get_tree(guides_loading.load_library(content_dir))
    left = set(kept.glob("*.pickle"))
    assert len(left) == 3 and len(left & first) == 1  # the one read, not its unused twin
