"""Clarifier (lightweight tier): read the request into a structured `Spec`, or refuse it."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from infragen.context import RunContext
from infragen.domain import Spec
from infragen.nodes.catalogue import catalogue_record, parsed_if_covered
from infragen.prompting import ask, call_record, extract_json
from infragen.state import State


def catalogue_kinds() -> list[str]:
    from infragen import blueprints

    return [kind for kind, _ in blueprints.catalogue()]


def refusal_for(spec: Spec, backend: str) -> str:
    """Why this spec cannot be served, or "" when it can."""
    covered = ", ".join(catalogue_kinds())
    hint = "configure an LLM backend (GROQ_API_KEY, or OPENAI_BASE_URL for a local server) to go further"
    if not spec.components and not spec.unknown:
        return f"not an infrastructure request I can build; covered: {covered}"
    if spec.unknown and backend == "offline":
        return (
            f"the offline catalogue cannot build: {', '.join(spec.unknown)}; covered: {covered}; {hint}"
        )
    if not spec.components:
        return f"nothing buildable found in the request; covered: {covered}"
    return ""


def classify(request: str, *, offline: bool) -> dict[str, Any]:
    """Route the request; offline runs use the keyword baseline (no embedding model to load)."""
    from infragen.router import route

    return route(request, use_embeddings=not offline).model_dump(mode="json")


def clarify(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = runtime.context
    request = state["request"]
    routed = classify(request, offline=ctx.settings.offline)
    if routed["class"] == "out_of_scope" and not ctx.settings.offline:
        # refused before any token is spent; offline runs let the deterministic parser decide
        return {"route": routed, "refusal": f"not an infrastructure request ({routed['reason']})"}
    covered = parsed_if_covered(request) if ctx.settings.catalogue_first else None
    if covered is not None:
        return {"spec": covered.model_dump(), "route": routed, "calls": [catalogue_record("clarifier")]}
    response = ask(
        ctx.model_router(),
        "clarifier",
        "clarifier",
        max_tokens=ctx.settings.max_tokens_for("clarifier"),
        payload={"request": request},
        request=request,
        kinds=catalogue_kinds(),
    )
    data = extract_json(response.content)
    data["request"] = request
    spec = Spec.model_validate(data)
    update: dict[str, Any] = {"spec": spec.model_dump(), "route": routed,
                              "calls": [call_record("clarifier", response)]}
    refusal = refusal_for(spec, response.backend)
    if refusal:
        update["refusal"] = refusal
    return update
