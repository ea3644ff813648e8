"""Graph state. Values are plain JSON-able data so checkpoints serialise without custom types;
nodes convert to and from the pydantic domain values at their edges."""

from __future__ import annotations

import operator
from typing import Annotated, Any, Required

# pydantic builds the published JSON schemas from these classes and, before Python 3.12, needs
# typing_extensions' TypedDict (typing's made `/assistants/{id}/schemas` return null)
from typing_extensions import TypedDict

NODE_ORDER = (
    "clarifier",
    "planner",
    "architect",
    "validator",
    "completeness",
    "deep_validator",
    "security",
    "reviewer",
    "parser",
    "finops",
    "ansible",
)
"""The graph's nodes along its main path (graph.py wires them; progress and reports follow it)."""


def merge_dicts(left: dict[str, Any], right: dict[str, Any]) -> dict[str, Any]:
    return {**left, **right}


class RunInput(TypedDict, total=False):
    """What a run starts from (LangGraph Server publishes it as the input schema)."""

    request: Required[str]
    """The user's request, as typed."""
    max_retries: int
    """Architect attempts allowed before finishing with the failures reported (default 3)."""
    policies: list[dict[str, str]]
    """User Rego intent policies (`Policy`: name, text) the completeness gate evaluates."""
    output_dir: str
    """Where the project is written (recorded for `infragen resume`; a server run writes nothing)."""


class State(TypedDict, total=False):
    request: str
    """The user's request, as typed."""
    output_dir: str
    """Where the project is written (kept so `infragen resume` can finish the job)."""
    spec: dict[str, Any]
    """Clarifier output (`Spec`)."""
    plan: dict[str, Any]
    """Planner output (`Plan`)."""
    files: dict[str, str]
    """The current project, {relative path: text}; terraform/ from the architect, ansible/ later."""
    max_retries: int
    """Architect attempts allowed before finishing with the failures reported."""
    policies: list[dict[str, str]]
    """User Rego intent policies (`Policy`: name, text) the completeness gate evaluates."""
    route: dict[str, Any]
    """Request router verdict: class, tier, confidence, reason."""
    attempt: int
    """Architect attempts so far (1-based once the architect has run)."""
    tier: str
    """Tier the architect uses this attempt (escalation may raise it)."""
    feedback: str
    """What failed last attempt, sent to the architect."""
    gates: Annotated[dict[str, dict[str, Any]], merge_dicts]
    """Latest `GateResult` per gate name."""
    repairs: Annotated[list[str], operator.add]
    """Zero-token repairs applied to the code."""
    inventory: dict[str, Any]
    """Parser output: resource counts, outputs, variables."""
    cost: dict[str, Any]
    """`CostEstimate`."""
    calls: Annotated[list[dict[str, Any]], operator.add]
    """One record per model call: node, backend, model, tokens, cached, latency."""
    attempt_log: Annotated[list[dict[str, Any]], operator.add]
    """One record per architect attempt: which gates failed and why."""
    refusal: str
    """Set when the request cannot be served; the graph ends early."""
    answer: dict[str, Any]
    """What the architect's latest answer lacked or had removed: {attempt, problems, notes}."""
    vetted: list[str]
    """Catalogue files the model may not rewrite unless a finding points into them."""
    best: dict[str, Any]
    """The best attempt so far: {attempt, score, files, gates} (the reviewer keeps it)."""
    shipped_attempt: int
    """The attempt whose files the run ships (the best, not always the last)."""
    report: dict[str, Any]
    """The run report (`infragen.report.build_report`: status, gates, cost, usage, files), set by
    the last node so a LangGraph Server run's final state carries it."""
