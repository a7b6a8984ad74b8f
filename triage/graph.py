"""Checks of the tree as a graph: moved paths, dangling references, loops, reachability, and the
shortest route to each question and outcome (where a service code lands)."""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from typing import TYPE_CHECKING

from guides.yaml_lines import LineMapping, line_of
from triage.flow import parse_path, walk
from triage.tree import MAX_DEPTH, UNSOLVED, Node, Outcome, Tree

if TYPE_CHECKING:
    from triage.loading import _Builder


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
