"""Helpers to build routers over small test registries (fake model names, real backends)."""

from __future__ import annotations

from infragen.models.base import BackendCallError, ChatRequest, ChatResponse
from infragen.models.config import ModelSettings
from infragen.models.registry import Registry
from infragen.models.router import ModelRouter

FAKE_GROQ_KEY = "gsk_FAKEKEYforTESTS0123456789abcdefXYZ"
FAKE_SECONDARY_KEY = "gsk_SECONDARYfakeKEY9876543210zyxwvu"


class LocalAnswers:
    """An in-process backend standing in for the offline catalogue: answers every task."""

    name = "offline"

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.calls = 0

    def complete(self, model: str, request: ChatRequest) -> ChatResponse:
        self.calls += 1
        if self.fail:
            raise BackendCallError("unsupported", f"no offline answer for {request.task}")
        return ChatResponse(content=f"offline:{request.task}", model_used=model, backend=self.name)


def registry(
    lightweight: list[str], standard: list[str] | None = None, fallback: list[str] | None = None
) -> Registry:
    tiers = {t: [] for t in ("fast", "reasoning", "summarization")}
    tiers |= {"lightweight": lightweight, "standard": standard or [], "fallback": fallback or []}
    return Registry.from_toml(
        {
            "tiers": tiers,
            "tasks": {
                "default_tier": "standard",
                "clarifier": "lightweight",
                "architect": "standard",
            },
            "offline": {"model": "offline:blueprints"},
        }
    )


def router(
    server, reg: Registry, health, offline: LocalAnswers | None = None, **settings
) -> ModelRouter:
    values = {
        "groq_api_key": FAKE_GROQ_KEY,
        "groq_base_url": server.url if server else None,
        "openai_base_url": f"{server.url}/v1" if server else None,
        "request_timeout_s": 2.0,
        "transient_retries": 0,
        "cache_enabled": False,
    } | settings
    offline = offline or LocalAnswers()
    return ModelRouter(
        ModelSettings(**values),
        reg,
        health=health,
        factories={"offline": lambda s, k: offline},
    )


def ask(
    task: str = "clarifier",
    text: str = "create vpc with rds",
    max_tokens: int = 64,
    tier: str | None = None,
) -> ChatRequest:
    return ChatRequest(
        task=task, messages=[{"role": "user", "content": text}], max_tokens=max_tokens, tier=tier
    )
