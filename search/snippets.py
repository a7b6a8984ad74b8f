"""Snippets: where the query's words appear in a section, escaped, then marked."""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.text import CJK, LATIN_TERM, SNIPPET_CHARS, compact

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
    for term in sorted({compact(t) for t in terms} - {""}, key=lambda t: (-len(t), t)):
        if LATIN_TERM.fullmatch(term):
            # Whole words only, and "wifi" also finds "Wi-Fi".
            spelled = "[-\u2010\u2011]?".join(map(re.escape, term))
            alternatives.append(f"(?<![a-z0-9]){spelled}(?![a-z0-9])")
        elif len(term) == 1:
            # The index only knows a lone character where it stands alone ("SIM 卡").
            alternatives.append(f"(?<![{CJK}]){re.escape(term)}(?![{CJK}])")
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


_MARK_TAGS = re.compile(r"</?mark>")


def plain_text(snippet_html: str) -> str:
    """A snippet without its marks, unescaped, for JSON and other non-HTML uses."""
    return html.unescape(_MARK_TAGS.sub("", str(snippet_html)))
