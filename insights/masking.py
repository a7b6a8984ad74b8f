"""What may be stored of text a visitor typed: words yes, anything that names a person no.

Merchants paste card numbers, phone numbers, ID-card numbers, terminal numbers and e-mail
addresses into search boxes and the assistant, in every grouping: ``6222 0212 3456 7890``,
``138-1234-5678``, ``110101 19900101 123X``. Editors only need the words, so before anything is
stored every run of five or more digits (whatever separates them) and every e-mail address
becomes ``#``. Short numbers survive: error codes (``E01``, ``51``) and service codes (``A3``)
are what editors want to see.
"""

from __future__ import annotations

import re
import unicodedata

from search.text import STOP_CHARS, normalize

MAX_GAP_CHARS = 200
MASK = "#"

# Separators people put between groups of digits: spaces, dashes of every kind, dots,
# slashes, commas, underscores, brackets round an area code (after NFKC, full-width forms
# are their ASCII selves).
_SEPARATOR = r"[\s\-\u2010-\u2015\u2212._/,·()]*"
# An e-mail address, or anything shaped like one (the @ is the tell).
_EMAIL = r"[a-z0-9._%+\-]*@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*"
# Five or more digits in any grouping, with an ID card's final X.
_NUMBER = rf"\d(?:{_SEPARATOR}\d){{4,}}(?:{_SEPARATOR}x(?![a-z]))?"
_PERSONAL = re.compile(f"{_EMAIL}|{_NUMBER}")
_LEFTOVER_DIGITS = re.compile(r"\d{5,}")


def mask(text: str) -> str:
    """``text`` folded (NFKC, lower case), with numbers and e-mail addresses replaced by #."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return _PERSONAL.sub(MASK, folded)


def gap_text(query: str) -> str:
    """What is stored of a query that found nothing: masked, normalised, bounded; or ""."""
    masked = mask(query[: MAX_GAP_CHARS * 4])
    words = f" {MASK} ".join(normalize(part) for part in masked.split(MASK))
    words = _LEFTOVER_DIGITS.sub(MASK, " ".join(words.split()))
    text = words[:MAX_GAP_CHARS].strip()
    meaningful = text.replace(MASK, "").replace(" ", "")
    if not meaningful or all(ch in STOP_CHARS for ch in meaningful):
        return ""
    return text
