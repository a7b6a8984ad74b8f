"""What a text looks like to the model.

The text is first read the way search reads a query (``search.parse_query``): normalised, pinyin
read as the Chinese the guides use, homophone slips corrected, synonym groups found. Then:

- characters and character pairs of each Chinese run, and whole Latin or digit words ("pos",
  "51"), of the text and of its corrected form, so "所定" also looks like "锁定";
- the sounds of neighbouring characters ("suo ding"), so a slip nobody listed still looks like
  the word it sounds like;
- one feature per synonym group the text touches, so "锁住", "锁了" and "lock" share one.

Counts are damped (1 + log) and weighted by how rare a feature is among the training phrasings
(IDF), and the vector has unit length, as scikit-learn's TfidfVectorizer does.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter

from search.index import Index
from search.query import Query, parse_query
from search.sounds import syllable
from search.text import MAX_QUERY_CHARS, RUNS

MAX_GRAM = 2  # 3-grams added nothing in cross-validation (and cost features)
SOUND_PREFIX = "~"
SYNONYM_PREFIX = "="
WORD_PREFIX = "#"


# Where a text is cut before it is read: a clause of pinyin ("wo ba yan zheng ma gao su ta le")
# is read as one, but a whole paragraph of it is too long to read at once.
CLAUSE = re.compile(r"[,，.。!！?？;；、\n]+")


def parse(index: Index, text: str) -> tuple[Query, ...]:
    """The text's clauses, each read as search reads a query; the whole bounded as a query is."""
    bounded = text[:MAX_QUERY_CHARS]
    clauses = [c for c in CLAUSE.split(bounded) if c.strip()] or [bounded]
    return tuple(q for q in (parse_query(index, c) for c in clauses) if q.text)


def counts(index: Index, parsed: tuple[Query, ...]) -> Counter[str]:
    """Raw feature counts of a parsed text."""
    found: Counter[str] = Counter()
    for clause in parsed:
        found.update(_clause_counts(index, clause))
    return found


def _clause_counts(index: Index, parsed: Query) -> Counter[str]:
    found: Counter[str] = Counter()
    texts = [parsed.text]
    if parsed.corrected and parsed.corrected != parsed.text:
        texts.append(parsed.corrected)
    for text in texts:
        for chinese, other in RUNS.findall(text):
            if other:
                found[WORD_PREFIX + other] += 1
                continue
            for size in range(1, MAX_GRAM + 1):
                for i in range(len(chinese) - size + 1):
                    found[chinese[i : i + size]] += 1
            sounds = [syllable(index.sounds, ch) for ch in chinese]
            for first, second in itertools.pairwise(sounds):
                if first and second:
                    found[f"{SOUND_PREFIX}{first} {second}"] += 1
    for members in parsed.synonym_members:
        found[SYNONYM_PREFIX + min(members)] += 1
    return found


def weighted(found: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    """Damped, IDF-weighted and of unit length; features unknown to ``idf`` are dropped."""
    vector = {f: (1.0 + math.log(n)) * idf[f] for f, n in found.items() if f in idf}
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {f: v / norm for f, v in vector.items()} if norm else {}


def document_frequencies(all_counts: list[Counter[str]], *, least: int = 1) -> dict[str, float]:
    """Smoothed IDF over the training phrasings (scikit-learn's smooth_idf formula), of the
    features at least ``least`` phrasings have."""
    df: Counter[str] = Counter()
    for found in all_counts:
        df.update(found.keys())
    n = len(all_counts)
    return {f: math.log((1 + n) / (1 + d)) + 1.0 for f, d in df.items() if d >= least}
