"""The assistant's outcomes as search documents (free text and /search/ find them)."""

from __future__ import annotations

from guides.content import Library
from search.documents import Document
from triage.flow import state_url, walk
from triage.loading import get_tree

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
