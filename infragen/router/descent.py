"""Full-batch gradient descent with L2, shared by the router's two linear models: the softmax
classifier (one column per class) and the component counter's logistic model (one column)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


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
