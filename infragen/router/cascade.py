"""The routing cascade: baseline rules, then the embedding classifier, then an optional judge.

The baseline answers alone when it is sure (its confidence reaches the `baseline_accept` fitted for
the class it chose).
Otherwise the embedding classifier decides; a top probability under its class's fitted threshold
becomes "uncertain", which routes to the standard tier. A judge (for example an LLM call,
`infragen.router.judge`) may be given to settle uncertain cases and those under `judge_below`; it
returns a Route or None to keep the cascade's answer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from infragen.router.baseline import Signals, classify_signals, read_signals
from infragen.router.embedding import Embedder, missing_modules
from infragen.router.route import LABELS, Route

Judge = Callable[[str, Route], Route | None]


class Router:
    """Routes requests; loads the embedding model once, on first use, for all later calls."""

    def __init__(
        self,
        *,
        use_embeddings: bool = True,
        judge: Judge | None = None,
        judge_below: float = 0.0,
        weights_path: Path | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        self._judge = judge
        self._judge_below = judge_below  # a judge also sees routes under this confidence
        self._weights_path = weights_path
        self._embedder = embedder
        self._weights: Any = None
        missing = missing_modules() if use_embeddings else []
        self.use_embeddings = use_embeddings and not missing
        self.fallback_note = (
            f"embedding stage unavailable ({', '.join(missing)} not installed); baseline only"
            if missing
            else ""
        )

    def route(self, request: str) -> Route:
        return self.route_many([request])[0]

    def route_many(self, requests: list[str]) -> list[Route]:
        signals = [read_signals(text) for text in requests]
        routes = [classify_signals(s) for s in signals]
        if not self.use_embeddings:
            routes = [self._note_fallback(r) for r in routes]
        else:
            self._load()
            accept = self._weights.baseline_accept
            pending = [i for i, r in enumerate(routes) if r.confidence < accept.get(r.klass, 1.01)]
            if pending:
                texts = [requests[i] for i in pending]
                decided = self._classify(texts, [signals[i] for i in pending])
                for index, route in zip(pending, decided, strict=True):
                    routes[index] = route
        return [self._ask_judge(text, r) for text, r in zip(requests, routes, strict=True)]

    def _classify(self, texts: list[str], signals: list[Signals]) -> list[Route]:
        from infragen.router.classifier import join_features, predict_proba, structure_features

        weights = self._weights
        counter = weights.counter
        chances = [counter.chances(s) for s in signals] if counter else None
        structure = structure_features(signals, chances)
        embedded = self._embedder.request_features(texts, weights.head_tokens)
        features = join_features(embedded, structure, weights.signal_scale)
        routes = []
        probabilities = predict_proba(weights, features)
        for row, signal, kinds in zip(
            probabilities, signals, chances or [None] * len(signals), strict=True
        ):
            best = int(row.argmax())
            klass, confidence = LABELS[best], float(row[best])
            named = _named(signal, None if klass == "out_of_scope" else kinds)
            if confidence < weights.thresholds[klass]:
                reason = f"embedding: unsure ({klass} at {confidence:.2f}){named}"
                routes.append(Route.of("uncertain", confidence, reason, "embedding"))
            else:
                reason = f"embedding: {klass} at {confidence:.2f}{named}"
                routes.append(Route.of(klass, confidence, reason, "embedding"))  # type: ignore[arg-type]
        return routes

    def _ask_judge(self, request: str, route: Route) -> Route:
        if self._judge is None:
            return route
        if route.klass != "uncertain" and route.confidence >= self._judge_below:
            return route
        verdict = self._judge(request, route)
        if verdict is None:
            return route
        return verdict.model_copy(update={"stage": "judge"})

    def _load(self) -> None:
        if self._weights is not None:
            return
        from infragen.router.classifier import WEIGHTS_FILE, ClassifierWeights

        self._weights = ClassifierWeights.load(self._weights_path or WEIGHTS_FILE)
        self._embedder = self._embedder or Embedder(layers=self._weights.layers)
        self._embedder.load()

    def _note_fallback(self, route: Route) -> Route:
        if not self.fallback_note:
            return route
        return route.model_copy(update={"reason": f"{route.reason} ({self.fallback_note})"})


def _named(signals: Signals, chances: list[float] | None) -> str:
    """What the request names; with the counter's chances, split into the components its size
    counts and the ones it names without building (existing ones, an auto scaling group's
    instances)."""
    if not signals.components:
        return ""
    if chances is None:
        return f"; named: {', '.join(signals.components)}"
    counted = [k for k, chance in zip(signals.components, chances, strict=True) if chance >= 0.5]
    rest = [k for k in signals.components if k not in counted]
    return f"; counted: {', '.join(counted) or 'none'}" + (
        f"; not counted: {', '.join(rest)}" if rest else ""
    )


_shared: dict[bool, Router] = {}


def route(request: str, *, use_embeddings: bool = True) -> Route:
    """Route one request; the embedding model is loaded once per process and reused."""
    router = _shared.get(use_embeddings)
    if router is None:
        router = _shared[use_embeddings] = Router(use_embeddings=use_embeddings)
    return router.route(request)
