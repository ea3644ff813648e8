"""HCL expressions as a small syntax tree.

`hcl2` (bc-python-hcl2, see infragen/tools/hcl.py) flattens every non-literal expression into a
string and renders function arguments as Python reprs, which loses what a plan document needs:
which traversals an expression holds and what a `jsonencode(...)` evaluates to. We therefore
walk the same package's lark parse tree ourselves, so parsing still agrees with Checkov's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lark import Token, Tree

from infragen.tools.hcl import matching_brace


class Expr:
    """Base of every expression node."""


@dataclass
class Literal(Expr):
    value: Any


@dataclass
class Template(Expr):
    """A quoted string or heredoc; parts are literal text or interpolated expressions."""

    parts: list[str | Expr]


@dataclass
class Variable(Expr):
    name: str


@dataclass
class GetAttr(Expr):
    source: Expr
    name: str


@dataclass
class Index(Expr):
    source: Expr
    key: Expr


@dataclass
class Splat(Expr):
    """`x[*].a.b` or `x.*.a`: steps are ("attr", name) or ("index", Expr) applied to each item."""

    source: Expr
    steps: list[tuple[str, Any]] = field(default_factory=list)


@dataclass
class Call(Expr):
    name: str
    args: list[Expr]
    expand_last: bool = False


@dataclass
class TupleExpr(Expr):
    items: list[Expr]


@dataclass
class ObjectExpr(Expr):
    items: list[tuple[Expr, Expr]]


@dataclass
class Conditional(Expr):
    condition: Expr
    true: Expr
    false: Expr


@dataclass
class BinaryOp(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass
class UnaryOp(Expr):
    op: str
    operand: Expr


@dataclass
class ForExpr(Expr):
    key_var: str | None
    value_var: str
    collection: Expr
    key: Expr | None  # set for object-producing `{for ...}`
    value: Expr
    condition: Expr | None
    grouping: bool = False


_KEYWORDS = {"true": True, "false": False, "null": None}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_HEREDOC = re.compile(r"<<(-?)([A-Za-z][\w.-]*)\n(.*?)\n?[ \t]*\2\Z", re.S)


def _children(tree: Tree) -> list[Any]:
    return [
        c for c in tree.children if not (isinstance(c, Token) and c.type == "_NEW_LINE_OR_COMMENT")
    ]


@lru_cache(maxsize=4096)
def parse_expression(source: str) -> Expr:
    """Parse the text of one expression (as found inside `${...}`)."""
    from hcl2.parser import Hcl2

    tree = Hcl2.lark_parser.parse(f"__x = {source}\n")
    attribute = tree.children[0].children[0]
    return to_expr(_children(attribute)[1])


def to_expr(node: Any) -> Expr:
    """Convert one lark node of the hcl2 grammar into an expression node."""
    if isinstance(node, Token):
        return _token(node)
    kind = node.data
    kids = _children(node)
    if kind == "expr_term":
        return to_expr(kids[1] if len(kids) > 1 and kids[0] == "(" else kids[0])
    if kind == "identifier":
        name = str(kids[0])
        return Literal(_KEYWORDS[name]) if name in _KEYWORDS else Variable(name)
    if kind == "int_lit":
        return Literal(int("".join(str(k) for k in kids)))
    if kind == "float_lit":
        return Literal(float("".join(str(k) for k in kids)))
    if kind == "tuple":
        return TupleExpr([to_expr(k) for k in kids])
    if kind == "object":
        items = []
        for elem in kids:
            key_node, value_node = _children(elem)[0], _children(elem)[-1]
            key = to_expr(key_node)
            if isinstance(key, Variable):  # bare identifiers are literal keys
                key = Literal(key.name)
            items.append((key, to_expr(value_node)))
        return ObjectExpr(items)
    if kind in ("function_call", "provider_function_call"):
        name = str(_children(kids[0])[0]) if isinstance(kids[0], Tree) else str(kids[0])
        args_tree = next((k for k in kids if isinstance(k, Tree) and k.data == "arguments"), None)
        args, expand = [], False
        if args_tree is not None:
            args = [to_expr(a) for a in _children(args_tree) if not isinstance(a, Token)]
            expand = any(isinstance(a, Token) and a == "..." for a in args_tree.children)
        return Call(name, args, expand)
    if kind == "get_attr_expr_term":
        return GetAttr(to_expr(kids[0]), str(_children(_children(kids[1])[0])[0]))
    if kind == "index_expr_term":
        return Index(to_expr(kids[0]), _index_key(kids[1]))
    if kind in ("attr_splat_expr_term", "full_splat_expr_term"):
        steps: list[tuple[str, Any]] = []
        for step in _children(kids[1]):
            if step.data == "get_attr":
                steps.append(("attr", str(_children(_children(step)[0])[0])))
            else:
                steps.append(("index", _index_key(step)))
        return Splat(to_expr(kids[0]), steps)
    if kind == "conditional":
        return Conditional(*(to_expr(k) for k in kids))
    if kind == "binary_op":
        return _binary(node)
    if kind == "unary_op":
        return UnaryOp(str(kids[0]), to_expr(kids[1]))
    if kind in ("heredoc_template", "heredoc_template_trim"):
        return _heredoc(str(kids[0]))
    if kind in ("for_tuple_expr", "for_object_expr"):
        return _for(kind, kids)
    raise ValueError(f"unsupported HCL expression: {kind}")


# HCL's operator precedence, loosest first; all are left-associative. The hcl2 grammar has none:
# it nests every chain to the right (`2 * 3 + 1` as `2 * (3 + 1)`, `a == 1 ? x : y` as
# `a == (1 ? x : y)`), so chains are flattened and rebuilt here.
_PRECEDENCE = {"||": 1, "&&": 2, "==": 3, "!=": 3, ">": 4, ">=": 4, "<": 4, "<=": 4,
               "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}  # fmt: skip


def _chain(node: Tree) -> tuple[list[Any], list[str]]:
    """The operands and operators of a right-nested binary_op chain, in source order."""
    operands, ops = [], []
    while isinstance(node, Tree) and node.data == "binary_op":
        kids = _children(node)
        term = _children(kids[1])
        operands.append(kids[0])
        ops.append(str(_children(term[0])[0]))
        node = term[1]  # wrapped in an expr_term only when parenthesised
    return [*operands, node], ops


def _binary(node: Tree) -> Expr:
    operands, ops = _chain(node)
    last = operands[-1]
    if isinstance(last, Tree) and last.data == "conditional":
        # the conditional binds loosest: its condition ends the chain, the chain is the condition
        condition, true, false = _children(last)
        inner, inner_ops = _chain(condition)
        condition = _climb([*map(to_expr, operands[:-1]), *map(to_expr, inner)], [*ops, *inner_ops])
        return Conditional(condition, to_expr(true), to_expr(false))
    return _climb([to_expr(o) for o in operands], ops)


def _climb(operands: list[Expr], ops: list[str]) -> Expr:
    """Operands and operators rebuilt by precedence, left to right within a level."""
    if not ops:
        return operands[0]
    loosest = min(_PRECEDENCE.get(op, 0) for op in ops)
    split = max(i for i, op in enumerate(ops) if _PRECEDENCE.get(op, 0) == loosest)
    return BinaryOp(
        ops[split],
        _climb(operands[: split + 1], ops[:split]),
        _climb(operands[split + 1 :], ops[split + 1 :]),
    )


def _index_key(index: Tree) -> Expr:
    kids = _children(index)
    if kids and isinstance(kids[0], Token) and kids[0].type == "DECIMAL":  # legacy `x.0`
        return Literal(int("".join(str(k) for k in kids)))
    return to_expr(kids[0])


def _token(token: Token) -> Expr:
    text = str(token)
    if token.type == "STRING_LIT":
        return parse_template(text[1:-1], escapes=True)
    raise ValueError(f"unexpected token {token.type}: {text}")


def _heredoc(raw: str) -> Template:
    match = _HEREDOC.match(raw)
    if not match:
        return Template([raw])
    body = match.group(3) + "\n"
    if match.group(1):  # `<<-` strips the smallest common indentation
        lines = body.split("\n")
        indent = min((len(x) - len(x.lstrip(" ")) for x in lines if x.strip()), default=0)
        body = "\n".join(x[indent:] for x in lines)
    return parse_template(body, escapes=False)


def parse_template(text: str, escapes: bool) -> Template:
    """Split template text into literal runs and `${...}` interpolations."""
    parts: list[str | Expr] = []
    buf: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if escapes and ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt == "u" and i + 5 < len(text):
                buf.append(chr(int(text[i + 2 : i + 6], 16)))
                i += 6
                continue
            buf.append(_ESCAPES.get(nxt, "\\" + nxt))
            i += 2
        elif text.startswith("$${", i) or text.startswith("%%{", i):
            buf.append(text[i + 1 : i + 3])
            i += 3
        elif text.startswith("${", i):
            end = matching_brace(text, i + 1)
            if end is None:
                raise ValueError(f"unclosed interpolation in {text!r}")
            if buf:
                parts.append("".join(buf))
                buf = []
            parts.append(parse_expression(text[i + 2 : end].strip().strip("~").strip()))
            i = end + 1
        else:
            buf.append(ch)
            i += 1
    if buf or not parts:
        parts.append("".join(buf))
    return Template(parts)


def _for(kind: str, kids: list[Any]) -> ForExpr:
    trees = [k for k in kids if isinstance(k, Tree)]
    intro = _children(trees[0])
    names = [str(_children(k)[0]) for k in intro if isinstance(k, Tree) and k.data == "identifier"]
    collection = to_expr(next(k for k in intro if isinstance(k, Tree) and k.data != "identifier"))
    cond_tree = next((k for k in trees if k.data == "for_cond"), None)
    condition = to_expr(_children(cond_tree)[-1]) if cond_tree is not None else None
    exprs = [to_expr(k) for k in trees[1:] if k.data != "for_cond"]
    key_var, value_var = (names[0], names[1]) if len(names) == 2 else (None, names[0])
    grouping = any(isinstance(k, Token) and k == "..." for k in kids)
    if kind == "for_object_expr":
        return ForExpr(key_var, value_var, collection, exprs[0], exprs[1], condition, grouping)
    return ForExpr(key_var, value_var, collection, None, exprs[0], condition)


def literal_text(expr: Expr) -> str | None:
    """The text of a template without interpolations, else None."""
    if isinstance(expr, Template) and all(isinstance(p, str) for p in expr.parts):
        return "".join(expr.parts)  # type: ignore[arg-type]
    return None
