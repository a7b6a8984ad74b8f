"""What search indexes and returns: documents, hits and the weights of their fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from django.utils.safestring import SafeString

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


# Not frozen, and never changed: a new process builds one per section (55,000 at 5,000 guides)
# before it answers, and a frozen dataclass's __init__ costs twice as much (120 ms there, 47 ms
# like this). It still compares and hashes by its fields, as a frozen one does.
@dataclass(slots=True, unsafe_hash=True)
class Document:
    """One searchable thing.

    Guide and section documents come from ``guide_documents``. The assistant's outcomes use
    kind "outcome": ``title`` is the outcome's title, ``section_title`` may be empty,
    ``text`` is what the outcome says, and each outcome is ranked on its own (by its url).
    """

    kind: DocumentKind
    url: str
    guide_slug: str
    title: str
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
    title: str
    section_title: str
    snippet_html: SafeString
    score: float
    kind: DocumentKind
    # A safety answer's warning ("这很可能是诈骗…"), shown above it; "" for every other hit.
    warning: str = ""
    # Pinned because the query quotes a message the terminal shows, not because it names a code
    # or a service code: a reader sure of another guide goes before it ("退货显示余额不足").
    by_message: bool = False


@dataclass(frozen=True, slots=True)
class Understood:
    """What a registered reader (``registry.register_reader``) makes of a query.

    ``guides`` says how likely the query is about each guide (probabilities, summing to at
    most 1) and ``hits`` offers a landing section for the likeliest, so a guide the words
    missed can still be found. ``first`` is a safety answer that goes before everything;
    ``off_topic`` is how sure the reader is that the query is about nothing the site covers
    (0 when something fits better). ``exact`` are sections the reader is sure of (taught by
    their own examples): each takes its guide's place instead of the section the words found.
    Of a guide it is sure of (``hits`` scored at least ``SURE_GUIDE``), its landing section
    takes the place of one the words found that it hardly rates (``answers``).
    """

    guides: dict[str, float]
    hits: tuple[Hit, ...] = ()
    urls: dict[str, float] = field(default_factory=dict)  # outcome url -> probability
    first: Hit | None = None
    off_topic: float = 0.0
    exact: tuple[Hit, ...] = ()
    # Guide section url -> how likely the reader's likeliest answer there is.
    answers: dict[str, float] = field(default_factory=dict)
