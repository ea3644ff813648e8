"""A schema finding plus, where the fix is certain, the text edit that makes it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from infragen.domain import Finding

GATE = "schema"


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace text[start:end] of `file` with `text`; `summary` is the human-readable repair."""

    file: str
    start: int
    end: int
    text: str
    summary: str


@dataclass(slots=True)
class Issue:
    finding: Finding
    edit: Edit | None = None


def issue(
    rule: str,
    file: str,
    line: int | None,
    message: str,
    resource: str | None = None,
    edit: Edit | None = None,
) -> Issue:
    return Issue(
        Finding(
            gate=GATE,
            rule_id=f"schema.{rule}",
            file=file,
            line=line,
            message=message,
            resource=resource,
        ),
        edit,
    )


def close_names(name: str, candidates: list[str] | set[str], cutoff: float = 0.6) -> list[str]:
    """Candidates that look like a misspelling of `name`, best first."""
    return difflib.get_close_matches(name, list(candidates), n=3, cutoff=cutoff)


def did_you_mean(name: str, candidates: list[str] | set[str]) -> str:
    matches = close_names(name, candidates)
    return f' Did you mean "{matches[0]}"?' if matches else ""


def certain_rename(name: str, candidates: list[str] | set[str]) -> str | None:
    """The one candidate a misspelled name can only have meant, or None when unsure."""
    matches = close_names(name, candidates, cutoff=0.85)
    if len(matches) != 1:
        return None
    # A second candidate almost as close means the intent is ambiguous.
    runner_up = close_names(name, [c for c in candidates if c != matches[0]], cutoff=0.75)
    return matches[0] if not runner_up else None
