"""k-fold cross-validation over the examples: train on the other folds, test on the held one.

Folds are dealt per label (every label's examples spread over all folds), deterministically.
Only examples are tested; a label's title and summary always stay in training, as they would
be for a new phrasing on the site.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from search.index import Index
from understanding import features
from understanding.model import Model, Sample, train_on_counts


def folds(samples: list[Sample], k: int) -> list[int]:
    """The fold of each sample; -1 for a sample always trained on (weight below 1)."""
    seen: dict[str, int] = defaultdict(int)
    fold = []
    for sample in samples:
        if sample.weight < 1.0:
            fold.append(-1)
            continue
        fold.append(seen[sample.label] % k)
        seen[sample.label] += 1
    return fold


def fold_models(
    index: Index, samples: list[Sample], *, k: int = 5, c: float | None = None
) -> Iterator[tuple[Model, list[int]]]:
    """Per fold: the model trained on the other folds, and the samples it must be tested on."""
    all_counts = [features.counts(index, features.parse(index, s.text)) for s in samples]
    fold_of = folds(samples, k)
    options = {} if c is None else {"c": c}
    for held in range(k):
        train = [i for i, f in enumerate(fold_of) if f != held]
        model = train_on_counts(
            [all_counts[i] for i in train], [samples[i] for i in train], **options
        )
        yield model, [i for i, f in enumerate(fold_of) if f == held]
