"""The assistant's tree as plain frozen dataclasses: questions (``Node``), answers, outcomes,
and what a walk through it says (``Turn``, ``Walk``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from guides.problems import Problem

TREE_FILE = "triage.yaml"
# Merchants' phrasings for the outcomes (and off-topic ones), kept apart from the tree: they are
# most of the text, and an editor changing a question should not carry them. One file a topic
# (examples/locked.yaml, examples/fees.yaml…), each small enough to edit in a browser.
EXAMPLES_FOLDER = "examples"
EXAMPLES_TOP_KEYS = {"outcomes", "off_topic"}
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

TOP_KEYS = {"start", "questions", "outcomes", "moved", "off_topic"}
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
    "examples",
    "warning",
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
    service_code: str  # 服务码 (the YAML key is code), never a response code (返回码)
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
    # Phrasings as merchants type them: what the assistant's reader learns this outcome from.
    examples: tuple[str, ...] = ()
    # Where its list is in the examples folder ("examples/locked.yaml", line); "", 0 when none.
    examples_file: str = ""
    examples_line: int = 0
    # A safety outcome's warning, shown above it; such an outcome goes first when it is likely.
    warning: str = ""
    # Resolved against the library when the tree is built, so a page costs no lookups.
    guide_title: str = ""
    section_title: str = ""
    guide_url: str = ""
    prevention_url: str = ""  # where a merchant whose problem is solved can read how to avoid it


@dataclass(frozen=True, slots=True)
class SectionExamples:
    """A guide section's ``examples:`` (the guide's front matter). The reader learns them as
    the outcomes that land on that section, or, when none does, as the section itself."""

    label: str  # the reader's label: "slug#anchor"
    guide: str
    anchor: str
    guide_title: str
    section_title: str
    url: str
    examples: tuple[str, ...]
    outcomes: tuple[str, ...]  # the reachable outcomes that land on this section


@dataclass(frozen=True, slots=True)
class Tree:
    source: Path
    start: str
    nodes: dict[str, Node]
    outcomes: dict[str, Outcome]
    service_codes: dict[str, str]  # service code -> outcome id
    routes: dict[str, tuple[str, ...]]  # shortest path of answer ids to each node and outcome
    problems: tuple[Problem, ...]
    # Old path prefix -> new prefix, for answers moved under another question (`moved:`).
    moved: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    # Phrasings about what the center does not cover, so the reader learns to say 没有找到.
    off_topic: tuple[str, ...] = ()
    # Guide sections' examples, keyed by their label ("slug#anchor").
    sections: dict[str, SectionExamples] = field(default_factory=dict)

    @property
    def root(self) -> Node | None:
        return self.nodes.get(self.start)

    @property
    def examples_sources(self) -> tuple[Path, ...]:
        return examples_paths(self.source)


def examples_paths(tree_file: Path) -> tuple[Path, ...]:
    """The files of the examples folder beside a tree's file, by name (there may be none)."""
    return tuple(sorted((tree_file.parent / EXAMPLES_FOLDER).glob("*.yaml")))


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
