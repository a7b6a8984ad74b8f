"""The assistant's tree as a picture for editors: an SVG drawn on the server.

Questions and outcomes are boxes in columns by how many answers it takes to reach them; each
edge carries how often it was taken in the window, each outcome its solved rate. Every box
links to its line of triage.yaml in the editor. The texts come from triage.yaml (trusted,
committed or published content) and are escaped all the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.html import escape

from guides.content import Library
from insights import events, report
from triage.loading import get_tree
from triage.tree import UNSOLVED, Tree

BOX_W, BOX_H, COL_W, ROW_H, PAD = 190, 58, 370, 74, 16  # the gap between columns holds labels
LABEL_CHARS = 12


@dataclass(frozen=True, slots=True)
class Box:
    item_id: str
    title: str
    detail: str
    line: int
    outcome: bool
    x: int
    y: int


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _layout(tree: Tree, rates: dict[str, str]) -> dict[str, Box]:
    items = {**tree.nodes, **tree.outcomes}
    deepest = max((len(r) for r in tree.routes.values()), default=0)
    columns: dict[int, list[str]] = {}
    for item_id in items:
        route = tree.routes.get(item_id)
        depth = len(route) if route is not None else deepest + 1
        columns.setdefault(depth, []).append(item_id)
    boxes = {}
    for depth, ids in columns.items():
        ids.sort(key=lambda i: (tree.routes.get(i, ("~",)), i))
        for row, item_id in enumerate(ids):
            if item_id in tree.nodes:
                node = tree.nodes[item_id]
                title, detail, line, outcome = node.question, f"问题 {item_id}", node.line, False
            else:
                found = tree.outcomes[item_id]
                title, line, outcome = found.title, found.line, True
                detail = f"结果 {found.service_code or item_id} · {rates.get(item_id, '解决率 —')}"
            boxes[item_id] = Box(
                item_id, title, detail, line, outcome, PAD + depth * COL_W, PAD + row * ROW_H
            )
    return boxes


def _counts(library: Library, days: int, today: dt.date | None) -> tuple[dict, dict]:
    start, end = report.window(days, today=today)
    funnel = report.funnel(library, start, end, events.tree_version(library))
    tree = get_tree(library)
    taken: dict[tuple[str, str], int] = {}
    for row in funnel["questions"]:
        answers = [a for a in tree.nodes[row.node_id].answers if not a.restart]
        for answer, counted in zip(answers, row.answers, strict=False):
            taken[(row.node_id, answer.id)] = counted.count
    rates = {}
    for row in funnel["outcomes"]:
        rate = row.solved_rate
        rates[row.outcome_id] = "解决率 —" if rate is None else f"解决率 {rate:.0%}"
        taken[(row.outcome_id, UNSOLVED)] = row.unsolved
    return taken, rates


def draw(library: Library, *, link: str, days: int = 30, today: dt.date | None = None) -> str:
    """The SVG; ``link`` is the editor's address of triage.yaml (a line number is added)."""
    tree = get_tree(library)
    taken, rates = _counts(library, days, today)
    boxes = _layout(tree, rates)
    if not boxes:
        return ""
    width = max(b.x for b in boxes.values()) + BOX_W + PAD
    height = max(b.y for b in boxes.values()) + BOX_H + PAD
    parts = [
        f'<svg class="tree-graph" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="group" '
        f'aria-label="智能助手的问答树：{len(tree.nodes)} 个问题，{len(tree.outcomes)} 个结果">'
    ]
    incoming: dict[str, list[tuple[Box, str]]] = {}
    for item_id, box in boxes.items():
        edges = []
        if item_id in tree.nodes:
            edges = [
                (a.goto, a.label, taken.get((item_id, a.id), 0))
                for a in tree.nodes[item_id].answers
                if not a.restart
            ]
        elif tree.outcomes[item_id].next:
            next_id = tree.outcomes[item_id].next
            edges = [(next_id, "还没解决", taken.get((item_id, UNSOLVED), 0))]
        for target_id, label, count in edges:
            if target_id in boxes:
                incoming.setdefault(target_id, []).append((box, f"{_short(label, 9)} {count}"))
    for target_id, sources in incoming.items():
        # Edges into one box meet its left side at separate heights, each with its own label.
        target = boxes[target_id]
        for index, (source, label) in enumerate(sources):
            y2 = target.y + (index + 1) * BOX_H // (len(sources) + 1)
            parts.append(_edge(source, target, y2, label))
    for box in boxes.values():
        parts.append(_box(box, f"{link}?line={box.line}#editor"))
    parts.append("</svg>")
    return "".join(parts)


def _edge(source: Box, target: Box, y2: int, label: str) -> str:
    x1, y1 = source.x + BOX_W, source.y + BOX_H // 2
    x2 = target.x
    bend = max(abs(x2 - x1) // 2, 30)
    return (
        f'<path class="tree-edge" d="M{x1},{y1} C{x1 + bend},{y1} {x2 - bend},{y2} {x2},{y2}"/>'
        f'<text class="tree-count" x="{x2 - 6}" y="{y2 - 3}" text-anchor="end">'
        f"{escape(label)}</text>"
    )


def _box(box: Box, href: str) -> str:
    kind = "outcome" if box.outcome else "question"
    # The accessible name starts with the visible (shortened) text, then says the rest.
    name = f"{_short(box.title)} {_short(box.detail, 18)}，{box.title}，第 {box.line} 行"
    return (
        f'<a href="{escape(href)}" aria-label="{escape(name)}">'
        f'<rect class="tree-box tree-{kind}" x="{box.x}" y="{box.y}" width="{BOX_W}" '
        f'height="{BOX_H}" rx="6"/>'
        f'<text class="tree-title" x="{box.x + 8}" y="{box.y + 22}">{escape(_short(box.title))}'
        f'</text><text class="tree-detail" x="{box.x + 8}" y="{box.y + 44}">'
        f"{escape(_short(box.detail, 18))}</text></a>"
    )
