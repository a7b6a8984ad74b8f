"""Loading content/triage.yaml and the files of content/examples/ into a ``Tree``, built once per
loaded library.

Loading never raises: whatever is wrong with the file becomes a ``Problem`` (file, line and
node named) for the system check, and the assistant runs on what could be understood; a broken
file keeps the tree's last good version.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.conf import settings

from guides import yaml_lines
from guides.content import Library
from guides.last_good import kept_or_built
from guides.problems import Problem
from guides.render_cache import render_folder
from guides.yaml_lines import LineMapping, line_of
from search.store import read_pickle, write_pickle
from triage.graph import _check_graph, _known_next, _moved, _routes, _without_dangling
from triage.phrasings import OFF_TOPIC, Phrasings, unknown_keys
from triage.tree import (
    ANSWER_KEYS,
    CODE_RE,
    EXAMPLES_FOLDER,
    MAX_SEGMENT,
    OUTCOME_KEYS,
    QUESTION_KEYS,
    RESERVED_IDS,
    RESPONSE_CODE_RE,
    SEGMENT_RE,
    TOP_KEYS,
    TREE_FILE,
    Answer,
    Node,
    Outcome,
    SectionExamples,
    Tree,
    examples_paths,
)

# --- loading --------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


class _Builder:
    def __init__(self, library: Library, source: Path) -> None:
        self.library = library
        self.source = source
        self.problems: list[Problem] = []
        # Who claims which phrasing: the guides' sections, the outcomes, off-topic.
        self.phrasings = Phrasings(library, self.problems, source)

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.source, line, message))

    def unknown_keys(self, entry: LineMapping, allowed: set[str], where: str) -> None:
        self.problems += unknown_keys(self.source, entry, allowed, where)

    def question(self, node_id: str, entry: Any, line: int) -> Node | None:
        where = f"问题 {node_id}"
        if not isinstance(entry, LineMapping):
            self.problem(line, f"{where}：应是“字段: 值”的形式")
            return None
        self.unknown_keys(entry, QUESTION_KEYS, where)
        question = _text(entry.get("question"))
        if not question:
            self.problem(line, f"{where}：缺少 question（助手要问的话）")
        flags = {}
        for name in ("free_text", "code_input"):
            flags[name] = entry.get(name, False)
            if not isinstance(flags[name], bool):
                self.problem(line_of(entry, name), f"{where}：{name} 应是 true 或 false")
                flags[name] = False
        raw_answers = entry.get("answers")
        if not isinstance(raw_answers, list) or not raw_answers:
            self.problem(line_of(entry, "answers"), f"{where}：缺少 answers（至少一个回答按钮）")
            raw_answers = []
        answers: list[Answer] = []
        for index, raw in enumerate(raw_answers, start=1):
            answer = self.answer(node_id, index, raw, entry)
            if answer is None:
                continue
            if any(a.id == answer.id for a in answers):
                self.problem(answer.line, f"{where}：回答 id {answer.id} 重复")
                continue
            answers.append(answer)
        return Node(
            id=node_id,
            question=question or node_id,
            help=_text(entry.get("help")),
            free_text=flags["free_text"],
            answers=tuple(answers),
            line=line,
            code_input=flags["code_input"],
        )

    def answer(self, node_id: str, index: int, raw: Any, parent: LineMapping) -> Answer | None:
        where = f"问题 {node_id} 的第 {index} 个回答"
        if not isinstance(raw, LineMapping):
            self.problem(
                line_of(parent, "answers"), f"{where}：应写成 {{id: ..., label: ..., goto: ...}}"
            )
            return None
        self.unknown_keys(raw, ANSWER_KEYS, where)
        answer_id = raw.get("id")
        if not isinstance(answer_id, str) or not SEGMENT_RE.fullmatch(answer_id):
            self.problem(raw.line, f"{where}：id 缺失或不合法（只用小写字母、数字和 -）")
            return None
        where = f"问题 {node_id} 的回答 {answer_id}"
        if len(answer_id) > MAX_SEGMENT:
            self.problem(raw.line, f"{where}：id 太长（最多 {MAX_SEGMENT} 个字符）")
            return None
        if answer_id in RESERVED_IDS:
            self.problem(raw.line, f"{where}：id 不能用 {answer_id}（助手自己要用这个词）")
            return None
        label = _text(raw.get("label"))
        if not label:
            self.problem(raw.line, f"{where}：缺少 label（按钮上的字）")
            return None
        restart = raw.get("restart", False)
        goto = raw.get("goto")
        if restart is True:
            if goto is not None:
                self.problem(raw.line, f"{where}：写了 restart: true 就不要再写 goto")
            return Answer(answer_id, label, "", True, raw.line)
        if restart is not False:
            self.problem(raw.line, f"{where}：restart 只能是 true")
        if not isinstance(goto, str) or not goto.strip():
            self.problem(raw.line, f"{where}：缺少 goto（点了去哪个问题或结果）")
            return None
        return Answer(answer_id, label, goto.strip(), False, raw.line)

    def outcome(self, outcome_id: str, entry: Any, line: int) -> Outcome | None:
        where = f"结果 {outcome_id}"
        if not isinstance(entry, LineMapping):
            self.problem(line, f"{where}：应是“字段: 值”的形式")
            return None
        self.unknown_keys(entry, OUTCOME_KEYS, where)
        fields = {name: _text(entry.get(name)) for name in ("code", "title", "summary")}
        for name, value in fields.items():
            if not value:
                self.problem(line_of(entry, name), f"{where}：缺少 {name}")
        code = fields["code"]
        if code and not CODE_RE.fullmatch(code):
            self.problem(
                line_of(entry, "code"),
                f"{where}：服务码 {code} 格式不对（一个大写字母加一到两位数字，例如 A3）",
            )
            code = ""
        guide, anchor, guide_title, section_title, guide_url = self.section(entry, where)
        channels = entry.get("channels")
        if not isinstance(channels, list) or not channels:
            self.problem(line_of(entry, "channels"), f"{where}：缺少 channels（至少一个联系渠道）")
            channels = []
        known_channels = []
        for channel_id in channels:
            if channel_id in self.library.channels:
                known_channels.append(channel_id)
            else:
                self.problem(
                    line_of(entry, "channels"),
                    f"{where}：联系渠道 {channel_id!r} 不在 contacts.yaml 里",
                )
        contact = entry.get("contact", False)
        if not isinstance(contact, bool):
            self.problem(line_of(entry, "contact"), f"{where}：contact 应是 true 或 false")
            contact = False
        keywords = entry.get("keywords") or []
        if not isinstance(keywords, list):
            self.problem(line_of(entry, "keywords"), f"{where}：keywords 应是列表")
            keywords = []
        found = self.library.guides.get(guide)
        prevention = found.section("prevention") if found else None
        return Outcome(
            examples=self.phrasings.claim(entry, "examples", f"结果 {outcome_id}"),
            warning=_text(entry.get("warning")),
            response_codes=self.response_codes(entry, where),
            id=outcome_id,
            service_code=code,
            title=fields["title"] or outcome_id,
            summary=fields["summary"],
            guide=guide,
            anchor=anchor,
            channels=tuple(known_channels),
            contact=contact,
            next=_text(entry.get("next")),
            keywords=tuple(str(k).strip() for k in keywords if str(k).strip()),
            line=line,
            guide_title=guide_title,
            section_title=section_title,
            guide_url=guide_url,
            prevention_url=f"{found.url}#{prevention.anchor}" if found and prevention else "",
        )

    def response_codes(self, entry: LineMapping, where: str) -> tuple[str, ...]:
        raw = entry.get("response_codes") or []
        # YAML reads 51 as a number; 03 and 00 must be quoted, which the message says.
        codes = [str(c).strip().upper() for c in raw] if isinstance(raw, list) else None
        if codes is None or not all(RESPONSE_CODE_RE.fullmatch(c) for c in codes):
            self.problem(
                line_of(entry, "response_codes"),
                f'{where}：response_codes 应是返回码列表，例如 ["A0", "99"]（要加引号）',
            )
            return ()
        return tuple(codes)

    def section(self, entry: LineMapping, where: str) -> tuple[str, str, str, str, str]:
        slug, anchor = _text(entry.get("guide")), _text(entry.get("anchor"))
        if not slug:
            self.problem(line_of(entry, "guide"), f"{where}：缺少 guide（指南的文件名）")
            return "", anchor, "", "", ""
        found = self.library.link(slug)
        if found.renamed_from:
            renamed = f"指南 {found.renamed_from} 已改名为 {found.guide.slug}，请改过来"
            self.problem(line_of(entry, "guide"), f"{where}：{renamed}")
        guide = found.guide
        if guide is None:
            self.problem(line_of(entry, "guide"), f"{where}：{found.problem}")
            return slug, anchor, "", "", ""
        if not anchor:
            self.problem(line_of(entry, "anchor"), f"{where}：缺少 anchor（指南里那一节的锚点）")
            return guide.slug, anchor, guide.title, "", guide.url
        found = self.library.link(guide.slug, anchor)
        if found.problem:
            self.problem(line_of(entry, "anchor"), f"{where}：{found.problem}")
            # Still useful: the guide's top is better than no link at all.
            return guide.slug, anchor, guide.title, "", guide.url
        return guide.slug, anchor, guide.title, found.section.title, found.url


def load_tree(library: Library) -> Tree:
    source = library.root / TREE_FILE
    builder = _Builder(library, source)

    def empty() -> Tree:
        return Tree(source, "", {}, {}, {}, {}, tuple(builder.problems))

    data, problems = yaml_lines.load(source)
    for line, message in problems:
        builder.problem(line, message)
    if data is None:
        return empty()
    if not isinstance(data, LineMapping):
        builder.problem(1, "文件应有 start、questions 和 outcomes 三部分")
        return empty()
    builder.unknown_keys(data, TOP_KEYS, "文件顶层")

    nodes: dict[str, Node] = {}
    outcomes: dict[str, Outcome] = {}
    for section, build, into in (
        ("questions", builder.question, nodes),
        ("outcomes", builder.outcome, outcomes),
    ):
        entries = data.get(section)
        if not isinstance(entries, LineMapping):
            builder.problem(line_of(data, section), f"缺少 {section}:（或它不是“id: 内容”的形式）")
            continue
        for item_id, entry in entries.items():
            if not SEGMENT_RE.fullmatch(item_id):
                builder.problem(
                    line_of(entries, item_id), f"id {item_id!r} 不合法（只用小写字母、数字和 -）"
                )
                continue
            if item_id in nodes or item_id in outcomes:
                builder.problem(
                    line_of(entries, item_id), f"id {item_id} 同时用在问题和结果里，请改成不同的"
                )
                continue
            built = build(item_id, entry, line_of(entries, item_id))
            if built is not None:
                into[item_id] = built

    start = _text(data.get("start"))
    if start not in nodes:
        builder.problem(line_of(data, "start"), f"start 应是一个问题的 id，现在是 {start!r}")

    nodes = _without_dangling(nodes, outcomes, builder)
    outcomes = _known_next(outcomes, nodes, builder)
    codes: dict[str, str] = {}
    for outcome in outcomes.values():
        code = outcome.service_code
        if not code:
            continue
        if code in codes:
            builder.problem(
                outcome.line, f"结果 {outcome.id}：服务码 {code} 已被 {codes[code]} 使用"
            )
            continue
        codes[code] = outcome.id

    routes = _routes(start, nodes, outcomes) if start in nodes else {}
    if start in nodes:
        _check_graph(start, nodes, outcomes, routes, builder)
    off_topic = builder.phrasings.claim(data, "off_topic", OFF_TOPIC)
    outcomes, more_off_topic = builder.phrasings.examples_files(outcomes)
    off_topic += more_off_topic
    sections = _section_examples(library, outcomes, routes)
    tree = Tree(
        source, start, nodes, outcomes, codes, routes, (), off_topic=off_topic, sections=sections
    )
    moved = _moved(data, tree, builder) if start in nodes else {}
    return replace(tree, moved=moved, problems=tuple(builder.problems))


def _section_examples(
    library: Library, outcomes: dict[str, Outcome], routes: dict[str, tuple[str, ...]]
) -> dict[str, SectionExamples]:
    landing: dict[tuple[str, str], list[str]] = {}
    for outcome in outcomes.values():
        if outcome.id in routes and outcome.guide:
            landing.setdefault((outcome.guide, outcome.anchor), []).append(outcome.id)
    found = {}
    for guide in library.guides.values():
        for anchor, texts in guide.examples:
            section = guide.section(anchor)
            label = f"{guide.slug}#{anchor}"
            found[label] = SectionExamples(
                label=label,
                guide=guide.slug,
                anchor=anchor,
                guide_title=guide.title,
                section_title=section.title if section else "",
                url=f"{guide.url}#{anchor}",
                examples=texts,
                outcomes=tuple(sorted(landing.get((guide.slug, anchor), ()))),
            )
    return found


_last_good: dict[Path, Tree] = {}
TREES_KEPT = 6  # three trees, each under two names


def get_tree(library: Library) -> Tree:
    """The tree of this library; while triage.yaml is unreadable (an editor's half-written
    save), the last tree that loaded, with the new file's problems attached for the check."""
    return library.derive("triage_tree", _tree_or_last_good)


def _tree_or_last_good(library: Library) -> Tree:
    tree = _kept_tree(library)
    return kept_or_built(_last_good, tree.source, tree, usable=tree.root is not None)


# --- kept between processes --------------------------------------------------------------------

# Parsing triage.yaml and the examples files costs a new process 50 ms; the same files
# and the same code give the same tree, so the tree is kept beside the rendered guides. Only
# this site's own processes write that folder and read it back (pickle).
_CODE = hashlib.sha256(
    b"".join(p.read_bytes() for p in sorted(Path(__file__).parent.glob("*.py")))
    + Path(yaml_lines.__file__).read_bytes()
).hexdigest()


def _moved_to(tree: Tree, source: Path) -> Tree:
    """A kept tree of the same text at another path (another release's folder, a copy, an
    editor's draft), as this file's: its problems name this folder's files (the tree's, the
    examples', the guides'), and its last good version is kept under it."""
    root = tree.source.parent

    def moved(path: Path) -> Path:
        return source.parent / path.relative_to(root) if path.is_relative_to(root) else path

    problems = tuple(replace(p, path=moved(p.path)) for p in tree.problems)
    return replace(tree, source=source, problems=problems)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _files(source: Path) -> tuple[tuple[str, bytes | None], ...]:
    """The tree's file and its examples files, as read now."""
    return tuple((p.name, _read(p)) for p in (source, *examples_paths(source)))


def _what_the_tree_reads(library: Library) -> bytes:
    """What the tree reads of the guides and contacts: names, headings, examples and the front
    matter that holds them (lines named in problems). A guide's text under its headings is not
    in it: an editor's draft of a guide's text reads the kept tree instead of parsing 50,000
    phrasings again while the preview waits."""
    parts = [repr(sorted(library.channels)), repr(sorted(library.aliases.items()))]
    # Every name in the examples folder: a file not read ("fees.yml") is a problem of the tree.
    folder = library.root / EXAMPLES_FOLDER
    parts.append(repr(sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []))
    for guide in library.guides.values():
        try:
            front = guide.path.read_bytes().splitlines()[: guide.body_line]
        except OSError:
            front = []
        headings = [(s.anchor, s.title, s.level) for s in guide.sections]
        parts.append(repr((guide.slug, guide.title, guide.path.name, headings, front)))
    return "\x1d".join(parts).encode()


def _trees_kept() -> int:
    return getattr(settings, "TRIAGE_TREES_KEPT", TREES_KEPT)


def _kept_tree(library: Library) -> Tree:
    folder = render_folder()
    source = library.root / TREE_FILE
    before = _files(source)
    if folder is None or before[0][1] is None or not library.version:
        return load_tree(library)
    files = b"".join(b"\x1e" + name.encode() + b"\x1f" + (text or b"") for name, text in before)

    def path(of_library: bytes) -> Path:
        digest = hashlib.sha256(of_library + b"\x1f" + _CODE.encode() + files).hexdigest()
        return folder / "trees" / f"{digest[:40]}.pickle"

    # By the library's version first (all a new process has to go on), then by what the tree
    # reads of it; a tree built is kept under both.
    paths = [path(library.version.encode())]
    kept = read_pickle(paths[0], "triage tree")
    if not isinstance(kept, Tree):
        paths.append(path(_what_the_tree_reads(library)))
        kept = read_pickle(paths[1], "triage tree")
        if isinstance(kept, Tree):
            with contextlib.suppress(OSError):
                write_pickle(paths[0], kept, kept=_trees_kept())
    if isinstance(kept, Tree):
        with contextlib.suppress(OSError):
            paths[-1].touch()  # in use: the newest files are the ones kept
        return kept if kept.source == source else _moved_to(kept, source)
    tree = load_tree(library)
    if _files(source) == before:  # none saved again while they were parsed
        for kept_path in paths:
            with contextlib.suppress(OSError):
                write_pickle(kept_path, tree, kept=_trees_kept())
    return tree
