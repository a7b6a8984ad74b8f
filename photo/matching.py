"""From the lines read off a screen to an answer: response codes and known screen messages.

A code is two characters, digits or a capital letter and a digit (``codes.content.CODE_RE``).
A camera confuses O and 0, I and 1, S and 5, B and 8 in exactly those places, so a candidate
that is not a known code is tried again with the look-alikes folded; a code is only ever
accepted when the code book knows it. Candidates come in two strengths:

* **labelled**: after 返回码, 应答码, 错误码, 代码, CODE and the like (“返回码：51”);
* **standing alone**: two characters with no letter, digit or ``.:/-`` next to them
  (“余额不足 51”, “(54)”), so amounts, dates, times and terminal numbers do not count.

Messages come from ``codes.screens`` (the screen-text index). The answer is clear when one code
stands out (labelled beats alone; a message that names the code breaks a tie), or, with no code,
when every message found points to the same card or guide section. Otherwise there is no
answer, and the page shows what was read and what was found.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from codes.content import CodeBook
from codes.screens import Screen, ScreenIndex

LABELS = "返回码|应答码|响应码|错误码|错误代码|拒绝码|代码|原因码|CODE|RC|ERR(?:OR)?"
_LABELLED = re.compile(
    rf"(?:{LABELS})\s*[:：=]?\s*[(\[（【]?\s*([0-9A-Z])\s?([0-9A-Z])(?![0-9A-Z])"
)
_ALONE = re.compile(r"(?<![0-9A-Z.:/\-])([0-9A-Z]{2})(?![0-9A-Z.:/\-])")
# What a camera reads instead of a digit.
LOOK_ALIKES = str.maketrans({"O": "0", "D": "0", "Q": "0", "I": "1", "L": "1", "Z": "2",
                             "S": "5", "B": "8", "G": "6", "T": "7"})  # fmt: skip


@dataclass(frozen=True, slots=True)
class CodeHit:
    code: str
    read_as: str  # as it was read ("AO")
    labelled: bool


@dataclass(frozen=True, slots=True)
class Match:
    codes: tuple[CodeHit, ...]  # distinct codes, strongest first
    screens: tuple[Screen, ...]
    url: str  # the one clear answer, or ""
    code: str  # the code the answer is about, or ""


def known(book: CodeBook, raw: str) -> str:
    """The known code ``raw`` stands for, minding look-alikes; "" when none."""
    raw = raw.upper()
    candidates = [raw, raw[0] + raw[1].translate(LOOK_ALIKES), raw.translate(LOOK_ALIKES)]
    return next((c for c in candidates if book.get(c) is not None), "")


def find_codes(book: CodeBook, lines: list[str]) -> list[CodeHit]:
    hits: dict[str, CodeHit] = {}
    for line in lines:
        text = unicodedata.normalize("NFKC", line).upper()  # full-width Ａ０ as A0
        for match in _LABELLED.finditer(text):
            raw = match.group(1) + match.group(2)
            code = known(book, raw)
            if code and not (code in hits and hits[code].labelled):
                hits[code] = CodeHit(code, raw, labelled=True)
        for match in _ALONE.finditer(text):
            code = known(book, match.group(1))
            if code and code not in hits:
                hits[code] = CodeHit(code, match.group(1), labelled=False)
    return sorted(hits.values(), key=lambda h: not h.labelled)


def match(book: CodeBook, index: ScreenIndex, lines: list[str]) -> Match:
    codes = find_codes(book, lines)
    screens = index.find("\n".join(lines))
    named = {c for s in screens for c in s.codes}
    code = _one_code(codes, named)
    if code:
        return Match(tuple(codes), tuple(screens), book.get(code).url, code)
    urls = {s.url for s in screens}
    if not codes and len(urls) == 1 and "" not in urls:
        only = screens[0]
        return Match((), tuple(screens), only.url, only.codes[0] if only.codes else "")
    return Match(tuple(codes), tuple(screens), "", "")


def _one_code(codes: list[CodeHit], named: set[str]) -> str:
    for strength in (True, False):
        found = {h.code for h in codes if h.labelled == strength}
        if len(found) == 1:
            return found.pop()
        if len(found & named) == 1:
            return (found & named).pop()
        if found:
            return ""
    return ""
