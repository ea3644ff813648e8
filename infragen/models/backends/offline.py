"""The embedded default backend: deterministic parsing and blueprint rendering, no model at all.

It answers the same tasks, in the same output formats, as a chat model would, reading the
structured `payload` the nodes attach instead of the prose prompt. Zero tokens, no network.
"""

from __future__ import annotations

import time

from infragen.domain import Plan, Spec
from infragen.files import format_files
from infragen.models.base import BackendCallError, ChatRequest, ChatResponse

OFFLINE_MODEL = "blueprints"


class OfflineBackend:
    name = "offline"

    def complete(self, model: str, request: ChatRequest) -> ChatResponse:
        started = time.perf_counter()
        content = self._answer(request)
        return ChatResponse(
            content=content,
            model_used=model or OFFLINE_MODEL,
            backend=self.name,
            latency_s=time.perf_counter() - started,
        )

    def _answer(self, request: ChatRequest) -> str:
        from infragen import blueprints, offline  # deferred: templates load on first use

        payload = request.payload
        if request.task == "clarifier":
            return offline.parse_request(payload["request"]).model_dump_json()
        if request.task == "planner":
            return offline.plan_spec(Spec.model_validate(payload["spec"])).model_dump_json()
        if request.task == "architect":
            plan = Plan.model_validate(payload["plan"])
            return format_files(blueprints.render_terraform(plan, payload.get("aws_major")))
        if request.task == "ansible":
            plan = Plan.model_validate(payload["plan"])
            return format_files(blueprints.render_ansible(plan))
        if request.task == "route_judge":  # the keyword rules are the deterministic judge
            from infragen.router import baseline_route

            verdict = baseline_route(payload["request"])
            return verdict.model_dump_json(include={"klass", "confidence", "reason"})
        raise BackendCallError(
            "unsupported", f"offline backend has no answer for task {request.task!r}"
        )
