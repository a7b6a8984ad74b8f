"""The index: BM25 postings per unit, per best section and per section (see ``Index``)."""

from __future__ import annotations

import heapq
import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from search.documents import (
    BODY,
    CHAMPIONS,
    K1,
    KEYWORDS,
    SECTION_TITLE,
    SUMMARY,
    TITLE,
    WEIGHT_SCALE,
    Document,
    Field,
)
from search.english import compile_readings
from search.sounds import Sounds, sounds_of
from search.text import CJK_RUN, RUNS, compact, is_stop, normalize, terms_of


@dataclass(frozen=True, slots=True)
class SynonymGroup:
    members: tuple[str, ...]  # normalised, spaces removed, for substring tests on the query
    terms: tuple[str, ...]  # every member's terms


@dataclass(frozen=True, slots=True)
class Index:
    """Postings for the fields a guide shares (per unit), for its sections at their best (per
    unit), and for each section (per document).

    A unit is a guide (its guide document and sections) or a single outcome; a unit's
    documents are adjacent, ``unit_start[u]`` to ``unit_start[u + 1]``. Postings map a term to
    parallel arrays of ascending ids and precomputed, already saturated BM25 weights (times
    WEIGHT_SCALE, as 16-bit integers), so a query only multiplies by IDF and adds. A query
    ranks units on ``unit_postings`` and ``best_postings`` (a section's best possible share),
    then scores only the sections of the units that can still win.
    """

    documents: tuple[Document, ...]
    unit_start: array  # first document of each unit, then the number of documents
    unit_fallback: array  # document shown when a unit matched on its shared fields only
    unit_postings: dict[str, tuple[array, array]]
    best_postings: dict[str, tuple[array, array]]  # unit -> its best section's weight
    doc_postings: dict[str, tuple[array, array]]
    idf: dict[str, float]
    unit_phrase_text: tuple[str, ...]  # normalised title, keywords, summary, no spaces
    synonyms: tuple[SynonymGroup, ...]
    sounds: Sounds
    # English words and phrases read as Chinese ("sms code" as 验证码): one pattern, longest
    # first, and each one's reading. None when content/synonyms.yaml has no english: map.
    english: re.Pattern[str] | None = None
    english_readings: dict[str, str] = field(default_factory=dict)  # by phrase, spaces out


# --- documents and the index -------------------------------------------------------------


def _unit_key(document: Document) -> tuple[str, str]:
    if document.kind in ("guide", "section") and document.guide_slug:
        return ("guide", document.guide_slug)
    return ("other", document.url)


def _field_weights(field: Field, terms: list[str], length: int, average: float) -> dict[str, float]:
    norm = K1 * (1 - field.b + field.b * length / average) if average else K1
    scale = field.weight * (K1 + 1)
    return {term: scale * tf / (tf + norm) for term, tf in Counter(terms).items()}


def _combined(*fields: dict[str, float]) -> dict[str, float]:
    first, *others = sorted(fields, key=len, reverse=True)
    for other in others:
        for term, weight in other.items():
            first[term] = first.get(term, 0.0) + weight
    return first


def _post(rows: dict[str, tuple[array, array]], key: int, weights: dict[str, float]) -> None:
    for term, weight in weights.items():
        row = rows.get(term)
        if row is None:
            row = rows[term] = (array("I"), array("H"))
        row[0].append(key)
        row[1].append(min(0xFFFF, round(weight * WEIGHT_SCALE)))


def _narrowed(rows: dict[str, tuple[array, array]], count: int) -> dict[str, tuple[array, array]]:
    """Ids as 16-bit integers when they fit: half the memory of the largest postings."""
    if count > 0xFFFF:
        return rows
    return {term: (array("H", ids), weights) for term, (ids, weights) in rows.items()}


def _champions(rows: dict[str, tuple[array, array]]) -> dict[str, tuple[array, array]]:
    """Each term's CHAMPIONS best units only: enough to shortlist, a bounded cost per term."""
    for term, (ids, weights) in rows.items():
        if len(ids) > CHAMPIONS:
            kept = sorted(heapq.nlargest(CHAMPIONS, range(len(ids)), key=weights.__getitem__))
            rows[term] = (
                array(ids.typecode, (ids[i] for i in kept)),
                array("H", (weights[i] for i in kept)),
            )
    return rows


def _average(texts: Iterable[str]) -> float:
    lengths = [len(t) for t in texts]
    return sum(lengths) / len(lengths) if lengths else 0.0


def by_unit(documents: Iterable[Document]) -> tuple[Document, ...]:
    """The documents with each unit's together, units in order of first appearance."""
    documents = tuple(documents)
    # The sources already yield each unit's documents together (a guide, then its sections):
    # then this is the identity, found in one pass instead of a sort of 50,000 rows.
    seen: set[tuple[str, str]] = set()
    previous = None
    for document in documents:
        key = _unit_key(document)
        if key != previous:
            if key in seen:
                break
            seen.add(key)
            previous = key
    else:
        return documents
    order: dict[tuple[str, str], int] = {}
    keyed = [(order.setdefault(_unit_key(d), len(order)), n, d) for n, d in enumerate(documents)]
    keyed.sort(key=lambda row: row[:2])
    return tuple(d for _, _, d in keyed)


def _normalised_fields(
    documents: tuple[Document, ...],
) -> tuple[list[tuple[str, str, str]], list[int], array, list[tuple[str, str] | None]]:
    """Each unit's normalised title, keywords and summary, its fallback document and first
    document; and each document's normalised section title and text (None for a guide)."""
    unit_ids: dict[tuple[str, str], int] = {}
    unit_text: list[tuple[str, str, str]] = []
    unit_fallback: list[int] = []
    unit_start = array("I")
    doc_text: list[tuple[str, str] | None] = []
    for number, document in enumerate(documents):
        key = _unit_key(document)
        unit = unit_ids.get(key)
        if unit is None:
            unit = unit_ids[key] = len(unit_text)
            # Keywords are kept apart: a bigram across two keywords means nothing.
            keywords = " | ".join(document.keywords)
            unit_text.append(
                (normalize(document.title), normalize(keywords), normalize(document.summary))
            )
            unit_fallback.append(number)
            unit_start.append(number)
        elif document.kind == "guide":
            unit_fallback[unit] = number
        if document.kind == "guide":
            # Its title, keywords and summary are the unit's fields already.
            doc_text.append(None)
        else:
            doc_text.append((normalize(document.section_title), normalize(document.text)))
    unit_start.append(len(documents))
    return unit_text, unit_fallback, unit_start, doc_text


def build_index(
    documents: Iterable[Document], synonyms: Iterable[frozenset[str]] = (), readings=()
) -> Index:
    """Index documents (guides, sections and any other kind) with synonym groups and English
    readings (``("sms code", "验证码")``, ``search.english``) for queries."""
    documents = by_unit(documents)
    # First pass: normalise, and learn the average field lengths BM25 needs. Lengths are in
    # characters, a close proxy for bigram counts that needs no tokenising.
    unit_text, unit_fallback, unit_start, doc_text = _normalised_fields(documents)

    avg_title, avg_keywords, avg_summary = (
        _average(f) for f in (zip(*unit_text, strict=True) if unit_text else ((), (), ()))
    )
    present = [t for t in doc_text if t is not None]
    avg_section_title = _average(t[0] for t in present)
    avg_body = _average(t[1] for t in present)

    # Second pass, one unit at a time so only one unit's term counts are ever held.
    unit_rows: dict[str, tuple[array, array]] = {}
    best_rows: dict[str, tuple[array, array]] = {}
    doc_rows: dict[str, tuple[array, array]] = {}
    frequency: Counter[str] = Counter()
    headings: set[str] = set()  # terms of titles and keywords: words, not chance neighbours
    vocabulary: set[str] = set()  # the phrases of keywords and synonyms ("激活码")
    for unit, (title, keywords, summary) in enumerate(unit_text):
        title_terms, keyword_terms = terms_of(title), terms_of(keywords)
        headings.update(title_terms, keyword_terms)
        vocabulary.update(run for run, _ in RUNS.findall(keywords) if run)
        weights = _combined(
            _field_weights(TITLE, title_terms, len(title), avg_title),
            _field_weights(KEYWORDS, keyword_terms, len(keywords), avg_keywords),
            _field_weights(SUMMARY, terms_of(summary), len(summary), avg_summary),
        )
        _post(unit_rows, unit, weights)
        seen = set(weights)
        best: dict[str, float] = {}
        for number in range(unit_start[unit], unit_start[unit + 1]):
            if doc_text[number] is None:
                continue
            section_title, text = doc_text[number]
            section_terms = terms_of(section_title)
            headings.update(section_terms)
            weights = _combined(
                _field_weights(SECTION_TITLE, section_terms, len(section_title), avg_section_title),
                _field_weights(BODY, terms_of(text), len(text), avg_body),
            )
            # How readily a section is the landing place scales all it scores.
            anchor_weight = documents[number].anchor_weight
            for term, weight in weights.items():
                weights[term] = weight = weight * anchor_weight
                if weight > best.get(term, 0.0):
                    best[term] = weight
            _post(doc_rows, number, weights)
        _post(best_rows, unit, best)
        seen.update(best)
        frequency.update(seen)

    # IDF counts units (guides, outcomes), the things a merchant gets back, not sections.
    total = len(unit_text)
    synonym_groups = _synonym_groups(synonyms)
    for group in synonym_groups:
        vocabulary.update(m for m in group.members if CJK_RUN.fullmatch(m))
    idf = {t: math.log(1 + (total - n + 0.5) / (n + 0.5)) for t, n in frequency.items()}
    english, english_readings = compile_readings(readings)
    vocabulary.update(r for c in english_readings.values() for r, _ in RUNS.findall(c) if r)

    return Index(
        documents=documents,
        unit_start=unit_start,
        unit_fallback=array("I", unit_fallback),
        unit_postings=_narrowed(unit_rows, total),
        best_postings=_narrowed(_champions(best_rows), total),
        doc_postings=_narrowed(doc_rows, len(documents)),
        idf=idf,
        unit_phrase_text=tuple("".join(t).replace(" ", "") for t in unit_text),
        synonyms=synonym_groups,
        sounds=sounds_of(frequency, headings, vocabulary),
        english=english,
        english_readings=english_readings,
    )


def _synonym_groups(groups: Iterable[frozenset[str]]) -> tuple[SynonymGroup, ...]:
    result = []
    for group in groups:
        members = tuple(sorted({m for m in map(compact, group) if m}))
        terms = tuple(dict.fromkeys(t for m in members for t in terms_of(m) if not is_stop(t)))
        if len(members) > 1:
            result.append(SynonymGroup(members=members, terms=terms))
    return tuple(result)
