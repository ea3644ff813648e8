"""A Terraform root module read into blocks whose attributes are expression trees."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lark import Token, Tree

from infragen.intent.expressions import Expr, literal_text, to_expr
from infragen.tools.hcl import HclParseError, parse_text

META_ARGUMENTS = {
    "count",
    "for_each",
    "depends_on",
    "provider",
    "lifecycle",
    "provisioner",
    "connection",
}


@dataclass
class Block:
    type: str
    labels: list[str]
    attributes: dict[str, Expr] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    file: str = ""
    line: int = 0

    def blocks_of(self, kind: str) -> list[Block]:
        return [b for b in self.blocks if b.type == kind]


@dataclass
class ResourceBlock:
    mode: str  # "managed" or "data"
    type: str
    name: str
    block: Block

    @property
    def address(self) -> str:
        return f"{'data.' if self.mode == 'data' else ''}{self.type}.{self.name}"


@dataclass
class Module:
    resources: list[ResourceBlock] = field(default_factory=list)
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Expr] = field(default_factory=dict)
    outputs: dict[str, Block] = field(default_factory=dict)
    providers: list[Block] = field(default_factory=list)
    module_calls: dict[str, Block] = field(default_factory=dict)
    required_providers: dict[str, Any] = field(default_factory=dict)

    def resource(self, address: str) -> ResourceBlock | None:
        return next((r for r in self.resources if r.address == address), None)


def _parse_tree(text: str, file: str) -> Tree:
    from hcl2.parser import Hcl2

    try:
        return Hcl2.lark_parser.parse(text if text.endswith("\n") else text + "\n")
    except Exception as exc:  # report it the way the rest of infragen does
        parse_text(text, file)
        raise HclParseError(file, str(exc).splitlines()[0] if str(exc) else "parse error") from exc


def _label(node: Any) -> str:
    if isinstance(node, Token):
        return str(node)[1:-1] if str(node).startswith('"') else str(node)
    return str(node.children[0])


def _body(tree: Tree, file: str) -> tuple[dict[str, Expr], list[Block]]:
    attributes: dict[str, Expr] = {}
    blocks: list[Block] = []
    for item in tree.children:
        if not isinstance(item, Tree):
            continue
        if item.data == "attribute":
            parts = [c for c in item.children if isinstance(c, Tree)]
            attributes[_label(parts[0])] = to_expr(parts[1])
        elif item.data == "block":
            blocks.append(_block(item, file))
    return attributes, blocks


def _block(tree: Tree, file: str) -> Block:
    heads = [c for c in tree.children if not (isinstance(c, Tree) and c.data == "body")]
    heads = [h for h in heads if not (isinstance(h, Token) and h.type == "_NEW_LINE_OR_COMMENT")]
    body = next((c for c in tree.children if isinstance(c, Tree) and c.data == "body"), None)
    attributes, blocks = _body(body, file) if body is not None else ({}, [])
    return Block(
        type=_label(heads[0]),
        labels=[_label(h) for h in heads[1:]],
        attributes=attributes,
        blocks=blocks,
        file=file,
        line=tree.meta.line if not tree.meta.empty else 0,
    )


def load_module(files: dict[str, str]) -> Module:
    """Read every `.tf` file of a root module; raises HclParseError on the first bad file."""
    module = Module()
    for file, text in sorted(files.items()):
        if not file.endswith(".tf"):
            continue
        attributes, blocks = _body(_parse_tree(text, file).children[0], file)
        for block in blocks:
            _add_block(module, block)
    return module


def _add_block(module: Module, block: Block) -> None:
    if block.type in ("resource", "data") and len(block.labels) == 2:
        mode = "managed" if block.type == "resource" else "data"
        module.resources.append(ResourceBlock(mode, block.labels[0], block.labels[1], block))
    elif block.type == "variable" and block.labels:
        module.variables[block.labels[0]] = block
    elif block.type == "locals":
        module.locals.update(block.attributes)
    elif block.type == "output" and block.labels:
        module.outputs[block.labels[0]] = block
    elif block.type == "provider" and block.labels:
        module.providers.append(block)
    elif block.type == "module" and block.labels:
        module.module_calls[block.labels[0]] = block
    elif block.type == "terraform":
        for required in block.blocks_of("required_providers"):
            for name, expr in required.attributes.items():
                module.required_providers[name] = _static_object(expr)


def _static_object(expr: Expr) -> dict[str, str]:
    """`aws = { source = "...", version = "..." }` as plain strings; bare strings are versions."""
    from infragen.intent.expressions import ObjectExpr

    text = literal_text(expr)
    if text is not None:
        return {"version": text}
    out: dict[str, str] = {}
    if isinstance(expr, ObjectExpr):
        for key, value in expr.items:
            k, v = literal_text(key) or getattr(key, "value", None), literal_text(value)
            if isinstance(k, str) and v is not None:
                out[k] = v
    return out
