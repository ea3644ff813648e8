"""The value of an expression as bc-python-hcl2 renders it (`"${var.create ? 1 : 0}"`), when the
code alone gives it.

The renderer drops the source's grouping parentheses (and a call's `...`): `!(a && b)` and
`!a && b` arrive as the same text, and its own grammar has no operator precedence. So the text is
read in every way it could have been parenthesised; a reading Terraform would refuse is dropped
(see `hcl_values.INVALID`), and a value is given only when every remaining reading agrees.
Anything else is `Unknown`, never a guess. Read: literals, `var.`/`local.` (through a lookup),
`! - && || == != < > <= >= + - * / %`, `c ? a : b`, list and map literals, the size of a `for`
over a known collection, and the calls in `hcl_values.FUNCTIONS`; any other call or reference is
an `Unknown` of the type it is known to have.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

from infragen.tools.hcl_values import (
    FUNCTIONS,
    INVALID,
    RESULT_TYPES,
    VARIADIC,
    Unknown,
    arithmetic,
    as_bool,
    binary,
    call,
    conditional,
    for_value,
    key,
    negate,
    opaque,
    type_of,
)

Lookup = Callable[[str, str], Any]  # ("var" | "local", name) -> value or Unknown

_MAX_TOKENS, _MAX_STEPS, _MAX_PRODUCT = 200, 20_000, 64
_TOKEN = re.compile(
    r"""\s+
    |(?P<number>\d+(?:\.\d+)?)
    |(?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    |(?P<name>[A-Za-z_][\w-]*(?:\.(?:[A-Za-z_][\w-]*|\d+|\*)|\[[^\[\]]*\])*)
    |(?P<op>==|!=|<=|>=|&&|\|\||=>|[-+*/%<>!?:,()\[\]{}])""",
    re.X,
)
# The renderer writes true, false and null as Python does.
_CONSTANTS = {"true": True, "false": False, "null": None, "True": True, "False": False, "None": None}  # fmt: skip
_BINARY = frozenset({"==", "!=", "<", ">", "<=", ">=", "&&", "||", "+", "-", "*", "/", "%"})
_CLOSE = {"(": ")", "[": "]", "{": "}"}


class _Unreadable(Exception):
    """Text outside what this module reads."""


def evaluate(value: Any, lookup: Lookup, want: str | None = None) -> Any:
    """The value of `value`, a plain value or an expression rendered as `"${...}"`, or an
    `Unknown`; `want` drops readings of another type (count wants a "number")."""
    if not isinstance(value, str) or "${" not in value:
        return value
    if not (value.startswith("${") and value.endswith("}")):
        return Unknown("string")  # a template: "ex-${local.name}"
    try:
        reading = _Reading(value[2:-1], lookup)
        results = reading.spans(0, len(reading.tokens))
    except _Unreadable:
        return Unknown()
    results = [r for r in results if want is None or type_of(r) in (want, None)]
    if results and not opaque(results[0]) and all(key(r) == key(results[0]) for r in results):
        return results[0]
    types = {type_of(r) for r in results}
    return Unknown(types.pop() if len(types) == 1 else None)


class _Reading:
    """One expression's tokens, with every value each span of them can have (memoised)."""

    def __init__(self, text: str, lookup: Lookup) -> None:
        self.lookup = lookup
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None:
                raise _Unreadable(text[pos:])
            if m.lastgroup:
                self.tokens.append((m.lastgroup, m.group()))
            pos = m.end()
        if not self.tokens or len(self.tokens) > _MAX_TOKENS:
            raise _Unreadable(text)
        self.depth, self.match = [0] * len(self.tokens), {}
        opened: list[int] = []
        for i, (_, tok) in enumerate(self.tokens):
            if tok in _CLOSE:
                self.depth[i] = len(opened)
                opened.append(i)
            elif tok in _CLOSE.values():
                if not opened or _CLOSE[self.tokens[opened[-1]][1]] != tok:
                    raise _Unreadable(text)
                self.match[opened.pop()] = i
                self.depth[i] = len(opened)
            else:
                self.depth[i] = len(opened)
        if opened:
            raise _Unreadable(text)
        self.memo: dict[tuple[int, int], list[Any]] = {}
        self.steps = 0

    def spans(self, i: int, j: int) -> list[Any]:
        """Every value tokens[i:j] has under some parenthesisation, without repeats."""
        if (i, j) not in self.memo:
            found: dict[Any, Any] = {}
            for value in self._readings(i, j):
                self.steps += 1
                if self.steps > _MAX_STEPS:
                    raise _Unreadable("too many readings")
                if value is not INVALID:
                    found.setdefault(key(value), value)
            self.memo[i, j] = list(found.values())
        return self.memo[i, j]

    def _readings(self, i: int, j: int):
        kind, tok = self.tokens[i]
        if j - i == 1:
            yield self._atom(kind, tok)
        if tok in _CLOSE and self.match.get(i) == j - 1:
            yield from self._bracketed(i, j)
        if (
            kind == "name"
            and self.tokens[i + 1 : i + 2] == [("op", "(")]
            and self.match[i + 1] == j - 1
        ):
            yield from self._call(tok, i + 2, j - 1)
        if tok in ("!", "-") and j - i > 1:
            for value in self.spans(i + 1, j):
                yield negate(value) if tok == "!" else arithmetic("-", 0, value)
        level = self.depth[i]
        for k in range(i + 1, j - 1):
            op = self.tokens[k][1]
            if self.depth[k] == level and self.tokens[k][0] == "op" and op in _BINARY:
                for left, right in itertools.product(self.spans(i, k), self.spans(k + 1, j)):
                    yield binary(op, left, right)
            if self.depth[k] == level and op == "?":
                for c in range(k + 2, j - 1):
                    if self.depth[c] == level and self.tokens[c][1] == ":":
                        parts = (self.spans(i, k), self.spans(k + 1, c), self.spans(c + 1, j))
                        for cond, yes, no in itertools.product(*parts):
                            yield conditional(cond, yes, no)

    def _atom(self, kind: str, tok: str) -> Any:
        if kind == "number":
            return float(tok) if "." in tok else int(tok)
        if kind == "string":
            body = tok[1:-1]
            return Unknown("string") if "\\" in body or "${" in body else body
        if kind != "name":
            return INVALID
        if tok in _CONSTANTS:
            return _CONSTANTS[tok]
        if tok in ("for", "in", "if"):
            return INVALID
        root, _, name = tok.partition(".")
        if root in ("var", "local") and re.fullmatch(r"[A-Za-z_][\w-]*", name):
            found = self.lookup(root, name)
            return Unknown() if opaque(found) and not isinstance(found, Unknown) else found
        return Unknown()  # count.index, each.value, aws_x.y.id, module.m.out, var.x[0], ...

    def _items(self, i: int, j: int) -> list[tuple[int, int]]:
        """The comma-separated spans of tokens[i:j] (a trailing comma is allowed)."""
        cuts = [
            k for k in range(i, j) if self.depth[k] == self.depth[i] and self.tokens[k][1] == ","
        ]
        bounds = list(zip([i, *(k + 1 for k in cuts)], [*cuts, j], strict=True))
        return bounds[:-1] if bounds and bounds[-1][0] == bounds[-1][1] else bounds

    def _choices(self, bounds: list[tuple[int, int]]) -> list[list[Any]] | None:
        """The readings of each span; None when one has none."""
        choices = [self.spans(a, b) if a < b else [] for a, b in bounds]
        return None if any(not c for c in choices) else choices

    def _bracketed(self, i: int, j: int):
        tok, inner = self.tokens[i][1], (i + 1, j - 1)
        if tok == "(":
            yield from self.spans(*inner) if i + 1 < j - 1 else [INVALID]
            return
        container = "list" if tok == "[" else "map"
        if i + 1 < j - 1 and self.tokens[i + 1][1] == "for":
            yield from self._for(container, i + 1, j - 1)
            return
        bounds = self._items(*inner) if i + 1 < j - 1 else []
        if container == "map":  # rendered as a Python dict: {'key': value}
            keys = [self._atom(*self.tokens[a]) for a, _ in bounds]
            if any(b - a < 3 or self.tokens[a + 1][1] != ":" for a, b in bounds):
                yield INVALID
                return
            if not all(type_of(k) == "string" for k in keys):
                yield Unknown("map")
                return
            bounds = [(a + 2, b) for a, b in bounds]
        choices = self._choices(bounds)
        if choices is None:
            yield INVALID
        elif _product_size(choices) > _MAX_PRODUCT:
            yield Unknown(container)
        else:
            for values in itertools.product(*choices):
                if container == "list":
                    yield list(values)
                else:
                    yield dict(zip(keys, values, strict=True))

    def _for(self, container: str, i: int, j: int):
        """`[for v in xs : body if cond]` or `{for k, v in m : k => body if cond}` (tokens[i] is
        `for`): its size, when the collection is known and `cond` does not depend on the loop."""
        top = [k for k in range(i, j) if self.depth[k] == self.depth[i]]
        words = [self.tokens[k][1] for k in top]
        if "in" not in words:
            yield INVALID
            return
        start = top[words.index("in")]
        names = [self.tokens[k][1] for k in range(i + 1, start) if self.tokens[k][1] != ","]
        end = top[words.index("if")] if "if" in words else j
        conditions = self.spans(end + 1, j) if end < j else [True]
        for c in (k for k in top if start < k < end and self.tokens[k][1] == ":"):
            body = [t[1] for t in self.tokens[c + 1 : end]]
            for items, keep in itertools.product(self.spans(start + 1, c), conditions):
                yield for_value(container, names, body, items, as_bool(keep))

    def _call(self, name: str, i: int, j: int):
        choices = self._choices(self._items(i, j) if i < j else [])
        if choices is None:
            yield INVALID
        elif name not in FUNCTIONS or _product_size(choices) > _MAX_PRODUCT:
            yield Unknown(RESULT_TYPES.get(name))
        else:
            function, result = FUNCTIONS[name], RESULT_TYPES[name]
            for args in itertools.product(*choices):
                if any(opaque(a) for a in args):
                    yield Unknown(result)
                    continue
                yield call(function, args)
                # The renderer drops `...`: `max(var.sizes...)` arrives as `max(var.sizes)`.
                if name in VARIADIC and len(args) == 1 and isinstance(args[0], list):
                    yield call(function, args[0])


def _product_size(choices: list[list[Any]]) -> int:
    size = 1
    for c in choices:
        size *= len(c)
    return size
