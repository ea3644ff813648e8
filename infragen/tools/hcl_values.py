"""Values as far as the code alone gives them, and what Terraform's operators, conditionals,
`for` expressions and a few functions make of them, for reading counts before `terraform plan`.

`Unknown` stands for what the code does not give (a variable set outside it, a data source, a
resource attribute), typed when that much is known; `INVALID` for what Terraform would refuse
(`true && 1`), so that a reading of an expression that produces it can be dropped
(see `hcl_readings`). Nothing is guessed: where Terraform would convert or unify types in a way
not modelled here, the result is `Unknown`.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Unknown:
    """A value the code alone does not give; `type` ("bool", "number", "string", "list", "map")
    when that much is known."""

    type: str | None = None


INVALID = object()  # what Terraform would refuse
_ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
               "<": operator.lt, ">": operator.gt, "<=": operator.le, ">=": operator.ge}  # fmt: skip
_CONSTRAINT = {"bool": "bool", "number": "number", "string": "string", "list": "list",
               "set": "list", "tuple": "list", "map": "map", "object": "map"}  # fmt: skip


def type_of(value: Any) -> str | None:
    if isinstance(value, Unknown):
        return value.type
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return None if "${" in value else "string"  # an expression the caller left unresolved
    if value is None:
        return "null"
    return "map" if isinstance(value, dict) else "list" if isinstance(value, list) else None


def constraint_type(constraint: Any) -> str | None:
    """The type a variable's `type = ...` (rendered "${list(string)}") gives its value."""
    m = re.match(r"\$\{(\w+)", constraint) if isinstance(constraint, str) else None
    return _CONSTRAINT.get(m.group(1)) if m else None


def opaque(value: Any) -> bool:
    """Unknown itself, not merely holding unknown items (a list of two unknowns has length 2)."""
    return isinstance(value, Unknown) or (isinstance(value, str) and "${" in value)


def is_known(value: Any) -> bool:
    """Known, and so is everything inside it."""
    if opaque(value):
        return False
    if isinstance(value, dict):
        return all(is_known(v) for v in value.values())
    return all(is_known(v) for v in value) if isinstance(value, list) else True


def holds_unknown(value: Any) -> bool:
    """An `Unknown` in it, at any depth (text the caller left unresolved does not count)."""
    if isinstance(value, dict):
        return any(holds_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(holds_unknown(v) for v in value)
    return isinstance(value, Unknown)


def key(value: Any) -> Any:
    """Equal values have equal keys; unlike Python, HCL's `true` is not `1`. An unknown is keyed
    by its type: readings that agree up to unknown items agree on what is known of the value."""
    if isinstance(value, Unknown):
        return "?", value.type
    kind = type_of(value)
    if kind == "list":
        return kind, tuple(key(v) for v in value)
    if kind == "map":
        return kind, tuple(sorted((k, key(v)) for k, v in value.items()))
    return kind, float(value) if kind == "number" else repr(value)


def for_value(container: str, names: list[str], body: list[str], items: Any, keep: Any) -> Any:
    """What `[for <names> in items : <body> if keep]` (or its `{...}` form) comes to; `body` is
    the tokens' text, `keep` the condition's value (True without one), which must not depend on
    the loop: only its size is known, and the items when the body is the loop's value."""
    empty: Any = [] if container == "list" else {}
    if keep is INVALID or type_of(items) not in ("list", "map", None):
        return INVALID
    if keep is False or (not opaque(items) and len(items) == 0):
        return empty
    if keep is not True or opaque(items):
        return Unknown(container)
    if container == "list":  # `[for x in xs : x]` keeps the items, any other body one per item
        values = list(items.values()) if isinstance(items, dict) else items
        return list(values) if body == names[-1:] else [Unknown()] * len(values)
    if len(names) == 2 and isinstance(items, dict) and body[:2] == [names[0], "=>"]:
        return dict.fromkeys(items, Unknown())  # a map's own keys are distinct
    return Unknown(container)


def call(function: Callable[..., Any], args: Any) -> Any:
    """`function(*args)`, or INVALID for a number of arguments it does not take."""
    try:
        return function(*args)
    except TypeError:  # a wrong number of arguments
        return INVALID


def as_bool(value: Any) -> Any:
    """Terraform converts "true"/"false" to bool and nothing else."""
    if isinstance(value, bool):
        return value
    if type_of(value) == "string" and not isinstance(value, Unknown):
        return value == "true" if value in ("true", "false") else INVALID
    return Unknown("bool") if type_of(value) in (None, "bool", "string") else INVALID


def as_number(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return Unknown("number") if type_of(value) in (None, "number", "string") else INVALID


def negate(value: Any) -> Any:
    value = as_bool(value)
    return not value if isinstance(value, bool) else value


def binary(op: str, left: Any, right: Any) -> Any:
    if op in ("&&", "||"):
        a, b = as_bool(left), as_bool(right)
        if INVALID in (a, b):
            return INVALID
        decisive = op == "||"  # false decides `&&`, true decides `||`, whatever the other side
        if decisive in (a, b):
            return decisive
        return a if isinstance(a, Unknown) else b
    if op in ("==", "!="):
        equal = _equal(left, right)
        return equal if isinstance(equal, Unknown) else equal == (op == "==")
    if op in ("<", ">", "<=", ">="):
        a, b = as_number(left), as_number(right)
        if INVALID in (a, b):
            return INVALID
        if isinstance(a, Unknown) or isinstance(b, Unknown):
            return Unknown("bool")
        return _ARITHMETIC[op](a, b)
    return arithmetic(op, left, right)


def arithmetic(op: str, left: Any, right: Any) -> Any:
    a, b = as_number(left), as_number(right)
    if INVALID in (a, b):
        return INVALID
    if isinstance(a, Unknown) or isinstance(b, Unknown) or (op in "/%" and b == 0):
        return Unknown("number")
    if op == "%":  # Terraform's remainder differs from Python's for negative operands
        return a % b if min(a, b) >= 0 and isinstance(a + b, int) else Unknown("number")
    return _ARITHMETIC[op](a, b)


def _equal(left: Any, right: Any) -> Any:
    """`==` compares type and value; null equals only null. Collections are left unknown:
    `var.list == []` is false in Terraform (a list is not the empty tuple)."""
    kinds = {type_of(left), type_of(right)}
    if "null" in kinds and not (opaque(left) or opaque(right)):
        return kinds == {"null"}
    if not (is_known(left) and is_known(right)) or len(kinds) > 1:
        return Unknown("bool")
    return key(left) == key(right) if kinds <= {"bool", "number", "string"} else Unknown("bool")


def conditional(cond: Any, yes: Any, no: Any) -> Any:
    cond = as_bool(cond)
    if cond is INVALID:
        return INVALID
    kinds = {type_of(yes), type_of(no)} - {None, "null"}
    if kinds == {"number", "bool"}:
        return INVALID  # "Inconsistent conditional result types"
    if len(kinds) > 1:
        return Unknown()  # Terraform unifies the two (to string, say): not guessed
    if isinstance(cond, bool):
        # The branch taken; an untyped other branch could only change it by unifying to string.
        return yes if cond else no
    if is_known(yes) and is_known(no) and key(yes) == key(no):
        return yes
    return Unknown(kinds.pop() if kinds else None)


def _length(value: Any) -> Any:
    kind = type_of(value)
    if kind == "string" and not value.isascii():
        return Unknown("number")  # Terraform counts grapheme clusters
    return len(value) if kind in ("list", "map", "string") else INVALID


def _extreme(pick: Callable[..., Any]) -> Callable[..., Any]:
    def apply(*values: Any) -> Any:
        kinds = {type_of(v) for v in values}
        if not values or not kinds <= {"number", "string", None}:
            return INVALID
        return pick(values) if kinds == {"number"} else Unknown("number")

    return apply


def _lists(*values: Any) -> Any:
    ok = all(type_of(v) == "list" for v in values)
    return [v for lst in values for v in lst] if ok else INVALID


def _distinct(value: Any) -> Any:
    if type_of(value) != "list":
        return INVALID
    if not is_known(value):
        return Unknown("list")  # two unknown items may be one
    return list({key(v): v for v in value}.values())


def _strings(pick: Callable[[list[str]], list[str]]) -> Callable[[Any], Any]:
    def apply(value: Any) -> Any:
        if type_of(value) != "list":
            return INVALID
        ok = is_known(value) and all(isinstance(v, str) or v is None for v in value)
        return pick(value) if ok else Unknown("list")  # numbers would be converted: not guessed

    return apply


def _of_map(read: Callable[[dict[str, Any]], Any]) -> Callable[[Any], Any]:
    return lambda value: read(value) if type_of(value) == "map" else INVALID


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "length": _length,
    "max": _extreme(max),
    "min": _extreme(min),
    "keys": _of_map(sorted),
    "values": _of_map(lambda m: [m[k] for k in sorted(m)]),
    "concat": _lists,
    "tolist": lambda v: v if type_of(v) == "list" else INVALID,
    "toset": _distinct,
    "distinct": _distinct,
    "compact": _strings(lambda values: [v for v in values if v not in ("", None)]),
    "sort": _strings(lambda values: sorted(values) if None not in values else INVALID),
}
VARIADIC = frozenset({"max", "min", "concat"})
# What a call returns when its arguments are not all known (and for calls this module does not
# evaluate): enough for `var.on && contains(...)` to stay a bool.
RESULT_TYPES = {
    "length": "number", "max": "number", "min": "number", "tonumber": "number",
    "keys": "list", "values": "list", "concat": "list", "tolist": "list", "toset": "list",
    "distinct": "list", "compact": "list", "sort": "list", "flatten": "list", "slice": "list",
    "contains": "bool", "can": "bool", "tobool": "bool", "startswith": "bool",
    "tostring": "string", "format": "string", "join": "string", "lower": "string",
    "merge": "map", "tomap": "map",
}  # fmt: skip
