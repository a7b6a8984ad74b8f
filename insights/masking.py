"""What may be stored of text a visitor typed: words yes, anything that names a person no.

Merchants paste card numbers, phone numbers, ID-card numbers, terminal numbers and e-mail
addresses into search boxes and the assistant, in every grouping and script:
``6222 0212 3456 7890``, ``6222。0212。3456。7890``, ``138、0013、8000``,
``一三八零零一三八零零零``, ``110101 19900101 123X``. Editors only need the words, so before
anything is stored:

* every run of digits that reads as five or more digits once whatever stands between them is
  dropped (spaces, any punctuation or symbol, invisible characters; after NFKC, so full-width
  forms are their ASCII selves) becomes ``#``. A digit is any decimal digit or a Chinese
  numeral (``〇一二三四五六七八九 零壹贰叁肆伍陆柒捌玖 两``, and the traditional forms). An ID
  card's final ``X`` goes with its number.
* eleven or more digits with single letters between their groups (``138a0013b8000``, a card
  typed with ``x`` for spaces) become ``#`` too; fewer stay, so codes such as ``E01`` do.
* every e-mail address (or anything shaped like one: the ``@`` is the tell) becomes ``#``.

Short numbers survive: error codes (``E01``, ``51``) and service codes (``A3``) are what editors
want to see. The rule is a property, not a list of separators: ``tests/insights/test_masking.py``
checks it against generated text. Self-contained on purpose (no search internals): what is
stored must not change when search does.
"""

from __future__ import annotations

import re
import unicodedata

MAX_GAP_CHARS = 200
MASK = "#"
MIN_DIGITS = 5

CHINESE_DIGITS = frozenset("〇一二三四五六七八九零壹贰叁肆伍陆柒捌玖两貳參陸")
# Words that carry no meaning of their own: a query made only of these is not kept.
STOP_CHARS = frozenset(
    "的了吗呢啊吧呀嘛哦哈啦呗哇嗯噢喔么之得地着过"
    "我你您他她它们这那是在和与就都也还又很请问怎办什如何为啥"
)

# An e-mail address, or anything shaped like one. Runs on folded text (NFKC, lower case).
# (Numbers are masked first: a # may stand in it.)
_EMAIL = re.compile(r"[a-z0-9._%+\-#]*@[a-z0-9\-#]+(?:\.[a-z0-9\-#]+)*")
# What is left after the first pass: digits in groups of four or fewer, letters between them.
_LETTERED = re.compile(r"\d(?:[^\w#]*+[a-z]?[^\w#]*+\d){10,}")
_SPACES = re.compile(r"\s+")
_LATIN_HYPHEN = re.compile(r"(?<=[a-z])[-\u2010\u2011](?=[a-z])")  # wi-fi is wifi


def _is_digit(folded: str) -> bool:
    return len(folded) == 1 and (
        folded in CHINESE_DIGITS or unicodedata.decimal(folded, None) is not None
    )


def _is_separator(ch: str) -> bool:
    # Punctuation (P*), symbols (S*), spaces (Z*), control or invisible characters (C*) and
    # combining marks (M*): anything that is neither a letter nor a digit may stand between
    # groups of a number. Judged before folding: NFKC turns some symbols into letters (⒜).
    return unicodedata.category(ch)[0] in "PSZCM"


def _mask_numbers(text: str) -> str:
    """Fold ``text`` (NFKC, lower case) character by character, numbers replaced by #."""
    folded = [unicodedata.normalize("NFKC", ch).lower() for ch in text]
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if not _is_digit(folded[i]):
            out.append(folded[i])
            i += 1
            continue
        # A run: digits, and separators between digits.
        digits, end, j = 0, i, i
        while j < n and (_is_digit(folded[j]) or _is_separator(text[j])):
            if _is_digit(folded[j]):
                digits += 1
                end = j + 1
            j += 1
        if digits >= MIN_DIGITS:
            # An ID card's check character: x after the digits (not the start of a word).
            k = end
            while k < n and _is_separator(text[k]):
                k += 1
            if k < n and folded[k] == "x" and not (k + 1 < n and folded[k + 1].isalpha()):
                end = k + 1
            out.append(MASK)
        else:
            out.extend(folded[i:end])
        i = end
    return "".join(out)


def mask(text: str) -> str:
    """``text`` folded (NFKC, lower case), with numbers and e-mail addresses replaced by #."""
    masked = _mask_numbers(unicodedata.normalize("NFC", text))
    return _EMAIL.sub(MASK, _LETTERED.sub(MASK, masked))


def _words(text: str) -> str:
    """Lower-case words separated by single spaces: no punctuation, symbols or controls."""
    kept = []
    for ch in _LATIN_HYPHEN.sub("", text):
        if ch == MASK:
            kept.append(f" {MASK} ")
        elif unicodedata.category(ch)[0] in "PSZC":
            kept.append(" ")
        else:
            kept.append(ch)
    return _SPACES.sub(" ", "".join(kept)).strip()


def gap_text(query: str) -> str:
    """What is stored of a query that found nothing: masked, normalised, bounded; or ""."""
    words = _words(mask(query[: MAX_GAP_CHARS * 4]))
    # Bounding can cut a number in two; what is left of it must still be masked.
    text = _words(_mask_numbers(words[:MAX_GAP_CHARS])).strip()
    meaningful = text.replace(MASK, "").replace(" ", "")
    if not meaningful or all(ch in STOP_CHARS for ch in meaningful):
        return ""
    return text
