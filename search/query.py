"""Parsing a query (pinyin, homophones, synonyms) and ranking units, then sections."""

from __future__ import annotations

import heapq
import re
from array import array
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, replace

from search import registry
from search.documents import (
    PHRASE_IN_GUIDE_BONUS,
    PHRASE_IN_SECTION_BONUS,
    SECTION_SHARE_FOR_ANCHOR,
    SECTIONS_CHECKED,
    SHORTLIST,
    SYNONYM_PHRASE_BONUS,
    SYNONYM_WEIGHT,
    TRIGRAM_SHARE,
    WEIGHT_SCALE,
    Document,
    Hit,
    Understood,
)
from search.english import read as read_english
from search.index import Index
from search.snippets import highlight
from search.sounds import (
    HOMOPHONE_WEIGHT,
    PINYIN_MAX_LETTERS,
    from_initials,
    from_mistyped_pinyin,
    from_pinyin,
    homophone,
    toneless,
)
from search.text import (
    CJK_RUN,
    MAX_QUERY_CHARS,
    MAX_QUERY_TERMS,
    RUNS,
    TONE_NUMBER,
    is_stop,
    normalize,
    terms_of,
)

# --- querying ----------------------------------------------------------------------------

PINYIN_WINDOW = 4  # words read together when a whole stretch of pinyin reads as nothing
PINYIN_WINDOW_READS = 40  # readings tried in such a stretch: a paragraph of pinyin stays cheap

# How much the registered reader's probabilities count against BM25 (both scaled to 0..1),
# and how many BM25 hits are blended; chosen on blind writers' lines, never the held-out ones:
# on 394 queries of four writers no example came from, right first 95.9% at 0.6, 97.2% at 0.7
# and 0.8, 97.0% at 0.9 (top 3 99.2% each); across writers (2,929 queries, each third tested
# on a model without its lines) 94.2%, 94.2%, 94.3% (top 3 97.7%, 97.8%, 98.0%).
READER_SHARE = 0.7
BLEND_POOL = 20
# Above LONG_TEXT characters a description's incidental words add up in BM25. Examples grouped
# by the commit that added them, each third on a model without them; chosen on half (22,216):
# first 89.69% -> 89.82%, top 3 96.47% -> 96.90%; the other half, unseen until then: 90.01% ->
# 90.08%, 96.66% -> 97.23%. tests/phrasings: 171 -> 170 of 182 first, top 3 100%.
LONG_TEXT = 8
READER_SHARE_LONG = 0.9
# The reader's "off topic" empties the results when it is sure, or when most of the words are
# unknown to the site too. Across blind writers (3,323 queries, each third tested on a model
# without its lines): right first 94.3% at 0.5 and 0.45, 94.4% at 0.4 and 0.35, 94.3% at 0.3;
# top 3 98.0% at 0.5, 98.1% below. Again with 5,165 queries of 54 writers: 0.35 won three
# off-topic queries (94.6% / 97.8% against 94.5% / 97.7%) but left a real question without an
# answer ("刷信用卡要扣多少钱" got 没有找到): an empty page costs a merchant more.
OFF_TOPIC_SURE = 0.4
# A guide the reader rates this likely shows the reader's likeliest answer in it rather than
# the section the words found, unless the reader rates that one at least KEEP_FOUND_SECTION.
SURE_GUIDE = 0.5
KEEP_FOUND_SECTION = 0.05
OFF_TOPIC_KNOWN_SHARE = 0.5
# Cards the query does not name (no code, no screen message of theirs: those are pinned) that
# the words still find: "交易失败" is on a dozen cards' screens, and a page of five cards would
# hide the guides that explain it. The best one stays.
UNNAMED_CARDS = 1
# A pinned screen message the reader hardly relates to the query (below PIN_DOUBT for its
# guide) follows the reader's answer when the reader is this sure of another guide: "退货显示
# 余额不足" is a refund, not code 51's card. Across blind writers (29,360 queries, each third
# tested on a model without its lines) 10 more right first and the same top 3; over the 5-fold
# cross-validation examples right first 89.4% -> 90.1% (319 of 44,864 more).
READER_OVER_PIN = 0.6
PIN_DOUBT = 0.1


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
    letters = toneless(TONE_NUMBER.sub("", word))
    return letters if letters.isascii() and letters.isalpha() else ""


def _word_of_letters(index: Index, word: str, *, alone: bool) -> str | None:
    """One word's Chinese: its syllables ("qiandao"; a lone word's were tried already), its
    initials ("zgmm"), or its syllables with a slip mended ("hsouxufei", "shouxufeii")."""
    return (
        (None if alone else from_pinyin(index.sounds, [word]))
        or from_initials(index.sounds, word)
        or from_mistyped_pinyin(index.sounds, word)
    )


def _pinyin_spans(index: Index, stretch: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """(start, end, Chinese) of the words a stretch of pinyin spells ("dao zhang hen man": 到账).

    The whole stretch first; when it reads as nothing the guides say (a sentence typed a
    syllable a word), the longest runs of up to PINYIN_WINDOW words that do, left to right,
    and the rest stays as typed (so does whatever is left after PINYIN_WINDOW_READS tries).
    """
    chinese = from_pinyin(index.sounds, [w for *_, w in stretch])
    if chinese is not None:
        return [(stretch[0][0], stretch[-1][1], chinese)]
    spans = []
    start = 0
    reads = PINYIN_WINDOW_READS
    while start < len(stretch) and reads > 0:
        for stop in range(min(len(stretch), start + PINYIN_WINDOW), start, -1):
            reads -= 1
            if stop - start == 1:
                chinese = _word_of_letters(index, stretch[start][2], alone=len(stretch) == 1)
            elif stop - start < len(stretch):
                chinese = from_pinyin(index.sounds, [w for *_, w in stretch[start:stop]])
            else:
                continue  # the whole stretch, read above
            if chinese:
                spans.append((stretch[start][0], stretch[stop - 1][1], chinese))
                start = stop
                break
        else:
            start += 1
    return spans


def _read_pinyin(index: Index, text: str) -> str:
    """``text`` with each stretch of pinyin words replaced by the Chinese it most likely spells."""
    pieces: list[str] = []
    position = 0
    stretch: list[tuple[int, int, str]] = []  # (start, end, letters) of adjacent pinyin words

    def flush() -> None:
        nonlocal position
        for start, end, chinese in _pinyin_spans(index, stretch) if stretch else ():
            pieces.append(text[position:start])
            pieces.append(chinese)
            position = end
        stretch.clear()

    budget = PINYIN_MAX_LETTERS * 2  # letters looked at in one query, whatever their split
    for match in RUNS.finditer(text):
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
        corrected = homophone(index.sounds, match.group(0))
        if corrected is None:
            return match.group(0)
        slips.append(match.group(0))
        return corrected

    return CJK_RUN.sub(replace, text, count=4), tuple(slips)


def _add_terms(terms: dict[str, float], text: str, weight: float) -> None:
    for term in terms_of(text):
        if len(terms) >= MAX_QUERY_TERMS:
            break
        if not is_stop(term):
            terms.setdefault(term, weight)


def _trigrams(*texts: str) -> dict[str, None]:
    return dict.fromkeys(
        run[i : i + 3]
        for text in texts
        for run, _ in RUNS.findall(text)
        for i in range(len(run) - 2)
        if not is_stop(run[i : i + 3])
    )


def parse_query(index: Index, query: str) -> Query:
    # Cut before normalising too, so a 10 KB query costs no more than a long one.
    typed = normalize(query[: MAX_QUERY_CHARS * 4])[:MAX_QUERY_CHARS].strip()
    english = read_english(index.english, index.english_readings, typed)
    text = _read_pinyin(index, english)
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
        # Pinyin and slips read otherwise are offered back; English read as Chinese is not.
        suggestion=corrected if corrected != english else "",
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
                title=document.title,
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
    # The reader found the query about nothing the site covers: no hits are offered.
    off_topic: bool = False


def search_with_hint(
    index: Index, query: str, *, limit: int = 10, content: object = None
) -> Results:
    """``search``, the correction it made (if any), and, when ``content`` is given, blended
    with the registered reader and with the registered pins first (after the reader's answer
    when it is sure of another guide, ``_overrules``)."""
    parsed = parse_query(index, query)
    if content is None or not query.strip():
        hits = _search(index, parsed, limit=limit)
        return Results(hits=hits[:limit] if limit > 0 else [], suggestion=parsed.suggestion)
    hits = _search(index, parsed, limit=max(limit, BLEND_POOL))
    pinned = [hit for pin in registry.pins() for hit in pin(content, query)]
    understood = registry.read(content, query)
    if understood is not None:
        sure = understood.off_topic >= OFF_TOPIC_SURE
        if understood.off_topic and not pinned and (sure or _weakly_matched(index, parsed)):
            return Results(hits=[], suggestion=parsed.suggestion, off_topic=True)
        long = len(parsed.text) > LONG_TEXT
        hits = blend(hits, understood, share=READER_SHARE_LONG if long else READER_SHARE)
        if understood.first is not None:
            pinned.insert(0, understood.first)
        elif pinned and hits and _overrules(understood, pinned[0], hits[0]):
            pinned.insert(0, hits[0])
    hits = _pinned_first(pinned, hits)
    return Results(hits=hits[:limit] if limit > 0 else [], suggestion=parsed.suggestion)


def _overrules(understood: Understood, pin: Hit, best: Hit) -> bool:
    """A pinned screen message the reader hardly relates to the query, and a guide (not
    another card) the reader is sure of. A code or a service code the query names stays first."""
    return (
        pin.by_message
        and best.kind != "code"
        and best.guide_slug != pin.guide_slug
        and understood.guides.get(best.guide_slug, 0.0) >= READER_OVER_PIN
        and understood.guides.get(pin.guide_slug, 0.0) < PIN_DOUBT
    )


def _weakly_matched(index: Index, parsed: Query) -> bool:
    """Fewer than half of the merchant's own terms occur anywhere in the site: the words are
    about something else, so what BM25 found with the rest would be dressed-up noise."""
    if parsed.synonym_members:
        return False  # "refund", "锁死": words the site knows by another name
    own = [t for t, weight in parsed.terms.items() if weight >= 1.0]
    known = sum(t in index.idf for t in own)
    return known < OFF_TOPIC_KNOWN_SHARE * len(own)


def blend(hits: list[Hit], understood: Understood, *, share: float = READER_SHARE) -> list[Hit]:
    """BM25's ranking and the reader's, mixed: each hit's score as a share of the best BM25
    score, and the reader's probability for its guide (or, for an outcome, for it), weighted
    ``share``. Guides only the reader found join with their landing section; of the
    cards, which the query does not name (those are pinned), the best ``UNNAMED_CARDS`` stay."""
    best = max((hit.score for hit in hits), default=0.0) or 1.0
    exact = {hit.guide_slug: hit for hit in understood.exact}
    # A guide the reader is sure of: its likeliest answer there.
    likeliest = {
        hit.guide_slug: hit
        for hit in understood.hits
        if hit.score >= SURE_GUIDE and hit.guide_slug not in exact
    }
    if exact or likeliest:  # takes its guide's place, with the words' score
        hits = _exact_sections(hits, exact, likeliest, understood.answers)
    present = {hit.guide_slug for hit in hits if hit.kind != "outcome"}
    joining: dict[str, Hit] = {}  # guides only the reader found, with its landing section
    for hit in (*understood.exact, *understood.hits):
        if hit.guide_slug not in present:
            joining.setdefault(hit.guide_slug, hit)
    pool = [*hits, *joining.values()]
    lexical = {id(hit): hit.score / best for hit in hits}

    def mixed(hit: Hit) -> float:
        if hit.kind == "outcome":
            reader = understood.urls.get(hit.url, 0.0)
        else:
            reader = understood.guides.get(hit.guide_slug, 0.0)
        return (1 - share) * lexical.get(id(hit), 0.0) + share * reader

    scored = [(mixed(hit), i, hit) for i, hit in enumerate(pool)]
    scored.sort(key=lambda row: (-row[0], row[1]))
    ranked, cards = [], 0
    for score, _, hit in scored:
        if hit.kind == "code":
            cards += 1
            if cards > UNNAMED_CARDS:
                continue
        ranked.append(replace(hit, score=score))
    return ranked


def _exact_sections(
    hits: list[Hit], exact: dict[str, Hit], likeliest: dict[str, Hit], answers: dict[str, float]
) -> list[Hit]:
    kept, replaced = [], set()
    for hit in hits:
        guide = hit.guide_slug
        if hit.kind in ("guide", "section") and (guide in exact or guide in likeliest):
            if guide in replaced:
                continue
            replaced.add(guide)
            if guide in exact:
                hit = replace(exact[guide], score=hit.score)
            # Of a guide the reader is merely sure of, a section the words found and the reader
            # also rates stays ("保修": the repair entry, not the likelier "换一台机器").
            elif answers.get(hit.url, 0.0) < KEEP_FOUND_SECTION:
                hit = replace(likeliest[guide], score=hit.score)
        kept.append(hit)
    return kept


def _pinned_first(pinned: list[Hit], ranked: list[Hit]) -> list[Hit]:
    seen: set[str] = set()
    hits = []
    for hit in (*pinned, *ranked):
        if hit.url not in seen:
            seen.add(hit.url)
            hits.append(hit)
    return hits
