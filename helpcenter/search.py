"""Chinese full-text search over the guides and the assistant's outcomes.

Merchants type the way they talk ("机器锁住了", "ＰＯＳ机连不上Wi-Fi"), so the text is
normalised (NFKC, lower case, punctuation out) and cut into overlapping character bigrams,
as Lucene's CJK analyzer does: no dictionary, no jieba, and a two-character word such as
"签到" is exactly one term. Latin and digit runs ("pos", "wifi", "e01") stay whole words.

Ranking is BM25, summed over weighted fields: a guide's title and keywords count most, then
the section title, the summary, the body. The fields a guide's sections share (title,
keywords, summary) are indexed once per guide, not once per section, which keeps the index
small and makes IDF count guides rather than how many sections repeat a title. Results are
grouped so each guide appears once, at its best section. A query first ranks guides on what
they could score (their fields, and per term their best section), then scores the sections
of the few that can still win, so its cost does not grow with the library (``Index``).

Merchants type on phone keyboards in a hurry. Pinyin ("qiandao", "mima wangle", "qiān dào")
is read as the Chinese the guides use, and a Chinese word that matches badly but sounds like
a word of some title or keyword ("签道", "锁主了", "激话") is also searched as that word, more
weakly, with the correction offered as "您是不是要找：…" (``search_with_hint``). Both use
pypinyin's dictionary of single characters and the index's own bigrams, with bounded work.
English and Cantonese words reach the guides through ``content/synonyms.yaml``.

The index of some content is built once and kept under ``var/search-index/`` (see "the
index on disk" below); a restarted or second worker loads it in milliseconds.

Trust boundary: the query is visitor input. It is normalised and bounded before use, reaches
HTML only through ``highlight`` (which escapes before it marks). A query that found nothing
is stored for editors by ``insights`` only after ``insights.masking`` took out numbers and
e-mail addresses.

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

import functools
import hashlib
import heapq
import html
import itertools
import logging
import math
import operator
import os
import pickle
import re
import unicodedata
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from helpcenter.content import Library, get_library

DocumentKind = Literal["guide", "section", "outcome", "code"]

logger = logging.getLogger(__name__)

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
# Postings keep weights as 16-bit integers: a weight times this (BM25 field weights stay
# below 64, so the step is 0.001).
WEIGHT_SCALE = 1024
# A query scores the sections of this many units at least (ranked by what they could score),
# and checks exact wording in a unit's few best sections only: a query's cost stays
# independent of the library's size.
SHORTLIST = 40
SECTIONS_CHECKED = 4
# Units a term's best-section postings keep, those where it weighs most ("champion lists"):
# a common term costs no more than a rare one when shortlisting; below this many units the
# ranking is exact.
CHAMPIONS = 400

# Pinyin and homophones: a pair of characters no unit holds costs this much on a reading's
# path (a pair some unit holds earns log(1 + units)); a character the merchant typed is kept
# unless a reading with it is clearly worse; corrected terms weigh less than typed ones.
MISSING_PAIR = -2.0
CHARACTER_PRIOR = 0.0
KEEP_TYPED = 1.0
HEADING_PAIR_BONUS = 1.5  # a pair that is a word of some title or keyword
HOMOPHONE_WEIGHT = 0.6
NEAR_SOUND_PRIOR = -1.0  # a near sound ("hua" for "huo") needs more evidence than a homophone
NEAR_CANDIDATES = 6
# Sounds many speakers swap (平翘舌, 前后鼻音, n/l, f/h): (as typed, as meant), both ways.
FUZZY_SOUNDS = (
    *(pair for a, b in (("z", "zh"), ("c", "ch"), ("s", "sh")) for pair in ((a + "h", a), (a, b))),
    ("ang", "an"),
    ("eng", "en"),
    ("ing", "in"),
    ("an", "ang"),
    ("en", "eng"),
    ("in", "ing"),
    ("n", "l"),
    ("l", "n"),
    ("f", "h"),
    ("h", "f"),
)
PINYIN_CANDIDATES = 8  # characters considered per syllable, most used first
PINYIN_BEAM = 8  # paths kept per position
PINYIN_MAX_LETTERS = 48
MAX_SYLLABLE = 6  # "zhuang", "shuang"
HOMOPHONE_MAX_CHARS = 16
# Characters only Cantonese writing uses: a run with one is deliberate dialect ("部机冇反应"),
# whose unknown pairs are no slip; synonyms.yaml maps its words instead.
CANTONESE_CHARS = frozenset("唔冇咗嘅佢喺啲乜咁嘢俾畀睇攞揾嚟哋咩嗰噉")

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
_CJK_CHAR = re.compile(f"[{_CJK}]")
_CJK_RUN = re.compile(f"[{_CJK}]+")
# A toneless pinyin syllable: an optional initial, then a final with a vowel ("m", "ng" and
# "hm" are left out: they would let any consonant cluster read as pinyin).
_SYLLABLE = re.compile(r"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?[aeiouv][a-z]*")
_TONE_NUMBER = re.compile(r"(?<=[a-z])[1-5]")  # "qian1dao4"
_CONTROL = re.compile(
    r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
)
_LATIN_HYPHEN = re.compile(r"(?<=[a-z])[-\u2010\u2011](?=[a-z])")
_NON_WORD = re.compile(r"[\W_]+")
_LATIN_TERM = re.compile(r"[a-z0-9]+")
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


def _by_unit(documents: Iterable[Document]) -> tuple[Document, ...]:
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


def build_index(documents: Iterable[Document], synonyms: Iterable[frozenset[str]] = ()) -> Index:
    """Index documents (``guide_documents`` and any extra ones) with synonym groups for queries."""
    documents = _by_unit(documents)
    unit_ids: dict[tuple[str, str], int] = {}
    unit_text: list[tuple[str, str, str]] = []  # normalised title, keywords, summary
    unit_fallback: list[int] = []
    unit_start = array("I")
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
            unit_start.append(number)
        elif document.kind == "guide":
            unit_fallback[unit] = number
        if document.kind == "guide":
            # Its title, keywords and summary are the unit's fields already.
            doc_text.append(None)
        else:
            doc_text.append((normalize(document.section_title), normalize(document.text)))
    unit_start.append(len(documents))

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
    for unit, (title, keywords, summary) in enumerate(unit_text):
        title_terms, keyword_terms = _terms(title), _terms(keywords)
        headings.update(title_terms, keyword_terms)
        weights = _combined(
            _field_weights(TITLE, title_terms, len(title), avg_title),
            _field_weights(KEYWORDS, keyword_terms, len(keywords), avg_keywords),
            _field_weights(SUMMARY, _terms(summary), len(summary), avg_summary),
        )
        _post(unit_rows, unit, weights)
        seen = set(weights)
        best: dict[str, float] = {}
        for number in range(unit_start[unit], unit_start[unit + 1]):
            if doc_text[number] is None:
                continue
            section_title, text = doc_text[number]
            section_terms = _terms(section_title)
            headings.update(section_terms)
            weights = _combined(
                _field_weights(SECTION_TITLE, section_terms, len(section_title), avg_section_title),
                _field_weights(BODY, _terms(text), len(text), avg_body),
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
    idf = {t: math.log(1 + (total - n + 0.5) / (n + 0.5)) for t, n in frequency.items()}

    return Index(
        documents=documents,
        unit_start=unit_start,
        unit_fallback=array("I", unit_fallback),
        unit_postings=_narrowed(unit_rows, total),
        best_postings=_narrowed(_champions(best_rows), total),
        doc_postings=_narrowed(doc_rows, len(documents)),
        idf=idf,
        unit_phrase_text=tuple("".join(t).replace(" ", "") for t in unit_text),
        synonyms=_synonym_groups(synonyms),
        sounds=_sounds(frequency, headings),
    )


def _synonym_groups(groups: Iterable[frozenset[str]]) -> tuple[SynonymGroup, ...]:
    result = []
    for group in groups:
        members = tuple(sorted({m for m in map(_compact, group) if m}))
        terms = tuple(dict.fromkeys(t for m in members for t in _terms(m) if not _is_stop(t)))
        if len(members) > 1:
            result.append(SynonymGroup(members=members, terms=terms))
    return tuple(result)


# --- how the index sounds: pinyin and homophones ----------------------------------------


@dataclass(frozen=True, slots=True)
class Sounds:
    """What the index's Chinese sounds like, to read pinyin and catch homophone slips.

    Built at index time from pypinyin's own dictionary, for the characters the index uses:
    a typed syllable can only mean a character that some guide contains, and the guide text
    itself says which neighbours are likely (how many units hold each bigram), as a pinyin
    keyboard's candidate list does.
    """

    readings: dict[str, tuple[str, ...]]  # character -> toneless syllables ("ü" as "v")
    candidates: dict[str, tuple[str, ...]]  # syllable -> characters, most used first
    units: dict[str, int]  # Chinese term -> units that hold it
    words: frozenset[str]  # Chinese pairs of titles, keywords and section titles


_pinyin_dict: dict[int, str] | None = None


def _pypinyin_readings() -> dict[int, str]:
    """pypinyin's character dictionary, without importing the package.

    ``import pypinyin`` also loads its phrase dictionary (about 50 MB and 0.7 s); single
    characters are all the index needs, so only that module is executed.
    """
    global _pinyin_dict
    if _pinyin_dict is None:
        import importlib.util

        folder = importlib.util.find_spec("pypinyin").submodule_search_locations[0]
        spec = importlib.util.spec_from_file_location(
            "_helpcenter_pinyin_dict", f"{folder}/pinyin_dict.py"
        )
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _pinyin_dict = module.pinyin_dict
    return _pinyin_dict


def _toneless(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable.strip().lower()).replace("u\u0308", "v")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _is_chinese(text: str) -> bool:
    return bool(text) and _CJK_CHAR.fullmatch(text[0]) is not None


def _sounds(frequency: Counter[str], headings: Iterable[str]) -> Sounds:
    units = {t: n for t, n in frequency.items() if _is_chinese(t)}
    use: Counter[str] = Counter()
    for term, n in units.items():
        for ch in term:
            use[ch] += n
    table = _pypinyin_readings()
    readings: dict[str, tuple[str, ...]] = {}
    by_syllable: dict[str, list[str]] = defaultdict(list)
    for ch, _ in use.most_common():
        syllables = _readings_in(table, ch)
        if syllables:
            readings[ch] = syllables
            for syllable in syllables:
                by_syllable[syllable].append(ch)
    candidates = {s: tuple(chars[:PINYIN_CANDIDATES]) for s, chars in by_syllable.items()}
    words = frozenset(t for t in headings if len(t) == 2 and t in units)
    return Sounds(readings=readings, candidates=candidates, units=units, words=words)


def _readings_in(table: dict[int, str], ch: str) -> tuple[str, ...]:
    raw = table.get(ord(ch))
    if not raw:
        return ()
    found = dict.fromkeys(_toneless(r) for r in raw.split(","))
    # A phone keyboard spells "ü" as "v"; people often type a plain "u".
    found.update({r.replace("v", "u"): None for r in found if "v" in r})
    return tuple(r for r in found if _SYLLABLE.fullmatch(r))


def _readings(sounds: Sounds, ch: str) -> tuple[str, ...]:
    """A character's syllables: from the index, or for one no guide uses, from pypinyin."""
    found = sounds.readings.get(ch)
    if found is None and _CJK_CHAR.fullmatch(ch):
        found = _readings_in(_pypinyin_readings(), ch)
    return found or ()


def _pair_score(sounds: Sounds, first: str, second: str) -> float:
    pair = first + second
    n = sounds.units.get(pair)
    if not n:
        return MISSING_PAIR
    return math.log1p(n) + (HEADING_PAIR_BONUS if pair in sounds.words else 0.0)


def _best_path(sounds: Sounds, slots: list[list[tuple[int, int, str, float]]], end: int):
    """Viterbi over a lattice: ``slots[i]`` lists (start, end, character, prior) leaving i.

    Returns the characters of the best-scoring path from 0 to ``end`` and its number of
    known pairs, or None when no path reaches the end.
    """
    # position -> {character: (score, known pairs, previous position, previous character)}
    best: list[dict[str, tuple[float, int, int, str]]] = [{} for _ in range(end + 1)]
    best[0][""] = (0.0, 0, -1, "")
    for position in range(end):
        states = best[position]
        if not states:
            continue
        if len(states) > PINYIN_BEAM:
            kept = sorted(states.items(), key=lambda kv: kv[1][0], reverse=True)[:PINYIN_BEAM]
            states = best[position] = dict(kept)
        for _start, stop, ch, prior in slots[position]:
            row = best[stop]
            for previous, (score, known, _, _) in states.items():
                if previous:
                    pair = _pair_score(sounds, previous, ch)
                    candidate = (score + pair + prior, known + (pair > 0), position, previous)
                else:
                    candidate = (score + prior, known, position, previous)
                if ch not in row or candidate[0] > row[ch][0]:
                    row[ch] = candidate
    if not best[end]:
        return None
    ch, (_, known, position, previous) = max(best[end].items(), key=lambda kv: kv[1][0])
    chars = [ch]
    while position > 0:
        ch = previous
        _, _, position, previous = best[position][ch]
        chars.append(ch)
    return "".join(reversed(chars)), known


def _from_pinyin(sounds: Sounds, words: list[str]) -> str | None:
    """Chinese for pinyin words ("mima", "wangle"), or None when they do not read as pinyin.

    A word may hold several syllables ("caozuoyuan"); no syllable crosses a space. Work is
    bounded by PINYIN_MAX_LETTERS, syllable length and the beam, never exponential.
    """
    letters = "".join(words)
    if len(letters) > PINYIN_MAX_LETTERS:
        return None
    breaks = set()
    offset = 0
    for word in words:
        offset += len(word)
        breaks.add(offset)
    slots: list[list[tuple[int, int, str, float]]] = [[] for _ in letters]
    for start in range(len(letters)):
        for stop in range(start + 1, min(len(letters), start + MAX_SYLLABLE) + 1):
            for ch in sounds.candidates.get(letters[start:stop], ()):
                slots[start].append((start, stop, ch, CHARACTER_PRIOR))
            if stop in breaks:
                break
    found = _best_path(sounds, slots, len(letters))
    if found is None:
        return None
    chinese, known = found
    # Two syllables at least, and mostly pairs some guide uses: otherwise it is not pinyin
    # we can read (or English that happens to spell syllables), and stays as typed.
    if len(chinese) < 2 or known * 2 < len(chinese) - 1:
        return None
    return chinese


def _near_syllables(syllable: str) -> list[str]:
    """Syllables a hurried or regional speaker may mean: "hua" for "huo", "zi" for "zhi"."""
    near = []
    for typed, meant in FUZZY_SOUNDS:
        if typed in syllable:
            near.append(syllable.replace(typed, meant, 1))
    # One letter slipped on the keyboard ("hua" for "huo"), vowels only: consonant slips
    # change the word too often to guess.
    for i, letter in enumerate(syllable):
        if letter in "aeiouv":
            near.extend(syllable[:i] + v + syllable[i + 1 :] for v in "aeiou" if v != letter)
    return near


def _homophone(sounds: Sounds, run: str) -> str | None:
    """The run with slipped characters replaced ("签道" → "签到"), or None when it reads fine.

    A replaced character must make a word of some title or keyword with a neighbour the
    merchant typed, and at most a third of the run changes: dialect words and real gaps
    ("冒烟") have unknown pairs too, and must not be "corrected" into something else.
    """
    if not 2 <= len(run) <= HOMOPHONE_MAX_CHARS or not CANTONESE_CHARS.isdisjoint(run):
        return None
    if all(a + b in sounds.words for a, b in itertools.pairwise(run)):
        return None  # every pair is a word of some title or keyword: nothing slipped
    slots: list[list[tuple[int, int, str, float]]] = []
    for position, typed in enumerate(run):
        options = {typed: KEEP_TYPED}
        readings = _readings(sounds, typed)
        for syllable in readings:
            for ch in sounds.candidates.get(syllable, ()):
                options.setdefault(ch, 0.0)
        for syllable in {n for r in readings for n in _near_syllables(r)} - set(readings):
            for ch in sounds.candidates.get(syllable, ())[:NEAR_CANDIDATES]:
                options.setdefault(ch, NEAR_SOUND_PRIOR)
        slots.append([(position, position + 1, ch, prior) for ch, prior in options.items()])
    found = _best_path(sounds, slots, len(run))
    if found is None or found[0] == run:
        return None
    corrected = found[0]
    changed = [i for i, (a, b) in enumerate(zip(run, corrected, strict=True)) if a != b]
    if len(changed) > max(1, len(run) // 3):
        return None
    for i in changed:
        anchored = (i > 0 and run[i - 1] == corrected[i - 1] and corrected[i - 1 : i + 1]) or (
            i + 1 < len(run) and run[i + 1] == corrected[i + 1] and corrected[i : i + 2]
        )
        if not anchored or anchored not in sounds.words:
            return None
    return corrected


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
    folder = _cache_folder()
    if folder is None:
        return build_index(documents, library.synonyms)
    path = folder / f"{_library_fingerprint(library)}.pickle"
    index = _load_cached(path, documents)
    if index is None:
        index = build_index(documents, library.synonyms)
        _store(path, index)
    return index


# --- the index on disk -------------------------------------------------------------------
# Building the index of a large library takes seconds; loading it takes a fraction of one.
# The first process to need an index for some content builds it and writes it under var/;
# every other worker, and every restart, loads that file. The file's name is a digest of
# everything the index is built from (each document, the synonyms, this module's source and
# pypinyin's version), so changed content or code never meets a stale index. Only this
# process writes there and only it reads back (pickle: the folder is the site's own var/).

INDEX_FILES_KEPT = 3


def _cache_folder() -> Path | None:
    from django.conf import settings

    folder = getattr(settings, "SEARCH_INDEX_DIR", Path(settings.BASE_DIR) / "var" / "search-index")
    return Path(folder) if folder else None


@functools.cache
def _code_version() -> bytes:
    from importlib.metadata import version

    source = Path(__file__).read_bytes()
    return hashlib.blake2b(source + version("pypinyin").encode(), digest_size=16).digest()


def _fingerprint(documents: list[Document], synonyms: Iterable[frozenset[str]]) -> str:
    digest = hashlib.blake2b(_code_version(), digest_size=20)
    for d in documents:
        fields = (d.kind, d.url, d.guide_slug, d.guide_title, d.section_title, d.text, d.summary)
        digest.update(
            "\x1f".join((*fields, "\x1e".join(d.keywords), repr(d.anchor_weight))).encode()
        )
        digest.update(b"\x1d")
    for group in sorted(sorted(g) for g in synonyms):
        digest.update("\x1e".join(group).encode() + b"\x1d")
    return digest.hexdigest()


def _library_fingerprint(library: Library) -> str:
    """What the index of a library is built from: its content files (``library.version``, a
    digest of every file, synonyms and the tree included), the registered sources and this
    module's code. Without a version (a library made by hand), the documents themselves."""
    if not library.version:
        documents = [d for source in _sources.values() for d in source(library)]
        return _fingerprint(documents, library.synonyms)
    digest = hashlib.blake2b(_code_version(), digest_size=20)
    digest.update(library.version.encode())
    for kind, source in sorted(_sources.items()):
        digest.update(f"{kind}\x1f{source.__module__}.{source.__qualname__}\x1e".encode())
    return digest.hexdigest()


def _load_cached(path: Path, documents: list[Document]) -> Index | None:
    try:
        with path.open("rb") as file:
            index = pickle.load(file)
    except FileNotFoundError:
        return None
    except Exception:  # a torn or foreign file: build afresh and overwrite it
        logger.warning("search index file %s could not be read; rebuilding", path.name)
        return None
    if not isinstance(index, Index) or len(index.unit_start) < 1:
        return None
    # The documents are not in the file: the library holds their text already.
    documents = _by_unit(documents)
    if index.unit_start[-1] != len(documents):
        return None
    return replace(index, documents=documents)


def _store(path: Path, index: Index) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        with partial.open("wb") as file:
            pickle.dump(replace(index, documents=()), file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)  # readers see the whole file or none
        older = sorted(path.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
        for stale in older[:-INDEX_FILES_KEPT]:
            stale.unlink(missing_ok=True)
    except OSError:
        logger.warning("search index could not be written to %s", path.parent, exc_info=True)


def get_index() -> Index:
    """The index of the current content, rebuilt when the library is re-read."""
    return get_library().derive("search_index", _build_library_index)


# --- querying ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Query:
    text: str  # normalised, bounded, pinyin read as Chinese, spaces removed
    terms: dict[str, float]  # term -> weight (1 for the merchant's own, less for synonyms)
    synonym_members: tuple[tuple[str, ...], ...]  # members of the groups the query touched
    trigrams: tuple[str, ...]  # three characters in a row of the merchant's words
    corrected: str = ""  # the text with homophone slips corrected, spaces removed
    slips: tuple[str, ...] = ()  # the typed runs that were corrected ("签道")
    suggestion: str = ""  # what "您是不是要找：" offers: the query as the index reads it


def _pinyin_word(word: str, index: Index) -> str:
    """The toneless letters of a word that may be pinyin ("qiān", "qian1"), else ""."""
    if word in index.idf:
        # A Latin word the guides use ("pos", "wifi") is that word, not pinyin.
        return ""
    letters = _toneless(_TONE_NUMBER.sub("", word))
    return letters if letters.isascii() and letters.isalpha() else ""


def _read_pinyin(index: Index, text: str) -> str:
    """``text`` with each stretch of pinyin words replaced by the Chinese it most likely spells."""
    pieces: list[str] = []
    position = 0
    stretch: list[tuple[int, int, str]] = []  # (start, end, letters) of adjacent pinyin words

    def flush() -> None:
        nonlocal position
        chinese = _from_pinyin(index.sounds, [w for *_, w in stretch]) if stretch else None
        if chinese is not None:
            spans = [(stretch[0][0], stretch[-1][1], chinese)]
        else:  # read word by word ("pos qiandao" where "pos" is not a guide's word)
            spans = [
                (start, end, chinese)
                for start, end, word in (stretch if len(stretch) > 1 else ())
                if (chinese := _from_pinyin(index.sounds, [word]))
            ]
        for start, end, chinese in spans:
            pieces.append(text[position:start])
            pieces.append(chinese)
            position = end
        stretch.clear()

    budget = PINYIN_MAX_LETTERS * 2  # letters looked at in one query, whatever their split
    for match in _RUNS.finditer(text):
        letters = _pinyin_word(match.group(2), index) if match.group(2) else ""
        joined = stretch and text[stretch[-1][1] : match.start()].isspace()
        if not letters or (stretch and not joined) or budget < len(letters):
            flush()
        if letters and budget >= len(letters):
            budget -= len(letters)
            stretch.append((match.start(), match.end(), letters))
    flush()
    pieces.append(text[position:])
    return "".join(pieces)


def _correct_homophones(index: Index, text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` with slips corrected in its first few Chinese runs, and the runs corrected."""
    slips = []

    def replace(match: re.Match[str]) -> str:
        corrected = _homophone(index.sounds, match.group(0))
        if corrected is None:
            return match.group(0)
        slips.append(match.group(0))
        return corrected

    return _CJK_RUN.sub(replace, text, count=4), tuple(slips)


def _add_terms(terms: dict[str, float], text: str, weight: float) -> None:
    for term in _terms(text):
        if len(terms) >= MAX_QUERY_TERMS:
            break
        if not _is_stop(term):
            terms.setdefault(term, weight)


def _trigrams(*texts: str) -> dict[str, None]:
    return dict.fromkeys(
        run[i : i + 3]
        for text in texts
        for run, _ in _RUNS.findall(text)
        for i in range(len(run) - 2)
        if not _is_stop(run[i : i + 3])
    )


def parse_query(index: Index, query: str) -> Query:
    # Cut before normalising too, so a 10 KB query costs no more than a long one.
    typed = normalize(query[: MAX_QUERY_CHARS * 4])[:MAX_QUERY_CHARS].strip()
    text = _read_pinyin(index, typed)
    corrected, slips = _correct_homophones(index, text)
    terms: dict[str, float] = {}
    _add_terms(terms, text, 1.0)
    if text != typed:
        _add_terms(terms, typed, 1.0)  # the Latin words as typed, for "pos" and friends
    if corrected != text:
        _add_terms(terms, corrected, HOMOPHONE_WEIGHT)
    compact = text.replace(" ", "")
    corrected_compact = corrected.replace(" ", "") if corrected != text else ""
    touched = []
    if terms:
        for group in index.synonyms:
            if any(
                m in compact or (corrected_compact and m in corrected_compact)
                for m in group.members
            ):
                touched.append(group.members)
                for term in group.terms:
                    if len(terms) >= MAX_QUERY_TERMS:
                        break
                    terms.setdefault(term, SYNONYM_WEIGHT)
    return Query(
        text=compact,
        terms=terms,
        synonym_members=tuple(touched),
        trigrams=tuple(_trigrams(text, corrected))[:MAX_QUERY_TERMS],
        corrected=corrected_compact,
        slips=slips,
        suggestion=corrected if corrected != typed else "",
    )


def _accumulate(
    postings: dict[str, tuple[array, array]], factors: dict[str, float]
) -> dict[int, float]:
    scores: dict[int, float] = defaultdict(float)
    for term, factor in factors.items():
        found = postings.get(term)
        if found is None:
            continue
        for key, value in zip(*found, strict=True):
            scores[key] += factor * value
    return scores


def _section_scores(
    postings: dict[str, tuple[array, array]], factors: dict[str, float], start: int, end: int
) -> dict[int, float]:
    """Scores of documents ``start`` to ``end`` (one unit's): a binary search per term."""
    scores: dict[int, float] = defaultdict(float)
    for term, factor in factors.items():
        found = postings.get(term)
        if found is None:
            continue
        ids, weights = found
        position, stop = bisect_left(ids, start), len(ids)
        while position < stop and (number := ids[position]) < end:
            scores[number] += factor * weights[position]
            position += 1
    return scores


def _section_phrase_text(document: Document) -> str:
    # Lower case without spaces is close enough to normalised for a substring test, and
    # costs a microsecond where normalising a section costs fifty.
    return f"{document.section_title}{document.text}".lower().replace(" ", "")


def _phrase_bonus(phrase_text: str, query: Query, whole: float) -> float:
    bonus = 0.0
    if len(query.text) >= 2 and query.text in phrase_text:
        bonus += whole
    elif query.corrected and query.corrected in phrase_text:
        bonus += whole * HOMOPHONE_WEIGHT
    bonus += whole * TRIGRAM_SHARE * sum(t in phrase_text for t in query.trigrams)
    for members in query.synonym_members:
        if any(len(m) >= 2 and m in phrase_text for m in members):
            bonus += SYNONYM_PHRASE_BONUS
    return bonus


def search(index: Index, query: str, *, limit: int = 10) -> list[Hit]:
    """Best first: each guide once, at its best section, and each matching outcome."""
    return _search(index, parse_query(index, query), limit=limit)


def _search(index: Index, parsed: Query, *, limit: int) -> list[Hit]:
    if not parsed.terms or limit <= 0:
        return []
    idf = index.idf
    factors = {t: w * idf[t] / WEIGHT_SCALE for t, w in parsed.terms.items() if t in idf}
    unit_scores = _accumulate(index.unit_postings, factors)
    # What each unit could score at most: its fields plus, per term, its best section.
    bounds = _accumulate(index.best_postings, factors)
    for unit, score in unit_scores.items():
        bounds[unit] += score
    # Exact wording only reorders what BM25 already found; scoring sections and checking
    # wording for the units that can still win keeps a query's cost independent of the
    # library's size.
    shortlist = heapq.nlargest(max(limit * 3, SHORTLIST), bounds, key=bounds.__getitem__)
    documents = index.documents
    ranked = []
    for unit in shortlist:
        start, end = index.unit_start[unit], index.unit_start[unit + 1]
        section_scores = _section_scores(index.doc_postings, factors, start, end)
        best = sorted(section_scores, key=section_scores.__getitem__, reverse=True)
        best = best[:SECTIONS_CHECKED]
        phrase_texts = {d: _section_phrase_text(documents[d]) for d in best}
        unit_score = unit_scores.get(unit, 0.0)
        unit_score += _phrase_bonus(index.unit_phrase_text[unit], parsed, PHRASE_IN_GUIDE_BONUS)
        section_score, section = max(
            (
                (
                    section_scores[d]
                    + _phrase_bonus(phrase_texts[d], parsed, PHRASE_IN_SECTION_BONUS)
                    * documents[d].anchor_weight,
                    d,
                )
                for d in best
            ),
            default=(0.0, -1),
        )
        total = unit_score + section_score
        if section < 0 or section_score < SECTION_SHARE_FOR_ANCHOR * total:
            section = index.unit_fallback[unit]
        # What the merchant typed, found as typed, stays above what a correction found.
        exact = bool(parsed.slips) and any(
            slip in text
            for slip in parsed.slips
            for text in (index.unit_phrase_text[unit], *phrase_texts.values())
        )
        ranked.append((exact, total, unit, section))
    ranked.sort(key=lambda row: (not row[0], -row[1], row[2]))

    terms = list(parsed.terms)
    hits = []
    for _exact, total, _unit, number in ranked[:limit]:
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
    """``search``, the correction it made (if any), and the registered pins first when
    ``library`` is given."""
    parsed = parse_query(index, query)
    hits = _search(index, parsed, limit=limit)
    if library is not None and _pins and query.strip():
        hits = _pinned_first([hit for pin in _pins for hit in pin(library, query)], hits)
    return Results(hits=hits[:limit] if limit > 0 else [], suggestion=parsed.suggestion)


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
    return _pattern_of(frozenset(terms))


@functools.lru_cache(maxsize=256)
def _pattern_of(terms: frozenset[str]) -> re.Pattern[str] | None:
    alternatives = []
    for term in sorted({_compact(t) for t in terms} - {""}, key=lambda t: (-len(t), t)):
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
