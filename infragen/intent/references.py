"""The `references` list Terraform writes for an expression in `terraform show -json`.

Terraform (internal/command/jsonconfig) lists, for each reference, the full traversal and then every
shorter prefix down to the referenced object, plus the un-indexed resource for an indexed one:
`aws_x.y[0].id` gives ["aws_x.y[0].id", "aws_x.y[0]", "aws_x.y"]. Policies compare these strings.
"""

from __future__ import annotations

import json
from typing import Any

from infragen.intent.expressions import (
    BinaryOp,
    Call,
    Conditional,
    Expr,
    ForExpr,
    GetAttr,
    Index,
    Literal,
    ObjectExpr,
    Splat,
    Template,
    TupleExpr,
    UnaryOp,
    Variable,
)

_SINGLE_STEP_ROOTS = {"var", "local", "count", "each", "path", "terraform", "self"}


def traversal(expr: Expr) -> tuple[str, list[tuple[str, Any]]] | None:
    """(root name, steps) when expr is a static traversal such as `aws_x.y[0].id`."""
    steps: list[tuple[str, Any]] = []
    node = expr
    while True:
        if isinstance(node, Variable):
            return node.name, list(reversed(steps))
        if isinstance(node, GetAttr):
            steps.append(("attr", node.name))
            node = node.source
        elif isinstance(node, Index) and isinstance(node.key, Literal | Template):
            key = node.key.value if isinstance(node.key, Literal) else _static(node.key)
            if key is None:
                return None
            steps.append(("index", key))
            node = node.source
        else:
            return None


def _static(template: Template) -> str | None:
    return "".join(template.parts) if all(isinstance(p, str) for p in template.parts) else None  # type: ignore[arg-type]


def render_steps(steps: list[tuple[str, Any]]) -> str:
    out = []
    for kind, key in steps:
        if kind == "attr":
            out.append(f".{key}")
        else:
            out.append(f"[{json.dumps(key)}]" if isinstance(key, str) else f"[{key}]")
    return "".join(out)


def reference_subject(
    root: str, steps: list[tuple[str, Any]]
) -> tuple[str, list, str | None] | None:
    """(subject address, remaining steps, containing address) following addrs.ParseRef."""
    if root in _SINGLE_STEP_ROOTS:
        if root == "self" or not steps or steps[0][0] != "attr":
            return None
        return f"{root}.{steps[0][1]}", steps[1:], None
    if root == "module":
        if not steps or steps[0][0] != "attr":
            return None
        call, rest = f"module.{steps[0][1]}", steps[1:]
        if rest and rest[0][0] == "index":
            call, rest = call + render_steps(rest[:1]), rest[1:]
        if rest and rest[0][0] == "attr":
            return f"{call}.{rest[0][1]}", rest[1:], call
        return call, rest, None
    prefix = ""
    if root == "data":
        if not steps or steps[0][0] != "attr":
            return None
        root, steps, prefix = steps[0][1], steps[1:], "data."
    if not steps or steps[0][0] != "attr":
        return None
    resource, rest = f"{prefix}{root}.{steps[0][1]}", steps[1:]
    if rest and rest[0][0] == "index":
        return resource + render_steps(rest[:1]), rest[1:], resource
    return resource, rest, None


def reference_strings(root: str, steps: list[tuple[str, Any]]) -> list[str]:
    found = reference_subject(root, steps)
    if found is None:
        return []
    subject, remaining, containing = found
    out = [subject + render_steps(remaining[:n]) for n in range(len(remaining), 0, -1)]
    out.append(subject)
    if containing:
        out.append(containing)
    return out


def expression_references(expr: Expr, bound: frozenset[str] = frozenset()) -> list[str]:
    """Terraform's reference strings for expr, in source order; `bound` are for-loop names."""
    path = traversal(expr)
    if path is not None:
        return [] if path[0] in bound else reference_strings(*path)
    out: list[str] = []
    for child, inner_bound in _children(expr, bound):
        out.extend(expression_references(child, inner_bound))
    return out


def _children(expr: Expr, bound: frozenset[str]) -> list[tuple[Expr, frozenset[str]]]:
    if isinstance(expr, Template):
        return [(p, bound) for p in expr.parts if isinstance(p, Expr)]
    if isinstance(expr, GetAttr):
        return [(expr.source, bound)]
    if isinstance(expr, Index):
        return [(expr.source, bound), (expr.key, bound)]
    if isinstance(expr, Splat):
        return [(expr.source, bound)] + [(k, bound) for kind, k in expr.steps if kind == "index"]
    if isinstance(expr, Call):
        return [(a, bound) for a in expr.args]
    if isinstance(expr, TupleExpr):
        return [(i, bound) for i in expr.items]
    if isinstance(expr, ObjectExpr):
        return [(e, bound) for pair in expr.items for e in pair]
    if isinstance(expr, Conditional):
        return [(expr.condition, bound), (expr.true, bound), (expr.false, bound)]
    if isinstance(expr, BinaryOp):
        return [(expr.left, bound), (expr.right, bound)]
    if isinstance(expr, UnaryOp):
        return [(expr.operand, bound)]
    if isinstance(expr, ForExpr):
        inner = bound | {n for n in (expr.key_var, expr.value_var) if n}
        parts = [expr.key, expr.value, expr.condition]
        return [(expr.collection, bound)] + [(p, inner) for p in parts if p is not None]
    return []


def is_constant(expr: Expr) -> bool:
    """True when Terraform could evaluate expr with no context: no references, no calls."""
    if isinstance(expr, Variable | Call | ForExpr):
        return False
    return all(is_constant(child) for child, _ in _children(expr, frozenset()))
