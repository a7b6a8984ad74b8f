"""How the index sounds: pinyin and homophone slips, from pypinyin's own dictionary."""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from search.text import CJK_CHAR, STOP_CHARS, SYLLABLE

# Pinyin and homophones: a pair of characters no unit holds costs this much on a reading's
# path (a pair some unit holds earns log(1 + units)); a character the merchant typed is kept
# unless a reading with it is clearly worse; corrected terms weigh less than typed ones.
MISSING_PAIR = -2.0
# Typed pinyin is cut into as few syllables as it allows, as a phone keyboard cuts it
# ("dianchi" is dian-chi 电池, never di-an-chi 的按池, however common 的按 is); the pairs choose
# between cuts of the same length ("fangan": 方案 or 反感) and the characters.
PINYIN_SYLLABLE_COST = 20.0
# A syllable read as a character it is only a rarer sound of ("chi" as 提, usually "ti") costs as
# much as a pair no unit holds: "dianchi buchong" is 电池补充, not 点提不充 because the guides
# say 点“提现” and 提不了.
RARE_SOUND_COST = 2.0
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
MISTYPED_MIN_LETTERS = 6
HOMOPHONE_MAX_CHARS = 16
# Pinyin initials ("zgmm" for 主管密码, "jhm" for 激活码): a word of this many letters may be
# the first letters of words some title or keyword uses.
INITIALS_MIN_LETTERS = 3
INITIALS_PIECE_LETTERS = 2  # one phrase of a longer stretch ("qd" of "qdsb")
INITIALS_MAX_LETTERS = 8
INITIALS_MAX_PIECES = 3
# Characters no initials' word is made of: particles and pronouns, and negations ("收不").
NOT_IN_INITIALS_WORDS = STOP_CHARS | frozenset("不没别未")
INITIALS_CANDIDATES = 4  # phrases tried per stretch of letters, most used first
# Characters only Cantonese writing uses: a run with one is deliberate dialect ("部机冇反应"),
# whose unknown pairs are no slip; synonyms.yaml maps its words instead.
CANTONESE_CHARS = frozenset("唔冇咗嘅佢喺啲乜咁嘢俾畀睇攞揾嚟哋咩嗰噉")
# --- how the index sounds: pinyin and homophones ----------------------------------------


@dataclass(frozen=True, slots=True)
class Sounds:
    """What the index's Chinese sounds like, to read pinyin and initials and catch slips.

    Built at index time from pypinyin's own dictionary, for the characters the index uses:
    a typed syllable can only mean a character that some guide contains, and the guide text
    itself says which neighbours are likely (how many units hold each bigram), as a pinyin
    keyboard's candidate list does.
    """

    readings: dict[str, tuple[str, ...]]  # character -> toneless syllables ("ü" as "v")
    candidates: dict[str, tuple[str, ...]]  # syllable -> characters, most used first
    units: dict[str, int]  # Chinese term -> units that hold it
    words: frozenset[str]  # Chinese pairs of titles, keywords and section titles
    # "jhm" -> (phrase, units holding it) of keywords and synonyms with these initials, most used
    # first
    initials: dict[str, tuple[tuple[str, int], ...]]


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


def toneless(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable.strip().lower()).replace("u\u0308", "v")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _is_chinese(text: str) -> bool:
    return bool(text) and CJK_CHAR.fullmatch(text[0]) is not None


def sounds_of(
    frequency: Counter[str], headings: Iterable[str], vocabulary: Iterable[str]
) -> Sounds:
    units = {t: n for t, n in frequency.items() if _is_chinese(t)}
    use: Counter[str] = Counter()
    for term, n in units.items():
        for ch in term:
            use[ch] += n
    table = _pypinyin_readings()
    readings: dict[str, tuple[str, ...]] = {}
    # A syllable's characters: those it is the usual sound of first, then those it is a rarer
    # sound of ("yu" is 语 before 或, whose usual sound is "huo"), each by how much the site
    # uses them.
    usual: dict[str, list[str]] = defaultdict(list)
    rarer: dict[str, list[str]] = defaultdict(list)
    for ch, _ in use.most_common():
        syllables = _readings_in(table, ch)
        if syllables:
            readings[ch] = syllables
            usual[syllables[0]].append(ch)
            for syllable in syllables[1:]:
                rarer[syllable].append(ch)
    candidates = {
        s: tuple([*usual.get(s, ()), *rarer.get(s, ())][:PINYIN_CANDIDATES])
        for s in sorted(usual.keys() | rarer.keys())
    }
    words = frozenset(t for t in headings if len(t) == 2 and t in units)
    by_initials: dict[str, list[tuple[str, int]]] = defaultdict(list)
    # The phrases, and the words of titles inside them ("失败" of "签到失败"; not "的卡", "收不").
    phrases = set(vocabulary)
    phrases.update(
        a + b
        for phrase in vocabulary
        for a, b in itertools.pairwise(phrase)
        if a + b in words and not NOT_IN_INITIALS_WORDS.intersection(a + b)
    )
    for phrase in sorted(phrases):
        # By each character's usual sound: "提示" is "ts", never "ds".
        sounds_of_phrase = [readings.get(ch, ("",))[0] for ch in phrase]
        if len(phrase) >= INITIALS_PIECE_LETTERS and all(sounds_of_phrase):
            # How much the site uses the phrase: the units holding its rarest pair ("fl": 费率
            # is all over the guides, 封了 in a few).
            uses = min(units.get(a + b, 0) for a, b in itertools.pairwise(phrase))
            by_initials["".join(s[0] for s in sounds_of_phrase)].append((phrase, uses))
    initials = {
        key: tuple(sorted(found, key=lambda kv: (-kv[1], kv[0])))
        for key, found in by_initials.items()
    }
    return Sounds(
        readings=readings, candidates=candidates, units=units, words=words, initials=initials
    )


def _readings_in(table: dict[int, str], ch: str) -> tuple[str, ...]:
    raw = table.get(ord(ch))
    if not raw:
        return ()
    found = dict.fromkeys(toneless(r) for r in raw.split(","))
    # A phone keyboard spells "ü" as "v"; people often type a plain "u".
    found.update({r.replace("v", "u"): None for r in found if "v" in r})
    return tuple(r for r in found if SYLLABLE.fullmatch(r))


def _readings(sounds: Sounds, ch: str) -> tuple[str, ...]:
    """A character's syllables: from the index, or for one no guide uses, from pypinyin."""
    found = sounds.readings.get(ch)
    if found is None and CJK_CHAR.fullmatch(ch):
        found = _readings_in(_pypinyin_readings(), ch)
    return found or ()


def syllable(sounds: Sounds, ch: str) -> str:
    """A character's most common toneless syllable ("锁" and "所": "suo"), or "" if none."""
    found = _readings(sounds, ch)
    return found[0] if found else ""


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


def from_pinyin(sounds: Sounds, words: list[str]) -> str | None:
    """Chinese for pinyin words ("mima", "wangle"), or None when they do not read as pinyin.

    A word may hold several syllables ("caozuoyuan"), as few as it allows (PINYIN_SYLLABLE_COST:
    "dian" is one, never 的按); no syllable crosses a space. Work is
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
            typed = letters[start:stop]
            for ch in sounds.candidates.get(typed, ()):
                usual = sounds.readings[ch][0]
                rare = 0.0 if typed in (usual, usual.replace("v", "u")) else RARE_SOUND_COST
                slots[start].append((start, stop, ch, -PINYIN_SYLLABLE_COST - rare))
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


def from_mistyped_pinyin(sounds: Sounds, word: str) -> str | None:
    """Chinese for a pinyin word with one slip of the fingers: two neighbouring letters the wrong
    way round ("hsouxufei" 手续费, "daozhagn" 到账) or a letter typed twice ("shouxufeii"), or
    None. A word of MISTYPED_MIN_LETTERS or more only: in a shorter one a slip too often spells
    some other word."""
    if not MISTYPED_MIN_LETTERS <= len(word) <= PINYIN_MAX_LETTERS:
        return None
    for i in range(len(word) - 1):
        if word[i] == word[i + 1]:
            mended = word[:i] + word[i + 1 :]
        else:
            mended = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        chinese = from_pinyin(sounds, [mended])
        if chinese:
            return chinese
    return None


def from_initials(sounds: Sounds, letters: str) -> str | None:
    """Chinese for pinyin initials ("zgmm" 主管密码, "jhm" 激活码, "qdsb" 签到失败), or None.

    Only the site's own vocabulary is read this way, the keywords and synonyms editors wrote,
    by each character's usual sound: the letters are one such phrase, or two or three in a row
    ("czymmwl": 操作员密码 and 忘了), fewer pieces first, then pieces that follow on from each
    other as the guides write them (主管密码 and 忘了, not 正规 and 密码忘了), then the phrases
    more units use. Two letters alone are too many things ("wx": 微信 or 无效) and stay as typed.
    Letters that spell nothing of the site's ("mcc", "tmd") stay as typed.
    """
    if not INITIALS_MIN_LETTERS <= len(letters) <= INITIALS_MAX_LETTERS:
        return None
    table, units = sounds.initials, sounds.units
    # stop -> (pieces, -pieces that follow on as the guides write them, -uses, text)
    best: dict[int, tuple[int, int, int, str]] = {0: (0, 0, 0, "")}
    for start in range(len(letters)):
        if start not in best or best[start][0] >= INITIALS_MAX_PIECES:
            continue
        pieces, joined, uses, text = best[start]
        for stop in range(start + INITIALS_PIECE_LETTERS, len(letters) + 1):
            for phrase, count in table.get(letters[start:stop], ())[:INITIALS_CANDIDATES]:
                follows = bool(text) and bool(units.get(text[-1] + phrase[0]))
                candidate = (pieces + 1, joined - follows, uses - count, text + phrase)
                if stop not in best or candidate < best[stop]:
                    best[stop] = candidate
    found = best.get(len(letters))
    return found[3] if found else None


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


def homophone(sounds: Sounds, run: str) -> str | None:
    """The run with slipped characters replaced ("签道" → "签到"), or None when it reads fine.

    A replaced character must make a word of some title or keyword with a neighbour the
    merchant typed, on either side ("锁定" of "刷卡机所定"; a particle is no such neighbour:
    "纸怎么装" stays), and at most a third of the run changes: dialect words and real gaps
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
        # Sorted: a set's order changes with each process's hash seed, and the order of the
        # options breaks ties in _best_path (two workers read "签道" alike).
        near = sorted({n for r in readings for n in _near_syllables(r)} - set(readings))
        for syllable in near:
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
    if not all(_anchored(sounds, run, corrected, i) for i in changed):
        return None
    return corrected


def _anchored(sounds: Sounds, run: str, corrected: str, i: int) -> bool:
    """The replacement at ``i`` makes a word with a neighbour the merchant typed as such."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(run) and run[j] == corrected[j] and run[j] not in STOP_CHARS:
            pair = corrected[min(i, j)] + corrected[max(i, j)]
            if pair in sounds.words:
                return True
    return False
