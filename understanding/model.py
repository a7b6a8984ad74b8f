"""A linear classifier over ``features``: trained once per content version, scored per text.

Training uses scikit-learn's LogisticRegression (multinomial, L2) on the phrasings and, more
weakly, on what each label's page says (its title, summary, the buttons that lead there). Its
probabilities are what the reader's thresholds ("close enough to ask", "nothing fits") read.
The saga solver with a loose tolerance and a fixed seed: deterministic, and cross-validated on
the examples as accurate as lbfgs run to the end at a fraction of the time (on the first 1,145
phrasings: 77.2% against 77.7% right first, 93.4% against 93.5% in the top 3, an eighth of the
time; on 4,717: tolerance 1e-2 and 1e-3 both 85.0% and 96.7-96.8%, 2.6 s against 5.6 s);
LinearSVC was faster still but 3 points worse (74.8%, 91.5% on the first 1,145).

Scoring needs neither scikit-learn nor numpy: the model is its weights (one flat ``array`` of
float32, a row per feature) and the IDF table, so loading a stored model imports neither
(scikit-learn alone takes 0.7 s), and a text costs a sum of the rows of its few dozen features
and a softmax (about half a millisecond).
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from dataclasses import dataclass

from search.index import Index
from understanding import features

# Inverse regularisation strength. Chosen on lines written blind (by people who never saw the
# site), trained on the other writers' lines: right first 83.7%, 83.8%, 83.9% for C = 20, 40,
# 80, top 3 94.6%, 94.7%, 94.9%; training time the same. bench/bench_understanding.py
# --compare cross-validates other values over the examples.
C = 80.0
# Features fewer phrasings have are left out: a feature of one phrasing (46% of them) only
# recalls that phrasing. Across blind writers (5,480 assistant lines, 5,165 queries, each third
# on a model without its lines): by guide 90.8% / 97.0% with them, 90.7% / 97.1% without;
# search 94.6% / 97.8% and 94.5% / 97.7%. The model file halves (48 MB to 26 MB) and a new
# process loads it in 65 ms instead of 96 at 5,000 guides.
MIN_DF = 2
TOLERANCE = 1e-2
MAX_ITERATIONS = 200


@dataclass(frozen=True, slots=True)
class Sample:
    text: str
    label: str
    weight: float = 1.0  # examples 1; a label's title and summary less


@dataclass(frozen=True, slots=True)
class Model:
    labels: tuple[str, ...]
    idf: dict[str, float]
    rows: dict[str, int]  # feature -> row of ``weights``
    weights: array | memoryview  # float32, row-major: (features, labels); mapped when loaded
    bias: tuple[float, ...]  # one per label

    def probabilities(self, index: Index, text: str) -> dict[str, float]:
        """Each label's probability for ``text``; empty when no feature is known."""
        return self.probabilities_of(features.counts(index, features.parse(index, text)))

    def probabilities_of(self, found: Counter[str]) -> dict[str, float]:
        vector = features.weighted(found, self.idf)
        width = len(self.labels)
        if not vector or not width:
            return {}
        logits = list(self.bias)
        weights = self.weights
        for feature, value in vector.items():
            start = self.rows[feature] * width
            row = weights[start : start + width]
            logits = [total + value * w for total, w in zip(logits, row, strict=True)]
        top = max(logits)
        exps = [math.exp(x - top) for x in logits]
        total = sum(exps)
        return {label: e / total for label, e in zip(self.labels, exps, strict=True)}


def train(index: Index, samples: list[Sample], *, c: float = C) -> Model:
    """A model of ``samples`` (at least two labels), deterministic for the same input."""
    all_counts = [features.counts(index, features.parse(index, s.text)) for s in samples]
    return train_on_counts(all_counts, samples, c=c)


def train_on_counts(
    all_counts: list[Counter[str]], samples: list[Sample], *, c: float = C
) -> Model:
    import warnings

    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    idf = features.document_frequencies(all_counts, least=MIN_DF)
    rows = {f: i for i, f in enumerate(sorted(idf))}
    labels = sorted({s.label for s in samples})
    if len(labels) < 2:
        empty = array("f", bytes(4 * len(rows) * len(labels)))
        return Model(tuple(labels), idf, rows, empty, (0.0,) * len(labels))
    data, columns, pointers = [], [], [0]
    for found in all_counts:
        vector = features.weighted(found, idf)
        columns += [rows[f] for f in vector]
        data += list(vector.values())
        pointers.append(len(columns))
    matrix = csr_matrix((data, columns, pointers), shape=(len(all_counts), len(rows)))
    classifier = LogisticRegression(
        C=c, solver="saga", tol=TOLERANCE, max_iter=MAX_ITERATIONS, random_state=0
    )
    with warnings.catch_warnings():
        # The loose tolerance is chosen: more iterations do not change the ranking.
        warnings.simplefilter("ignore", ConvergenceWarning)
        classifier.fit(
            matrix, [s.label for s in samples], sample_weight=[s.weight for s in samples]
        )
    weights, bias = classifier.coef_, classifier.intercept_
    if len(labels) == 2:  # one scorer for "the second label": the first gets its opposite
        weights, bias = np.vstack([-weights, weights]) / 2, np.concatenate([-bias, bias]) / 2
    flat = array("f")
    flat.frombytes(np.ascontiguousarray(weights.T, dtype=np.float32).tobytes())
    return Model(
        labels=tuple(str(label) for label in classifier.classes_),
        idf=idf,
        rows=rows,
        weights=flat,
        bias=tuple(float(b) for b in bias),
    )
