"""Prompt rendering and model calls: nodes ask for a task, never a model.

Each node has one Jinja2 template in `prompts/`; a line `---user---` separates the system message
from the user message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any, TypeVar

from jinja2 import Environment, StrictUndefined
from pydantic import ValidationError

from infragen.errors import NoBackendError
from infragen.models.base import ChatRequest, ChatResponse, Message

T = TypeVar("T")
MAX_STRUCTURED_MODELS = 4
"""Models a structured answer is asked of before the deterministic fallback answers."""

_SPLIT = "---user---"


@cache
def _environment() -> Environment:
    return Environment(undefined=StrictUndefined, trim_blocks=False, keep_trailing_newline=False)


def template_source(name: str) -> str:
    return resources.files("infragen.prompts").joinpath(f"{name}.j2").read_text(encoding="utf-8")


def template_names() -> list[str]:
    root = resources.files("infragen.prompts")
    return sorted(p.name[:-3] for p in root.iterdir() if p.name.endswith(".j2"))


def render_text(name: str, **context: Any) -> str:
    return _environment().from_string(template_source(name)).render(**context).strip()


def render_messages(name: str, **context: Any) -> list[Message]:
    text = _environment().from_string(template_source(name)).render(**context)
    system, _, user = text.partition(_SPLIT)
    return [
        Message(role="system", content=system.strip()),
        Message(role="user", content=user.strip()),
    ]


def compact_json(value: Any) -> str:
    """JSON without spaces: the cheapest faithful way to show structured data to a model."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def extract_json(text: str) -> dict[str, Any]:
    """The first JSON object in a model answer, tolerating code fences and chatter around it."""
    fenced = re.search(r"```(?:json)?\s*(\{.*?\})\s*```", text, re.S)
    candidate = fenced.group(1) if fenced else text[text.find("{") : text.rfind("}") + 1]
    try:
        value = json.loads(candidate)
    except json.JSONDecodeError as exc:
        raise ValueError(f"model answer is not JSON: {exc.msg} at char {exc.pos}") from exc
    if not isinstance(value, dict):
        raise ValueError("model answer is JSON but not an object")
    return value


def call_record(node: str, response: ChatResponse) -> dict[str, Any]:
    """The state's record of one model call (tokens by node/model for the report)."""
    return {
        "node": node,
        "backend": response.backend,
        "model": response.model_used,
        "prompt_tokens": response.usage.prompt_tokens,
        "completion_tokens": response.usage.completion_tokens,
        "total_tokens": response.usage.total_tokens,
        "cached": response.cached,
        "latency_s": round(response.latency_s, 4),
        "tier": response.tier,
        "finish_reason": response.finish_reason,
        "attempts": [a.model_dump() for a in response.attempts],
    }


def ask(
    models: Any,
    node: str,
    template: str,
    *,
    max_tokens: int,
    payload: dict[str, Any],
    tier: str | None = None,
    **context: Any,
) -> ChatResponse:
    """Render the node's template and send it to the model router for the node's task."""
    request = ChatRequest(
        task=node,
        tier=tier,
        messages=render_messages(template, **context),
        max_tokens=max_tokens,
        payload=payload,
    )
    return models.complete(request)


def _parse_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the object"
        return f"{where}: {first['msg']}"
    return str(exc)


def ask_structured(
    models: Any,
    node: str,
    template: str,
    *,
    parse: Callable[[dict[str, Any]], T],
    fallback: Callable[[], T],
    max_tokens: int,
    payload: dict[str, Any],
    **context: Any,
) -> tuple[T, list[dict[str, Any]]]:
    """Ask for a JSON answer and `parse` it. An answer that does not parse gets one repair try
    (the same chain, shown its answer and the parse error), then the next model of the chain,
    and in the end `fallback` (the deterministic parser or planner). Every call is returned
    for the report, the failed ones included: tokens spent are never lost."""
    request = ChatRequest(
        task=node,
        messages=render_messages(template, **context),
        max_tokens=max_tokens,
        payload=payload,
    )
    calls: list[dict[str, Any]] = []
    exclude: list[str] = []
    for _ in range(MAX_STRUCTURED_MODELS):
        try:
            response = models.complete(request.model_copy(update={"exclude": exclude}))
        except NoBackendError:
            if not exclude:
                raise  # nothing answered at all: the caller reports which models were tried
            return fallback(), calls
        calls.append(call_record(node, response))
        try:
            return parse(extract_json(response.content)), calls
        except (ValueError, ValidationError) as exc:
            error = _parse_error(exc)
            calls[-1]["unusable"] = error
        if response.backend == "offline":
            return fallback(), calls
        repair = request.model_copy(
            update={
                "exclude": exclude,
                "messages": [
                    *request.messages,
                    Message(role="assistant", content=response.content[:4000]),
                    Message(
                        role="user",
                        content=f"Your answer could not be used ({error}). "
                        "Reply with the corrected JSON object only, no prose.",
                    ),
                ],
            }
        )
        try:
            fixed = models.complete(repair)
        except NoBackendError:
            return fallback(), calls
        calls.append(call_record(node, fixed))
        try:
            return parse(extract_json(fixed.content)), calls
        except (ValueError, ValidationError) as exc:
            calls[-1]["unusable"] = _parse_error(exc)
            exclude.append(f"{response.backend}:{response.model_used}")
    return fallback(), calls
