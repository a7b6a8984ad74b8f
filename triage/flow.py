"""The triage tree: loaded from content/triage.yaml, walked along a URL path.

A state of the assistant is nothing but a path of answer ids (``/triage/locked/frozen/``), so a
link can be shared, reloaded and undone with Back. The tree is built once per loaded library
(``library.derive``), which the content loader rebuilds when any content file changes.

Loading never raises: whatever is wrong with the file becomes a ``TreeProblem`` (line and
node named) for the system check, and the assistant runs on what could be understood.
Walking never raises either: an unknown or stale path stops at the longest valid prefix.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from django.urls import reverse

from guides import yaml_lines
from guides.content import Library
from guides.yaml_lines import LineMapping, line_of
from search.documents import Document

TREE_FILE = "triage.yaml"
SEGMENT_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CODE_RE = re.compile(r"[A-Z][0-9]{1,2}")
MAX_DEPTH = 12  # answers in one path, counting 解决了/还没解决
MAX_SEGMENT = 40
MAX_PATH_CHARS = 400
CODE_INPUT_LIMIT = 32
# Answer ids the assistant itself uses in URLs: /triage/code/, /triage/qr/, /triage/ask/, and
# the two implicit answers to "问题解决了吗？" after an outcome.
SOLVED, UNSOLVED = "solved", "unsolved"
RESERVED_IDS = frozenset({SOLVED, UNSOLVED, "code", "qr", "ask"})
SOLVED_LABEL, UNSOLVED_LABEL = "解决了", "还没解决"

TOP_KEYS = {"start", "questions", "outcomes", "moved"}
QUESTION_KEYS = {"question", "help", "free_text", "code_input", "answers"}
ANSWER_KEYS = {"id", "label", "goto", "restart"}
OUTCOME_KEYS = {
    "code",
    "title",
    "summary",
    "guide",
    "anchor",
    "channels",
    "contact",
    "next",
    "keywords",
    "response_codes",
}
# The shape of a code in codes.yaml; codes/checks.py checks that each one exists there.
RESPONSE_CODE_RE = re.compile(r"[0-9A-Z]{2}")


@dataclass(frozen=True, slots=True)
class Answer:
    id: str
    label: str
    goto: str  # a question or outcome id; "" when the answer restarts
    restart: bool
    line: int


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    question: str
    help: str
    free_text: bool
    answers: tuple[Answer, ...]
    line: int
    code_input: bool = False  # the step shows a box for the code on the terminal's screen

    def answer(self, answer_id: str) -> Answer | None:
        return next((a for a in self.answers if a.id == answer_id and not a.restart), None)


@dataclass(frozen=True, slots=True)
class Outcome:
    id: str
    code: str
    title: str
    summary: str
    guide: str
    anchor: str
    channels: tuple[str, ...]
    contact: bool  # the fix usually needs a channel: show the "before you call" card at once
    next: str
    keywords: tuple[str, ...]
    line: int
    response_codes: tuple[str, ...] = ()  # codes typical of this outcome, linked to their cards
    # Resolved against the library when the tree is built, so a page costs no lookups.
    guide_title: str = ""
    section_title: str = ""
    guide_url: str = ""
    prevention_url: str = ""  # where a merchant whose problem is solved can read how to avoid it


@dataclass(frozen=True, slots=True)
class TreeProblem:
    line: int
    message: str


@dataclass(frozen=True, slots=True)
class Tree:
    source: Path
    start: str
    nodes: dict[str, Node]
    outcomes: dict[str, Outcome]
    codes: dict[str, str]  # service code -> outcome id
    routes: dict[str, tuple[str, ...]]  # shortest path of answer ids to each node and outcome
    problems: tuple[TreeProblem, ...]
    # Old path prefix -> new prefix, for answers moved under another question (`moved:`).
    moved: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)

    @property
    def root(self) -> Node | None:
        return self.nodes.get(self.start)


# "reply" is the assistant's answer to free text or to a service code it does not know.
TurnKind = Literal["question", "outcome", "solved", "contact", "reply"]


@dataclass(frozen=True, slots=True)
class Turn:
    """One thing the assistant says, and what the merchant answered to it (if they did)."""

    kind: TurnKind
    node: Node | None
    outcome: Outcome | None
    path: tuple[str, ...]  # the path that leads to this turn
    number: int  # 1-based: "第 2 步"
    chosen: str = ""  # label of the merchant's answer; "" for the current turn


@dataclass(frozen=True, slots=True)
class Choice:
    label: str
    url: str
    restart: bool = False


@dataclass(frozen=True, slots=True)
class Walk:
    turns: tuple[Turn, ...]
    path: tuple[str, ...]  # the part of the requested path that the tree understood
    unknown: tuple[str, ...]  # the rest (a stale or mistyped link)

    @property
    def current(self) -> Turn:
        return self.turns[-1]

    @property
    def stale(self) -> bool:
        return bool(self.unknown)


# --- loading --------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


class _Builder:
    def __init__(self, library: Library, source: Path) -> None:
        self.library = library
        self.source = source
        self.problems: list[TreeProblem] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(TreeProblem(line, message))

    def unknown_keys(self, entry: LineMapping, allowed: set[str], where: str) -> None:
        for key in entry:
            if key not in allowed:
                self.problem(
                    line_of(entry, key),
                    f"{where}：未知字段 {key}（可用字段：{'、'.join(sorted(allowed))}）",
                )

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
            response_codes=self.response_codes(entry, where),
            id=outcome_id,
            code=code,
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
        if slug in self.library.aliases:
            self.problem(
                line_of(entry, "guide"),
                f"{where}：指南 {slug} 已改名为 {self.library.aliases[slug]}，请改过来",
            )
            slug = self.library.aliases[slug]
        guide = self.library.guides.get(slug)
        if guide is None:
            self.problem(line_of(entry, "guide"), f"{where}：指南 {slug} 不存在")
            return slug, anchor, "", "", ""
        if not anchor:
            self.problem(line_of(entry, "anchor"), f"{where}：缺少 anchor（指南里那一节的锚点）")
            return slug, anchor, guide.title, "", guide.url
        section = guide.section(anchor)
        if section is None:
            self.problem(line_of(entry, "anchor"), f"{where}：指南 {slug} 里没有锚点 #{anchor}")
            # Still useful: the guide's top is better than no link at all.
            return slug, anchor, guide.title, "", guide.url
        return slug, anchor, guide.title, section.title, f"{guide.url}#{anchor}"


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
        if not outcome.code:
            continue
        if outcome.code in codes:
            builder.problem(
                outcome.line,
                f"结果 {outcome.id}：服务码 {outcome.code} 已被 {codes[outcome.code]} 使用",
            )
            continue
        codes[outcome.code] = outcome.id

    routes = _routes(start, nodes, outcomes) if start in nodes else {}
    if start in nodes:
        _check_graph(start, nodes, outcomes, routes, builder)
    tree = Tree(source, start, nodes, outcomes, codes, routes, ())
    moved = _moved(data, tree, builder) if start in nodes else {}
    return replace(tree, moved=moved, problems=tuple(builder.problems))


def _moved(
    data: LineMapping, tree: Tree, builder: _Builder
) -> dict[tuple[str, ...], tuple[str, ...]]:
    """`moved:` maps the path of answers that moved under another question to its new path, so
    links shared before the move still arrive (a 301). Only old paths the tree no longer knows."""
    entries = data.get("moved")
    if entries is None:
        return {}
    if not isinstance(entries, LineMapping):
        builder.problem(line_of(data, "moved"), "moved: 应写成“旧路径: 新路径”的形式")
        return {}
    moved = {}
    for raw_old, raw_new in entries.items():
        line = line_of(entries, raw_old)
        where = f"moved 里的 {raw_old}"
        old = parse_path(str(raw_old))
        new = parse_path(raw_new) if isinstance(raw_new, str) else None
        if not old or new is None or not new:
            builder.problem(line, f"{where}：路径写成用 / 连起来的回答 id，如 hardware/printer")
            continue
        if not walk(tree=tree, path=old).stale:
            builder.problem(line, f"{where}：{'/'.join(old)} 现在还能走通，不能写进 moved")
            continue
        if walk(tree=tree, path=new).stale:
            builder.problem(line, f"{where}：新路径 {'/'.join(new)} 走不通（有的回答 id 不存在）")
            continue
        moved[old] = new
    return moved


def _without_dangling(
    nodes: dict[str, Node], outcomes: dict[str, Outcome], builder: _Builder
) -> dict[str, Node]:
    """Drop answers that lead nowhere, so walking the tree never meets a missing node."""
    result = {}
    for node in nodes.values():
        kept = []
        for answer in node.answers:
            if answer.restart or answer.goto in nodes or answer.goto in outcomes:
                kept.append(answer)
            else:
                builder.problem(
                    answer.line,
                    f"问题 {node.id} 的回答 {answer.id}：goto 指向不存在的 {answer.goto!r}",
                )
        result[node.id] = replace(node, answers=tuple(kept))
    return result


def _known_next(
    outcomes: dict[str, Outcome], nodes: dict[str, Node], builder: _Builder
) -> dict[str, Outcome]:
    result = {}
    for outcome in outcomes.values():
        if outcome.next and outcome.next not in nodes and outcome.next not in outcomes:
            builder.problem(outcome.line, f"结果 {outcome.id}：next 指向不存在的 {outcome.next!r}")
            outcome = replace(outcome, next="")
        result[outcome.id] = outcome
    return result


def _edges(
    item_id: str, nodes: dict[str, Node], outcomes: dict[str, Outcome]
) -> list[tuple[str, str, int]]:
    """(answer id in the URL, target id, line) for every step out of a node or outcome."""
    if item_id in nodes:
        return [(a.id, a.goto, a.line) for a in nodes[item_id].answers if not a.restart]
    outcome = outcomes[item_id]
    return [(UNSOLVED, outcome.next, outcome.line)] if outcome.next else []


def _routes(
    start: str, nodes: dict[str, Node], outcomes: dict[str, Outcome]
) -> dict[str, tuple[str, ...]]:
    """Shortest path to everything reachable; ties go to the answer listed first."""
    routes: dict[str, tuple[str, ...]] = {start: ()}
    queue = deque([start])
    while queue:
        item_id = queue.popleft()
        for segment, target, _ in _edges(item_id, nodes, outcomes):
            if target not in routes:
                routes[target] = (*routes[item_id], segment)
                queue.append(target)
    return routes


def _check_graph(
    start: str,
    nodes: dict[str, Node],
    outcomes: dict[str, Outcome],
    routes: dict[str, tuple[str, ...]],
    builder: _Builder,
) -> None:
    for item_id, item in (*nodes.items(), *outcomes.items()):
        if item_id not in routes:
            kind = "问题" if item_id in nodes else "结果"
            builder.problem(item.line, f"{kind} {item_id}：从第一个问题 {start} 走不到它")

    # Depth-first search: an edge back to a node still on the stack closes a cycle. Only
    # "restart: true" may go back, and it is not an edge here.
    on_stack: set[str] = set()
    longest: dict[str, int] = {}

    def visit(item_id: str) -> int:
        if item_id in longest:
            return longest[item_id]
        on_stack.add(item_id)
        depth = 0
        for segment, target, line in _edges(item_id, nodes, outcomes):
            if target in on_stack:
                if item_id in nodes:
                    who = f"问题 {item_id} 的回答 {segment}"
                else:
                    who = f"结果 {item_id} 的 next"
                builder.problem(
                    line,
                    f"{who} 指回了 {target}，形成了循环；要回到开头请用 restart: true",
                )
                continue
            depth = max(depth, 1 + visit(target))
        if item_id in outcomes:
            depth = max(depth, 1)  # 解决了 / 还没解决
        on_stack.discard(item_id)
        longest[item_id] = depth
        return depth

    if visit(start) > MAX_DEPTH:
        builder.problem(
            nodes[start].line,
            f"问题 {start}：最长的一条路要点 {longest[start]} 下，"
            f"最多 {MAX_DEPTH} 下（链接会太长）",
        )


_last_good: dict[Path, Tree] = {}


def get_tree(library: Library) -> Tree:
    """The tree of this library; while triage.yaml is unreadable (an editor's half-written
    save), the last tree that loaded, with the new file's problems attached for the check."""
    return library.derive("triage_tree", _tree_or_last_good)


def _tree_or_last_good(library: Library) -> Tree:
    tree = load_tree(library)
    if tree.root is not None:
        _last_good[tree.source] = tree
        return tree
    kept = _last_good.get(tree.source)
    if kept is None:
        return tree
    note = TreeProblem(0, "网站仍在使用 triage.yaml 上一次正确保存的版本，改好后自动生效")
    return replace(kept, problems=(*tree.problems, note))


# --- walking ---------------------------------------------------------------------------------


def parse_path(raw: str) -> tuple[str, ...] | None:
    """The answer ids in a state URL, or None if no tree could ever have made this path."""
    if len(raw) > MAX_PATH_CHARS:
        return None
    trimmed = raw.strip("/")
    if not trimmed:
        return ()
    segments = tuple(trimmed.split("/"))
    if len(segments) > MAX_DEPTH:
        return None
    if any(len(s) > MAX_SEGMENT or not SEGMENT_RE.fullmatch(s) for s in segments):
        return None
    return segments


def moved_path(*, tree: Tree, path: tuple[str, ...]) -> tuple[str, ...] | None:
    """Where a path that starts with a moved prefix lives now (the longest prefix wins)."""
    for length in range(len(path), 0, -1):
        new = tree.moved.get(path[:length])
        if new is not None:
            moved = (*new, *path[length:])
            return moved if len(moved) <= MAX_DEPTH else None
    return None


def state_url(*, path: tuple[str, ...]) -> str:
    start = reverse("triage:start")
    return f"{start}{'/'.join(path)}/" if path else start


def walk(*, tree: Tree, path: tuple[str, ...]) -> Walk:
    """The conversation that a path stands for, as far as the tree understands it."""
    root = tree.root
    if root is None:
        return Walk((), (), path)
    turns: list[Turn] = []
    kind: TurnKind = "question"
    node: Node | None = root
    outcome: Outcome | None = None
    taken = 0
    for segment in path:
        chosen, following = _follow(tree, kind, node, outcome, segment)
        if following is None:
            break
        turns.append(Turn(kind, node, outcome, path[:taken], len(turns) + 1, chosen))
        taken += 1
        kind, node, outcome = following
    turns.append(Turn(kind, node, outcome, path[:taken], len(turns) + 1))
    return Walk(tuple(turns), path[:taken], path[taken:])


def _follow(
    tree: Tree, kind: TurnKind, node: Node | None, outcome: Outcome | None, segment: str
) -> tuple[str, tuple[TurnKind, Node | None, Outcome | None] | None]:
    if kind == "question" and node is not None:
        answer = node.answer(segment)
        if answer is None:
            return "", None
        return answer.label, _item(tree, answer.goto)
    if kind == "outcome" and outcome is not None:
        if segment == SOLVED:
            return SOLVED_LABEL, ("solved", None, outcome)
        if segment == UNSOLVED:
            if outcome.next:
                return UNSOLVED_LABEL, _item(tree, outcome.next)
            return UNSOLVED_LABEL, ("contact", None, outcome)
    return "", None


def _item(tree: Tree, item_id: str) -> tuple[TurnKind, Node | None, Outcome | None] | None:
    if item_id in tree.nodes:
        return "question", tree.nodes[item_id], None
    if item_id in tree.outcomes:
        return "outcome", None, tree.outcomes[item_id]
    return None


def choices(*, turn: Turn) -> list[Choice]:
    """The answer buttons offered at a turn (links to the next states)."""
    if turn.kind == "question" and turn.node is not None:
        return [
            Choice(a.label, state_url(path=()), restart=True)
            if a.restart
            else Choice(a.label, state_url(path=(*turn.path, a.id)))
            for a in turn.node.answers
        ]
    if turn.kind == "outcome":
        return [
            Choice(SOLVED_LABEL, state_url(path=(*turn.path, SOLVED))),
            Choice(UNSOLVED_LABEL, state_url(path=(*turn.path, UNSOLVED))),
        ]
    return []


def top_choices(*, tree: Tree) -> list[Choice]:
    root = tree.root
    if root is None:
        return []
    return choices(turn=Turn("question", root, None, (), 1))


# --- service codes ---------------------------------------------------------------------------


def normalize_code(raw: str) -> str:
    """What a merchant typed, as a code: full-width and spaces folded, upper case, bounded."""
    folded = unicodedata.normalize("NFKC", raw[:CODE_INPUT_LIMIT])
    return "".join(folded.split()).upper()[:CODE_INPUT_LIMIT]


def outcome_for_code(*, tree: Tree, code: str) -> Outcome | None:
    outcome_id = tree.codes.get(normalize_code(code))
    return tree.outcomes.get(outcome_id) if outcome_id else None


def outcome_url(*, tree: Tree, outcome: Outcome) -> str | None:
    route = tree.routes.get(outcome.id)
    return state_url(path=route) if route is not None else None


# --- search ------------------------------------------------------------------------------------


def outcome_documents(library: Library) -> list[Document]:
    """One search document per reachable outcome, so free text can find a branch of the tree.

    Its text is what a merchant reads and clicks on the way there, plus what the outcome says.
    """
    tree = get_tree(library)
    documents = []
    for outcome in tree.outcomes.values():
        route = tree.routes.get(outcome.id)
        if route is None:
            continue
        words: list[str] = []
        for turn in walk(tree=tree, path=route).turns[:-1]:
            if turn.node is not None:
                words.append(turn.node.question)
            words.append(turn.chosen)
        words += [outcome.title, outcome.summary, *outcome.keywords]
        # Only the title is a weighted field: on the site's search page the guide section an
        # outcome points to should rank above the outcome, whose words are mostly the path.
        documents.append(
            Document(
                kind="outcome",
                url=state_url(path=route),
                guide_slug=outcome.guide,
                title=outcome.title,
                section_title="",
                text="\n".join(w for w in words if w),
                keywords=(),
            )
        )
    return documents
