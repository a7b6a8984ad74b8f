"""The guides as search documents: one for each guide (its landing place), one per section."""

from __future__ import annotations

from guides.content import Library
from search.documents import SUBSECTION_ANCHOR_WEIGHT, Document


def guide_documents(library: Library) -> list[Document]:
    """A guide-level document for each guide (the fallback landing), then one per section."""
    documents: list[Document] = []
    for guide in library.guides.values():
        documents.append(
            Document(
                kind="guide",
                url=guide.url,
                guide_slug=guide.slug,
                title=guide.title,
                section_title="",
                text=guide.summary,
                keywords=guide.keywords,
                summary=guide.summary,
            )
        )
        documents.extend(
            Document(
                kind="section",
                url=f"{guide.url}#{section.anchor}",
                guide_slug=guide.slug,
                title=guide.title,
                section_title=section.title,
                text=section.text,
                keywords=guide.keywords,
                summary=guide.summary,
                anchor_weight=1.0 if section.level == 2 else SUBSECTION_ANCHOR_WEIGHT,
            )
            for section in guide.sections
        )
    return documents
