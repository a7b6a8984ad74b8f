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
    assert len(list(kept.glob("*.pickle"))) == 1

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
    assert len(list(kept.glob("*.pickle"))) == 1  # read back, not parsed again


def test_a_moved_trees_problems_name_the_file_it_was_read_for(content_dir, tmp_path):
    from dataclasses import replace

    from guides.problems import Problem

    tree = loading.get_tree(guides_loading.load_library(content_dir))
    other = Problem(content_dir / "guides" / "x.md", 2, "别的文件")
    found = replace(tree, problems=(Problem(tree.source, 7, "第 7 行"), other))
    moved = loading._moved_to(found, tmp_path / "triage.yaml")
    assert [p.path for p in moved.problems] == [tmp_path / "triage.yaml", other.path]
    assert moved.source == tmp_path / "triage.yaml"


def test_an_edited_tree_is_parsed_again(content_dir, kept):
    loading.get_tree(guides_loading.load_library(content_dir))
    source = content_dir / "triage.yaml"
    source.write_text(source.read_text(encoding="utf-8") + "\n# 编辑改过\n", encoding="utf-8")
    edited = loading.get_tree(guides_loading.load_library(content_dir))
    assert edited.root is not None
    assert len(list(kept.glob("*.pickle"))) == 2


def test_an_edited_guide_gives_a_new_tree_too(content_dir, kept):
    """The tree's links name guides' sections: a guide's change is a new tree."""
    loading.get_tree(guides_loading.load_library(content_dir))
    guide = next((content_dir / "guides").glob("*.md"))
    guide.write_text(guide.read_text(encoding="utf-8") + "\n补一句。\n", encoding="utf-8")
    loading.get_tree(guides_loading.load_library(content_dir))
    assert len(list(kept.glob("*.pickle"))) == 2


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
