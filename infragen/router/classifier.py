"""Multinomial logistic regression over [embedding, baseline signals], in plain numpy.

Fitted weights, per-class thresholds and the baseline's acceptance level are stored together as
JSON (`weights.json`), so loading needs no training and the numbers are reviewable in a diff.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydantic import BaseModel, PrivateAttr

from infragen.router.baseline import Signals
from infragen.router.counter import CounterWeights, count_distribution

WEIGHTS_FILE = Path(__file__).with_name("weights.json")


class ClassifierWeights(BaseModel):
    labels: list[str]
    weights: list[list[float]]  # (features, classes)
    bias: list[float]
    thresholds: dict[str, float]  # below its class's threshold a prediction becomes "uncertain"
    # Per class, the baseline confidence at or above which the cascade stops early with the
    # baseline's answer (its count and cue rules are exact where they fire; above 1 = never).
    baseline_accept: dict[str, float]
    signal_scale: float
    # Added to the class logits before the softmax: fitted so out-of-scope recall reaches its target
    # on out-of-fold predictions (refusing costs a retyped request; answering chit-chat costs tokens).
    offsets: dict[str, float] = {}
    layers: int = 6  # MiniLM encoder layers the features are read from
    head_tokens: int = 2  # how many opening tokens the second embedding averages
    # The learned component count, whose distribution joins the signals (absent: signals only).
    counter: CounterWeights | None = None
    fitted_on: str = ""
    _arrays: tuple[np.ndarray, np.ndarray] | None = PrivateAttr(default=None)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Weights and bias (offsets included) as float32 arrays, converted once."""
        if self._arrays is None:
            offsets = [self.offsets.get(label, 0.0) for label in self.labels]
            self._arrays = (
                np.asarray(self.weights, dtype=np.float32),
                np.asarray(self.bias, dtype=np.float32) + np.asarray(offsets, dtype=np.float32),
            )
        return self._arrays

    def save(self, path: Path = WEIGHTS_FILE) -> None:
        path.write_text(self.model_dump_json(indent=1) + "\n")

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> ClassifierWeights:
        return cls.model_validate_json(path.read_text())


def structure_features(
    signals: list[Signals], chances: list[list[float]] | None = None
) -> np.ndarray:
    """The signals' fixed-length vectors, each followed (with a counter's chances that each named
    kind is built) by the distribution of the count those chances imply."""
    rows = [s.as_features() for s in signals]
    if chances is not None:
        rows = [row + count_distribution(c) for row, c in zip(rows, chances, strict=True)]
    return np.array(rows, dtype=np.float32)


def join_features(embeddings: np.ndarray, signals: np.ndarray, signal_scale: float) -> np.ndarray:
    """Embeddings say what a request is about and how it opens; the signals say how many parts
    it names and whether it points at something that already exists."""
    return np.hstack([embeddings, signals * signal_scale]).astype(np.float32)


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def predict_proba(model: ClassifierWeights, features: np.ndarray) -> np.ndarray:
    weights, bias = model.arrays()
    return softmax(features @ weights + bias)
