"""Fit the embedding stage on the train split and write weights.json.

`make refit`, or `python -m router_fitting.fit [requests.jsonl]` from `benchmarks/`. Every choice (signal scale, per-class thresholds,
the baseline's acceptance level) is made on out-of-fold predictions over the train split only;
the held-out split is left to benchmarks/bench_router.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from infragen.router.baseline import Signals, classify_signals, read_signals
from infragen.router.classifier import (
    ClassifierWeights,
    join_features,
    softmax,
    structure_features,
)
from infragen.router.counter import MAX_COUNT
from infragen.router.embedding import Embedder
from infragen.router.route import LABELS, tier_for
from router_fitting.dataset import DEFAULT_DATASET, load_examples
from router_fitting.linear_fit import fit_counter, fit_softmax

FOLDS = 5
SIGNAL_SCALES = (0.5, 1.0)
# Fitted on 5,762 rows since round 7 (1,670 before): a step less regularisation than the round-6
# grid (1e-3, 3e-4), chosen out of fold as before.
L2_GRID = (3e-4, 1e-4)
# Layer 4 of 6 routes as well as layer 6 (out-of-fold accuracy 0.861 vs 0.864 on the train split)
# for two thirds of the forward pass; the opening tokens carry the request's intent (three: +0.5
# points out of fold over two, fixtures/routing/DECISION_RULES.md round 3).
LAYERS = 4
HEAD_TOKENS = 3
# Issue 7 asks for 0.95 out-of-scope recall; the offset aims higher on out-of-fold predictions, since
# those are estimated from about 200 out-of-scope rows.
OUT_OF_SCOPE_RECALL = 0.97
# The offset is fitted on rows written the way requests to be routed are: batches written to the
# plain annotator brief. Hand-written chit-chat is easier ("hi", "ok"), and the boundary batches
# over-represent the hardest out-of-scope kinds by design, so neither estimates recall.
CALIBRATION_BRIEF = "annotator"
OFFSET_GRID = tuple(0.25 * i for i in range(9))  # 0 .. 2
THRESHOLD_GRID = tuple(round(0.25 + 0.05 * i, 2) for i in range(14))  # 0.25 .. 0.90
ACCEPT_GRID = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9)
MIN_BASELINE_PRECISION = 0.95


def folds_of(rows: int) -> np.ndarray:
    return np.arange(rows) % FOLDS


def out_of_fold(features: np.ndarray, labels: list[str], l2: float = 1e-3) -> np.ndarray:
    """Each row's logits from a model fitted on the other folds."""
    logits = np.zeros((len(labels), len(LABELS)), dtype=np.float32)
    folds = folds_of(len(labels))
    for fold in range(FOLDS):
        held = folds == fold
        weights, bias = fit_softmax(
            features[~held], [y for y, h in zip(labels, held, strict=True) if not h], l2=l2
        )
        logits[held] = features[held] @ weights + bias
    return logits


def cross_fitted_structure(signals: list[Signals], built: list[set[str] | None]) -> np.ndarray:
    """Each row's structure features with a count from a counter fitted on the other folds, so the
    classifier learns how far to trust the count on rows the counter has not seen."""
    folds = folds_of(len(signals))
    rows = np.zeros((len(signals), len(signals[0].as_features()) + MAX_COUNT + 1), np.float32)
    for fold in range(FOLDS):
        unseen = [None if f == fold else b for b, f in zip(built, folds, strict=True)]
        held = np.flatnonzero(folds == fold)
        counter = fit_counter(signals, unseen)
        rows[held] = structure_features(
            [signals[i] for i in held], [counter.chances(signals[i]) for i in held]
        )
    return rows


def correct(logits: np.ndarray, labels: list[str]) -> np.ndarray:
    """Per row, whether its top logit is its label."""
    return np.array([LABELS[i] == y for i, y in zip(logits.argmax(1), labels, strict=True)])


def accuracy(logits: np.ndarray, labels: list[str]) -> float:
    return float(correct(logits, labels).mean())


def fit_out_of_scope_offset(logits: np.ndarray, labels: list[str], rows: np.ndarray) -> float:
    """The smallest out-of-scope logit offset whose out-of-fold recall over `rows` (a mask)
    reaches the target."""
    column = LABELS.index("out_of_scope")
    truth = np.array([y == "out_of_scope" for y in labels]) & rows
    if not truth.any():
        raise ValueError(
            "no out-of-scope rows to fit the offset on (batch rows with brief 'annotator')"
        )

    def recall(offset: float) -> float:
        shifted = logits.copy()
        shifted[:, column] += offset
        return float((shifted.argmax(1)[truth] == column).mean())

    reaching = [o for o in OFFSET_GRID if recall(o) >= OUT_OF_SCOPE_RECALL]
    return min(reaching) if reaching else max(OFFSET_GRID, key=lambda o: (recall(o), -o))


def fit_thresholds(probabilities: np.ndarray, labels: list[str]) -> dict[str, float]:
    """Per predicted class, the threshold that maximises tier accuracy (class accuracy breaks ties).

    Below it a prediction becomes "uncertain", which routes to the standard tier: worth it only
    where the class's own tier would more often be wrong than the standard one.
    """
    thresholds = {}
    top = probabilities.argmax(axis=1)
    for index, klass in enumerate(LABELS):
        rows = [(float(probabilities[i, index]), labels[i]) for i in np.flatnonzero(top == index)]

        def score(threshold: float, rows=rows, klass=klass) -> tuple[int, int]:
            kept = [(p, y) for p, y in rows if p >= threshold]
            doubted = [y for p, y in rows if p < threshold]
            tier_ok = sum(tier_for(klass) == tier_for(y) for _, y in kept)
            tier_ok += sum(tier_for(y) == "standard" for y in doubted)
            return tier_ok, sum(y == klass for _, y in kept)

        thresholds[klass] = max(THRESHOLD_GRID, key=lambda t: (score(t), -t))
    return thresholds


def fit_baseline_accept(
    examples, signals: list[Signals], embedding_correct: np.ndarray
) -> dict[str, float]:
    """Per class the baseline can answer, the lowest confidence from which its routes are right
    at least MIN_BASELINE_PRECISION of the time and as often as the embedding stage's."""
    baseline = [classify_signals(s) for s in signals]
    accept = {}
    for klass in LABELS:
        accept[klass] = 1.01  # never stop early
        for level in ACCEPT_GRID:
            rows = [i for i, r in enumerate(baseline) if r.klass == klass and r.confidence >= level]
            if not rows:
                continue
            precision = np.mean([examples[i].label == klass for i in rows])
            if precision >= max(MIN_BASELINE_PRECISION, embedding_correct[rows].mean()):
                accept[klass] = level
                break
    return accept


def fit(dataset: Path = DEFAULT_DATASET, embedder: Embedder | None = None) -> ClassifierWeights:
    examples = load_examples("train", dataset)
    labels = [e.label for e in examples]
    embedder = embedder or Embedder(layers=LAYERS)
    embeddings = embedder.request_features([e.text for e in examples], HEAD_TOKENS)
    signal_rows = [read_signals(e.text) for e in examples]
    built = [e.built() for e in examples]
    signals = cross_fitted_structure(signal_rows, built)

    def oof_accuracy(setting: tuple[float, float]) -> float:
        scale, l2 = setting
        return accuracy(out_of_fold(join_features(embeddings, signals, scale), labels, l2), labels)

    scale, l2 = max(((s, r) for s in SIGNAL_SCALES for r in L2_GRID), key=oof_accuracy)
    features = join_features(embeddings, signals, scale)
    logits = out_of_fold(features, labels, l2)
    calibration = np.array([e.brief == CALIBRATION_BRIEF for e in examples])
    offset = fit_out_of_scope_offset(logits, labels, calibration)
    logits[:, LABELS.index("out_of_scope")] += offset
    right = correct(logits, labels)
    weights, bias = fit_softmax(features, labels, l2=l2)
    return ClassifierWeights(
        labels=list(LABELS),
        weights=np.round(weights, 5).tolist(),
        bias=np.round(bias, 5).tolist(),
        thresholds=fit_thresholds(softmax(logits), labels),
        baseline_accept=fit_baseline_accept(examples, signal_rows, right),
        signal_scale=scale,
        offsets={"out_of_scope": offset},
        layers=embedder.layers,
        head_tokens=HEAD_TOKENS,
        counter=fit_counter(signal_rows, built),
        fitted_on=f"{dataset.name}: {len(examples)} train rows, l2 {l2:g}, out-of-fold "
        f"accuracy {right.mean():.3f}",
    )


if __name__ == "__main__":
    fitted = fit(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DATASET)
    fitted.save()
    print(
        fitted.fitted_on,
        "thresholds",
        fitted.thresholds,
        "scale",
        fitted.signal_scale,
        "baseline_accept",
        fitted.baseline_accept,
        "offsets",
        fitted.offsets,
    )
