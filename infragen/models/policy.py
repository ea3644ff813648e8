"""How one model is called: honour `retry-after` on 429 within the task's deadline, retry
5xx/timeouts with a short backoff, and give up on everything else at once (the router then moves
down the chain). Every try is recorded as an `Attempt`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from tenacity import RetryCallState, Retrying, retry_if_exception, stop_never

from infragen.models.base import Attempt, Backend, BackendCallError, ChatRequest, ChatResponse
from infragen.models.config import ModelSettings
from infragen.models.failures import classify
from infragen.models.keys import mask

if TYPE_CHECKING:
    from infragen.models.registry import ModelRef

BACKOFF_BASE_S = 0.25
BACKOFF_MAX_S = 2.0


def call_with_policy(
    backend: Backend,
    ref: ModelRef,
    request: ChatRequest,
    deadline: float,
    settings: ModelSettings,
    attempts: list[Attempt],
    on_attempt: Callable[..., None],
    sleep: Callable[[float], None] = time.sleep,
) -> ChatResponse:
    counts = {"rate_limited": 0, "transient": 0}

    def should_retry(exc: BaseException) -> bool:
        if not isinstance(exc, BackendCallError):
            return False
        if exc.kind == "rate_limited":
            wait = exc.retry_after
            return (
                wait is not None
                and counts["rate_limited"] < settings.max_rate_limit_waits
                and time.monotonic() + wait <= deadline
            )
        if exc.kind == "transient":
            wait = min(BACKOFF_MAX_S, BACKOFF_BASE_S * 2 ** counts["transient"])
            return (
                counts["transient"] < settings.transient_retries
                and time.monotonic() + wait <= deadline
            )
        return False

    def wait_for(state: RetryCallState) -> float:
        exc = state.outcome.exception()
        assert isinstance(exc, BackendCallError)
        if exc.kind == "rate_limited":
            counts["rate_limited"] += 1
            return float(exc.retry_after or 0.0)
        counts["transient"] += 1
        return min(BACKOFF_MAX_S, BACKOFF_BASE_S * 2 ** (counts["transient"] - 1))

    retrying = Retrying(
        retry=retry_if_exception(should_retry),
        wait=wait_for,
        stop=stop_never,  # `should_retry` bounds the tries by count and deadline
        sleep=sleep,
        reraise=True,
    )
    return retrying(_call_once, backend, ref, request, attempts, on_attempt)


def _call_once(
    backend: Backend,
    ref: ModelRef,
    request: ChatRequest,
    attempts: list[Attempt],
    on_attempt: Callable[..., None],
) -> ChatResponse:
    try:
        response = backend.complete(ref.model, request)
    except Exception as exc:  # backends should raise BackendCallError; classify anything else
        error = classify(exc)
        attempt = Attempt(
            model=ref.model,
            backend=ref.backend,
            outcome="error",
            error_class=error.kind,
            status=error.status,
            detail=mask(str(error)),
        )
        attempts.append(attempt)
        on_attempt(attempt)
        raise error from None
    attempt = Attempt(model=ref.model, backend=ref.backend, outcome="ok")
    attempts.append(attempt)
    on_attempt(attempt, response.usage)
    return response
