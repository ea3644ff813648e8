"""Score a router on labelled examples: accuracy, per-class precision/recall, confusion, latency.

Used by benchmarks/bench_router.py and by the tests, so both report the same numbers.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from pydantic import BaseModel

from infragen.router.route import LABELS, TIERS, Route
from router_fitting.dataset import Example

PREDICTED = (*LABELS, "uncertain")


class ClassScore(BaseModel):
    precision: float
    recall: float
    support: int


class Evaluation(BaseModel):
    name: str
    examples: int
    accuracy: float  # "uncertain" counts as a miss
    tier_accuracy: float  # right architect tier, the decision that costs money
    per_class: dict[str, ClassScore]
    confusion: dict[str, dict[str, int]]  # true class -> predicted class -> count
    p50_ms: float
    p95_ms: float
    stages: dict[str, int]


def evaluate(name: str, route_one: Callable[[str], Route], examples: list[Example]) -> Evaluation:
    """Route each example alone (as the CLI does), timing every call."""
    return score(name, examples, *route_each(route_one, examples))


def route_each(
    route_one: Callable[[str], Route], examples: list[Example]
) -> tuple[list[Route], list[float]]:
    """Each example's route and the milliseconds it took, one call per example."""
    routes, latencies = [], []
    for example in examples:
        started = time.perf_counter()
        routes.append(route_one(example.text))
        latencies.append((time.perf_counter() - started) * 1000)
    return routes, latencies


def score(
    name: str, examples: list[Example], routes: list[Route], latencies: list[float]
) -> Evaluation:
    confusion = {t: dict.fromkeys(PREDICTED, 0) for t in LABELS}
    stages: dict[str, int] = {}
    for example, route in zip(examples, routes, strict=True):
        confusion[example.label][route.klass] += 1
        stages[route.stage] = stages.get(route.stage, 0) + 1
    per_class = {}
    for klass in LABELS:
        hits = confusion[klass][klass]
        predicted = sum(confusion[t][klass] for t in LABELS)
        support = sum(confusion[klass].values())
        per_class[klass] = ClassScore(
            precision=round(hits / predicted, 4) if predicted else 0.0,
            recall=round(hits / support, 4) if support else 0.0,
            support=support,
        )
    right = sum(confusion[k][k] for k in LABELS)
    tier_right = sum(r.tier == TIERS[e.label] for e, r in zip(examples, routes, strict=True))
    cuts = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else latencies * 19
    return Evaluation(
        name=name,
        examples=len(examples),
        accuracy=round(right / len(examples), 4),
        tier_accuracy=round(tier_right / len(examples), 4),
        per_class=per_class,
        confusion=confusion,
        p50_ms=round(statistics.median(latencies), 3),
        p95_ms=round(cuts[18], 3),
        stages=stages,
    )
