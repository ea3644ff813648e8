"""The contract between nodes and model backends.

Nodes build a `ChatRequest` for a *task* (never a model); the router picks models from the
registry and hands the request to a `Backend`. `payload` carries the node's structured inputs so
the offline backend can answer deterministically without reading prose.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, Field

Role = Literal["system", "user", "assistant"]


class Message(BaseModel):
    role: Role
    content: str


class ChatRequest(BaseModel):
    task: str
    messages: list[Message]
    tier: str | None = None
    """Overrides the task's configured tier (escalation asks for a larger tier after a failure)."""
    max_tokens: int = 1024
    temperature: float = 0.0
    payload: dict[str, Any] = Field(default_factory=dict)
    exclude: list[str] = Field(default_factory=list)
    """Models ("backend:model") not to ask: ones whose answer this task could not use."""


class TokenUsage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
        )


class Attempt(BaseModel):
    """One try of one model; the router keeps every attempt so failures can be explained."""

    model: str
    backend: str
    outcome: Literal["ok", "error", "skipped"]
    error_class: str = ""
    status: int | None = None
    detail: str = ""


class ChatResponse(BaseModel):
    content: str
    model_used: str
    backend: str
    usage: TokenUsage = Field(default_factory=TokenUsage)
    latency_s: float = 0.0
    attempts: list[Attempt] = Field(default_factory=list)
    cached: bool = False
    finish_reason: str = ""
    """Why the model stopped: "stop", or "length" when `max_tokens` cut the answer."""
    tier: str = ""
    """The tier of the chain link that answered (set by the model router)."""
    # Set by backends that use an API key: the key's short id (never the key) and the
    # `x-ratelimit-*` headers of the reply, both kept in the token ledger.
    key_id: str = ""
    rate_limits: dict[str, str] = Field(default_factory=dict)


@runtime_checkable
class Backend(Protocol):
    """A model server. `complete` raises `BackendCallError` (see errors) on failure."""

    name: str

    def complete(self, model: str, request: ChatRequest) -> ChatResponse: ...


class BackendCallError(Exception):
    """A backend call failed. `kind` drives the router's fallback policy."""

    def __init__(
        self,
        kind: Literal[
            "permanent", "too_large", "rate_limited", "daily_limit", "transient", "unsupported"
        ],
        message: str,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.retry_after = retry_after
