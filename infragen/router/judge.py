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
    from infragen.prompting import ask_structured

    def judge(request: str, route: Route) -> Route | None:
        verdict, calls = ask_structured(
            models,
            "route_judge",
            "route_judge",
            parse=_verdict,
            fallback=lambda: None,
            max_tokens=MAX_TOKENS,
            payload={"request": request},
            request=request,
            current=route,
        )
        if verdict is None or not calls:
            return verdict
        reason = verdict.reason.removeprefix("judge: ")
        return verdict.model_copy(update={"reason": f"judge ({calls[-1]['model']}): {reason}"})

    return judge


def _verdict(data: dict[str, Any]) -> Route:
    """The judge's JSON as a route; an unknown class is a parse error (the answer is repaired)."""
    klass = data.get("class")
    if klass not in LABELS:
        raise ValueError(f"class must be one of {', '.join(LABELS)}, not {klass!r}")
    try:
        confidence = min(max(float(data.get("confidence", 0.5)), 0.0), 1.0)
    except (TypeError, ValueError):
        confidence = 0.5
    reason = " ".join(str(data.get("reason", "")).split())[:160]
    return Route.of(klass, confidence, f"judge: {reason}", "judge")
