"""Search knows response codes: a document per card, and a pin when a query names a code.

"刷卡显示51", "提示a0", "返回码 97", "code 91", a bare "51" and one said aloud ("显示五十一",
"返回码九六") put that code's card first in
/search/, the instant results, /api/search and the assistant's free text (through
``search.registry.register_pin``). So does a message the terminal shows, with or without a
code ("余额不足" the card of 51, "请先签到" the sign-in steps), from the screen-text index
(``codes.screens``) the photo reader also uses. A number is a code only when it stands alone as two
characters: long digit runs (amounts, card, terminal or phone numbers), decimals, times,
dates, amounts with a unit ("51元") or a charge ("扣了99", "服务费99", "99押金") and operator
numbers ("操作员 01", "主管 00") are not.
"""

from __future__ import annotations

import re
import unicodedata

from codes.content import CodeBook, ResponseCode, get_codebook
from codes.screens import get_screens
from guides.content import Library
from search.documents import Document, Hit
from search.snippets import highlight
from search.text import MAX_QUERY_CHARS

MAX_PINS = 3
# A screen message this short ("缺纸") is a word merchants use for other things too.
MIN_SCREEN_CHARS = 3
# Two digits standing alone: not part of a longer number, a decimal, a time or a date, and
# not an ordinal or a price ("第10笔", "¥51").
_DIGIT_CODE = re.compile(r"(?<![0-9.:\-/¥$第])([0-9]{2})(?![0-9]|[.:\-/][0-9])")
_LETTER_CODE = re.compile(r"(?<![A-Z0-9])([A-Z][0-9])(?![0-9A-Z])")
_NAMED_CODE = re.compile(r"(码|CODE)\s*:\s*")
# A count or an amount: "51元", "10 分钟", "30天", "60%", "30多块", "分12期", "99的年费".
_UNIT_AFTER = re.compile(
    r"\s*[多来几]?的?\s*"
    r"(?:[元块角毛分秒天日月年号点次个张台笔位岁折万千百%期]|小时|服务费|手续费|押金|年费|流量费)"
)
# An amount charged: "扣了99", "扣了我99", "服务费 99", "押金99" ("扣款失败 51" names a code).
_CHARGE_BEFORE = re.compile(r"(?:扣了?|多扣了?|收了|交了|花了|付了|[费金])我?\s*$")
# Numbers a merchant gives for an operator, not a code.
_OPERATOR_WORDS = ("操作员", "主管", "柜员", "收银员", "工号", "员工")
_OPERATOR_WINDOW = 6


# A code said aloud and typed by voice: "显示五十五" is 55, "返回码九六" is 96. A number in
# words ("五十一", "十五") reads as its digits; two digit words ("九六", "零三") only right after
# the word for a code or for what the screen shows, since "五一" is also a holiday. The guards
# below then apply as to digits ("五十块" is an amount, "一百五十" no code).
_DIGIT_WORDS = "零一二三四五六七八九"
_TENS = re.compile(
    r"(?<![零一二三四五六七八九十百千万两点第])([一二三四五六七八九])?十([一二三四五六七八九])?"
    r"(?![零一二三四五六七八九十百千万])"
)
# The words for a code, or for what the screen shows, that merchants write before one.
_CODE_WORDS = "返回码|错误代码|错误码|代码|码|错误|显示|提示|报"
_SAID_DIGITS = re.compile(
    rf"({_CODE_WORDS})\s*([零一二三四五六七八九]{{2}})(?![零一二三四五六七八九十百千万])"
)


def _tens(match: re.Match[str]) -> str:
    first, second = match.group(1), match.group(2)
    if not first and not second:
        return match.group(0)  # "十" alone: 十分, 十足
    tens = _DIGIT_WORDS.index(first) if first else 1
    return f"{tens}{_DIGIT_WORDS.index(second) if second else 0}"


def _said_digits(match: re.Match[str]) -> str:
    return match.group(1) + "".join(str(_DIGIT_WORDS.index(d)) for d in match.group(2))


def _folded(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text[:MAX_QUERY_CHARS]).upper()
    return _TENS.sub(_tens, _SAID_DIGITS.sub(_said_digits, folded))


def _is_operator_number(text: str, start: int, end: int) -> bool:
    around = text[max(0, start - _OPERATOR_WINDOW) : end + _OPERATOR_WINDOW]
    return any(word in around for word in _OPERATOR_WORDS)


def codes_in(book: CodeBook, text: str) -> list[ResponseCode]:
    """The known codes a text names, in the order it names them (each card once)."""
    # "错误代码：12", "code: 51": a colon after the word for code is no time ("10:30").
    folded = _NAMED_CODE.sub(r"\1 ", _folded(text))
    found: list[tuple[int, ResponseCode]] = []
    for match in _DIGIT_CODE.finditer(folded):
        if _UNIT_AFTER.match(folded, match.end()):
            continue
        if _CHARGE_BEFORE.search(folded, max(0, match.start() - 4), match.start()):
            continue
        if _is_operator_number(folded, match.start(), match.end()):
            continue
        entry = book.get(match.group(1))
        if entry is not None:
            found.append((match.start(), entry))
    for match in _LETTER_CODE.finditer(folded):
        entry = book.get(match.group(1))
        if entry is not None:
            found.append((match.start(), entry))
    entries: list[ResponseCode] = []
    for _, entry in sorted(found, key=lambda pair: pair[0]):
        if entry not in entries:
            entries.append(entry)
    return entries


def _guide_of(entry: ResponseCode) -> str:
    # Like an outcome's hit, a card's hit names the guide it leads on to.
    return entry.links[0].slug if entry.links else ""


def _title(entry: ResponseCode) -> str:
    return f"返回码 {entry.codes_text}：{entry.meaning}"


def code_documents(library: Library) -> list[Document]:
    """One document per card: what the screen says and what the code means.

    The steps stay out: they share words ("签到", "服务商") with the guides, which answer
    those words better; a code's own words are its screen texts.
    """
    documents = []
    for entry in get_codebook(library).entries:
        documents.append(
            Document(
                kind="code",
                url=entry.url,
                guide_slug=_guide_of(entry),
                title=_title(entry),
                section_title="",
                text="\n".join((entry.meaning, *entry.screens)),
                keywords=(*entry.codes, *entry.screens),
                summary=entry.meaning,
            )
        )
    return documents


def code_pins(library: Library, query: str) -> list[Hit]:
    """The cards of the codes a query names, first, whatever else it finds."""
    entries = codes_in(get_codebook(library), query)[:MAX_PINS]
    hits = []
    hits += _screen_pins(library, query)
    for entry in entries:
        if any(hit.url == entry.url for hit in hits):
            continue  # "55 密码错": the message's card is the code's
        snippet = f"{entry.who.label} · {entry.retry.label}。{entry.steps[0]}"
        hits.append(
            _pin(entry.url, _guide_of(entry), _title(entry), "", highlight(snippet, []), "code")
        )
    if len(hits) == 1 and entries and _only_code(query, entries[0]):
        hits += _link_pins(library, entries[0])
    return hits[:MAX_PINS]


# What a merchant types around a code alone: "55", "返回码55", "显示55是什么意思".
_AROUND_CODE = re.compile(rf"({_CODE_WORDS}|CODE|ERROR|出现|是|啥|什么|意思|怎么办|咋办)*")


def _only_code(query: str, entry: ResponseCode) -> bool:
    folded = re.sub(r"[\W_]+", "", _folded(query))
    code = next((c for c in entry.codes if c in folded), "")
    return bool(code) and _AROUND_CODE.fullmatch(folded.replace(code, "", 1)) is not None


def _link_pins(library: Library, entry: ResponseCode) -> list[Hit]:
    """A code typed alone: after its card, the sections the card leads on to, not whatever
    else shares the number ("55" is also in "0.55%")."""
    hits = []
    for link in entry.links:
        guide = library.guides.get(link.slug)
        section = guide and guide.section(link.url.partition("#")[2])
        if guide is None or section is None:
            continue
        hits.append(
            _pin(
                link.url,
                guide.slug,
                guide.title,
                section.title,
                highlight(link.label or section.text[:60], []),
                "section",
            )
        )
    return hits


def _screen_pins(library: Library, query: str) -> list[Hit]:
    """The answers of the screen messages a query quotes (one answer each), longest first."""
    hits = []
    for screen in get_screens(library).find(query[:MAX_QUERY_CHARS]):
        if not screen.url or len(screen.key) < MIN_SCREEN_CHARS:
            continue
        title, _, section = screen.label.partition(" · ")
        hits.append(
            _pin(
                screen.url,
                screen.guide,
                title,
                section,
                highlight(f"屏幕显示“{screen.text}”", [screen.text]),
                "code" if screen.codes else "section",
                by_message=True,
            )
        )
    return hits


def _pin(
    url: str,
    guide: str,
    title: str,
    section: str,
    snippet_html: str,
    kind: str,
    *,
    by_message: bool = False,
) -> Hit:
    # A pin is placed by position, not by score.
    return Hit(url, guide, title, section, snippet_html, 0.0, kind, by_message=by_message)
