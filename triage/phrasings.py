"""Who says what: the phrasings merchants type, each claimed by one answer only.

An outcome's phrasings are written in triage.yaml (a few, under the outcome's ``examples:``)
and in the examples folder (most of them, under the outcome's id in the one file of its topic,
kept apart so that the tree stays small to edit); off-topic phrasings under ``off_topic:`` in
any of these files; a guide section's in the guide's front matter. One phrasing, one meaning:
a phrasing claimed twice is a problem that names both places, file and line.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from guides import yaml_lines
from guides.content import Guide, Library
from guides.loading import MAX_EXAMPLE_CHARS, example_key, line_in_file
from guides.problems import Problem, display_path
from guides.yaml_lines import LineMapping, line_of
from search.text import compact
from triage.tree import EXAMPLES_FOLDER, EXAMPLES_TOP_KEYS, Outcome, examples_paths

OFF_TOPIC = "off_topic（与 POS 无关的说法）"


def unknown_keys(source: Path, entry: LineMapping, allowed: set[str], where: str) -> list[Problem]:
    return [
        Problem(
            source,
            line_of(entry, key),
            f"{where}：未知字段 {key}（可用字段：{'、'.join(sorted(allowed))}）",
        )
        for key in entry
        if key not in allowed
    ]


class Phrasings:
    def __init__(self, library: Library, problems: list[Problem], tree_source: Path) -> None:
        self.problems = problems  # shared with the tree's builder
        self.tree_source = tree_source
        # Normalised phrasing -> (who claims it, its file, line). The guides' sections first
        # (their line is found only for a message).
        self.claimed: dict[str, tuple[str, Path, int]] = {}
        # compact(text) -> the guide, anchor and text that claimed it first
        self.in_guides: dict[str, tuple[Guide, str, str]] = {}
        for guide in library.guides.values():
            for anchor, texts in guide.examples:
                for text in texts:
                    first = self.in_guides.setdefault(compact(text), (guide, anchor, text))
                    # Alike only as search reads them (繁/简): guides/loading.py names the rest.
                    if first[:2] != (guide, anchor) and example_key(first[2]) != example_key(text):
                        self.problems.append(
                            Problem(
                                guide.path,
                                line_in_file(guide.path, text),
                                f"examples 里的例句“{text}”和指南 {first[0].slug}#{first[1]} "
                                "的一句读起来一样，一句话只能属于一个小节",
                            )
                        )

    def claim(
        self, entry: LineMapping, key: str, where: str, source: Path | None = None
    ) -> tuple[str, ...]:
        """The phrasings under ``key`` of ``entry`` (in ``source``, the tree's file unless
        said), for ``where`` (an outcome, off-topic): those no one else has claimed."""
        source = source or self.tree_source
        raw = entry.get(key) or []
        first = line_of(entry, key)
        if not isinstance(raw, list):
            self.problem(source, first, f"{where}：{key} 应是列表，每行一句“- 商户的说法”")
            return ()
        kept: list[str] = []
        for number, value in enumerate(raw, start=1):
            # Each phrasing on its own line ("- ..."), as the files' comments ask.
            line = first + number
            text = value.strip() if isinstance(value, str) else ""
            if not text or len(text) > MAX_EXAMPLE_CHARS:
                message = f"{key} 第 {number} 句应是 1 到 {MAX_EXAMPLE_CHARS} 个字的文字"
                self.problem(source, line, f"{where}：{message}")
                continue
            key_text = compact(text)
            if key_text in self.in_guides:
                guide, anchor, _ = self.in_guides[key_text]
                self.problem(
                    source,
                    line,
                    f"{where}：例句“{text}”也写在指南 {display_path(guide.path)} 的小节 #{anchor}"
                    f"（第 {line_in_file(guide.path, text)} 行），一句话只能属于一处",
                )
                continue
            if key_text in self.claimed:
                other, other_source, other_line = self.claimed[key_text]
                if other != where:
                    in_file = "" if other_source == source else f"{other_source.name} "
                    self.problem(
                        source,
                        line,
                        f"{where}：例句“{text}”也写在{other}（{in_file}第 {other_line} 行），"
                        "一句话只能属于一个结果",
                    )
                continue
            self.claimed[key_text] = (where, source, line)
            kept.append(text)
        return tuple(kept)

    def examples_files(
        self, outcomes: dict[str, Outcome]
    ) -> tuple[dict[str, Outcome], tuple[str, ...]]:
        """The examples folder beside the tree (if there is one), file by file: each outcome's
        phrasings after those it carries in the tree, and the off-topic phrasings."""
        merged = dict(outcomes)
        off_topic: tuple[str, ...] = ()
        for source in examples_paths(self.tree_source):
            off_topic += self._examples_file(source, outcomes, merged)
        # A file the folder holds but nobody reads ("fees.yml"): said, not silently skipped.
        folder = self.tree_source.parent / EXAMPLES_FOLDER
        for path in sorted(folder.iterdir()) if folder.is_dir() else ():
            if path.suffix != ".yaml" and not path.name.startswith("."):
                self.problem(path, 1, f"例句文件要以 .yaml 结尾：{path.name} 没有读，请改名")
        return merged, off_topic

    def _examples_file(
        self, source: Path, outcomes: dict[str, Outcome], merged: dict[str, Outcome]
    ) -> tuple[str, ...]:
        data, problems = yaml_lines.load(source)
        for line, message in problems:
            self.problem(source, line, message)
        if data is None:
            return ()
        if not isinstance(data, LineMapping):
            self.problem(source, 1, "文件应有 outcomes 或 off_topic 部分")
            return ()
        self.problems += unknown_keys(source, data, EXAMPLES_TOP_KEYS, "文件顶层")
        entries = data.get("outcomes") or LineMapping()
        if not isinstance(entries, LineMapping):
            self.problem(source, line_of(data, "outcomes"), "outcomes: 下应是“结果 id: 例句列表”")
            entries = LineMapping()
        name = f"{EXAMPLES_FOLDER}/{source.name}"
        for outcome_id in entries:
            line = line_of(entries, outcome_id)
            outcome = outcomes.get(outcome_id)
            if outcome is None:
                # A tree that did not load has no outcomes: its own problem says enough.
                if outcomes:
                    self.problem(source, line, f"结果 {outcome_id} 不在 triage.yaml 的 outcomes 里")
                continue
            if merged[outcome_id].examples_file:
                first = merged[outcome_id]
                self.problem(
                    source,
                    line,
                    f"结果 {outcome_id} 的例句已经写在 {first.examples_file} "
                    f"第 {first.examples_line} 行：一个结果的例句只写在一个文件里",
                )
                continue
            more = self.claim(entries, outcome_id, f"结果 {outcome_id}", source)
            merged[outcome_id] = replace(
                outcome, examples=outcome.examples + more, examples_file=name, examples_line=line
            )
        return self.claim(data, "off_topic", OFF_TOPIC, source)

    def problem(self, source: Path, line: int, message: str) -> None:
        self.problems.append(Problem(source, line, message))
