"""Catalogue first: what the deterministic parser, planner and blueprints cover costs no tokens.

The offline engine reads catalogue requests exactly and renders vetted, Checkov-clean code for
them; a model can only spend tokens to reach the same place. So, unless
`INFRAGEN_CATALOGUE_FIRST=false`:
- the clarifier takes the parser's reading when it maps every part of the request to a catalogue
  kind and has no questions;
- the planner takes the deterministic plan when every component is a catalogue kind (parts the
  catalogue cannot build stay in `spec.unknown`);
- the architect's first attempt renders the covered components and asks a model only for the
  uncovered parts, if any;
- details the parser could not read ("performance insights kept 31 days") go, when a model is
  configured, to the architect's next attempt: the model edits the catalogue's files that concern
  them, and the report says no gate checks the change against the detail.
Revisions after a failed gate and the Ansible writer always go to the models.
"""

from __future__ import annotations

import re
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


# Words of an unread detail that say nothing about where it belongs.
_FILLER = frozenset({
    "and", "the", "with", "for", "kept", "keep", "set", "use", "all", "per", "each", "than", "more",
    "less", "over", "under", "above", "below", "about", "day", "days", "hour", "hours", "minutes",
    "weeks", "months", "years",
})  # fmt: skip
# Files every project has; a detail about one component lives in that component's file.
_SHARED_FILES = ("versions.tf", "providers.tf", "main.tf", "variables.tf", "outputs.tf")


def hand_over_unread(spec: Spec) -> Spec:
    """Move the details the parser could not read from "not built" to `unread`, for the
    architect model to apply to the catalogue's code (a run with a model only)."""
    from infragen.offline.attributes import NOT_IN_CATALOGUE, NOT_UNDERSTOOD

    handed = [d for d in spec.deviations if d.why in (NOT_UNDERSTOOD, NOT_IN_CATALOGUE)]
    if not handed:
        return spec
    notes = {f"Not built: '{d.asked}' ({d.why})." for d in handed}
    return spec.model_copy(
        update={
            "unread": [d.asked for d in handed],
            "deviations": [d for d in spec.deviations if d not in handed],
            "assumptions": [a for a in spec.assumptions if a not in notes]
            + [f"Handed to the architect model: '{d.asked}' ({d.why})." for d in handed],
        }
    )


def unread_pending(state: dict[str, Any]) -> list[str]:
    """The unread details, when the attempt just made was the catalogue's: the next attempt
    (the model's) applies them."""
    if state.get("tier") != "catalogue":
        return []
    return list(((state.get("plan") or {}).get("spec") or {}).get("unread", []))


def files_for_details(files: dict[str, str], phrases: list[str]) -> set[str]:
    """The files an unread detail most likely concerns, by the words they share ("performance
    insights" -> the database file); every component file when no word matches."""
    words = {w for p in phrases for w in re.findall(r"[a-z]{3,}", p.lower())} - _FILLER
    shared = {p for p in files if p.rsplit("/", 1)[-1] in _SHARED_FILES}
    scores = {
        path: sum(w in text.lower() for w in words)
        for path, text in files.items()
        if path not in shared
    }
    best = max(scores.values(), default=0)
    if best == 0:
        return set(scores) or set(files)
    return {path for path, n in scores.items() if n == best}


def details_feedback(phrases: list[str]) -> str:
    return (
        "The catalogue wrote this project. The request also asks for "
        "these details, which it does not honour yet:\n"
        + "\n".join(f"- {p}" for p in phrases)
        + "\nChange only what they need and keep everything else as it is."
    )
