"""Walking the assistant's tree along a URL path, and finding an outcome by its service code.

A state of the assistant is nothing but a path of answer ids (``/triage/status/locked/frozen/``),
so a link can be shared, reloaded and undone with Back. Walking never raises: an unknown or stale
path stops at the longest valid prefix; a path under a moved prefix is found again
(``moved_path``). The tree itself is loaded by ``triage.loading`` and checked as a graph by
``triage.graph``; its types are in ``triage.tree``.
"""

from __future__ import annotations

from django.urls import reverse

from search.text import fold_code
from triage.tree import (
    CODE_INPUT_LIMIT,
    MAX_DEPTH,
    MAX_PATH_CHARS,
    MAX_SEGMENT,
    SEGMENT_RE,
    SOLVED,
    SOLVED_LABEL,
    UNSOLVED,
    UNSOLVED_LABEL,
    Choice,
    Node,
    Outcome,
    Tree,
    Turn,
    TurnKind,
    Walk,
)

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


def normalize_service_code(raw: str) -> str:
    """What a merchant typed, as a service code."""
    return fold_code(raw, CODE_INPUT_LIMIT)


def outcome_for_service_code(*, tree: Tree, code: str) -> Outcome | None:
    outcome_id = tree.service_codes.get(normalize_service_code(code))
    return tree.outcomes.get(outcome_id) if outcome_id else None


def outcome_url(*, tree: Tree, outcome: Outcome) -> str | None:
    route = tree.routes.get(outcome.id)
    return state_url(path=route) if route is not None else None
