"""Evaluate a Rego intent policy against a plan document with regorus, scored as IaC-Eval does.

IaC-Eval runs `opa eval -d policy.rego -i plan.json data` and passes a program when no leaf of
the resulting `data` document is `false`. Policies that `import rego.v1` are Rego v1; the rest
use v0 syntax (`p { ... }` without `if`), which regorus accepts after `set_rego_v0(True)`.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field

_V1_IMPORT = re.compile(r"^\s*import\s+rego\.v1\s*$", re.M)


class RegoVerdict(BaseModel):
    """The outcome of one policy on one plan."""

    passed: bool
    false_rules: list[str] = Field(default_factory=list)  # dotted paths of `false` leaves
    data: dict[str, Any] = Field(default_factory=dict)
    error: str = ""


def is_rego_v1(policy: str) -> bool:
    return bool(_V1_IMPORT.search(policy))


def false_leaves(value: Any, path: str = "") -> list[str]:
    """Dotted paths of every `false` leaf, the way IaC-Eval's scorer walks `data`."""
    if value is False:
        return [path or "."]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in false_leaves(v, f"{path}.{k}" if path else k)]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in false_leaves(v, f"{path}[{i}]")]
    return []


def evaluate_rego(policy: str, plan_doc: dict[str, Any]) -> RegoVerdict:
    """Evaluate `data` for policy with plan_doc as input; a policy error is a failed verdict."""
    import regorus

    engine = regorus.Engine()
    engine.set_rego_v0(not is_rego_v1(policy))
    try:
        engine.add_policy("policy.rego", policy)
        engine.set_input(plan_doc)
        result = engine.eval_query("data")
    except Exception as exc:  # regorus raises RuntimeError for parse and evaluation errors
        return RegoVerdict(passed=False, error=str(exc).strip()[:2000])
    rows = result.get("result") or []
    data = rows[0]["expressions"][0]["value"] if rows else {}
    failed = false_leaves(data)
    return RegoVerdict(passed=not failed, false_rules=failed, data=data)
