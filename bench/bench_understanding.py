"""How well the site understands what merchants type and photograph: on what it was tuned on,
and on held-out sets written by people who saw neither the guides, the tree nor those examples
(bench/heldout/README.md). The gap between the two is the overfitting.

    .venv/bin/python bench/bench_understanding.py [--photos DIR]

Search: right guide first and in the top 3 (tests/phrasings/*.tsv, tuned; bench/heldout/
search-labels.tsv, held out). The assistant's free text: the first outcome's guide (tuned:
tests/triage/test_freetext.py's phrasings, by service code; held out: assistant-labels.tsv).
Off-topic lines ("none") count as right when nothing is offered. Photos: the photo lands where
the exact screen text would (tuned: tests/screen_photos.py; held out: bench/heldout/photos.py,
labels.tsv), read in process (no HTTP).
"""

from __future__ import annotations

import argparse
import ast
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from codes.content import get_codebook  # noqa: E402
from codes.screens import get_screens  # noqa: E402
from guides.library import get_library  # noqa: E402
from search.query import search_with_hint  # noqa: E402
from search.registry import get_index  # noqa: E402
from triage.loading import get_tree  # noqa: E402

HELDOUT = ROOT / "bench" / "heldout"


def rows(path: Path) -> list[tuple[str, set[str]]]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#") and "\t" in line:
            text, answers = line.split("\t", 1)
            found.append((text, {a.strip() for a in answers.split(",") if a.strip()}))
    return found


def score(results: list[tuple[list[str], set[str]]]) -> tuple[float, float, int]:
    first = top3 = 0
    for ranked, answers in results:
        if answers == {"none"}:
            right = not ranked
            first += right
            top3 += right
            continue
        first += bool(ranked) and ranked[0] in answers
        top3 += bool(answers & set(ranked[:3]))
    return first / len(results), top3 / len(results), len(results)


def guide_ranking(library, index, text: str, *, outcomes_only: bool = False) -> list[str]:
    hits = search_with_hint(index, text, limit=10, content=library).hits
    ranked = []
    for hit in hits:
        if outcomes_only and hit.kind != "outcome":
            continue
        slug = hit.guide_slug or hit.url.strip("/").split("/")[0]
        if slug and slug not in ranked:
            ranked.append(slug)
    return ranked


def tuned_assistant(library) -> list[tuple[str, set[str]]]:
    source = (ROOT / "tests" / "triage" / "test_freetext.py").read_text(encoding="utf-8")
    tree = get_tree(library)
    by_code = {o.service_code: o.guide for o in tree.outcomes.values()}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PHRASINGS":
            pairs = ast.literal_eval(node.value)
            return [(text, {by_code[code]}) for text, code in pairs if code in by_code]
    return []


def line(name: str, figures: tuple[float, float, int]) -> str:
    first, top3, count = figures
    return f"{name:<34} right first {first:6.1%}   top 3 {top3:6.1%}   ({count} lines)"


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", help="held-out photos already generated (labels.tsv inside)")
    args = parser.parse_args()
    library = get_library()
    index = get_index(library)

    print("== search ==")
    tuned = [r for p in sorted((ROOT / "tests" / "phrasings").glob("*.tsv")) for r in rows(p)]
    print(
        line(
            "tuned (tests/phrasings)",
            score([(guide_ranking(library, index, t), a) for t, a in tuned]),
        )
    )
    labels = HELDOUT / "search-labels.tsv"
    if labels.exists():
        held = rows(labels)
        print(
            line(
                "held out (bench/heldout)",
                score([(guide_ranking(library, index, t), a) for t, a in held]),
            )
        )

    print("== the assistant's free text (first outcome's guide) ==")
    tuned = tuned_assistant(library)
    ranked = [(guide_ranking(library, index, t, outcomes_only=True), a) for t, a in tuned]
    print(line("tuned (test_freetext)", score(ranked)))
    labels = HELDOUT / "assistant-labels.tsv"
    if labels.exists():
        held = rows(labels)
        ranked = [(guide_ranking(library, index, t, outcomes_only=True), a) for t, a in held]
        print(line("held out (bench/heldout)", score(ranked)))

    print("== photos of the screen ==")
    from tests import screen_photos

    with tempfile.TemporaryDirectory() as folder:
        tuned_photos = [(p.read_bytes(), s.answer) for p, s in screen_photos.write(Path(folder))]
    share, landed, count = photo_figures(tuned_photos)
    print(f"{'tuned (tests/screen_photos.py)':<34} landed {landed}/{count} ({share:.0%})")
    if args.photos:
        folder = Path(args.photos)
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
            f"{'held out (bench/heldout/photos.py)':<34} landed {landed}/{count} ({share:.0%}); "
            f"{unknown} labels name a text the site has no answer for even typed exactly"
        )


if __name__ == "__main__":
    main()
