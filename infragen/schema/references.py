"""Checks of references: declared resources, data sources, variables, locals, modules, and
attributes that the referenced resource actually exports."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from infragen.schema.issues import Issue, did_you_mean, issue
from infragen.schema.store import ProviderSchema
from infragen.schema.syntax import Block, Traversal

# Resource types of the utility providers that generated projects commonly use beside aws.
_OTHER_PROVIDERS = re.compile(
    r"^(random|tls|null|archive|local|time|http|template|cloudinit|external)_\w+$"
)
# Attributes every resource answers to, whether or not its schema lists them.
_ALWAYS_EXPORTED = {"id"}


@dataclass
class Declarations:
    """What a module declares, gathered over all its files."""

    resources: set[tuple[str, str]] = field(default_factory=set)
    data: set[tuple[str, str]] = field(default_factory=set)
    variables: set[str] = field(default_factory=set)
    locals: set[str] = field(default_factory=set)
    modules: set[str] = field(default_factory=set)

    def add_document(self, root: Block) -> None:
        for block in root.blocks:
            labels = block.labels
            if block.type == "resource" and len(labels) == 2:
                self.resources.add((labels[0], labels[1]))
            elif block.type == "data" and len(labels) == 2:
                self.data.add((labels[0], labels[1]))
            elif block.type == "variable" and labels:
                self.variables.add(labels[0])
            elif block.type == "module" and labels:
                self.modules.add(labels[0])
            elif block.type == "locals":
                self.locals.update(a.name for a in block.attributes)


class ReferenceChecker:
    def __init__(self, schema: ProviderSchema, declared: Declarations) -> None:
        self.schema = schema
        self.declared = declared
        self.resource_types = {t for t, _ in declared.resources}

    def check(
        self, file: str, line: int, traversal: Traversal, resource: str | None
    ) -> Issue | None:
        root = traversal[0]
        name = traversal[1] if len(traversal) > 1 else None
        if name is None:
            return None
        if root == "var" and name not in self.declared.variables:
            return issue(
                "undeclared-reference",
                file,
                line,
                f'An input variable "{name}" is referenced but not declared.'
                f"{did_you_mean(name, self.declared.variables)}",
                resource,
            )
        if root == "local" and name not in self.declared.locals:
            return issue(
                "undeclared-reference",
                file,
                line,
                f'A local value "{name}" is referenced but not declared.'
                f"{did_you_mean(name, self.declared.locals)}",
                resource,
            )
        if root == "module" and name not in self.declared.modules:
            return issue(
                "undeclared-reference",
                file,
                line,
                f'A module "{name}" is referenced but not declared.',
                resource,
            )
        if root == "data":
            if len(traversal) < 3 or traversal[2] is None:
                return None
            return self._resource(file, line, "data", name, traversal[2], traversal[3:], resource)
        if (
            root in self.resource_types
            or self.schema.lookup("resource", root)
            or _OTHER_PROVIDERS.match(root)
        ):
            return self._resource(file, line, "resource", root, name, traversal[2:], resource)
        return None

    def _resource(
        self,
        file: str,
        line: int,
        mode: str,
        type_name: str,
        label: str,
        rest: Traversal,
        resource: str | None,
    ) -> Issue | None:
        pool = self.declared.data if mode == "data" else self.declared.resources
        address = f"{'data.' if mode == 'data' else ''}{type_name}.{label}"
        if (type_name, label) not in pool:
            labels = {n for t, n in pool if t == type_name}
            return issue(
                "undeclared-reference",
                file,
                line,
                f'A {"data source" if mode == "data" else "resource"} "{type_name}" "{label}" is referenced '
                f"but not declared.{did_you_mean(label, labels)}",
                resource,
            )
        attribute = next((step for step in rest if step is not None), None)
        schema = self.schema.lookup(mode, type_name)
        if attribute is None or schema is None:
            return None
        exported = schema.exported()
        if attribute in exported or attribute in _ALWAYS_EXPORTED:
            return None
        return issue(
            "unknown-attribute-reference",
            file,
            line,
            f'{address} has no attribute "{attribute}".{did_you_mean(attribute, exported)}',
            resource,
        )


def traversals_of(block: Block, bound: frozenset[str] = frozenset()) -> list[tuple[int, Traversal]]:
    """Every (line, traversal) inside a block, nested blocks included, except those that start at
    a `dynamic` block's iterator (`dynamic "http_header"` binds `http_header` inside it)."""
    if block.type == "dynamic" and block.labels:
        iterator = block.attribute("iterator")
        name = iterator.traversals[0][0] if iterator and iterator.traversals else block.labels[0]
        bound = bound | {name}
    found = [
        (a.line, t)
        for a in block.attributes
        if not (block.type == "dynamic" and a.name == "iterator")
        for t in a.traversals
        if t[0] not in bound
    ]
    for child in block.blocks:
        found.extend(traversals_of(child, bound))
    return found
