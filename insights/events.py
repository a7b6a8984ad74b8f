"""What can be counted, and how an event a browser sends becomes counters.

Everything here is visitor input: an event names a guide, an assistant state, a code or a
query, and is checked against the loaded content before anything is counted. An event that
names something unknown is refused (``Refused``) and counts nothing.

Counter kinds (``DailyCount.kind``), with their ``item`` and ``detail``:

========================  =========================  ==============================
kind                      item                       detail
========================  =========================  ==============================
view                      guide slug
vote-yes / vote-no        guide slug
reason                    guide slug                 看不懂/步骤不管用/… id
search-hit / search-empty
search-open               guide slug ("" = the assistant)
gap                       masked query               search / assistant
assistant-enter                                      tree version
question                  node id                    tree version
answer                    node id/answer id          tree version
outcome                   outcome id                 tree version
solved / unsolved         outcome id                 tree version
ask-hit / ask-empty                                  tree version
code                      code
said-yes / said-no        masked free text or query  o:outcome id / g:guide slug
photo                     matched code ("" = none)   (counted by photo/views.py)
========================  =========================  ==============================
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from guides.content import Library
from guides.library import get_library
from insights import counting
from insights.masking import gap_text
from search import registry
from search.query import search_with_hint
from search.registry import get_index
from triage import flow, reading
from triage.loading import get_tree

VIEW, VOTE_YES, VOTE_NO, REASON = "view", "vote-yes", "vote-no", "reason"
SEARCH_HIT, SEARCH_EMPTY, SEARCH_OPEN, GAP = "search-hit", "search-empty", "search-open", "gap"
ENTER, QUESTION, ANSWER, OUTCOME = "assistant-enter", "question", "answer", "outcome"
SOLVED, UNSOLVED, ASK_HIT, ASK_EMPTY = "solved", "unsolved", "ask-hit", "ask-empty"
CODE = "code"
# What a merchant typed, and where it ended: 解决了/有帮助 (yes) or 还没解决/没解决 (no).
SAID_YES, SAID_NO = "said-yes", "said-no"

# The optional reason after 没解决, in the order the form offers them.
REASONS = {
    "unclear": "看不懂",
    "steps-failed": "步骤不管用",
    "not-my-problem": "没有我的问题",
    "other": "其他",
}

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CODE_FALLBACK_RE = re.compile(r"[A-Z0-9]{2}")
MAX_QUERY = 200


@dataclass(frozen=True, slots=True)
class Refused(Exception):
    status: int  # 400 malformed, 404 unknown thing, 409 made by an older tree
    reason: str


# --- the assistant's tree version ----------------------------------------------------------


def _tree_version(library: Library) -> str:
    """A short name for the tree's shape: questions, answers and where they lead.

    Rewording a question keeps the version (its funnel stays comparable); adding, removing or
    re-pointing an answer changes it, and the funnel starts again.
    """
    tree = get_tree(library)
    shape = [tree.start]
    for node_id in sorted(tree.nodes):
        node = tree.nodes[node_id]
        shape.append(node_id + ":" + ",".join(f"{a.id}>{a.goto}" for a in node.answers))
    for outcome_id in sorted(tree.outcomes):
        shape.append(f"{outcome_id}>{tree.outcomes[outcome_id].next}")
    return hashlib.sha256("\n".join(shape).encode()).hexdigest()[:10]


def tree_version(library: Library | None = None) -> str:
    return (library or get_library()).derive("insights-tree-version", _tree_version)


# --- guides ----------------------------------------------------------------------------------


def guide_slug(library: Library, raw: str) -> str:
    if not raw or len(raw) > 100 or not SLUG_RE.fullmatch(raw):
        raise Refused(400, "bad slug")
    if raw not in library.guides:
        raise Refused(404, "unknown guide")
    return raw


def count_view(library: Library, slug: str) -> None:
    counting.count(VIEW, guide_slug(library, slug))


def count_open(library: Library, target: str) -> None:
    """A search result opened: a guide (its slug) or an assistant outcome ("")."""
    counting.count(SEARCH_OPEN, "" if target == "assistant" else guide_slug(library, target))


def count_vote(slug: str, *, helpful: bool) -> bool:
    """False when the vote could not be kept (see ``counting.count``)."""
    return counting.count(VOTE_YES if helpful else VOTE_NO, slug)


def count_reason(slug: str, reason: str) -> bool:
    """False when the reason could not be kept (see ``counting.count``)."""
    if reason not in REASONS:
        raise Refused(400, "unknown reason")
    return counting.count(REASON, slug, reason)


# --- searches --------------------------------------------------------------------------------


def _query(raw: str) -> str:
    if len(raw) > MAX_QUERY * 2:
        raise Refused(400, "query too long")
    query = " ".join("".join(ch if ch.isprintable() else " " for ch in raw).split())[:MAX_QUERY]
    if not query:
        raise Refused(400, "empty query")
    return query


def record_gap(query: str, *, source: str) -> None:
    """Count a query that found nothing, masked, for ``manage.py search_gaps``."""
    text = gap_text(query)
    if text:
        counting.count(GAP, text, source)


def count_search(raw: str) -> bool:
    """A search made on the search page; True when it found something."""
    query = _query(raw)
    library = get_library()
    found = bool(search_with_hint(get_index(library), query, limit=1, content=library).hits)
    counting.count(SEARCH_HIT if found else SEARCH_EMPTY)
    if not found:
        record_gap(query, source="search")
    return found


# --- the assistant ---------------------------------------------------------------------------


def _walk(library: Library, raw_path: str, version: str) -> tuple[flow.Walk, str]:
    if version != tree_version(library):
        raise Refused(409, "made by an older assistant tree")
    tree = get_tree(library)
    segments = flow.parse_path(raw_path)
    if segments is None or tree.root is None:
        raise Refused(400, "bad path")
    walked = flow.walk(tree=tree, path=segments)
    if walked.stale:
        raise Refused(404, "unknown node")
    return walked, version


def count_step(library: Library, raw_path: str, version: str) -> None:
    """An assistant state shown: the answer that led there and what was reached."""
    walked, version = _walk(library, raw_path, version)
    current = walked.current
    if len(walked.turns) == 1:
        counting.count(ENTER, "", version)
    else:
        before = walked.turns[-2]
        chosen = walked.path[-1]
        if before.kind == "question" and before.node is not None:
            counting.count(ANSWER, f"{before.node.id}/{chosen}", version)
        elif before.kind == "outcome" and before.outcome is not None:
            kind = SOLVED if chosen == flow.SOLVED else UNSOLVED
            counting.count(kind, before.outcome.id, version)
    if current.kind == "question" and current.node is not None:
        counting.count(QUESTION, current.node.id, version)
    elif current.kind == "outcome" and current.outcome is not None:
        counting.count(OUTCOME, current.outcome.id, version)


def count_ask(library: Library, raw: str, version: str) -> None:
    """Free text told to the assistant."""
    if version != tree_version(library):
        raise Refused(409, "made by an older assistant tree")
    query = _query(raw)
    # As the reply said: found when the reader answered, or a screen message or code matched.
    found = reading.read(library, query).kind in reading.FOUND or any(
        pin(library, query) for pin in registry.pins()
    )
    counting.count(ASK_HIT if found else ASK_EMPTY, "", version)
    if not found:
        record_gap(query, source="assistant")


# --- learning from use -------------------------------------------------------------------------


def count_said(
    library: Library,
    raw: str,
    *,
    path: str = "",
    version: str = "",
    guide: str = "",
    verdict: str = "",
) -> None:
    """What a merchant typed (to the assistant or search), and the answer it ended on: an
    outcome marked 解决了/还没解决 (``path`` ends there) or a guide voted on (``verdict``)."""
    text = gap_text(_query(raw))
    if not text:
        raise Refused(400, "nothing to learn from")
    if path:
        walked, _ = _walk(library, path, version)
        if len(walked.turns) < 2 or walked.path[-1] not in (flow.SOLVED, flow.UNSOLVED):
            raise Refused(400, "not an answer to 问题解决了吗")
        outcome = walked.turns[-2].outcome
        if outcome is None:
            raise Refused(400, "not an answer to 问题解决了吗")
        helpful, target = walked.path[-1] == flow.SOLVED, f"o:{outcome.id}"
    else:
        if verdict not in ("yes", "no"):
            raise Refused(400, "unknown verdict")
        helpful, target = verdict == "yes", f"g:{guide_slug(library, guide)}"
    counting.count(SAID_YES if helpful else SAID_NO, text, target)


# --- codes -----------------------------------------------------------------------------------


def known_codes(library: Library) -> frozenset[str] | None:
    """The response codes of the /codes/ app, when it is installed; None otherwise."""
    try:
        from codes.content import get_codebook  # the /codes/ app (issue 9)
    except ImportError:
        return None
    return library.derive("insights-known-codes", lambda lib: frozenset(get_codebook(lib).by_code))


def count_code(library: Library, raw: str) -> None:
    code = raw.strip().upper()
    if not code or len(code) > 8:
        raise Refused(400, "bad code")
    known = known_codes(library)
    if (known is None and not CODE_FALLBACK_RE.fullmatch(code)) or (
        known is not None and code not in known
    ):
        raise Refused(404, "unknown code")
    counting.count(CODE, code)
