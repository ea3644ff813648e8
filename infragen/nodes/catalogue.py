"""Catalogue first: what the deterministic parser, planner and blueprints cover costs no tokens.

The offline engine reads catalogue requests exactly and renders vetted, Checkov-clean code for
them; a model can only spend tokens to reach the same place. So, unless
`INFRAGEN_CATALOGUE_FIRST=false`:
- the clarifier takes the parser's reading when it maps every part of the request to a catalogue
  kind and has no questions;
- the planner takes the deterministic plan when every component is a catalogue kind (parts the
  catalogue cannot build stay in `spec.unknown`);
- the architect's first attempt renders the covered components and asks a model only for the
  uncovered parts, if any.
Revisions after a failed gate and the Ansible writer always go to the models.
"""

from __future__ import annotations

from typing import Any

from infragen.domain import Plan, Spec
from infragen.models.base import ChatResponse
from infragen.prompting import call_record


def catalogue_kinds() -> set[str]:
    from infragen import blueprints

    return {kind for kind, _ in blueprints.catalogue()}


def parsed_if_covered(request: str) -> Spec | None:
    """The parser's spec when it covers the whole request, else None (the model reads it)."""
    from infragen import offline

    spec = offline.parse_request(request)
    kinds = catalogue_kinds()
    if (
        spec.components
        and not spec.unknown
        and not spec.questions
        and all(c.kind in kinds for c in spec.components)
    ):
        return spec
    return None


def planned_if_covered(spec: Spec) -> Plan | None:
    from infragen import offline

    kinds = catalogue_kinds()
    if spec.components and all(c.kind in kinds for c in spec.components):
        return offline.plan_spec(spec)
    return None


def seed_if_covered(plan: dict[str, Any], aws_major: int | None = None) -> dict[str, str] | None:
    """The blueprints' rendering of the plan when every planned component is a catalogue kind,
    for AWS provider `aws_major` (RunSettings.aws_provider; None: the render's default)."""
    from infragen import blueprints

    model = Plan.model_validate(plan)
    kinds = catalogue_kinds()
    if not model.components or any(c.kind not in kinds for c in model.components):
        return None
    return {f.path: f.content for f in blueprints.render_terraform(model, aws_major)}


def catalogue_record(node: str) -> dict[str, Any]:
    """The call record of an answer the catalogue gave: zero tokens, backend `offline`."""
    from infragen.models.backends.offline import OFFLINE_MODEL

    return call_record(node, ChatResponse(content="", model_used=OFFLINE_MODEL, backend="offline"))
