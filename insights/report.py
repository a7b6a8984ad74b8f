"""What the daily counters say about a window of days: for the staff page, CSV and the digest."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from guides.content import Library
from guides.loading import line_in_file
from insights import events
from insights.models import DailyCount
from triage import flow, reading
from triage.loading import get_tree
from triage.tree import Outcome, SectionExamples

TOP = 10
TABLES = ("guides", "gaps", "funnel", "outcomes", "codes")


class BadWindow(ValueError):
    pass


@dataclass(slots=True)
class GuideRow:
    slug: str
    title: str
    views: int = 0
    yes: int = 0
    no: int = 0
    opened_from_search: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def votes(self) -> int:
        return self.yes + self.no

    @property
    def unhelpful_share(self) -> float | None:
        return self.no / self.votes if self.votes else None

    @property
    def reason_text(self) -> str:
        return "，".join(
            f"{label} {self.reasons[key]}"
            for key, label in events.REASONS.items()
            if self.reasons.get(key)
        )


@dataclass(frozen=True, slots=True)
class AnswerRow:
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class QuestionRow:
    node_id: str
    question: str
    depth: int
    reached: int
    answers: tuple[AnswerRow, ...]

    @property
    def continued(self) -> int:
        return sum(a.count for a in self.answers)

    @property
    def dropped(self) -> int:
        # A beacon can be lost (page closed first) or a step reloaded, so answers may not add up
        # to arrivals; a drop-off is never negative.
        return max(self.reached - self.continued, 0)

    @property
    def drop_share(self) -> float | None:
        return self.dropped / self.reached if self.reached else None


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    outcome_id: str
    service_code: str
    title: str
    reached: int
    solved: int
    unsolved: int

    @property
    def solved_rate(self) -> float | None:
        answered = self.solved + self.unsolved
        return self.solved / answered if answered else None


def window(days: int, *, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    end = today or timezone.localdate()
    return end - dt.timedelta(days=days - 1), end


def _counts(start: dt.date, end: dt.date, *kinds: str) -> list[dict[str, Any]]:
    return list(
        DailyCount.objects.filter(kind__in=kinds, day__gte=start, day__lte=end)
        .values("kind", "item", "detail")
        .annotate(total=Sum("count"))
    )


def daily_series(start: dt.date, end: dt.date, *kinds: str) -> list[int]:
    per_day = dict(
        DailyCount.objects.filter(kind__in=kinds, day__gte=start, day__lte=end)
        .values_list("day")
        .annotate(total=Sum("count"))
    )
    days = (end - start).days + 1
    return [per_day.get(start + dt.timedelta(days=i), 0) for i in range(days)]


def guide_rows(library: Library, start: dt.date, end: dt.date) -> list[GuideRow]:
    rows: dict[str, GuideRow] = {}
    kinds = (events.VIEW, events.VOTE_YES, events.VOTE_NO, events.REASON, events.SEARCH_OPEN)
    for entry in _counts(start, end, *kinds):
        slug = entry["item"]
        if not slug:
            continue
        guide = library.guides.get(slug)
        row = rows.setdefault(slug, GuideRow(slug, guide.title if guide else slug))
        kind, total = entry["kind"], entry["total"]
        if kind == events.VIEW:
            row.views += total
        elif kind == events.VOTE_YES:
            row.yes += total
        elif kind == events.VOTE_NO:
            row.no += total
        elif kind == events.SEARCH_OPEN:
            row.opened_from_search += total
        else:
            row.reasons[entry["detail"]] = row.reasons.get(entry["detail"], 0) + total
    return list(rows.values())


def gap_rows(start: dt.date, end: dt.date, *, limit: int = 50) -> list[tuple[str, int, str]]:
    """Masked queries that found nothing: (text, count, where), worst first."""
    totals: dict[str, int] = defaultdict(int)
    sources: dict[str, set[str]] = defaultdict(set)
    for entry in _counts(start, end, events.GAP):
        totals[entry["item"]] += entry["total"]
        sources[entry["item"]].add(entry["detail"])
    where = {"search": "搜索", "assistant": "智能助手"}
    ordered = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [
        (text, n, "、".join(where.get(s, s) for s in sorted(sources[text]) if s))
        for text, n in ordered
    ]


@dataclass(frozen=True)
class Said:
    text: str  # masked, as stored
    count: int
    recognised: bool  # the reader already puts this answer (outcome or section) first


@dataclass(frozen=True)
class SaidGroup:
    """Phrasings that ended on one answer: an outcome, or a guide section with examples."""

    key: str  # the outcome id or the section's "slug#anchor"
    title: str
    where: str  # the file and line to add an example at
    indent: str  # what stands before "- " there
    said: list[Said]


def _said_target(
    tree: flow.Tree, read: reading.Reading, target: str
) -> Outcome | SectionExamples | None:
    """The answer a phrasing ended on: the outcome named (o:), or for a guide voted on (g:),
    the outcome or example-carrying section of that guide the reader rates likeliest."""
    kind, _, name = target.partition(":")
    if kind == "o":
        return tree.outcomes.get(name)
    on_guide: list[Outcome | SectionExamples] = [
        o for o in tree.outcomes.values() if o.guide == name and o.id in tree.routes
    ]
    on_guide += [s for s in tree.sections.values() if s.guide == name and not s.outcomes]
    if not on_guide:
        return None
    likely = read.probabilities
    return max(on_guide, key=lambda a: (likely.get(_label(a), 0.0), _label(a)))


def _label(answer: Outcome | SectionExamples) -> str:
    return answer.id if isinstance(answer, Outcome) else answer.label


def _group(answer: Outcome | SectionExamples, said: list[Said], library: Library) -> SaidGroup:
    if isinstance(answer, Outcome):
        where = (
            f"结果 {answer.id}，content/{answer.examples_file} 第 {answer.examples_line} 行"
            if answer.examples_line
            else f"结果 {answer.id}：content/examples/ 同主题的文件，outcomes: 下新加 {answer.id}:"
        )
        return SaidGroup(answer.id, answer.title, where, " " * 4, said)
    guide = library.guides.get(answer.guide)
    path = f"content/guides/{answer.guide}.md"
    line = line_in_file(guide.path, answer.anchor, anchor=True) if guide else 1
    where = f"指南的一节，{path} 第 {line} 行 examples: 下的 {answer.anchor}"
    return SaidGroup(
        answer.label, f"{answer.guide_title} · {answer.section_title}", where, " " * 4, said
    )


def said_groups(
    library: Library, start: dt.date, end: dt.date, kind: str, *, limit: int = 60
) -> list[SaidGroup]:
    """Phrasings merchants typed that ended on an answer (said-yes: it helped; said-no: it
    did not), grouped by answer, most said first."""
    tree = get_tree(library)
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for entry in _counts(start, end, kind):
        totals[(entry["item"], entry["detail"])] += entry["total"]
    groups: dict[str, list[Said]] = defaultdict(list)
    answers: dict[str, Outcome | SectionExamples] = {}
    for (text, target), n in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]:
        read = reading.read(library, text)
        answer = _said_target(tree, read, target)
        if answer is None:
            continue
        if isinstance(answer, Outcome):
            recognised = read.outcomes[:1] == (answer,) and not read.section_first
        else:
            recognised = read.section_first and read.sections[0][0] == answer
        answers[_label(answer)] = answer
        groups[_label(answer)].append(Said(text, n, recognised))
    return sorted(
        (_group(answers[key], said, library) for key, said in groups.items()),
        key=lambda g: (-sum(s.count for s in g.said), g.key),
    )


def _question_order(tree: flow.Tree) -> list[str]:
    routes = tree.routes
    return sorted((n for n in tree.nodes if n in routes), key=lambda n: (len(routes[n]), routes[n]))


def funnel(library: Library, start: dt.date, end: dt.date, version: str) -> dict[str, Any]:
    """The current tree's funnel: arrivals per question, the answers chosen, drop-off."""
    tree = get_tree(library)
    counted: dict[tuple[str, str], int] = defaultdict(int)
    for entry in _counts(
        start,
        end,
        events.ENTER,
        events.QUESTION,
        events.ANSWER,
        events.OUTCOME,
        events.SOLVED,
        events.UNSOLVED,
        events.ASK_HIT,
        events.ASK_EMPTY,
    ):
        if entry["detail"] == version:
            counted[(entry["kind"], entry["item"])] += entry["total"]
    questions = [
        QuestionRow(
            node_id=node_id,
            question=tree.nodes[node_id].question,
            depth=len(tree.routes[node_id]),
            reached=counted[(events.QUESTION, node_id)],
            answers=tuple(
                AnswerRow(a.label, counted[(events.ANSWER, f"{node_id}/{a.id}")])
                for a in tree.nodes[node_id].answers
                if not a.restart
            ),
        )
        for node_id in _question_order(tree)
    ]
    outcomes = sorted(
        (
            OutcomeRow(
                outcome_id=o.id,
                service_code=o.service_code,
                title=o.title,
                reached=counted[(events.OUTCOME, o.id)],
                solved=counted[(events.SOLVED, o.id)],
                unsolved=counted[(events.UNSOLVED, o.id)],
            )
            for o in tree.outcomes.values()
        ),
        key=lambda r: (-r.reached, r.service_code),
    )
    return {
        "entered": counted[(events.ENTER, "")],
        "asked": counted[(events.ASK_HIT, "")] + counted[(events.ASK_EMPTY, "")],
        "asked_empty": counted[(events.ASK_EMPTY, "")],
        "questions": questions,
        "outcomes": outcomes,
    }


def code_rows(start: dt.date, end: dt.date) -> list[tuple[str, int]]:
    totals: dict[str, int] = defaultdict(int)
    for entry in _counts(start, end, events.CODE):
        totals[entry["item"]] += entry["total"]
    return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:50]


def build(library: Library, *, days: int, today: dt.date | None = None) -> dict[str, Any]:
    if days < 1:
        raise BadWindow
    start, end = window(days, today=today)
    guides = guide_rows(library, start, end)
    searches = {
        kind: sum(e["total"] for e in _counts(start, end, kind))
        for kind in (events.SEARCH_HIT, events.SEARCH_EMPTY, events.SEARCH_OPEN)
    }
    version = events.tree_version(library)
    return {
        "days": days,
        "start": start,
        "end": end,
        "tree_version": version,
        "most_viewed": sorted(guides, key=lambda g: (-g.views, g.slug))[:TOP],
        "least_helpful": sorted(
            (g for g in guides if g.no),
            key=lambda g: (-(g.unhelpful_share or 0), -g.no, g.slug),
        )[:TOP],
        "all_guides": sorted(guides, key=lambda g: (-g.views, g.slug)),
        "searches": searches["search-hit"] + searches["search-empty"],
        "searches_empty": searches["search-empty"],
        "searches_opened": searches["search-open"],
        "gaps": gap_rows(start, end),
        "said_helped": said_groups(library, start, end, events.SAID_YES),
        "said_failed": said_groups(library, start, end, events.SAID_NO),
        "assistant": funnel(library, start, end, version),
        "codes": code_rows(start, end),
        "totals": {
            "views": sum(g.views for g in guides),
            "votes": sum(g.votes for g in guides),
        },
        "series": {
            "views": daily_series(start, end, events.VIEW),
            "votes": daily_series(start, end, events.VOTE_YES, events.VOTE_NO),
            "searches": daily_series(start, end, events.SEARCH_HIT, events.SEARCH_EMPTY),
            "assistant": daily_series(start, end, events.ENTER),
        },
    }


def _percent(share: float | None) -> str:
    return "" if share is None else f"{share:.0%}"


def table_rows(data: dict[str, Any], table: str) -> tuple[list[str], list[list[Any]]]:
    """One table of the staff page as CSV header and rows."""
    if table == "guides":
        header = ["指南", "标题", "浏览", "有帮助", "没解决", "没解决占比", "原因", "从搜索打开"]
        rows = [
            [
                g.slug,
                g.title,
                g.views,
                g.yes,
                g.no,
                _percent(g.unhelpful_share),
                g.reason_text,
                g.opened_from_search,
            ]
            for g in data["all_guides"]
        ]
    elif table == "gaps":
        header = ["查询（已隐去号码和邮箱）", "次数", "来源"]
        rows = [list(row) for row in data["gaps"]]
    elif table == "funnel":
        header = ["问题", "节点", "到达", "继续", "流失", "流失占比", "各回答"]
        rows = [
            [
                q.question,
                q.node_id,
                q.reached,
                q.continued,
                q.dropped,
                _percent(q.drop_share),
                "；".join(f"{a.label} {a.count}" for a in q.answers),
            ]
            for q in data["assistant"]["questions"]
        ]
    elif table == "outcomes":
        header = ["服务码", "结果", "到达", "解决了", "没解决", "解决率"]
        rows = [
            [o.service_code, o.title, o.reached, o.solved, o.unsolved, _percent(o.solved_rate)]
            for o in data["assistant"]["outcomes"]
        ]
    elif table == "codes":
        header = ["返回码", "查询次数"]
        rows = [list(row) for row in data["codes"]]
    else:
        raise KeyError(table)
    # A cell that starts with = + - @ would be a formula in a spreadsheet: quote it.
    return header, [[_safe_cell(cell) for cell in row] for row in rows]


def _safe_cell(cell: Any) -> Any:
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell
