"""A light syntax tree of one HCL document, read from the lark tree of bc-python-hcl2.

The dict that `hcl2.loads` returns cannot tell `tags = {}` from `tags {}` and loses the lines of
attributes, yet those are exactly what a schema check reports and a repair edits. So this module
walks the lark tree itself and keeps, per attribute and block, its line, source span, the kind of
literal it holds and the traversals (`aws_instance.web.id`) it mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from lark import Lark, Token, Tree

from infragen.tools.hcl import HclParseError

# One traversal: names with None for an index or splat step, e.g. ["aws_instance", "web", None, "id"].
Traversal = list[str | None]

_INTERPOLATION = re.compile(r"\$\{([^}]*)\}")
_TRAVERSAL_TEXT = re.compile(
    r"(?<![\w.\"'])[A-Za-z_][\w-]*(?:\[[^\]]*\]|\.[A-Za-z_][\w-]*|\.\*|\[\*\])+"
)
_STEP = re.compile(r"\[[^\]]*\]|\.\*|\.?([A-Za-z_][\w-]*)")
_CHAINS = ("get_attr_expr_term", "index_expr_term", "attr_splat_expr_term", "full_splat_expr_term")
_FOR_EXPRESSIONS = ("for_tuple_expr", "for_object_expr")


@dataclass(slots=True)
class Attribute:
    name: str
    line: int
    kind: str  # string, template, number, bool, null, tuple, object, expr
    literal: str | None  # the unquoted text of a plain string literal
    traversals: list[Traversal]
    name_span: tuple[int, int]
    value_start: int
    members: dict[str, str]  # plain string members of an object literal, e.g. {"version": "~> 5.0"}


@dataclass(slots=True)
class Block:
    type: str
    labels: list[str]
    line: int
    name_span: tuple[int, int]
    open_brace: int  # offset just after "{"
    attributes: list[Attribute] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    def attribute(self, name: str) -> Attribute | None:
        return next((a for a in self.attributes if a.name == name), None)


@cache
def _lark_parser() -> Lark:
    """The bc-python-hcl2 grammar without position propagation, which triples parse time;
    tokens still carry their line and offsets, which is all the checks and repairs need."""
    from hcl2.parser import LARK_GRAMMAR  # deferred: building the grammar costs ~0.3 s

    return Lark(LARK_GRAMMAR, parser="lalr", propagate_positions=False, cache=True)


def parse_document(text: str, file: str = "main.tf") -> Block:
    """Parse HCL into a root Block (type "") holding the top-level attributes and blocks."""
    if not text.endswith("\n"):
        text += "\n"
    try:
        tree = _lark_parser().parse(text)
    except Exception as exc:  # lark raises many unrelated exception types
        line = getattr(exc, "line", None)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise HclParseError(file, first, line if isinstance(line, int) else None) from exc
    root = Block("", [], 1, (0, 0), 0)
    body = next((c for c in tree.children if isinstance(c, Tree) and c.data == "body"), None)
    if body is not None:
        _fill(root, body, text)
    return root


def _fill(block: Block, body: Tree, text: str) -> None:
    for node in body.children:
        if not isinstance(node, Tree):
            continue
        if node.data == "attribute":
            block.attributes.append(_attribute(node, text))
        elif node.data == "block":
            block.blocks.append(_block(node, text))


def _identifier(node: Tree) -> str:
    return str(node.children[0])


def _token(node: Tree) -> Token:
    """The first token of an identifier tree (its line and offsets)."""
    return node.children[0]


def _block(node: Tree, text: str) -> Block:
    head = _token(node.children[0])
    labels = [
        str(c).strip('"') if isinstance(c, Token) else _identifier(c) for c in node.children[1:-1]
    ]
    last = node.children[-2]
    after = last.end_pos if isinstance(last, Token) else _token(last).end_pos
    brace = text.find("{", after)
    block = Block(str(head), labels, head.line, (head.start_pos, head.end_pos), brace + 1)
    _fill(block, node.children[-1], text)
    return block


def _attribute(node: Tree, text: str) -> Attribute:
    head, value = _token(node.children[0]), node.children[1]
    kind, literal = _literal(value)
    traversals: list[Traversal] = []
    _collect(value, traversals)
    start = head.end_pos + text[head.end_pos :].index("=") + 1
    while text[start] in " \t":
        start += 1
    return Attribute(
        str(head),
        head.line,
        kind,
        literal,
        traversals,
        (head.start_pos, head.end_pos),
        start,
        _members(value) if kind == "object" else {},
    )


def _members(value: Tree) -> dict[str, str]:
    obj = value.children[0]
    out: dict[str, str] = {}
    for elem in obj.children:
        if not isinstance(elem, Tree) or len(elem.children) != 2:
            continue
        key, member = elem.children
        name = _identifier(key) if isinstance(key, Tree) and key.data == "identifier" else None
        kind, literal = _literal(member)
        if name and kind == "string" and literal is not None:
            out[name] = literal
    return out


def _literal(value: Tree | Token) -> tuple[str, str | None]:
    """The kind of value a literal expression holds, and the text of a plain string."""
    if isinstance(value, Tree) and value.data == "unary_op":
        kind, _ = _literal(value.children[1])
        return ("number" if kind == "number" else "expr"), None
    if not isinstance(value, Tree) or value.data != "expr_term" or len(value.children) != 1:
        return "expr", None
    inner = value.children[0]
    if isinstance(inner, Token):
        if inner.type == "STRING_LIT":
            raw = str(inner)[1:-1]
            return ("template", None) if "${" in raw or "%{" in raw else ("string", raw)
        return "expr", None
    kinds = {
        "int_lit": "number",
        "float_lit": "number",
        "tuple": "tuple",
        "for_tuple_expr": "tuple",
        "object": "object",
        "for_object_expr": "object",
        "heredoc_template": "template",
        "heredoc_template_trim": "template",
    }
    if inner.data == "identifier":
        word = _identifier(inner)
        return {"true": "bool", "false": "bool", "null": "null"}.get(word, "expr"), None
    return kinds.get(inner.data, "expr"), None


def _chain(node: Tree | Token, indexes: list[Tree]) -> Traversal | None:
    """Flatten `a.b[0].c` into names; None when the base is not a plain identifier."""
    if isinstance(node, Token):
        return None
    if node.data == "expr_term" and len(node.children) == 1:
        inner = node.children[0]
        if isinstance(inner, Tree) and inner.data == "identifier":
            return [_identifier(inner)]
        return _chain(inner, indexes) if isinstance(inner, Tree) and inner.data in _CHAINS else None
    if node.data not in _CHAINS:
        return None
    base = _chain(node.children[0], indexes)
    if base is None:
        return None
    for step in node.children[1:]:
        base.extend(_steps(step, indexes))
    return base


def _steps(step: Tree, indexes: list[Tree]) -> Traversal:
    if step.data == "get_attr":
        return [_identifier(step.children[0])]
    if step.data == "index":
        indexes.extend(c for c in step.children if isinstance(c, Tree))
        return [None]
    out: Traversal = [None]  # attr_splat / full_splat, then their own get_attr / index steps
    for child in step.children:
        if isinstance(child, Tree):
            out.extend(_steps(child, indexes))
    return out


def _collect(node: Tree | Token, out: list[Traversal]) -> None:
    if isinstance(node, Token):
        if "${" in node:
            out.extend(traversals_in_template(str(node)))
        return
    if node.data in _FOR_EXPRESSIONS:
        # `for time_slot in ...`: the loop variables are not references to anything declared
        intro = next(c for c in node.children if isinstance(c, Tree) and c.data == "for_intro")
        bound = {
            _identifier(c) for c in intro.children if isinstance(c, Tree) and c.data == "identifier"
        }
        inner: list[Traversal] = []
        for child in node.children:
            _collect(child, inner)
        out.extend(t for t in inner if t[0] not in bound)
        return
    if node.data in _CHAINS or (
        node.data == "expr_term"
        and len(node.children) == 1
        and isinstance(node.children[0], Tree)
        and node.children[0].data == "identifier"
    ):
        indexes: list[Tree] = []
        chain = _chain(node, indexes)
        if chain is not None:
            out.append(chain)
            for index in indexes:
                _collect(index, out)
            return
    for child in node.children:
        _collect(child, out)


def traversals_in_template(text: str) -> list[Traversal]:
    """Traversals inside the `${...}` interpolations of a string or heredoc."""
    found: list[Traversal] = []
    for inner in _INTERPOLATION.findall(text):
        for match in _TRAVERSAL_TEXT.finditer(inner):
            found.append([m.group(1) for m in _STEP.finditer(match.group(0))])
    return found
