"""The assistant's outcomes as search documents (free text and /search/ find them)."""

from __future__ import annotations

import re

from django.utils.html import conditional_escape

from guides.content import Library
from search.documents import Document, Hit
from triage.flow import outcome_for_service_code, outcome_url, state_url, walk
from triage.loading import get_tree
from triage.tree import CODE_INPUT_LIMIT

# "服务码 C2", "服务码是C2": the words an agent's instructions put before the code.
SERVICE_CODE_WORDS = re.compile(
    r"^\s*(?:服务码|服务代码|service\s*code)\s*[:：是为]?", re.IGNORECASE
)

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


def service_code_pins(library: Library, query: str) -> list[Hit]:
    """A service code typed into search (an agent read it out): its outcome, first.

    Only a query that is nothing but the code: a letter code inside a sentence is more likely
    what a terminal showed (Z1, C1 are also providers' own codes), and search reads that one.
    """
    if len(query) > CODE_INPUT_LIMIT + len("service code: "):
        return []
    tree = get_tree(library)
    outcome = outcome_for_service_code(tree=tree, code=SERVICE_CODE_WORDS.sub("", query))
    url = outcome and outcome_url(tree=tree, outcome=outcome)
    if not url:
        return []
    return [
        Hit(
            url=url,
            guide_slug=outcome.guide,
            title=f"服务码 {outcome.service_code}：{outcome.title}",
            section_title="",
            snippet_html=conditional_escape(outcome.summary),
            score=0.0,  # a pin is placed by position, not by score
            kind="outcome",
        )
    ]
