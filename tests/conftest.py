"""Shared fixtures: an isolated state directory and a scripted chat model with canned answers."""

from __future__ import annotations

import os
from collections import defaultdict, deque

import pytest

from infragen.models.base import ChatRequest, ChatResponse, TokenUsage
from infragen.models.config import ROUTING_ENV

os.environ.setdefault("BC_SKIP_MAPPING", "TRUE")
os.environ.setdefault("CHECKOV_RUN_SCA_PACKAGE_SCAN_V2", "false")


@pytest.fixture(autouse=True, scope="session")
def session_environment(tmp_path_factory):
    """Before any fixture of any scope: no state outside the test tree, and no question is ever
    asked on the terminal `make test` runs in (subprocesses inherit its stdin)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INFRAGEN_STATE_DIR", str(tmp_path_factory.mktemp("session-state")))
        mp.setenv("INFRAGEN_ASK", "false")
        # Render for provider 6 on every machine: the default follows the local provider mirror
        # (5.100.0 on the dev machines), which would make results depend on the machine and run
        # the real provider's validate (seconds each) in every pipeline test. The real-provider
        # and provider-5 paths have their own tests (tests/tools/test_terraform_providers.py).
        mp.setenv("INFRAGEN_AWS_PROVIDER", "6")
        yield


@pytest.fixture(autouse=True)
def isolated_state(tmp_path_factory, monkeypatch):
    """Ledger, cache and checkpoints never touch the developer's real state directory."""
    state = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("INFRAGEN_STATE_DIR", str(state))
    for key in ROUTING_ENV:
        monkeypatch.delenv(key, raising=False)
    return state


class ScriptedModels:
    """Answers each task from a queue of canned replies (the last reply repeats) and records requests."""

    def __init__(self, answers: dict[str, list[str]], model: str = "scripted-model") -> None:
        self.queues = {task: deque(replies) for task, replies in answers.items()}
        self.requests: dict[str, list[ChatRequest]] = defaultdict(list)
        self.model = model

    def complete(self, request: ChatRequest) -> ChatResponse:
        self.requests[request.task].append(request)
        queue = self.queues[request.task]
        content = queue.popleft() if len(queue) > 1 else queue[0]
        prompt = sum(len(m.content) for m in request.messages) // 4
        completion = len(content) // 4
        return ChatResponse(
            content=content,
            model_used=self.model,
            backend="scripted",
            usage=TokenUsage(
                prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion
            ),
        )


@pytest.fixture
def scripted():
    return ScriptedModels


@pytest.fixture
def scripted_run(scripted, tmp_path):
    """A model run (catalogue off, one attempt) whose clarifier answers from `clarifier`, in
    order; returns (models, result)."""
    from infragen.api import generate
    from infragen.settings import RunSettings

    def run(request: str, clarifier: list[str], **kwargs):
        models = scripted(
            {
                "clarifier": clarifier,
                "planner": ["{}"],
                "architect": ["<<<FILE terraform/main.tf>>>\n<<<END>>>"],
                "ansible": [""],
            }
        )
        settings = RunSettings(catalogue_first=False, max_retries=1)
        result = generate(
            request, output_dir=tmp_path / "out", models=models, settings=settings, **kwargs
        )
        return models, result

    return run
