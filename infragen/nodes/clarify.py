"""Clarifier (lightweight tier): read the request into a structured `Spec`, or refuse it."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import interrupt

from infragen.context import RunContext, context_of
from infragen.domain import Spec
from infragen.nodes.catalogue import catalogue_record, hand_over_unread, parsed_if_covered
from infragen.prompting import ask_structured
from infragen.state import State


def catalogue_kinds() -> list[str]:
    from infragen import blueprints

    return [kind for kind, _ in blueprints.catalogue()]


def refusal_for(spec: Spec, model_can_write: bool) -> str:
    """Why this spec cannot be served, or "" when it can. The catalogue serves what it covers;
    everything else in scope goes to the architect model, so only a run without one refuses
    for lack of a blueprint."""
    kinds = catalogue_kinds()
    covered = ", ".join(kinds)
    hint = "configure an LLM backend (GROQ_API_KEY, or OPENAI_BASE_URL for a local server) to go further"
    if not spec.components and not spec.unknown:
        return f"not an infrastructure request I can build; covered: {covered}"
    beyond = [*spec.unknown, *(c.kind for c in spec.components if c.kind not in kinds)]
    if beyond and not model_can_write:
        return (
            f"the offline catalogue cannot build: {', '.join(beyond)}; covered: {covered}; {hint}"
        )
    return ""


WHOLE_REQUEST = "what the request describes (no catalogue component)"


def model_can_write(models: Any, answered_by: str) -> bool:
    """Whether a model (not the catalogue) can write the architect's part of this run."""
    can_serve = getattr(models, "can_serve", None)
    if can_serve is None:  # a scripted stand-in: judge by who answered the clarifier
        return answered_by != "offline"
    return bool(can_serve("architect"))


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
) -> tuple[Spec, list[dict[str, Any]]]:
    """The spec for a request (plus the user's answers), from the parser when it covers the
    request, else from the clarifier model (the parser again when no model answers usably);
    with the records of the calls."""
    # the parser reads the answers as more request text ("... mysql. eu-west-1")
    plain = ". ".join([request, *(a for _, a in answers)])
    if ctx.settings.catalogue_first:
        covered = parsed_if_covered(plain)
        if covered is not None:
            # the catalogue answered, so only a configured backend counts (no stand-in guess)
            if not ctx.settings.offline and model_can_write(ctx.model_router(), "offline"):
                covered = hand_over_unread(covered)
            return covered.model_copy(update={"request": request}), [catalogue_record("clarifier")]
    text = request + "".join(f"\nQ: {q}\nA: {a}" for q, a in answers)

    def parse(data: dict[str, Any]) -> Spec:
        return Spec.model_validate({**data, "request": request})

    def fallback() -> Spec:
        from infragen import offline

        spec = offline.parse_request(plain).model_copy(update={"request": request})
        note = (
            "The clarifier model's answers could not be read; the offline parser read the request"
        )
        return spec.model_copy(update={"assumptions": [*spec.assumptions, note]})

    return ask_structured(
        ctx.model_router(),
        "clarifier",
        "clarifier",
        parse=parse,
        fallback=fallback,
        max_tokens=ctx.settings.max_tokens_for("clarifier"),
        payload={"request": plain},
        request=text,
        kinds=catalogue_kinds(),
    )


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
    spec, calls = read_request(ctx, request, [])
    questions = list(dict.fromkeys([*spec.questions, *open_choices(spec)]))
    answered: list[tuple[str, str]] = []
    if questions and spec.components and ctx.interactive:
        # pauses the run (checkpointed) until the caller resumes it with the answers
        replies = interrupt({"questions": questions})
        answered = [
            (q, str(a).strip()) for q, a in zip(questions, replies, strict=False) if str(a).strip()
        ]
        if answered:
            spec, more = read_request(ctx, request, answered)
            calls += more
    spec = settle_questions(spec, answered, asked=ctx.interactive)
    can_write = model_can_write(ctx.model_router(), calls[-1]["backend"])
    if can_write and not spec.components and not spec.unknown and routed["class"] != "out_of_scope":
        # in scope, but nothing the catalogue names ("an aws_connect_bot_association resource"):
        # the architect model writes it from the request itself
        spec = spec.model_copy(update={"unknown": [WHOLE_REQUEST]})
    update: dict[str, Any] = {"spec": spec.model_dump(), "route": routed, "calls": calls}
    refusal = refusal_for(spec, can_write)
    if refusal:
        update["refusal"] = refusal
    return update
