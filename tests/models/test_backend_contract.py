"""Every installed backend passes the same checks through the same interface."""

from __future__ import annotations

import importlib.util

import pytest
from fake_chat_server import ok
from local_weights import local_backend
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
IN_PROCESS = {"llama_cpp", "transformers"}
# (model that answers, model/task that fails) per backend; in-process ones run on the real
# Gemma 3 270M GGUF from PyPI, named by its alias in the registry's [local_models].
CASES = {
    "groq": ("good", "missing"),
    "openai": ("good", "missing"),
    "offline": ("blueprints", "no-such-task"),
    "llama_cpp": ("gemma3-270m", "no-such-alias"),
    "transformers": ("gemma3-270m", "/no/such/model"),
}
# Network backends answer from a fake server in every run; in-process ones load real weights,
# so they run with `make test-local-llm` (-m local_llm) and are listed even when not installed,
# to be skipped there with the reason.
PARAMS = [
    pytest.param(name, marks=pytest.mark.local_llm) if name in IN_PROCESS else name
    for name in BUILTIN_BACKENDS
    if name in IN_PROCESS or importlib.util.find_spec(SDKS[name])
]


def test_the_core_backends_are_installed():
    assert all(importlib.util.find_spec(SDKS[name]) for name in ("groq", "openai", "offline"))


@pytest.fixture(params=PARAMS)
def backend(request, server) -> Backend:
    name = request.param
    if name in IN_PROCESS:
        return local_backend(name)
    server.scripts = {"good": [ok("contract ok")]}
    settings = ModelSettings(
        groq_api_key=FAKE_GROQ_KEY, groq_base_url=server.url, openai_base_url=f"{server.url}/v1"
    )
    return create_backend(name, settings, keys_for(name, "standard", settings)[0])


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
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens
    if backend.name in IN_PROCESS:  # a real model counted real tokens
        assert reply.usage.prompt_tokens > 0 and 0 < reply.usage.completion_tokens <= 8
    assert reply.cached is False


def test_backend_failure_is_a_classified_error(backend):
    with pytest.raises(BackendCallError) as caught:
        backend.complete(CASES[backend.name][1], request_for(backend, failing=True))
    assert caught.value.kind in KINDS
    assert caught.value.kind != "transient"  # a missing model or task is never worth a retry
