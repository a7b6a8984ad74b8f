"""Text as search reads it: normalised, cut into terms, stop characters dropped."""

from __future__ import annotations

import operator
import re
import unicodedata

import opencc

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

CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
RUNS = re.compile(f"([{CJK}]+)|([^\\W_{CJK}]+)")
CJK_CHAR = re.compile(f"[{CJK}]")
CJK_RUN = re.compile(f"[{CJK}]+")
# A toneless pinyin syllable: an optional initial, then a final with a vowel ("m", "ng" and
# "hm" are left out: they would let any consonant cluster read as pinyin).
SYLLABLE = re.compile(r"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?[aeiouv][a-z]*")
TONE_NUMBER = re.compile(r"(?<=[a-z])[1-5]")  # "qian1dao4"
_CONTROL = re.compile(
    r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
)
_LATIN_HYPHEN = re.compile(r"(?<=[a-z])[-\u2010\u2011](?=[a-z])")
_NON_WORD = re.compile(r"[\W_]+")
LATIN_TERM = re.compile(r"[a-z0-9]+")
# A response code's shape, typed alone: "93", "Z1", "n6" (what the not-found page offers a
# code lookup for).
CODE_SHAPE = re.compile(r"[0-9]{2}|[A-Z][0-9]{1,2}|[0-9][A-Z]")
# Traditional characters read as simplified ("刷卡機顯示" is "刷卡机显示"): merchants in
# Guangdong, Hong Kong, Taiwan and overseas type them, the guides are simplified. OpenCC's own
# tables, character and phrase level; simplified text goes through unchanged.
_TO_SIMPLIFIED = opencc.OpenCC("t2s")
# Variants merchants type for the character the guides use: 帐 for 账 (到帐, 帐单, 对帐; the
# dictionaries long allowed both for money).
_VARIANTS = str.maketrans({"帐": "账"})


# --- text --------------------------------------------------------------------------------


def normalize(text: str) -> str:
    """Full-width to half-width, simplified characters, lower case, no control characters or
    punctuation.

    "ＰＯＳ機，連不上Wi-Fi！" becomes "pos机 连不上wifi".
    """
    text = simplified(unicodedata.normalize("NFKC", text).lower()).translate(_VARIANTS)
    text = _CONTROL.sub("", text)
    text = _LATIN_HYPHEN.sub("", text)
    return _NON_WORD.sub(" ", text).strip()


def simplified(text: str) -> str:
    """Traditional characters as simplified; any other text as it is."""
    return _TO_SIMPLIFIED.convert(text) if CJK_CHAR.search(text) else text


def terms_of(normalized: str) -> list[str]:
    terms: list[str] = []
    for chinese, word in RUNS.findall(normalized):
        if word:
            terms.append(word)
        elif len(chinese) == 1:
            terms.append(chinese)
        else:
            terms.extend(map(operator.add, chinese, chinese[1:]))
    return terms


def tokenize(text: str) -> list[str]:
    """Chinese runs as overlapping bigrams (a lone character as itself), other runs as words."""
    return terms_of(normalize(text))


def is_stop(term: str) -> bool:
    return all(ch in STOP_CHARS for ch in term)


def compact(text: str) -> str:
    return normalize(text).replace(" ", "")


def fold_code(raw: str, limit: int) -> str:
    """What a merchant typed, as a code (a response code, a service code): full width folded,
    spaces out, upper case, at most ``limit`` characters."""
    folded = unicodedata.normalize("NFKC", raw[:limit])
    return "".join(folded.split()).upper()[:limit]


def looks_like_code(query: str) -> bool:
    """The query is a code's shape and nothing else ("93", "z1", "Ａ０")."""
    return bool(CODE_SHAPE.fullmatch(fold_code(query, 16)))
