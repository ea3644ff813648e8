"""Fitting the router's two linear models by full-batch gradient descent with L2: the softmax
classifier (one column per class) and the component counter's logistic model (one column)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from infragen.router.baseline import Signals
from infragen.router.classifier import softmax
from infragen.router.counter import CounterWeights, mention_features
from infragen.router.route import LABELS

# A word or pair of kinds becomes a feature once it occurs this often in the training mentions.
MIN_OCCURRENCES = 3
MIN_PAIR_OCCURRENCES = 5
# Annotators' spellings of kinds the lexicon names otherwise.
ANNOTATOR_SPELLINGS = {
    "transfer": "transfer_family",
    "vpn_gateway": "vpn",
    "securityhub": "security_hub",
    "lakeformation": "lake_formation",
}


def descend(
    features: np.ndarray,
    targets: np.ndarray,
    link: Callable[[np.ndarray], np.ndarray],
    l2: float,
    steps: int,
    rate: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Weights and bias minimising the mean cross-entropy of `link(features @ w + b)` against
    `targets` (shape (rows,) for a logistic model, (rows, classes) for a softmax) plus L2 on w."""
    weights = np.zeros((features.shape[1], *targets.shape[1:]), dtype=np.float32)
    bias = np.zeros(targets.shape[1:], dtype=np.float32)
    for _ in range(steps):
        error = (link(features @ weights + bias) - targets) / len(features)
        weights -= rate * (features.T @ error + l2 * weights)
        bias -= rate * error.sum(axis=0)
    return weights, bias


def fit_softmax(
    features: np.ndarray, labels: list[str], l2: float = 1e-3, steps: int = 3000, rate: float = 2.0
) -> tuple[np.ndarray, np.ndarray]:
    """Full-batch gradient descent; the problem is small (thousands of rows, ~800 features)."""
    targets = np.eye(len(LABELS), dtype=np.float32)[[LABELS.index(y) for y in labels]]
    return descend(features, targets, softmax, l2, steps, rate)


def fit_counter(
    rows: Sequence[Signals], built: Sequence[set[str] | None], l2: float = 1e-4
) -> CounterWeights:
    """Fit on the rows whose built components are known (`built[i]` is None where they are not);
    the vocabulary comes from every row's mentions."""
    featured = [[mention_features(m, signals) for m in signals.mentions] for signals in rows]
    counts: Counter[str] = Counter(name for mentions in featured for f in mentions for name in f)
    vocabulary = sorted(
        name
        for name, n in counts.items()
        if n >= (MIN_PAIR_OCCURRENCES if name.startswith("pair=") else MIN_OCCURRENCES)
    )
    index = {name: i for i, name in enumerate(vocabulary)}
    features, targets = [], []
    for signals, mentions, kinds in zip(rows, featured, built, strict=True):
        if kinds is None:
            continue
        wanted = {ANNOTATOR_SPELLINGS.get(k, k) for k in kinds}
        for mention, named in zip(signals.mentions, mentions, strict=True):
            row = np.zeros(len(vocabulary), dtype=np.float32)
            for name, value in named.items():
                if name in index:
                    row[index[name]] = value
            features.append(row)
            targets.append(float(mention.kind in wanted))
    weights, bias = descend(
        np.array(features), np.array(targets, dtype=np.float32), _sigmoid, l2, steps=3000, rate=4.0
    )
    return CounterWeights(
        features=vocabulary, weights=np.round(weights, 5).tolist(), bias=round(float(bias), 5)
    )


def _sigmoid(scores: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-scores))
