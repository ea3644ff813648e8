"""Clarifier (lightweight tier): read the request into a structured `Spec`, or refuse it."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import interrupt

from infragen.context import RunContext, context_of
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
        return f"the offline catalogue cannot build: {', '.join(spec.unknown)}; covered: {covered}; {hint}"
    if not spec.components:
        return f"nothing buildable found in the request; covered: {covered}"
    return ""


def classify(request: str, *, offline: bool) -> dict[str, Any]:
    """Route the request; offline runs use the keyword baseline (no embedding model to load)."""
    from infragen.router import route

    return route(request, use_embeddings=not offline).model_dump(mode="json")


# The router refuses on its own only when it is sure; below this the clarifier model (a lightweight
# call) reads the request and may still refuse it, so a terse real request is not turned away.
REFUSE_AT = 0.8
REPHRASE = (
    'if you meant to build something, say what to create (e.g. "create an s3 bucket for ...")'
)


def refuses(routed: dict[str, Any]) -> bool:
    return routed["class"] == "out_of_scope" and routed["confidence"] >= REFUSE_AT


# Defaults the parser picks that a person may want to choose: assumption marker -> question.
OPEN_CHOICES = {
    "(no region named)": "Which AWS region? (default us-east-1)",
    "(no database engine named)": "Which database engine, postgres or mysql? (default postgres)",
}


def open_choices(spec: Spec) -> list[str]:
    """Questions for the defaults the parser chose, in the order it chose them."""
    return [q for a in spec.assumptions for marker, q in OPEN_CHOICES.items() if marker in a]


def read_request(
    ctx: RunContext, request: str, answers: list[tuple[str, str]]
) -> tuple[Spec, dict[str, Any]]:
    """The spec for a request (plus the user's answers), from the parser when it covers the
    request, else from the clarifier model; with the record of the call."""
    if ctx.settings.catalogue_first:
        # the parser reads the answers as more request text ("... mysql. eu-west-1")
        text = ". ".join([request, *(a for _, a in answers)])
        covered = parsed_if_covered(text)
        if covered is not None:
            return covered.model_copy(update={"request": request}), catalogue_record("clarifier")
    text = request + "".join(f"\nQ: {q}\nA: {a}" for q, a in answers)
    response = ask(
        ctx.model_router(),
        "clarifier",
        "clarifier",
        max_tokens=ctx.settings.max_tokens_for("clarifier"),
        payload={"request": ". ".join([request, *(a for _, a in answers)])},
        request=text,
        kinds=catalogue_kinds(),
    )
    data = extract_json(response.content)
    data["request"] = request
    return Spec.model_validate(data), call_record("clarifier", response)


def settle_questions(spec: Spec, answered: list[tuple[str, str]], asked: bool) -> Spec:
    """No question survives the clarifier: answers and unasked questions become assumptions."""
    notes = [f"You answered: {q} {a}" for q, a in answered]
    if not asked:
        notes += [
            f"Not asked (non-interactive run), assumed a default: {q}" for q in spec.questions
        ]
    return spec.model_copy(update={"questions": [], "assumptions": [*spec.assumptions, *notes]})


def clarify(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = context_of(runtime)
    request = state["request"]
    routed = classify(request, offline=ctx.settings.offline)
    if refuses(routed) and not ctx.settings.offline:
        # refused before any token is spent; offline runs let the deterministic parser decide
        return {
            "route": routed,
            "refusal": f"not an infrastructure request ({routed['reason']}); {REPHRASE}",
        }
    spec, call = read_request(ctx, request, [])
    calls = [call]
    questions = list(dict.fromkeys([*spec.questions, *open_choices(spec)]))
    answered: list[tuple[str, str]] = []
    if questions and spec.components and ctx.interactive:
        # pauses the run (checkpointed) until the caller resumes it with the answers
        replies = interrupt({"questions": questions})
        answered = [
            (q, str(a).strip()) for q, a in zip(questions, replies, strict=False) if str(a).strip()
        ]
        if answered:
            spec, call = read_request(ctx, request, answered)
            calls.append(call)
    spec = settle_questions(spec, answered, asked=ctx.interactive)
    update: dict[str, Any] = {"spec": spec.model_dump(), "route": routed, "calls": calls}
    refusal = refusal_for(spec, call["backend"])
    if refusal:
        update["refusal"] = refusal
    return update
