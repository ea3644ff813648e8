"""Prompt rendering and model calls: nodes ask for a task, never a model.

Each node has one Jinja2 template in `prompts/`; a line `---user---` separates the system message
from the user message.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, StrictUndefined

from infragen.models.base import ChatRequest, ChatResponse, Message

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
