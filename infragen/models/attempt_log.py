"""One structured log record per model attempt, with keys masked."""

from __future__ import annotations

import logging

from infragen.models.base import Attempt, TokenUsage
from infragen.models.keys import mask

log = logging.getLogger("infragen.models")


def log_attempt(
    task: str, tier: str, depth: int, attempt: Attempt, usage: TokenUsage | None = None
) -> None:
    record = {
        "event": "model_attempt",
        "task": task,
        "tier": tier,
        "model": attempt.model,
        "backend": attempt.backend,
        "outcome": attempt.outcome,
        "fallback_depth": depth,
        "tokens": usage.total_tokens if usage else 0,
        "error": mask(f"{attempt.error_class} {attempt.detail}".strip()),
        "status": attempt.status,
    }
    level = logging.INFO if attempt.outcome == "ok" else logging.WARNING
    if attempt.outcome == "skipped":
        level = logging.DEBUG
    log.log(
        level,
        "%(task)s via %(backend)s:%(model)s -> %(outcome)s (depth %(fallback_depth)s) %(error)s",
        record,
        extra={"infragen": record},
    )
