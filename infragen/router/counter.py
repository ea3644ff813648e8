"""A learned component count: of the components a request names, which does it build?

The lexicon finds every component a request names; a request's class counts only what it builds.
The instances of an auto scaling group are the group, "nightly" in a backup plan is the plan's
schedule, and "our existing prod vpc" is context. A logistic model over each named kind (the words
that matched, the words around them, whether the kind is named as existing, the other kinds named
with it) gives the chance that the kind is built; the distribution of the count those chances imply
(0 to 6 or more) is a feature of the embedding stage. It is fitted on the component lists annotators
wrote for the train batches.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, PrivateAttr

from infragen.router.baseline import Mention, Signals
from infragen.router.descent import descend

MAX_COUNT = 6  # the class boundary is "six or more", so counts stop there
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


class CounterWeights(BaseModel):
    features: list[str]  # the names of the weights below ("kind=ec2", "pair=ec2|autoscaling", ...)
    weights: list[float]
    bias: float
    _index: dict[str, float] | None = PrivateAttr(default=None)

    def chances(self, signals: Signals) -> list[float]:
        """Per named kind, in the order of `signals.mentions`, the chance the request builds it."""
        if self._index is None:
            self._index = dict(zip(self.features, self.weights, strict=True))
        weight = self._index
        chances = []
        for mention in signals.mentions:
            score = self.bias + sum(
                weight[name] * value
                for name, value in mention_features(mention, signals).items()
                if name in weight
            )
            chances.append(1 / (1 + math.exp(-score)))
        return chances


def mention_features(mention: Mention, signals: Signals) -> dict[str, float]:
    kinds = [m.kind for m in signals.mentions]
    features = {
        f"kind={mention.kind}": 1.0,
        f"surface={mention.surface}": 1.0,
        f"before={mention.before[-1] if mention.before else '^'}": 1.0,
        f"before2={' '.join(mention.before)}": 1.0,
        f"after={mention.after or '$'}": 1.0,
        "existing": float(mention.existing),
        "repeats": min(mention.repeats, 3) / 3,
        "position": mention.position,
        "kinds": min(len(kinds), 8) / 8,
    }
    features |= {f"pair={mention.kind}|{other}": 1.0 for other in kinds if other != mention.kind}
    return features


def count_distribution(chances: Sequence[float]) -> list[float]:
    """The probability of each count 0..MAX_COUNT (the last is "or more") of independent events."""
    distribution = np.zeros(MAX_COUNT + 1)
    distribution[0] = 1.0
    for chance in chances:
        grown = np.zeros_like(distribution)
        grown[:MAX_COUNT] += distribution[:MAX_COUNT] * (1 - chance)
        grown[1:] += distribution[:MAX_COUNT] * chance
        grown[MAX_COUNT] += distribution[MAX_COUNT]
        distribution = grown
    return distribution.tolist()


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
