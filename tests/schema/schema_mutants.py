"""Mutants of valid programs, each breaking the schema the way generated code typically does."""

from __future__ import annotations

import random
from collections.abc import Iterator

from infragen.schema.store import load
from infragen.schema.syntax import Block, parse_document
from infragen.schema.version import pick_major

KINDS = ("rename-type", "drop-required", "misspell-argument", "block-as-attribute")


def _resources(root: Block) -> list[Block]:
    return [b for b in root.blocks if b.type == "resource" and len(b.labels) == 2]


def _nested(block: Block) -> list[Block]:
    out = []
    for child in block.blocks:
        if child.type not in ("dynamic", "lifecycle", "provisioner", "connection"):
            out.append(child)
            out.extend(_nested(child))
    return out


def _one_line(text: str, start: int) -> bool:
    """Whether the value starting at `start` ends on its own line (brackets balance there)."""
    line = text[start : text.find("\n", start)]
    return all(line.count(o) == line.count(c) for o, c in ("{}", "[]", "()")) and "<<" not in line


def mutants(text: str, seed: int) -> Iterator[tuple[str, str]]:
    """Yield (kind, mutated text) for each kind that applies to the program."""
    rng = random.Random(seed)
    root = parse_document(text)
    schema = load(pick_major([root]))
    resources = [b for b in _resources(root) if schema.lookup("resource", b.labels[0])]
    if not resources:
        return
    target = rng.choice(resources)
    # rename-type: a plural or dropped letter, as models do ("aws_s3_buckets", "aws_instanc").
    start = text.index(f'"{target.labels[0]}"', target.name_span[0])
    wrong = target.labels[0] + "s" if rng.random() < 0.5 else target.labels[0][:-1]
    yield "rename-type", text[: start + 1] + wrong + text[start + 1 + len(target.labels[0]) :]
    body = schema.lookup("resource", target.labels[0])
    required = [
        a
        for a in target.attributes
        if a.name in body.required_arguments() and _one_line(text, a.value_start)
    ]
    if required:
        attr = rng.choice(required)
        end = text.find("\n", attr.value_start)
        yield "drop-required", text[: attr.name_span[0]] + text[end:]
    arguments = [a for a in target.attributes if a.name in body.arguments and len(a.name) > 3]
    if arguments:
        attr = rng.choice(arguments)
        i = rng.randrange(1, len(attr.name) - 1)
        misspelt = attr.name[:i] + attr.name[i + 1 :]  # a dropped letter
        yield "misspell-argument", text[: attr.name_span[0]] + misspelt + text[attr.name_span[1] :]
    blocks = [b for b in _nested(target) if not b.labels]
    if blocks:
        block = rng.choice(blocks)
        end = block.name_span[1]
        yield "block-as-attribute", text[:end] + " =" + text[end:]
