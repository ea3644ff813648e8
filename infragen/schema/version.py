"""Which shipped schema a configuration needs, from its `required_providers` aws constraint.

Terraform installs the newest provider a constraint allows, so a lower bound alone (">= 4.0")
means the newest major, while "~> 5.75", "5.90.0" or "< 6.0" keep it on major 5.
"""

from __future__ import annotations

import re

from infragen.schema.store import DEFAULT_MAJOR, MAJORS
from infragen.schema.syntax import Block

_PART = re.compile(r"^\s*(~>|>=|<=|!=|=|>|<)?\s*v?(\d+)((?:\.\d+)*)")


def major_from_constraint(constraint: str) -> int:
    """The highest shipped major that a version constraint string allows."""
    ceiling: int | None = None
    for part in constraint.split(","):
        match = _PART.match(part)
        if not match:
            continue
        op, major, rest = match.group(1) or "=", int(match.group(2)), match.group(3)
        if op in ("=", "~>", "<="):
            bound = major
        elif op == "<":  # "< 6.0" stops before 6, "< 6.1" lets 6.0 in
            bound = major if any(int(n) for n in rest.split(".")[1:]) else major - 1
        else:
            continue
        ceiling = bound if ceiling is None else min(ceiling, bound)
    if ceiling is None:
        return DEFAULT_MAJOR
    allowed = [m for m in MAJORS if m <= ceiling]
    return max(allowed) if allowed else min(MAJORS)


def aws_constraint(roots: list[Block]) -> str | None:
    """The `version` of `required_providers { aws = ... }` in any of the documents."""
    for root in roots:
        for terraform in (b for b in root.blocks if b.type == "terraform"):
            for providers in (b for b in terraform.blocks if b.type == "required_providers"):
                aws = providers.attribute("aws")
                if aws is None:
                    continue
                if aws.literal is not None:
                    return aws.literal
                return aws.members.get("version")
    return None


def pick_major(roots: list[Block]) -> int:
    constraint = aws_constraint(roots)
    return major_from_constraint(constraint) if constraint else DEFAULT_MAJOR


def minimum_version(constraint: str) -> tuple[int, ...] | None:
    """The lowest version a constraint admits, from its `>=`, `>`, `~>` or `=` parts (None if none)."""
    lowest: tuple[int, ...] | None = None
    for part in constraint.split(","):
        match = _PART.match(part)
        if not match or (match.group(1) or "=") not in ("=", ">=", ">", "~>"):
            continue
        version = (int(match.group(2)), *(int(n) for n in match.group(3).split(".")[1:]))
        lowest = version if lowest is None else max(lowest, version)
    return lowest


def parse_version(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", text))


def version_gap(roots: list[Block], schema_version: str) -> str | None:
    """`hashicorp/aws >= 6.42` when the configuration needs a newer provider than the schema's."""
    constraint = aws_constraint(roots)
    needed = minimum_version(constraint) if constraint else None
    if needed is None or needed <= parse_version(schema_version)[: len(needed)]:
        return None
    return f"hashicorp/aws {constraint.strip()}"
