"""Chinese full-text search over the guides and the assistant's outcomes.

Merchants type the way they talk ("机器锁住了", "ＰＯＳ机连不上Wi-Fi"), so the text is
normalised (NFKC, lower case, punctuation out) and cut into overlapping character bigrams,
as Lucene's CJK analyzer does: no dictionary, no jieba, and a two-character word such as
"签到" is exactly one term. Latin and digit runs ("pos", "wifi", "e01") stay whole words.

Ranking is BM25, summed over weighted fields: a guide's title and keywords count most, then
the section title, the summary, the body. The fields a guide's sections share (title,
keywords, summary) are indexed once per guide, not once per section, which keeps the index
small and makes IDF count guides rather than how many sections repeat a title. Results are
grouped so each guide appears once, at its best section. A query first ranks guides on what
they could score (their fields, and per term their best section), then scores the sections
of the few that can still win, so its cost does not grow with the library (``Index``).

Merchants type on phone keyboards in a hurry. Pinyin ("qiandao", "mima wangle", "qiān dào")
is read as the Chinese the guides use, and a Chinese word that matches badly but sounds like
a word of some title or keyword ("签道", "锁主了", "激话") is also searched as that word, more
weakly, with the correction offered as "您是不是要找：…" (``search_with_hint``). Both use
pypinyin's dictionary of single characters and the index's own bigrams, with bounded work.
English and Cantonese words reach the guides through ``content/synonyms.yaml``: its groups
join words, and its ``english:`` map reads an English word or phrase as Chinese before anything
else ("stolen" as 被偷), so the reader and the danger signals see what the guides say.

The engine is split one concept per module: ``text`` (normalising, terms), ``sounds``
(pinyin and homophones), ``english`` (English read as Chinese), ``documents`` (what is indexed
and returned), ``index`` (BM25 postings), ``store`` (the index on disk, one file per content
version), ``query`` (parsing and ranking), ``snippets`` (highlighting), ``registry`` (where
apps plug in), and ``views``.

Trust boundary: the query is visitor input. It is normalised and bounded before use, reaches
HTML only through ``highlight`` (which escapes before it marks). A query that found nothing
is stored for editors by ``insights`` only after ``insights.masking`` took out numbers and
e-mail addresses.

Search imports no app: apps register the current content, their documents, pins and a reader
(a learned model of what queries mean, blended with BM25) from their ``AppConfig.ready()``
(``search.registry`` says how).
"""

from __future__ import annotations

from search.documents import Document, Hit, Understood
from search.index import Index, build_index
from search.query import Results, parse_query, search, search_with_hint
from search.registry import (
    build_content_index,
    current_content,
    get_index,
    register_content,
    register_documents,
    register_pin,
    register_reader,
)
from search.snippets import highlight, plain_text
from search.text import MAX_QUERY_CHARS, STOP_CHARS, normalize, tokenize

__all__ = [
    "MAX_QUERY_CHARS",
    "STOP_CHARS",
    "Document",
    "Hit",
    "Index",
    "Results",
    "Understood",
    "build_content_index",
    "build_index",
    "current_content",
    "get_index",
    "highlight",
    "normalize",
    "parse_query",
    "plain_text",
    "register_content",
    "register_documents",
    "register_pin",
    "register_reader",
    "search",
    "search_with_hint",
    "tokenize",
]
