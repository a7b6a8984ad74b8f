"""How well the site understands what merchants type and photograph: cross-validated on the
examples it learns from, on what it was tuned on, and on held-out sets written by people who saw
neither the guides, the tree nor those examples (bench/heldout/README.md). The gap between
cross-validation and held out is the overfitting.

    .venv/bin/python bench/bench_understanding.py [--photos DIR] [--compare] [--show-misses]

The assistant (triage.reading): right outcome first and in the top 3. Cross-validation: 5 folds
over the outcomes' examples (each held out once, the model trained on the other four); tuned:
tests/triage/test_freetext.py's phrasings; held out: bench/heldout/assistant-outcomes.tsv (by
outcome) and assistant-labels.tsv (by guide: the first outcome's guide). Off-topic lines
("none") are right when the reader says not found. Safety: tests/triage/safety-phrasings.tsv
and the held-out lines marked 安全, each must put a safety outcome first.

Search: right guide first and in the top 3, with the reader blended in (cross-validated: each
example searched with the fold's model; tuned: tests/phrasings/*.tsv; held out:
bench/heldout/search-labels.tsv). A code's card ("51" finds /codes/51/) counts as the guide of
the outcome whose response_codes list that code (or the card's first link): the card is the
answer to that code. The held-out line is also printed strictly, a card counting as no guide.

Held out A unseen: how many of its lines blind writers also wrote (the same text as search
reads it, punctuation aside: wider than the content check's comparison, so more is left out),
and its figures on a model trained without any of its phrasings, so that, like a held example
in cross-validation, every line is new to the model.

Held out E: English and mixed English (bench/heldout/english.tsv), the assistant by guide on
its descriptions, search on its queries, safety first on its lines marked 安全, and how many of
its other lines got a safety warning.

Photos: the photo lands where the exact screen text would (tuned: tests/screen_photos.py; held
out: bench/heldout/photos.py, labels.tsv).

--show-misses prints the misses of cross-validation and of the tuned sets only: never of the
held-out sets, so that nobody tunes on them by accident.
"""

from __future__ import annotations

import argparse
import ast
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from codes.content import get_codebook  # noqa: E402
from codes.screens import get_screens  # noqa: E402
from guides.library import get_library  # noqa: E402
from guides.loading import example_key  # noqa: E402
from search import registry  # noqa: E402
from search.query import search_with_hint  # noqa: E402
from search.registry import get_index  # noqa: E402
from search.text import compact  # noqa: E402
from triage import reading  # noqa: E402
from triage.loading import get_tree  # noqa: E402
from understanding import evaluation, model  # noqa: E402

HELDOUT = ROOT / "bench" / "heldout"
SAFETY_LIST = ROOT / "tests" / "triage" / "safety-phrasings.tsv"
Ranked = tuple[list[str], set[str]]


def rows(path: Path) -> list[tuple[str, set[str]]]:
    """``text<TAB>answer[,answer]`` lines (either column order is read by ``swapped``)."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#") and "\t" in line:
            text, answers = line.split("\t", 1)
            found.append((text, {a.strip() for a in answers.split(",") if a.strip()}))
    return found


def score(results: list[Ranked]) -> tuple[float, float, int]:
    first = top3 = 0
    for ranked, answers in results:
        if answers == {"none"}:
            right = not ranked
            first += right
            top3 += right
            continue
        first += bool(ranked) and ranked[0] in answers
        top3 += bool(answers & set(ranked[:3]))
    return first / max(1, len(results)), top3 / max(1, len(results)), len(results)


def misses(results: list[Ranked]) -> str:
    """What kind of wrong each miss is: counts only, so a held-out file's lines stay unread."""
    nothing = answered = lower = absent = 0
    for ranked, answers in results:
        if answers == {"none"}:
            answered += bool(ranked)
        elif not ranked:
            nothing += 1
        elif ranked[0] not in answers:
            lower += bool(answers & set(ranked[:3]))
            absent += not answers & set(ranked[:3])
    return (
        f"  misses: {nothing} found nothing, {answered} off-topic given answers, "
        f"{lower} right in 2nd or 3rd place, {absent} right not in the top 3"
    )


def line(name: str, figures: tuple[float, float, int]) -> str:
    first, top3, count = figures
    return f"{name:<38} right first {first:6.1%}   top 3 {top3:6.1%}   ({count} lines)"


def code_guides(library) -> dict[str, str]:
    """The guide each code's card stands for: its first link, else the guide of the first
    outcome that lists the code (triage.yaml's response_codes)."""
    found = {}
    for outcome in get_tree(library).outcomes.values():
        for code in outcome.response_codes:
            found.setdefault(code, outcome.guide)
    for entry in get_codebook(library).entries:
        for code in entry.codes:
            if entry.links:
                found[code] = entry.links[0].slug
    return found


def screen_answers(library, text: str, *, by: str) -> list[str]:
    tree = get_tree(library)
    by_url = {o.guide_url: o for o in tree.outcomes.values() if o.guide_url}
    by_code = {}
    for outcome in tree.outcomes.values():
        for code in outcome.response_codes:
            by_code.setdefault(code, outcome)
    ranked = []
    for hit in (h for pin in registry.pins() for h in pin(library, text)):
        outcome = by_url.get(hit.url) or by_code.get(hit.url.strip("/").split("/")[-1])
        if by == "id":
            key = outcome.id if outcome else ""
        else:
            key = hit.guide_slug or (outcome.guide if outcome else "")
        if key and key not in ranked:
            ranked.append(key)
    return ranked


def guide_ranking(library, index, text: str, *, cards_as_guides: bool = True) -> list[str]:
    """Guides best first. A code's card (/codes/51/) counts as the guide it stands for
    (``code_guides``): it is the answer to that code. Strictly, it counts as no guide."""
    results = search_with_hint(index, text, limit=10, content=library)
    guides = code_guides(library) if cards_as_guides else {}
    ranked = []
    for hit in results.hits:
        slug = hit.guide_slug or hit.url.strip("/").split("/")[0]
        if hit.kind == "code" and not hit.guide_slug:
            slug = guides.get(hit.url.strip("/").split("/")[-1], slug)
        if slug and slug not in ranked:
            ranked.append(slug)
    return ranked


def outcome_ranking(library, text: str, *, by: str = "id", fitted=None) -> list[str]:
    """The reader's outcomes best first (by id or by guide). When it finds nothing but the text
    quotes a screen message or a code, the assistant answers with that message's section or
    that code's card (triage.views._understand): it counts as that section's outcome and guide,
    or as the outcome that lists the code. Otherwise [] (not found). A guide section that the
    assistant lists first (``Reading.section_first``) counts as its label ("slug#anchor") or its
    guide."""
    found = reading.read(library, text, model=fitted)
    if found.kind in ("not_found", "empty"):
        return screen_answers(library, text, by=by)
    ranked = []
    if found.section_first:  # a guide section no outcome lands on, listed first
        section = found.sections[0][0]
        ranked.append(section.label if by == "id" else section.guide)
    for outcome in found.outcomes:
        key = outcome.id if by == "id" else outcome.guide
        if key not in ranked:
            ranked.append(key)
    return ranked


def tuned_assistant(library) -> list[tuple[str, set[str]]]:
    source = (ROOT / "tests" / "triage" / "test_freetext.py").read_text(encoding="utf-8")
    tree = get_tree(library)
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PHRASINGS":
            pairs = ast.literal_eval(node.value)
            codes = tree.service_codes
            return [(text, {codes[code]}) for text, code in pairs if code in codes]
    return []


def show(name: str, texts: list[str], results: list[Ranked]) -> None:
    misses = [(t, r, a) for t, (r, a) in zip(texts, results, strict=True) if not r or r[0] not in a]
    print(f"  -- misses of {name}: {len(misses)}")
    for text, ranked, answers in misses:
        print(f"     {text}  ->  {ranked[:3]}  (want {sorted(answers)})")


def cross_validation(library, index, *, c=None, search_too=True, misses=False):
    """Both figures over 5 folds of the examples, each tested with the model of the others:
    {"all": (assistant, search, assistant by guide), "outcomes": …, "sections": …}, the last two
    over the examples that teach an outcome (the tree's, and those of sections an outcome lands
    on) and those that teach a section of its own (the FAQ entries')."""
    tree = get_tree(library)
    samples = reading.samples(tree)
    assistant, by_guide, search, texts, kinds = [], [], [], [], []
    for fitted, held in evaluation.fold_models(index, samples, k=5, c=c):
        registry.register_reader(
            lambda content, query, fitted=fitted: reading.understood(content, query, model=fitted)
        )
        for i in held:
            text, label = samples[i].text, samples[i].label
            texts.append(text)
            kinds.append("sections" if label in tree.sections else "outcomes")
            assistant.append((outcome_ranking(library, text, fitted=fitted), {label}))
            by_guide.append(
                (
                    outcome_ranking(library, text, by="guide", fitted=fitted),
                    {_guide_of(tree, label)},
                )
            )
            if search_too:
                search.append((guide_ranking(library, index, text), {_guide_of(tree, label)}))
    registry.register_reader(reading.understood)
    if misses:
        show("cross-validation (assistant)", texts, assistant)
    found = {}
    for kind in ("all", "outcomes", "sections"):
        picked = [i for i, k in enumerate(kinds) if kind in ("all", k)]
        found[kind] = (
            score([assistant[i] for i in picked]),
            score([search[i] for i in picked]) if search_too else None,
            score([by_guide[i] for i in picked]),
        )
    return found


def _guide_of(tree, label: str) -> str:
    if label in tree.outcomes:
        return tree.outcomes[label].guide
    if label in tree.sections:
        return tree.sections[label].guide
    return "none"


def safety_figures(library, lines: list[tuple[str, set[str]]]) -> tuple[int, int, list[str]]:
    tree = get_tree(library)
    first, wrong = 0, []
    for text, _ in lines:
        found = reading.read(library, text)
        if found.kind == "safety":  # the warning shown, a safety answer first
            first += 1
        else:
            wrong.append(text)
    del tree
    return first, len(lines), wrong


def timing(library, index) -> None:
    tree = get_tree(library)
    samples = reading.samples(tree)
    started = time.perf_counter()
    model.train(index, samples)
    trained = time.perf_counter() - started
    texts = [s.text for s in samples if s.weight == 1.0][:500]
    costs = []
    for text in texts:
        started = time.perf_counter()
        reading.read(library, text)
        costs.append((time.perf_counter() - started) * 1000)
    print(
        f"model: {len(samples)} samples, {len(tree.outcomes)} outcomes; trained in {trained:.2f} s "
        f"(scikit-learn imported); one reading: median {statistics.median(costs):.2f} ms, "
        f"p95 {sorted(costs)[int(len(costs) * 0.95)]:.2f} ms"
    )


def photo_figures(samples: list[tuple[bytes, str]]) -> tuple[float, int, int]:
    from photo import images, matching, reader

    library = get_library()
    book, screens = get_codebook(library), get_screens(library)
    landed = 0
    for data, expected in samples:
        pixels = images.decode(data, max_pixels=40_000_000)
        texts = [line.text for line in reader.read(pixels)]
        landed += matching.match(book, screens, texts).url == expected
    return landed / len(samples) if samples else 0.0, landed, len(samples)


def expected_for(label: str) -> str:
    library = get_library()
    book, screens = get_codebook(library), get_screens(library)
    kind, _, value = label.partition(":")
    if kind == "code":
        entry = book.get(value.strip().upper())
        return entry.url if entry else ""
    from photo import matching

    return matching.match(book, screens, [value.strip()]).url


def photos(folder_name: str | None) -> None:
    print("== photos of the screen ==")
    from tests import screen_photos

    with tempfile.TemporaryDirectory() as folder:
        tuned_photos = [(p.read_bytes(), s.answer) for p, s in screen_photos.write(Path(folder))]
    share, landed, count = photo_figures(tuned_photos)
    print(f"{'tuned (tests/screen_photos.py)':<38} landed {landed}/{count} ({share:.0%})")
    if folder_name:
        folder = Path(folder_name)
        held, unknown = [], 0
        for row in (folder / "labels.tsv").read_text(encoding="utf-8").splitlines():
            if "\t" not in row or row.startswith("file\t"):
                continue
            name, label = row.split("\t", 1)
            expected = expected_for(label)
            unknown += not expected
            held.append(((folder / name).read_bytes(), expected or "(no answer for this text)"))
        share, landed, count = photo_figures(held)
        print(
            f"{'held out (bench/heldout/photos.py)':<38} landed {landed}/{count} ({share:.0%}); "
            f"{unknown} labels name a text the site has no answer for even typed exactly"
        )


def held_out_unseen(library, index) -> None:
    """Held out A again, on a model none of its phrasings trained: a short query ("签到失败",
    "55") is also what blind writers wrote, so the shipped model has often learnt that very
    string from someone else. Left out of training, every line is new to the model, as each
    held example is in cross-validation; the figures show what the shipped ones owe to that."""
    assistant = rows(HELDOUT / "assistant-labels.tsv")
    queries = rows(HELDOUT / "search-labels.tsv")
    marked = [
        (t, set())
        for t, g in rows(HELDOUT / "assistant.tsv")
        if next(iter(g), "").startswith("安全")
    ]
    keys = {example_key(compact(t)) for t, _ in (*assistant, *queries)}
    samples = reading.samples(get_tree(library))
    known = {example_key(compact(s.text)) for s in samples if s.weight >= 1.0}
    for name, lines in (("descriptions", assistant), ("queries", queries)):
        seen = sum(example_key(compact(t)) in known for t, _ in lines)
        print(f"  held out A's {name} that are also examples: {seen} of {len(lines)}")
    kept = [s for s in samples if s.weight < 1.0 or example_key(compact(s.text)) not in keys]
    fitted = model.train(index, kept)
    registry.register_reader(
        lambda content, query: reading.understood(content, query, model=fitted)
    )
    try:
        ranked = [(outcome_ranking(library, t, by="guide", fitted=fitted), a) for t, a in assistant]
        print(line("held out A unseen: assistant, guide", score(ranked)))
        ranked = [(guide_ranking(library, index, t), a) for t, a in queries]
        print(line("held out A unseen: search", score(ranked)))
        first = sum(reading.read(library, t, model=fitted).kind == "safety" for t, _ in marked)
        print(f"{'held out A unseen: 安全':<38} safety first {first}/{len(marked)}")
    finally:
        registry.register_reader(reading.understood)


def english_held_out(library, index) -> None:
    """Set E: English and mixed lines by writers who saw nothing of the site, labelled with a
    guide (or none) by someone who saw only the catalog of answers."""
    path = HELDOUT / "english.tsv"
    if not path.exists():
        return
    lines = [
        line.split("\t")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    print("== held out E: English and mixed English ==")
    said = [(text, {guide}) for kind, text, guide, _ in lines if kind == "a"]
    ranked = [(outcome_ranking(library, t, by="guide"), a) for t, a in said]
    print(line("held out E: assistant, guide", score(ranked)))
    print(misses(ranked))
    typed = [(text, {guide}) for kind, text, guide, _ in lines if kind == "s"]
    ranked = [(guide_ranking(library, index, t), a) for t, a in typed]
    print(line("held out E: search", score(ranked)))
    print(misses(ranked))
    marked = [(text, set()) for _, text, _, gloss in lines if gloss.startswith("安全")]
    first, count, _ = safety_figures(library, marked)
    calm = [(text, set()) for _, text, _, gloss in lines if not gloss.startswith("安全")]
    _, _, not_warned = safety_figures(library, calm)
    warned = len(calm) - len(not_warned)
    print(f"{'held out E: 安全':<38} safety first {first}/{count}")
    print(f"{'held out E: other lines warned':<38} {warned}/{len(calm)}")


def held_out_outcomes() -> list[tuple[str, set[str]]]:
    path = HELDOUT / "assistant-outcomes.tsv"
    return rows(path) if path.exists() else []


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", help="held-out photos already generated (labels.tsv inside)")
    parser.add_argument("--compare", action="store_true", help="cross-validate other C values")
    parser.add_argument("--no-photos", action="store_true", help="skip the photo figures")
    parser.add_argument("--show-misses", action="store_true", help="of CV and tuned sets only")
    args = parser.parse_args()
    library = get_library()
    index = get_index(library)
    timing(library, index)
    if args.compare:
        for c in (10.0, 20.0, 40.0, 80.0, 160.0):
            figures = cross_validation(library, index, c=c, search_too=False)["all"][0]
            print(line(f"assistant CV, C={c}", figures))

    print("== the assistant's free text (triage.reading) ==")
    cv = cross_validation(library, index, misses=args.show_misses)
    print(line("cross-validation, 5 folds (examples)", cv["all"][0]))
    print(line("  of which the outcomes' examples", cv["outcomes"][0]))
    print(line("  of which the sections' examples", cv["sections"][0]))
    print(line("cross-validation, by guide", cv["all"][2]))
    print(line("  of which the outcomes' examples", cv["outcomes"][2]))
    print(line("  of which the sections' examples", cv["sections"][2]))
    tuned = tuned_assistant(library)
    ranked = [(outcome_ranking(library, t), a) for t, a in tuned]
    print(line("tuned (test_freetext)", score(ranked)))
    if args.show_misses:
        show("tuned (test_freetext)", [t for t, _ in tuned], ranked)
    held = held_out_outcomes()
    if held:
        ranked = [(outcome_ranking(library, t), a) for t, a in held]
        print(line("held out (assistant-outcomes.tsv)", score(ranked)))
    labels = HELDOUT / "assistant-labels.tsv"
    if labels.exists():
        held = rows(labels)
        ranked = [(outcome_ranking(library, t, by="guide"), a) for t, a in held]
        print(line("held out (assistant-labels.tsv, guide)", score(ranked)))
        print(misses(ranked))

    print("== safety first ==")
    if SAFETY_LIST.exists():
        first, count, wrong = safety_figures(library, rows(SAFETY_LIST))
        print(f"{'test list (safety-phrasings.tsv)':<38} safety first {first}/{count}")
        for text in wrong if args.show_misses else ():
            print(f"     not first: {text}")
    glosses = HELDOUT / "assistant.tsv"
    if glosses.exists():
        marked = [(t, set()) for t, g in rows(glosses) if next(iter(g), "").startswith("安全")]
        first, count, _ = safety_figures(library, marked)
        print(f"{'held out (assistant.tsv, 安全)':<38} safety first {first}/{count}")

    print("== search, the reader blended in ==")
    print(line("cross-validation, 5 folds (examples)", cv["all"][1]))
    print(line("  of which the outcomes' examples", cv["outcomes"][1]))
    print(line("  of which the sections' examples", cv["sections"][1]))
    tuned = [r for p in sorted((ROOT / "tests" / "phrasings").glob("*.tsv")) for r in rows(p)]
    ranked = [(guide_ranking(library, index, t), a) for t, a in tuned]
    print(line("tuned (tests/phrasings)", score(ranked)))
    if args.show_misses:
        show("tuned (tests/phrasings)", [t for t, _ in tuned], ranked)
    labels = HELDOUT / "search-labels.tsv"
    if labels.exists():
        held = rows(labels)
        ranked = [(guide_ranking(library, index, t), a) for t, a in held]
        print(line("held out (search-labels.tsv)", score(ranked)))
        print(misses(ranked))
        strict = [(guide_ranking(library, index, t, cards_as_guides=False), a) for t, a in held]
        print(line("  the same, a code's card no guide", score(strict)))
        print("== held out A, none of its phrasings trained on ==")
        held_out_unseen(library, index)
    english_held_out(library, index)
    if not args.no_photos:
        photos(args.photos)


if __name__ == "__main__":
    main()
