"""Evaluate expressions as `terraform plan` would, with UNKNOWN for values known only after apply."""

from __future__ import annotations

import operator
from collections.abc import Callable
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
from infragen.intent.functions import FunctionError, call_function, tf_string
from infragen.intent.values import UNKNOWN, ObjectValue, is_known

_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
    "<=": operator.le,
    ">=": operator.ge,
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "%": operator.mod,
}
# A lookup for a root name that is not in the local scope (var, local, resource types, ...).
RootResolver = Callable[[str], Any]


class EvaluationError(ValueError):
    """The expression cannot be evaluated even at apply time (wrong type, missing key)."""


class Evaluator:
    def __init__(self, resolve_root: RootResolver) -> None:
        self.resolve_root = resolve_root

    def evaluate(self, expr: Expr, scope: dict[str, Any] | None = None) -> Any:
        """Evaluate expr; names in scope (count, each, for-loop variables) shadow global roots."""
        try:
            return self._eval(expr, scope or {})
        except (FunctionError, EvaluationError, KeyError, IndexError, TypeError, ValueError):
            return UNKNOWN

    def _eval(self, expr: Expr, scope: dict[str, Any]) -> Any:
        if isinstance(expr, Literal):
            return expr.value
        if isinstance(expr, Template):
            return self._template(expr, scope)
        if isinstance(expr, Variable):
            return scope[expr.name] if expr.name in scope else self.resolve_root(expr.name)
        if isinstance(expr, GetAttr):
            return get_attribute(self._eval(expr.source, scope), expr.name)
        if isinstance(expr, Index):
            return get_index(self._eval(expr.source, scope), self._eval(expr.key, scope))
        if isinstance(expr, Splat):
            return self._splat(expr, scope)
        if isinstance(expr, Call):
            return self._call(expr, scope)
        if isinstance(expr, TupleExpr):
            return [self._eval(i, scope) for i in expr.items]
        if isinstance(expr, ObjectExpr):
            out: dict[str, Any] = {}
            for key_expr, value_expr in expr.items:
                key = self._eval(key_expr, scope)
                if key is UNKNOWN:
                    return UNKNOWN
                out[tf_string(key)] = self._eval(value_expr, scope)
            return out
        if isinstance(expr, Conditional):
            condition = self._eval(expr.condition, scope)
            if condition is UNKNOWN:
                return UNKNOWN
            return self._eval(expr.true if _truth(condition) else expr.false, scope)
        if isinstance(expr, BinaryOp):
            return self._binary(expr, scope)
        if isinstance(expr, UnaryOp):
            value = self._eval(expr.operand, scope)
            if value is UNKNOWN:
                return UNKNOWN
            return (not _truth(value)) if expr.op == "!" else -_number(value)
        if isinstance(expr, ForExpr):
            return self._for(expr, scope)
        raise EvaluationError(f"cannot evaluate {type(expr).__name__}")

    def _template(self, expr: Template, scope: dict[str, Any]) -> Any:
        if len(expr.parts) == 1 and isinstance(expr.parts[0], Expr):
            return self._eval(expr.parts[0], scope)  # "${x}" keeps x's type
        out = []
        for part in expr.parts:
            value = part if isinstance(part, str) else self._eval(part, scope)
            if value is UNKNOWN:
                return UNKNOWN
            if value is None:
                raise EvaluationError("null value in a string template")
            out.append(tf_string(value))
        return "".join(out)

    def _splat(self, expr: Splat, scope: dict[str, Any]) -> Any:
        source = self._eval(expr.source, scope)
        if source is UNKNOWN:
            return UNKNOWN
        items = source if isinstance(source, list) else ([] if source is None else [source])
        out = []
        for item in items:
            for kind, key in expr.steps:
                if kind == "attr":
                    item = get_attribute(item, key)
                else:
                    item = get_index(item, self._eval(key, scope))
            out.append(item)
        return out

    def _call(self, expr: Call, scope: dict[str, Any]) -> Any:
        name = expr.name.split("::")[-1]
        if name in ("try", "can"):
            return self._try(expr, scope, name)
        args = [self._eval(a, scope) for a in expr.args]
        if expr.expand_last and args:
            if args[-1] is UNKNOWN:
                return UNKNOWN
            args = args[:-1] + list(args[-1])
        if name not in ("length",) and not all(is_known(a) for a in args):
            return UNKNOWN
        if name == "length" and args and args[0] is UNKNOWN:
            return UNKNOWN
        return call_function(name, args)

    def _try(self, expr: Call, scope: dict[str, Any], name: str) -> Any:
        for arg in expr.args:
            try:
                value = self._eval(arg, scope)
            except (FunctionError, EvaluationError, KeyError, IndexError, TypeError, ValueError):
                if name == "can":
                    return False
                continue
            return True if name == "can" else value
        return UNKNOWN if name == "try" else False

    def _binary(self, expr: BinaryOp, scope: dict[str, Any]) -> Any:
        left = self._eval(expr.left, scope)
        if expr.op in ("&&", "||"):
            if left is not UNKNOWN and _truth(left) == (expr.op == "||"):
                return expr.op == "||"
            right = self._eval(expr.right, scope)
            if UNKNOWN in (left, right):
                return UNKNOWN
            return _truth(right)
        right = self._eval(expr.right, scope)
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        if expr.op in ("==", "!="):
            return _OPS[expr.op](left, right)
        if expr.op in ("+", "-", "*", "/", "%", "<", ">", "<=", ">="):
            result = _OPS[expr.op](_number(left), _number(right))
            return int(result) if isinstance(result, float) and result.is_integer() else result
        raise EvaluationError(f"unknown operator {expr.op}")

    def _for(self, expr: ForExpr, scope: dict[str, Any]) -> Any:
        collection = self._eval(expr.collection, scope)
        if collection is UNKNOWN:
            return UNKNOWN
        pairs = collection.items() if isinstance(collection, dict) else enumerate(collection)
        result_list: list[Any] = []
        result_map: dict[str, Any] = {}
        for key, value in pairs:
            inner = dict(scope)
            inner[expr.value_var] = value
            if expr.key_var:
                inner[expr.key_var] = key
            if expr.condition is not None:
                keep = self._eval(expr.condition, inner)
                if keep is UNKNOWN:
                    return UNKNOWN
                if not _truth(keep):
                    continue
            if expr.key is None:
                result_list.append(self._eval(expr.value, inner))
                continue
            out_key = self._eval(expr.key, inner)
            if out_key is UNKNOWN:
                return UNKNOWN
            value_out = self._eval(expr.value, inner)
            if expr.grouping:
                result_map.setdefault(tf_string(out_key), []).append(value_out)
            else:
                result_map[tf_string(out_key)] = value_out
        return result_list if expr.key is None else result_map


def get_attribute(value: Any, name: str) -> Any:
    if value is UNKNOWN:
        return UNKNOWN
    if isinstance(value, ObjectValue):
        return value.attribute(name)
    if isinstance(value, dict):
        if name not in value:
            raise EvaluationError(f"no attribute {name}")
        return value[name]
    raise EvaluationError(f"cannot read .{name} of {type(value).__name__}")


def get_index(value: Any, key: Any) -> Any:
    if value is UNKNOWN or key is UNKNOWN:
        return UNKNOWN
    if isinstance(value, list):
        return value[int(_number(key))]
    if isinstance(value, ObjectValue):
        return value.attribute(tf_string(key))
    if isinstance(value, dict):
        return value[tf_string(key)]
    raise EvaluationError(f"cannot index {type(value).__name__}")


def _truth(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise EvaluationError(f"{value!r} is not a bool")


def _number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise EvaluationError("a bool is not a number")
    if isinstance(value, int | float):
        return value
    number = float(value)
    return int(number) if number.is_integer() else number
