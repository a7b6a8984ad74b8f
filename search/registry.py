"""Where apps plug into search, so that search imports none of them.

An app says, from its ``AppConfig.ready()``, what content is current and what to index in it::

    registry.register_content(get_library)  # () -> Content: the loaded content, any type
    registry.register_documents("outcome", outcome_documents)  # (Content) -> Iterable[Document]
    registry.register_pin(code_pins)  # (Content, query) -> list[Hit]
    registry.register_reader(read_query)  # (Content, query) -> Understood | None

Search never looks inside the content object: it hands it to the sources that registered and
uses three things every content object has (``Content``): a version naming the files it was
read from, synonym groups, and a place to keep what is built from it once (the index).

A document of a kind other than "guide"/"section" is ranked on its own, by url. Pins are
asked on every ``search_with_hint(..., content=...)`` call; whatever they return comes first,
in the order given, and a ranked hit with the same url is dropped. Pins are for exact answers
such as a response code the query names: fast, and empty for ordinary queries.

A reader is a learned model of what queries mean (the assistant's, trained on merchants'
phrasings). Its guide probabilities are blended with BM25 (``query.READER_SHARE``), its safety
answer goes first, and when it finds the query off-topic nothing is dressed up as an answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from search.documents import Document, Hit, Understood
from search.index import Index, build_index
from search.store import content_fingerprint, load_cached, store


class Content(Protocol):
    version: str  # a digest of the files read ("" for content made by hand, as in tests)
    synonyms: tuple[frozenset[str], ...]
    readings: tuple[tuple[str, str], ...]  # English read as Chinese ("sms code", "验证码")

    def derive(self, key: str, build: Callable[[Any], Any]) -> Any: ...


DocumentSource = Callable[[Any], Iterable[Document]]
PinSource = Callable[[Any, str], list[Hit]]
ReaderSource = Callable[[Any, str], Understood | None]

_sources: dict[str, DocumentSource] = {}
_pins: list[PinSource] = []
_reader: ReaderSource | None = None
_current: Callable[[], Content] | None = None


def register_content(current: Callable[[], Content]) -> None:
    """Name the function that returns the content being served (the guides app does)."""
    global _current
    _current = current


def register_documents(kind: str, source: DocumentSource) -> None:
    """Add (or replace) the source of one kind of document."""
    _sources[kind] = source


def register_pin(source: PinSource) -> None:
    """Add a source of hits that go first, before anything ranked."""
    if source not in _pins:
        _pins.append(source)


def register_reader(source: ReaderSource) -> None:
    """Name the reader whose understanding of a query is blended into the ranking."""
    global _reader
    _reader = source


def read(content: Content, query: str) -> Understood | None:
    return _reader(content, query) if _reader is not None else None


def sources() -> dict[str, DocumentSource]:
    return dict(_sources)


def pins() -> list[PinSource]:
    return list(_pins)


def current_content() -> Content:
    if _current is None:
        raise LookupError("no app has registered the current content with search")
    return _current()


def documents_of(content: Content) -> list[Document]:
    return [d for source in _sources.values() for d in source(content)]


def build_content_index(content: Content) -> Index:
    documents = documents_of(content)
    fingerprint = content_fingerprint(
        content.version, documents, content.synonyms, _sources, content.readings
    )
    index = load_cached(fingerprint, documents)
    if index is None:
        index = build_index(documents, content.synonyms, content.readings)
        store(fingerprint, index)
    return index


def get_index(content: Content | None = None) -> Index:
    """The index of the current content (or of ``content``), built once per content version."""
    content = content if content is not None else current_content()
    return content.derive("search_index", build_content_index)
