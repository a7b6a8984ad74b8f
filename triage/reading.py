"""What a merchant's own words most likely mean, as outcomes of the tree.

The reader is a model (``understanding``) learned from each outcome's ``examples:`` (and, more
weakly, its title, summary, keywords, the heading of its guide section and the buttons that lead
to it; the features carry the synonyms), plus the ``off_topic:`` phrasings as the label "none".
A guide section's ``examples:`` (front matter) teach the outcomes that land on that section, or,
when none does, the section itself (label "slug#anchor"): an answer without a tree outcome.
Built once per content version, stored on disk.

A reading decides among four answers, in this order:

1. **safety**: a danger signal (``triage.safety``) or a safety outcome the model rates likely
   puts that outcome first, with its warning;
2. **not found**: nothing fits (the text is about something else, or no outcome is likely
   enough): say so plainly, offer the assistant's questions and a contact;
3. **ask**: the two best outcomes are close and the tree separates them with a question: show
   that question (the merchant's words quoted) instead of guessing;
4. **answer**: the best outcomes, best first; or, when a guide section that no outcome lands
   on is likelier than any outcome, that section first (``section_first``).
"""

from __future__ import annotations

import hashlib
import heapq
import logging
import threading
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from django.conf import settings
from django.utils.html import conditional_escape

from guides.content import Library
from search.documents import Hit, Understood
from search.registry import get_index
from triage import safety
from triage.flow import Choice, choices, state_url, walk
from triage.loading import get_tree
from triage.tree import Node, Outcome, SectionExamples, Tree
from understanding import features, store
from understanding.model import Model, Sample, train

NONE = "none"
MODEL_KEY = "triage_reader"
logger = logging.getLogger(__name__)
# Weights of what an outcome's page says, beside its examples (weight 1).
TITLE_WEIGHT, SUMMARY_WEIGHT, KEYWORD_WEIGHT, PATH_WEIGHT = 0.6, 0.3, 0.4, 0.3
# Thresholds, chosen on cross-validation over the examples (bench/bench_understanding.py).
FLOOR = 0.06  # below this the best outcome is no answer
# "none" wins when it is at least this share of what the likeliest guide's answers (each likely
# enough to offer) get together: sibling answers split a guide's vote ("密码忘了咋办": operator,
# supervisor, App password), "none" is one label. Against the best answer alone, across blind
# writers 104-406 (each third on a model without its lines), queries about the site that found
# nothing: 43 to 37 in the assistant, 120 to 117 in search ("充不进去电", "好慢"); off-topic
# queries given answers: 99 to 102, 136 to 138.
NONE_MARGIN = 1.0
ASK_RATIO = 0.5  # the second is at least this share of the first: ask, do not guess
SAFETY_FLOOR = 0.2  # safety outcomes among the best three this likely together: one goes first
# Safety outcomes this likely all together, however many share the vote ("有人来店里说是公司的，
# 要收服务费现金": the fee scam, the stranger's visit, the card changed, …). Across blind writers
# 104-362, each third on a model without its lines: 6 more of 7,513 safety lines first, 3 more
# warnings on 37,775 lines labelled otherwise (0.35: 4 and 1; 0.25: 10 and 13).
SAFETY_TOGETHER = 0.3
# A text this short names a topic ("年费", "电池", "提额"), not a situation: a safety answer
# goes first only if it is the likeliest, and BARE_MARGIN times as likely as the next (or a
# danger signal names it). Across blind writers 104-362, each third on a model without its
# lines: 86 fewer warnings on lines labelled otherwise, none lost of 7,513 safety lines; the
# margin, once the battery's danger examples made "电池" 0.63 a fire against 0.37 a battery
# that drains: one warning fewer again ("盗刷"), none lost (3: two fewer, none lost).
BARE_CHARS = 2
BARE_MARGIN = 2.0
# A danger signal names the general safety answer ("机器丢了": stop it); when the model is this
# sure of a more specific one on the same guide ("丢了，查有没有人用过"), that one goes first.
SPECIFIC = 0.4
SHOWN = 3

ReadingKind = Literal["empty", "safety", "not_found", "ask", "answer"]
FOUND = frozenset({"safety", "ask", "answer"})  # the kinds that offer an answer


@dataclass(frozen=True, slots=True)
class Reading:
    kind: ReadingKind
    ranked: tuple[tuple[Outcome, float], ...] = ()  # best first (the safety outcome first)
    question: Node | None = None  # "ask": the question that tells the two best apart
    question_choices: tuple[Choice, ...] = ()
    off_topic: float = 0.0  # the probability of "none"
    warning: str = ""  # "safety": what the merchant must read first
    probabilities: dict[str, float] = field(default_factory=dict)  # every label's
    # Guide sections no outcome lands on, likely enough to offer, best first.
    sections: tuple[tuple[SectionExamples, float], ...] = ()

    @property
    def section_first(self) -> bool:
        """A section is the best answer: likelier than every outcome."""
        best = self.ranked[0][1] if self.ranked else 0.0
        return self.kind == "answer" and bool(self.sections) and self.sections[0][1] > best

    @property
    def about_nothing(self) -> bool:
        """Not found because the words are about something else ("none" won)."""
        best = self.ranked[0][1] if self.ranked else 0.0
        return (
            self.kind == "not_found" and self.off_topic > 0 and self.off_topic >= NONE_MARGIN * best
        )

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        return tuple(outcome for outcome, _ in self.ranked)


def samples(tree: Tree) -> list[Sample]:
    found = []
    for outcome in tree.outcomes.values():
        if outcome.id not in tree.routes:
            continue  # unreachable: never offered
        found += [Sample(text, outcome.id) for text in outcome.examples]
        found.append(Sample(outcome.title, outcome.id, TITLE_WEIGHT))
        if outcome.section_title:  # the heading of the section it lands on
            found.append(Sample(outcome.section_title, outcome.id, PATH_WEIGHT))
        if outcome.summary:
            found.append(Sample(outcome.summary, outcome.id, SUMMARY_WEIGHT))
        found += [Sample(k, outcome.id, KEYWORD_WEIGHT) for k in outcome.keywords]
        labels = [t.chosen for t in walk(tree=tree, path=tree.routes[outcome.id]).turns if t.chosen]
        if labels:
            found.append(Sample("，".join(labels[1:] or labels), outcome.id, PATH_WEIGHT))
    for section in tree.sections.values():
        if section.outcomes:  # the same answer as those outcomes: teach them
            # Not a warned one beside others: a battery that smokes is learnt from its own
            # examples, not from "机器一直重启" written for the power step it shares.
            calm = [o for o in section.outcomes if not tree.outcomes[o].warning]
            taught = calm or list(section.outcomes)
            share = 1.0 / len(taught)
            found += [Sample(t, o, share) for t in section.examples for o in taught]
        else:
            found += [Sample(text, section.label) for text in section.examples]
            found.append(Sample(section.section_title, section.label, PATH_WEIGHT))
    found += [Sample(text, NONE) for text in tree.off_topic]
    return found


# The newest model of each content folder, and the content versions being trained.
_latest: dict[Path, Model] = {}
_training: set[str] = set()
_lock = threading.Lock()


def get_model(library: Library) -> Model:
    """The model of this library's examples. Trained (or loaded from its file) on first use;
    when an editor's change replaced the content of a running site, the previous model
    answers for the few seconds a new one trains in the background."""
    model = library.memo.get(MODEL_KEY)
    if model is not None:
        return model
    previous = _latest.get(library.root)
    if previous is None or not settings.UNDERSTANDING_TRAIN_IN_BACKGROUND:
        return library.derive(MODEL_KEY, _load_or_train)
    with _lock:
        if library.version in _training:
            return previous
        _training.add(library.version)
    threading.Thread(target=_train_later, args=(library,), daemon=True).start()
    return previous


def _train_later(library: Library) -> None:
    try:
        library.derive(MODEL_KEY, _load_or_train)
    except Exception:  # the previous model keeps answering; the next change tries again
        logger.exception("training the assistant's reader failed")
    finally:
        with _lock:
            _training.discard(library.version)


def model_fingerprint(library: Library, training: list[Sample]) -> str:
    """The stored model's name: its samples, and how search reads them (the synonym groups and
    the English readings of content/synonyms.yaml shape every sample's features)."""
    synonyms = sorted(sorted(group) for group in library.synonyms)
    return store.fingerprint(training, reading=(synonyms, library.readings))


# What turns content files into samples besides the understanding and search code (already in
# the model's name): this package's and the guides' loading (a section's examples).
_SAMPLES_CODE = hashlib.blake2b(
    b"".join(
        source.read_bytes()
        for package in (Path(__file__).parent, Path(__file__).parent.parent / "guides")
        for source in sorted(package.glob("*.py"))
    ),
    digest_size=16,
).digest()


def _load_or_train(library: Library) -> Model:
    tree, index = get_tree(library), get_index(library)
    # The same content and code give the same samples: the model's name, written down. Not
    # for content with problems (a broken file's last good version lives in one process only).
    version = "" if library.errors or tree.problems else library.version
    known = store.named(version, _SAMPLES_CODE)
    model = store.load(known) if known else None
    if model is None:
        training = samples(tree)
        fingerprint = model_fingerprint(library, training)
        model = store.load(fingerprint)
        if model is None:
            model = train(index, training)
            store.save(fingerprint, model)
        store.write_name(version, _SAMPLES_CODE, fingerprint)
    _latest[library.root] = model
    return model


def read(library: Library, text: str, *, model: Model | None = None) -> Reading:
    """What ``text`` most likely means (``model``: another model, for cross-validation)."""
    tree, index = get_tree(library), get_index(library)
    parsed = features.parse(index, text)
    if not parsed:
        return Reading("empty")
    model = model if model is not None else get_model(library)
    probabilities = model.probabilities_of(features.counts(index, parsed))
    # Danger is read in the merchant's own words (pinyin read as hanzi), not in search's
    # homophone corrections, which can invent one ("想接外宾生意" read as "想借…").
    said = "，".join(clause.text for clause in parsed)
    reading = decide(tree, probabilities, danger=safety.danger(said), bare=len(said) <= BARE_CHARS)
    return replace(reading, probabilities=probabilities)


def decide(
    tree: Tree, probabilities: dict[str, float], *, danger: str = "", bare: bool = False
) -> Reading:
    off_topic = probabilities.get(NONE, 0.0)
    ranked = sorted(
        ((tree.outcomes[label], p) for label, p in probabilities.items() if label in tree.outcomes),
        key=lambda pair: (-pair[1], pair[0].id),
    )
    calmer = bare and _calmer(probabilities, ranked[0][1] if ranked else 0.0)
    safe = _safety_first(tree, ranked, danger, off_topic, bare=bare, calmer=calmer)
    if safe is not None:
        first, warning = safe
        rest = [pair for pair in ranked if pair[0].id != first[0].id]
        return Reading("safety", (first, *rest[: SHOWN - 1]), off_topic=off_topic, warning=warning)
    sections = sorted(
        ((tree.sections[label], p) for label, p in probabilities.items() if label in tree.sections),
        key=lambda pair: (-pair[1], pair[0].label),
    )
    sections = [pair for pair in sections[:SHOWN] if pair[1] >= FLOOR]
    best = max(ranked[0][1] if ranked else 0.0, sections[0][1] if sections else 0.0)
    if best < FLOOR or off_topic >= NONE_MARGIN * _likeliest_guide(tree, probabilities):
        return Reading("not_found", tuple(ranked[:SHOWN]), off_topic=off_topic)
    if sections and sections[0][1] > (ranked[0][1] if ranked else 0.0):
        # The best answer is a guide section no outcome lands on: it goes first; outcomes
        # only if they are likely too.
        shown = tuple(pair for pair in ranked[:SHOWN] if pair[1] >= ASK_RATIO * best)
        return Reading("answer", shown, off_topic=off_topic, sections=tuple(sections))
    shown = tuple(ranked[:SHOWN])
    if len(ranked) > 1 and ranked[1][1] >= ASK_RATIO * ranked[0][1]:
        asked = _deciding_question(tree, ranked[0][0], ranked[1][0])
        if asked is not None:
            node, offered = asked
            return Reading("ask", shown, node, offered, off_topic)
    return Reading("answer", shown, off_topic=off_topic, sections=tuple(sections))


def _likeliest_guide(tree: Tree, probabilities: dict[str, float]) -> float:
    """What the likeliest guide's answers get together, counting those likely enough to offer
    (at least FLOOR): many faint ones are no answer, however many they are."""
    together: dict[str, float] = defaultdict(float)
    for label, probability in probabilities.items():
        answer = tree.outcomes.get(label) or tree.sections.get(label)
        if answer is not None and probability >= FLOOR:
            together[answer.guide] += probability
    return max(together.values(), default=0.0)


def _calmer(probabilities: dict[str, float], best: float) -> bool:
    """For a bare word: something is likelier than its best outcome (a guide section, "about
    something else"), or nothing is, but the next is more than 1/BARE_MARGIN as likely."""
    first, second = [*heapq.nlargest(2, probabilities.values()), 0.0, 0.0][:2]
    return first > best or best < BARE_MARGIN * second


def _safety_first(
    tree: Tree,
    ranked: list[tuple[Outcome, float]],
    danger: str,
    off_topic: float,
    *,
    bare: bool = False,
    calmer: bool = False,
) -> tuple[tuple[Outcome, float], str] | None:
    """The safety answer to put first and its warning, or None. A danger signal always names
    one; the model's safety outcomes only when they are likelier than "about something else".
    A lone word of a danger still reads as one: "火星探测器" gets the sparks of "冒火星" (three
    blind examples). Across blind writers, answering "not found" whenever the model knows under
    30% of a text's character pairs would drop 17 right answers to win 10."""
    if danger in tree.outcomes and danger in tree.routes:
        signalled = tree.outcomes[danger]
        if ranked:
            best, probability = ranked[0]
            specific = best.guide == signalled.guide and probability >= SPECIFIC
            if best.id != danger and (specific or (best.warning and probability >= SPECIFIC)):
                return ranked[0], best.warning or signalled.warning
        probability = next((p for o, p in ranked if o.id == danger), 0.0)
        return (signalled, probability), signalled.warning
    # A bare word ("年费", bare=True) only when its likeliest answer is a safety one; the rest,
    # when safety answers among the best few are likely enough together ("scam" and "already
    # scammed" splitting the vote), or all of them are: the likeliest of them first.
    if bare and (calmer or not ranked or not ranked[0][0].warning):
        return None
    warned = [(o, p) for o, p in ranked if o.warning]
    likely = sum(p for o, p in ranked[:SHOWN] if o.warning)
    together = sum(p for _, p in warned)
    first_few = likely >= SAFETY_FLOOR and likely > off_topic
    all_of_them = together >= SAFETY_TOGETHER and together > off_topic
    if first_few or all_of_them:
        return warned[0], warned[0][0].warning
    return None


def _deciding_question(
    tree: Tree, first: Outcome, second: Outcome
) -> tuple[Node, tuple[Choice, ...]] | None:
    """The question where the shortest paths to two outcomes part, and its answers: None
    when they part at the first screen (which says nothing new) or not at all."""
    one, two = tree.routes.get(first.id), tree.routes.get(second.id)
    if not one or not two:
        return None
    shared = 0
    while shared < min(len(one), len(two)) and one[shared] == two[shared]:
        shared += 1
    if shared == 0 or shared >= min(len(one), len(two)):
        return None
    turn = walk(tree=tree, path=one[:shared]).current
    if turn.kind != "question" or turn.node is None:
        return None
    return turn.node, tuple(c for c in choices(turn=turn) if not c.restart)


# --- search ------------------------------------------------------------------------------------

GUIDES_OFFERED = 5
GUIDE_FLOOR = 0.05  # a guide the reader finds less likely than this joins no ranking
# A section taught by its own examples this likely is search's section of its guide.
EXACT_SECTION = 0.5


def understood(library: Library, query: str, *, model: Model | None = None) -> Understood | None:
    """The reading of a search query, for ``search.registry.register_reader``."""
    return understood_of(library, read(library, query, model=model))


def understood_of(library: Library, reading: Reading) -> Understood | None:
    """A reading as search blends it: guide probabilities, landing sections, the safety hit."""
    if reading.kind == "empty" or not reading.probabilities:
        return None  # nothing learned (no examples, or none of the words known)
    tree = get_tree(library)
    outcome_urls = library.derive("triage_outcome_urls", _outcome_urls)
    guides: dict[str, float] = defaultdict(float)
    urls: dict[str, float] = {}
    # guide -> its likeliest answer (an outcome or a section) and that answer's probability;
    # hits are built only for the few guides offered, not for every label of every query.
    landing: dict[str, tuple[Outcome | SectionExamples, float]] = {}
    answers: dict[str, float] = {}  # guide section url -> its likeliest answer's probability
    for label, probability in reading.probabilities.items():
        if (outcome := tree.outcomes.get(label)) is not None:
            if label not in outcome_urls or not outcome.guide_url:
                continue
            urls[outcome_urls[label]] = probability
            answer: Outcome | SectionExamples = outcome
        elif (section := tree.sections.get(label)) is not None:
            answer = section
        else:
            continue
        guides[answer.guide] += probability
        url = answer.guide_url if isinstance(answer, Outcome) else answer.url
        answers[url] = max(answers.get(url, 0.0), probability)
        if probability > landing.get(answer.guide, (None, 0.0))[1]:
            landing[answer.guide] = (answer, probability)
    likely = sorted(landing.values(), key=lambda pair: -guides[pair[0].guide])
    hits = tuple(
        replace(_landing_hit(answer), score=guides[answer.guide])
        for answer, _ in likely[:GUIDES_OFFERED]
        if guides[answer.guide] >= GUIDE_FLOOR
    )
    first = None
    if reading.kind == "safety":
        outcome = reading.ranked[0][0]
        first = Hit(
            url=outcome_urls[outcome.id],
            guide_slug=outcome.guide,
            title=outcome.title,
            section_title="",
            snippet_html=conditional_escape(outcome.summary),
            score=reading.ranked[0][1],
            kind="outcome",
            warning=reading.warning,
        )
    off_topic = reading.off_topic if reading.about_nothing else 0.0
    # A section search shows in its guide's place: one the reader is sure of, or the one the
    # assistant lists first (likelier than every outcome), so both show the same answer.
    sure = [section for section, p in reading.sections if p >= EXACT_SECTION]
    if reading.section_first and reading.sections[0][0] not in sure:
        sure.insert(0, reading.sections[0][0])
    exact = tuple(section_hit(section) for section in sure)
    return Understood(dict(guides), hits, urls, first, off_topic, exact, answers)


def _outcome_urls(library: Library) -> dict[str, str]:
    """Each reachable outcome's assistant URL, once per tree (not a reverse() per query)."""
    tree = get_tree(library)
    return {o: state_url(path=route) for o, route in tree.routes.items() if o in tree.outcomes}


def _landing_hit(answer: Outcome | SectionExamples) -> Hit:
    if isinstance(answer, SectionExamples):
        return section_hit(answer)
    return _section_hit(
        answer.guide_url, answer.guide, answer.guide_title, answer.section_title, answer.summary
    )


def section_hit(section: SectionExamples) -> Hit:
    """A guide section that answers without an outcome, as search and the assistant list it."""
    return _section_hit(section.url, section.guide, section.guide_title, section.section_title, "")


def _section_hit(url: str, guide: str, title: str, section_title: str, summary: str) -> Hit:
    return Hit(
        url=url,
        guide_slug=guide,
        title=title,
        section_title=section_title,
        snippet_html=conditional_escape(summary),
        score=0.0,
        kind="section",
    )
