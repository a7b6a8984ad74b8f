"""Chinese full-text search over the guides and the assistant's outcomes.

Merchants type the way they talk ("机器锁住了", "ＰＯＳ机连不上Wi-Fi"), so the text is
normalised (NFKC, lower case, punctuation out) and cut into overlapping character bigrams,
as Lucene's CJK analyzer does: no dictionary, no jieba, and a two-character word such as
"签到" is exactly one term. Latin and digit runs ("pos", "wifi", "e01") stay whole words.

Ranking is BM25, summed over weighted fields: a guide's title and keywords count most, then
the section title, the summary, the body. The fields a guide's sections share (title,
keywords, summary) are indexed once per guide, not once per section, which keeps the index
small and makes IDF count guides rather than how many sections repeat a title. Results are
grouped so each guide appears once, at its best section.

Trust boundary: the query is visitor input. It is normalised and bounded before use, reaches
HTML only through ``highlight`` (which escapes before it marks), and is stored for editors by
``record_gap`` without anything that identifies the visitor (long digit runs are masked).

One way in for every kind of document. Guides are built in; other apps add theirs from their
``AppConfig.ready()``, so this module imports none of them::

    search.register_documents("outcome", outcome_documents)  # (Library) -> Iterable[Document]
    search.register_pin(code_pins)  # (Library, query) -> list[Hit]

``_build_library_index`` asks every registered source (a kind registered again replaces the
old source). A document of a kind other than "guide"/"section" is ranked on its own, by url.
A pin source is asked on every ``search_with_hint(..., library=...)`` call; whatever it
returns comes first, in the order given, and a ranked hit with the same url is dropped. Pins
are for exact answers such as a response code the query names; they should return fast and
return nothing for ordinary queries.
"""

from __future__ import annotations

import html
import math
import operator
import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from helpcenter.content import Library, get_library

DocumentKind = Literal["guide", "section", "outcome", "code"]

K1 = 1.2


@dataclass(frozen=True, slots=True)
class Field:
    weight: float
    b: float  # how much a longer-than-average field is discounted


# Guide title and keywords count most, then section title, summary, body. b = 0.75 as in
# Lucene; lower values were tried on the merchant phrasings in tests and changed nothing.
TITLE = Field(weight=3.0, b=0.75)
KEYWORDS = Field(weight=3.0, b=0.75)
SECTION_TITLE = Field(weight=2.0, b=0.75)
SUMMARY = Field(weight=1.5, b=0.75)
BODY = Field(weight=1.0, b=0.75)
# A synonym is evidence, but weaker than the merchant's own word.
SYNONYM_WEIGHT = 0.7
# Bigrams lose word order, so the merchant's exact wording earns a bonus on top of BM25 (where
# one well-matched title or keyword term is worth roughly 3 to 10): the whole query found in
# a guide or section, a synonym found whole, and each three characters in a row found, which
# tells "钱一直不到账" (a keyword "不到账") from a section that only shares "一直".
PHRASE_IN_GUIDE_BONUS = 2.0
PHRASE_IN_SECTION_BONUS = 1.0
SYNONYM_PHRASE_BONUS = 0.5
TRIGRAM_SHARE = 0.25  # of the phrase bonus, per trigram
# A section that only shares a stray common term with the query is a worse landing place
# than the top of a guide whose title matched.
SECTION_SHARE_FOR_ANCHOR = 0.15
SUBSECTION_ANCHOR_WEIGHT = 0.5

MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 64
SNIPPET_CHARS = 80

# Particles and question words: a query made only of these says nothing searchable, and a
# bigram made only of them ("了吗", "怎么") would match whichever guide happens to ask a
# question in the same words.
STOP_CHARS = frozenset(
    "的了吗呢啊吧呀嘛哦哈啦呗哇嗯噢喔么之得地着过"
    "我你您他她它们这那是在和与就都也还又很请问怎办什如何为啥"
)

_CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUNS = re.compile(f"([{_CJK}]+)|([^\\W_{_CJK}]+)")
_CONTROL = re.compile(
    r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
)
_LATIN_HYPHEN = re.compile(r"(?<=[a-z])[-\u2010\u2011](?=[a-z])")
_NON_WORD = re.compile(r"[\W_]+")
_LATIN_TERM = re.compile(r"[a-z0-9]+")
_LONG_DIGITS = re.compile(r"\d{5,}")
_MARK_TAGS = re.compile(r"</?mark>")


@dataclass(frozen=True, slots=True)
class Document:
    """One searchable thing.

    Guide and section documents come from ``guide_documents``. The assistant's outcomes use
    kind "outcome": ``guide_title`` is the outcome's title, ``section_title`` may be empty,
    ``text`` is what the outcome says, and each outcome is ranked on its own (by its url).
    """

    kind: DocumentKind
    url: str
    guide_slug: str
    guide_title: str
    section_title: str
    text: str
    keywords: tuple[str, ...]
    summary: str = ""
    # How readily this section is chosen as a guide's landing anchor. FAQ entries (h3) answer
    # side questions; a short one matches colloquial words easily, so it must match clearly
    # better than a main step before a merchant is sent there.
    anchor_weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Hit:
    url: str
    guide_slug: str
    guide_title: str
    section_title: str
    snippet_html: SafeString
    score: float
    kind: DocumentKind


@dataclass(frozen=True, slots=True)
class SynonymGroup:
    members: tuple[str, ...]  # normalised, spaces removed, for substring tests on the query
    terms: tuple[str, ...]  # every member's terms


@dataclass(frozen=True, slots=True)
class Index:
    """Postings for the fields a guide shares (per unit) and for each section (per document).

    A unit is a guide (its guide document and sections) or a single outcome. Postings map a
    term to parallel arrays of ids and precomputed, already saturated BM25 field weights, so a
    query only multiplies by IDF and adds.
    """

    documents: tuple[Document, ...]
    doc_unit: array  # unit id of each document
    unit_fallback: array  # document shown when a unit matched on its shared fields only
    unit_postings: dict[str, tuple[array, array]]
    doc_postings: dict[str, tuple[array, array]]
    idf: dict[str, float]
    unit_phrase_text: tuple[str, ...]  # normalised title, keywords, summary, no spaces
    doc_phrase_text: tuple[str, ...]  # normalised section title and text, no spaces
    synonyms: tuple[SynonymGroup, ...]


# --- text --------------------------------------------------------------------------------


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, no control characters or punctuation.

    "ＰＯＳ机，连不上Wi-Fi！" becomes "pos机 连不上wifi".
    """
    text = unicodedata.normalize("NFKC", text).lower()
    text = _CONTROL.sub("", text)
    text = _LATIN_HYPHEN.sub("", text)
    return _NON_WORD.sub(" ", text).strip()


def _terms(normalized: str) -> list[str]:
    terms: list[str] = []
    for chinese, word in _RUNS.findall(normalized):
        if word:
            terms.append(word)
        elif len(chinese) == 1:
            terms.append(chinese)
        else:
            terms.extend(map(operator.add, chinese, chinese[1:]))
    return terms


def tokenize(text: str) -> list[str]:
    """Chinese runs as overlapping bigrams (a lone character as itself), other runs as words."""
    return _terms(normalize(text))


def _is_stop(term: str) -> bool:
    return all(ch in STOP_CHARS for ch in term)


def _compact(text: str) -> str:
    return normalize(text).replace(" ", "")


def plain_text(snippet_html: str) -> str:
    """A snippet without its marks, unescaped, for JSON and other non-HTML uses."""
    return html.unescape(_MARK_TAGS.sub("", str(snippet_html)))


# --- documents and the index -------------------------------------------------------------


def guide_documents(library: Library) -> list[Document]:
    """A guide-level document for each guide (the fallback landing), then one per section."""
    documents: list[Document] = []
    for guide in library.guides.values():
        documents.append(
            Document(
                kind="guide",
                url=guide.url,
                guide_slug=guide.slug,
                guide_title=guide.title,
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
                guide_title=guide.title,
                section_title=section.title,
                text=section.text,
                keywords=guide.keywords,
                summary=guide.summary,
                anchor_weight=1.0 if section.level == 2 else SUBSECTION_ANCHOR_WEIGHT,
            )
            for section in guide.sections
        )
    return documents


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
            row = rows[term] = (array("I"), array("f"))
        row[0].append(key)
        row[1].append(weight)


def _average(texts: Iterable[str]) -> float:
    lengths = [len(t) for t in texts]
    return sum(lengths) / len(lengths) if lengths else 0.0


def build_index(documents: Iterable[Document], synonyms: Iterable[frozenset[str]] = ()) -> Index:
    """Index documents (``guide_documents`` and any extra ones) with synonym groups for queries."""
    documents = tuple(documents)
    unit_ids: dict[tuple[str, str], int] = {}
    unit_text: list[tuple[str, str, str]] = []  # normalised title, keywords, summary
    unit_fallback: list[int] = []
    unit_docs: list[list[int]] = []
    doc_unit = array("I")
    doc_text: list[tuple[str, str] | None] = []  # normalised section title, text

    # First pass: normalise, and learn the average field lengths BM25 needs. Lengths are in
    # characters, a close proxy for bigram counts that needs no tokenising.
    for number, document in enumerate(documents):
        key = _unit_key(document)
        unit = unit_ids.get(key)
        if unit is None:
            unit = unit_ids[key] = len(unit_text)
            # Keywords are kept apart: a bigram across two keywords means nothing.
            keywords = " | ".join(document.keywords)
            unit_text.append(
                (normalize(document.guide_title), normalize(keywords), normalize(document.summary))
            )
            unit_fallback.append(number)
            unit_docs.append([])
        elif document.kind == "guide":
            unit_fallback[unit] = number
        doc_unit.append(unit)
        if document.kind == "guide":
            # Its title, keywords and summary are the unit's fields already.
            doc_text.append(None)
        else:
            doc_text.append((normalize(document.section_title), normalize(document.text)))
            unit_docs[unit].append(number)

    avg_title, avg_keywords, avg_summary = (_average(f) for f in zip(*unit_text, strict=True))
    present = [t for t in doc_text if t is not None]
    avg_section_title = _average(t[0] for t in present)
    avg_body = _average(t[1] for t in present)

    # Second pass, one unit at a time so only one unit's term counts are ever held.
    unit_rows: dict[str, tuple[array, array]] = {}
    doc_rows: dict[str, tuple[array, array]] = {}
    frequency: Counter[str] = Counter()
    for unit, (title, keywords, summary) in enumerate(unit_text):
        weights = _combined(
            _field_weights(TITLE, _terms(title), len(title), avg_title),
            _field_weights(KEYWORDS, _terms(keywords), len(keywords), avg_keywords),
            _field_weights(SUMMARY, _terms(summary), len(summary), avg_summary),
        )
        _post(unit_rows, unit, weights)
        seen = set(weights)
        for number in unit_docs[unit]:
            section_title, text = doc_text[number]
            weights = _combined(
                _field_weights(
                    SECTION_TITLE, _terms(section_title), len(section_title), avg_section_title
                ),
                _field_weights(BODY, _terms(text), len(text), avg_body),
            )
            _post(doc_rows, number, weights)
            seen.update(weights)
        frequency.update(seen)

    # IDF counts units (guides, outcomes), the things a merchant gets back, not sections.
    total = len(unit_text)
    idf = {t: math.log(1 + (total - n + 0.5) / (n + 0.5)) for t, n in frequency.items()}

    return Index(
        documents=documents,
        doc_unit=doc_unit,
        unit_fallback=array("I", unit_fallback),
        unit_postings=unit_rows,
        doc_postings=doc_rows,
        idf=idf,
        unit_phrase_text=tuple("".join(t).replace(" ", "") for t in unit_text),
        doc_phrase_text=tuple("".join(t or ()).replace(" ", "") for t in doc_text),
        synonyms=_synonym_groups(synonyms),
    )


def _synonym_groups(groups: Iterable[frozenset[str]]) -> tuple[SynonymGroup, ...]:
    result = []
    for group in groups:
        members = tuple(sorted({m for m in map(_compact, group) if m}))
        terms = tuple(dict.fromkeys(t for m in members for t in _terms(m) if not _is_stop(t)))
        if len(members) > 1:
            result.append(SynonymGroup(members=members, terms=terms))
    return tuple(result)


# --- the registry ------------------------------------------------------------------------

DocumentSource = Callable[[Library], Iterable[Document]]
PinSource = Callable[[Library, str], list[Hit]]

_sources: dict[str, DocumentSource] = {"guide": guide_documents}
_pins: list[PinSource] = []


def register_documents(kind: str, source: DocumentSource) -> None:
    """Add (or replace) the source of one kind of document; call it from ``AppConfig.ready``."""
    _sources[kind] = source


def register_pin(source: PinSource) -> None:
    """Add a source of hits that go first, before anything ranked (see the module docstring)."""
    if source not in _pins:
        _pins.append(source)


def _build_library_index(library: Library) -> Index:
    documents: list[Document] = []
    for source in _sources.values():
        documents.extend(source(library))
    return build_index(documents, library.synonyms)


def get_index() -> Index:
    """The index of the current content, rebuilt when the library is re-read."""
    return get_library().derive("search_index", _build_library_index)


# --- querying ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Query:
    text: str  # normalised, bounded, spaces removed
    terms: dict[str, float]  # term -> weight (1 for the merchant's own, less for synonyms)
    synonym_members: tuple[tuple[str, ...], ...]  # members of the groups the query touched
    trigrams: tuple[str, ...]  # three characters in a row of the merchant's words


def parse_query(index: Index, query: str) -> Query:
    # Cut before normalising too, so a 10 KB query costs no more than a long one.
    text = normalize(query[: MAX_QUERY_CHARS * 4])[:MAX_QUERY_CHARS].strip()
    terms: dict[str, float] = {}
    for term in _terms(text):
        if len(terms) >= MAX_QUERY_TERMS:
            break
        if not _is_stop(term):
            terms.setdefault(term, 1.0)
    compact = text.replace(" ", "")
    touched = []
    if terms:
        for group in index.synonyms:
            if any(member in compact for member in group.members):
                touched.append(group.members)
                for term in group.terms:
                    if len(terms) >= MAX_QUERY_TERMS:
                        break
                    terms.setdefault(term, SYNONYM_WEIGHT)
    trigrams = dict.fromkeys(
        run[i : i + 3]
        for run, _ in _RUNS.findall(text)
        for i in range(len(run) - 2)
        if not _is_stop(run[i : i + 3])
    )
    return Query(
        text=compact,
        terms=terms,
        synonym_members=tuple(touched),
        trigrams=tuple(trigrams)[:MAX_QUERY_TERMS],
    )


def _accumulate(
    postings: dict[str, tuple[array, array]], terms: dict[str, float], idf: dict[str, float]
) -> dict[int, float]:
    scores: dict[int, float] = defaultdict(float)
    for term, weight in terms.items():
        found = postings.get(term)
        if found is None:
            continue
        factor = weight * idf[term]
        for key, value in zip(*found, strict=True):
            scores[key] += factor * value
    return scores


def _phrase_bonus(phrase_text: str, query: Query, whole: float) -> float:
    bonus = 0.0
    if len(query.text) >= 2 and query.text in phrase_text:
        bonus += whole
    bonus += whole * TRIGRAM_SHARE * sum(t in phrase_text for t in query.trigrams)
    for members in query.synonym_members:
        if any(len(m) >= 2 and m in phrase_text for m in members):
            bonus += SYNONYM_PHRASE_BONUS
    return bonus


def search(index: Index, query: str, *, limit: int = 10) -> list[Hit]:
    """Best first: each guide once, at its best section, and each matching outcome."""
    parsed = parse_query(index, query)
    if not parsed.terms or limit <= 0:
        return []
    unit_scores = _accumulate(index.unit_postings, parsed.terms, index.idf)
    doc_scores = _accumulate(index.doc_postings, parsed.terms, index.idf)

    docs_of_unit: dict[int, list[int]] = defaultdict(list)
    for number in doc_scores:
        docs_of_unit[index.doc_unit[number]].append(number)

    weight = [d.anchor_weight for d in index.documents]

    def best_section(unit: int) -> tuple[float, int]:
        return max(
            ((doc_scores[d] * weight[d], d) for d in docs_of_unit.get(unit, ())),
            default=(0.0, -1),
        )

    candidates = {
        u: unit_scores.get(u, 0.0) + best_section(u)[0] for u in {*unit_scores, *docs_of_unit}
    }
    # Exact wording only reorders what BM25 already found; checking it for the top few keeps
    # a query's cost independent of the library's size.
    shortlist = sorted(candidates, key=candidates.__getitem__, reverse=True)[: max(limit * 3, 30)]
    ranked = []
    for unit in shortlist:
        unit_score = unit_scores.get(unit, 0.0)
        unit_score += _phrase_bonus(index.unit_phrase_text[unit], parsed, PHRASE_IN_GUIDE_BONUS)
        section_score, section = max(
            (
                (
                    (
                        doc_scores[d]
                        + _phrase_bonus(index.doc_phrase_text[d], parsed, PHRASE_IN_SECTION_BONUS)
                    )
                    * weight[d],
                    d,
                )
                for d in docs_of_unit.get(unit, ())
            ),
            default=(0.0, -1),
        )
        total = unit_score + section_score
        if section < 0 or section_score < SECTION_SHARE_FOR_ANCHOR * total:
            section = index.unit_fallback[unit]
        ranked.append((total, unit, section))
    ranked.sort(key=lambda row: (-row[0], row[1]))

    terms = list(parsed.terms)
    hits = []
    for total, _unit, number in ranked[:limit]:
        document = index.documents[number]
        snippet_text = document.text or document.summary
        hits.append(
            Hit(
                url=document.url,
                guide_slug=document.guide_slug,
                guide_title=document.guide_title,
                section_title=document.section_title,
                snippet_html=highlight(snippet_text, terms),
                score=total,
                kind=document.kind,
            )
        )
    return hits


@dataclass(frozen=True, slots=True)
class Results:
    hits: list[Hit]
    # A correction of the query ("签到" for "签道"), shown as "您是不是要找：…"; "" when none.
    suggestion: str = ""


def search_with_hint(
    index: Index, query: str, *, limit: int = 10, library: Library | None = None
) -> Results:
    """``search``, plus the registered pins first when ``library`` is given."""
    hits = search(index, query, limit=limit)
    if library is not None and _pins and query.strip():
        hits = _pinned_first([hit for pin in _pins for hit in pin(library, query)], hits)
    return Results(hits=hits[:limit] if limit > 0 else [])


def _pinned_first(pinned: list[Hit], ranked: list[Hit]) -> list[Hit]:
    seen: set[str] = set()
    hits = []
    for hit in (*pinned, *ranked):
        if hit.url not in seen:
            seen.add(hit.url)
            hits.append(hit)
    return hits


# --- snippets ----------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Normalised like the index, but one character for each character of ``text``."""
    folded = unicodedata.normalize("NFKC", text).lower()
    if len(folded) == len(text):
        return folded
    # Rare (ligatures, "㍿"): fold one character at a time so offsets still line up.
    return "".join(
        f if len(f := unicodedata.normalize("NFKC", ch).lower()) == 1 else ch for ch in text
    )


def _pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    alternatives = []
    for term in sorted({_compact(t) for t in terms} - {""}, key=len, reverse=True):
        if _LATIN_TERM.fullmatch(term):
            # Whole words only, and "wifi" also finds "Wi-Fi".
            spelled = "[-\u2010\u2011]?".join(map(re.escape, term))
            alternatives.append(f"(?<![a-z0-9]){spelled}(?![a-z0-9])")
        elif len(term) == 1:
            # The index only knows a lone character where it stands alone ("SIM 卡").
            alternatives.append(f"(?<![{_CJK}]){re.escape(term)}(?![{_CJK}])")
        else:
            alternatives.append(re.escape(term))
    if not alternatives:
        return None
    # A lookahead finds overlapping matches: "锁住" and "住了" in "锁住了".
    return re.compile(f"(?=({'|'.join(alternatives)}))")


def _spans(text: str, terms: Iterable[str]) -> list[tuple[int, int, str]]:
    pattern = _pattern(terms)
    if pattern is None:
        return []
    spans: list[tuple[int, int, str]] = []
    for match in pattern.finditer(_fold(text)):
        start, end = match.span(1)
        if spans and start <= spans[-1][1]:
            last = spans[-1]
            spans[-1] = (last[0], max(last[1], end), last[2] + match.group(1))
        else:
            spans.append((start, end, match.group(1)))
    return spans


def _window(length: int, spans: list[tuple[int, int, str]], width: int) -> tuple[int, int]:
    if not spans:
        return 0, min(length, width)
    lead = width // 6
    best, best_start = -1, 0
    for first in spans[:100]:
        start = max(0, first[0] - lead)
        covered = {s[2] for s in spans if s[0] >= start and s[1] <= start + width}
        if len(covered) > best:
            best, best_start = len(covered), start
    end = min(length, best_start + width)
    return max(0, end - width), end


def highlight(text: str, terms: Iterable[str], *, width: int = SNIPPET_CHARS) -> SafeString:
    """About ``width`` characters of ``text`` around its best match, matches in ``<mark>``.

    Matches are found on the raw text and every piece is escaped on its own, so a mark can
    never land inside an entity (a query "amp" does not split "&amp;") and no visitor or
    editor text reaches the page unescaped.
    """
    spans = _spans(text, terms)
    start, end = _window(len(text), spans, width)
    parts = ["…"] if start > 0 else []
    position = start
    for span_start, span_end, _ in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        parts.append(escape(text[position:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(escape(text[position:end]))
    if end < len(text):
        parts.append("…")
    return mark_safe("".join(parts))


# --- content gaps ------------------------------------------------------------------------


def gap_text(query: str) -> str:
    """What is stored of a query that found nothing: normalised, bounded, numbers masked.

    Merchants paste terminal numbers, card numbers and phone numbers into search boxes;
    those could identify them, and the editors only need the words.
    """
    text = normalize(query[: MAX_QUERY_CHARS * 4])
    return _LONG_DIGITS.sub("#", text)[:MAX_QUERY_CHARS].strip()


def record_gap(query: str) -> None:
    """Count a query that found nothing, for ``manage.py search_gaps``."""
    # Imported here so the search code itself loads without the app registry (benchmarks).
    from helpcenter.models import SearchGap

    text = gap_text(query)
    if not text or all(_is_stop(ch) for ch in text.replace(" ", "")):
        return
    now = timezone.now()
    bump = {"count": F("count") + 1, "last_seen": now}
    if SearchGap.objects.filter(query=text).update(**bump):
        return
    try:
        with transaction.atomic():
            SearchGap.objects.create(query=text, count=1, first_seen=now, last_seen=now)
    except IntegrityError:
        # Another request created the row between our update and insert.
        SearchGap.objects.filter(query=text).update(**bump)
