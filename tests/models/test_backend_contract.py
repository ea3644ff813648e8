"""Every installed backend passes the same checks through the same interface."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from fake_chat_server import ok
from router_fixtures import FAKE_GROQ_KEY

from infragen.models.backends.registry import BUILTIN_BACKENDS, create_backend
from infragen.models.base import Backend, BackendCallError, ChatRequest, ChatResponse
from infragen.models.config import ModelSettings
from infragen.models.keys import keys_for

KINDS = {"permanent", "too_large", "rate_limited", "daily_limit", "transient", "unsupported"}
SDKS = {
    "groq": "langchain_groq",
    "openai": "langchain_openai",
    "llama_cpp": "llama_cpp",
    "transformers": "transformers",
    "offline": "infragen.offline",
}
INSTALLED = [name for name in BUILTIN_BACKENDS if importlib.util.find_spec(SDKS[name])]
# (model that answers, model/task that fails) per backend; in-process ones need local weights.
CASES = {
    "groq": ("good", "missing"),
    "openai": ("good", "missing"),
    "offline": ("blueprints", "no-such-task"),
    "llama_cpp": ("gemma3-270m", "no-such-alias"),
    "transformers": ("HuggingFaceTB/SmolLM2-360M-Instruct", "/no/such/model"),
}


def _in_hf_cache(model_id: str) -> bool:
    hub = Path(os.environ.get("HF_HOME", Path.home() / ".cache" / "huggingface")) / "hub"
    return (hub / f"models--{model_id.replace('/', '--')}").is_dir()


def test_the_core_backends_are_installed():
    assert {"groq", "openai", "offline"} <= set(INSTALLED)


@pytest.fixture(params=INSTALLED)
def backend(request, server) -> Backend:
    name = request.param
    server.scripts = {"good": [ok("contract ok")]}
    settings = ModelSettings(
        groq_api_key=FAKE_GROQ_KEY, groq_base_url=server.url, openai_base_url=f"{server.url}/v1"
    )
    keys = keys_for(name, "standard", settings)
    if name == "transformers" and not _in_hf_cache(CASES[name][0]):
        pytest.skip("transformers: model not in the local Hugging Face cache")
    try:
        backend = create_backend(name, settings, keys[0])
        if hasattr(backend, "models"):  # in-process: the weights must be on this machine
            backend.models.get(CASES[name][0])
    except Exception as exc:
        pytest.skip(f"{name} has no local weights here: {exc}"[:200])
    return backend


def request_for(backend: Backend, *, failing: bool = False) -> ChatRequest:
    task = "no-such-task" if failing and backend.name == "offline" else "clarifier"
    return ChatRequest(
        task=task,
        messages=[
            {"role": "system", "content": "Answer briefly."},
            {"role": "user", "content": "Say ok."},
        ],
        max_tokens=8,
        payload={"request": "create vpc with rds"},
    )


def test_backend_answers(backend):
    assert isinstance(backend, Backend) and backend.name in BUILTIN_BACKENDS
    model = CASES[backend.name][0]
    reply = backend.complete(model, request_for(backend))
    assert isinstance(reply, ChatResponse)
    assert (reply.backend, reply.model_used) == (backend.name, model)
    assert reply.content.strip()
    assert reply.usage.prompt_tokens >= 0 and reply.latency_s >= 0
    assert reply.cached is False


def test_backend_failure_is_a_classified_error(backend):
    with pytest.raises(BackendCallError) as caught:
        backend.complete(CASES[backend.name][1], request_for(backend, failing=True))
    assert caught.value.kind in KINDS
    assert caught.value.kind != "transient"  # a missing model or task is never worth a retry
