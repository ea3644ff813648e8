"""A learned component count: of the components a request names, which does it build?

The lexicon finds every component a request names; a request's class counts only what it builds.
The instances of an auto scaling group are the group, "nightly" in a backup plan is the plan's
schedule, and "our existing prod vpc" is context. A logistic model over each named kind (the words
that matched, the words around them, whether the kind is named as existing, the other kinds named
with it) gives the chance that the kind is built; the distribution of the count those chances imply
(0 to 6 or more) is a feature of the embedding stage. It is fitted (`router_fitting.linear_fit`) on the
component lists annotators wrote for the train batches.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, PrivateAttr

from infragen.router.baseline import Mention, Signals

MAX_COUNT = 6  # the class boundary is "six or more", so counts stop there


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
