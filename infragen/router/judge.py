"""An LLM judge for the routes the cascade is least sure of (`infragen route --judge`).

It asks the lightweight tier through the model router (task `route_judge`), so a judged route has
the same fallbacks, budgets and cache as any other call; with no key the offline backend answers
with the keyword baseline's verdict. An answer that names no known class keeps the cascade's route.
"""

from __future__ import annotations

from typing import Any

from infragen.router.cascade import Judge
from infragen.router.route import LABELS, Route

# Routes under this confidence (and every "uncertain" one) go to the judge.
JUDGE_BELOW = 0.6
MAX_TOKENS = 80  # {"class": ..., "confidence": ..., "reason": "<one clause>"}


def model_judge(models: Any) -> Judge:
    """A judge that asks `models` (a model router) to classify the request."""
    from infragen.prompting import ask, extract_json

    def judge(request: str, route: Route) -> Route | None:
        response = ask(
            models,
            "route_judge",
            "route_judge",
            max_tokens=MAX_TOKENS,
            payload={"request": request},
            request=request,
            current=route,
        )
        try:
            verdict = extract_json(response.content)
        except ValueError:
            return None
        klass = verdict.get("class")
        if klass not in LABELS:
            return None
        try:
            confidence = min(max(float(verdict.get("confidence", 0.5)), 0.0), 1.0)
        except (TypeError, ValueError):
            confidence = 0.5
        reason = " ".join(str(verdict.get("reason", "")).split())[:160]
        return Route.of(klass, confidence, f"judge ({response.model_used}): {reason}", "judge")

    return judge
