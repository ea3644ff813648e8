"""Checks of one resource or data source body against its provider schema.

Each check mirrors an error `terraform validate` reports (unsupported argument or block type,
missing required argument, insufficient or too many blocks, value for an unconfigurable
attribute, incorrect attribute value type) so a generated project fails here, offline and in
milliseconds, for the same reasons it would fail there.
"""

from __future__ import annotations

from infragen.schema.issues import Edit, Issue, certain_rename, did_you_mean, issue
from infragen.schema.store import BlockSchema
from infragen.schema.syntax import Attribute, Block

RESOURCE_META_ARGUMENTS = {"count", "for_each", "depends_on", "provider"}
RESOURCE_META_BLOCKS = {"lifecycle", "provisioner", "connection"}
DATA_META_BLOCKS = {"lifecycle"}
# SDKv2 "ConfigModeAttr" blocks: Terraform also accepts them written as `name = [ {...} ]`.
ATTRIBUTE_MODE_BLOCKS = {
    ("aws_security_group", "ingress"),
    ("aws_security_group", "egress"),
    ("aws_default_security_group", "ingress"),
    ("aws_default_security_group", "egress"),
    ("aws_network_acl", "ingress"),
    ("aws_network_acl", "egress"),
    ("aws_default_network_acl", "ingress"),
    ("aws_default_network_acl", "egress"),
    ("aws_route_table", "route"),
    ("aws_default_route_table", "route"),
}
_SCALARS = {"string", "number", "bool"}


class BodyChecker:
    """Checks one top-level resource or data block, collecting issues with their certain edits."""

    def __init__(self, file: str, resource: str, type_name: str) -> None:
        self.file = file
        self.resource = resource
        self.type_name = type_name
        self.issues: list[Issue] = []

    def add(self, rule: str, line: int, message: str, edit: Edit | None = None) -> None:
        self.issues.append(issue(rule, self.file, line, message, self.resource, edit))

    def check(
        self, block: Block, schema: BlockSchema, meta_blocks: set[str], top: bool = True
    ) -> None:
        meta_arguments = RESOURCE_META_ARGUMENTS if top else set()
        present = {a.name for a in block.attributes}
        for attr in block.attributes:
            if attr.name not in meta_arguments:
                self.check_attribute(attr, schema, top, present)
        counts: dict[str, int] = {}
        for child in block.blocks:
            name = child.type
            if top and name in meta_blocks:
                continue
            if name == "dynamic" and child.labels:
                name = child.labels[0]
                nested = schema.block(name)
                if nested is None:
                    self.unknown_block(child, name, schema, child.line)
                    continue
                counts[name] = max(counts.get(name, 0), nested.min_items)
                for content in (b for b in child.blocks if b.type == "content"):
                    self.check(content, nested.block, set(), top=False)
                continue
            nested = schema.block(name)
            if nested is None:
                self.unknown_block(child, name, schema, child.line)
                continue
            counts[name] = counts.get(name, 0) + 1
            self.check(child, nested.block, set(), top=False)
        self.check_required(block, schema, present, counts)

    def check_required(
        self, block: Block, schema: BlockSchema, present: set[str], counts: dict[str, int]
    ) -> None:
        where = f' in "{block.type}"' if block.type not in ("resource", "data") else ""
        for name in schema.required_arguments():
            if name not in present:
                self.add(
                    "missing-required-argument",
                    block.line,
                    f'The argument "{name}" is required{where}, but no definition was found.',
                )
        for name in schema.block_names:
            nested = schema.block(name)
            assert nested is not None
            if name in present:
                continue  # written as an attribute: reported as such
            found = counts.get(name, 0)
            if found < nested.min_items:
                self.add(
                    "missing-required-block",
                    block.line,
                    f'Insufficient {name} blocks{where}: at least {nested.min_items} "{name}" block is required.',
                )
            elif nested.max_items and found > nested.max_items:
                self.add(
                    "too-many-blocks",
                    block.line,
                    f'Too many {name} blocks{where}: no more than {nested.max_items} "{name}" block is allowed.',
                )

    def check_attribute(
        self, attr: Attribute, schema: BlockSchema, top: bool, present: set[str]
    ) -> None:
        argument = schema.arguments.get(attr.name)
        if argument is not None:
            problem = type_problem(argument[0], attr)
            if problem:
                self.add(
                    "wrong-type", attr.line, f'Incorrect value type for "{attr.name}": {problem}.'
                )
            return
        nested = schema.block(attr.name)
        if nested is not None:
            if nested.nesting == "single":
                # The schema source cannot tell a single nested block from a single nested
                # attribute (plugin-framework resources such as aws_s3tables_table_bucket use
                # `encryption_configuration = {...}`), so both spellings are accepted.
                return
            if (self.type_name, attr.name) in ATTRIBUTE_MODE_BLOCKS and attr.kind in (
                "tuple",
                "expr",
            ):
                return
            edit = None
            if attr.kind == "object":
                edit = Edit(
                    self.file,
                    attr.name_span[1],
                    attr.value_start,
                    " ",
                    f'{self.file}:{attr.line}: wrote "{attr.name} = {{...}}" as the block "{attr.name} {{...}}"',
                )
            self.add(
                "block-as-attribute",
                attr.line,
                f'An argument named "{attr.name}" is not expected here. Did you mean to define a block of type '
                f'"{attr.name}"? Write it without "=".',
                edit,
            )
            return
        if top and attr.name in schema.computed:
            self.add(
                "read-only-attribute",
                attr.line,
                f'"{attr.name}" is exported by {self.type_name} but cannot be set (it is computed).',
            )
            return
        candidates = set(schema.arguments)
        rename = certain_rename(attr.name, candidates)
        edit = None
        if rename and rename not in present:  # renaming onto a set argument would redefine it
            edit = Edit(
                self.file,
                attr.name_span[0],
                attr.name_span[1],
                rename,
                f'{self.file}:{attr.line}: renamed argument "{attr.name}" to "{rename}" in {self.resource}',
            )
        self.add(
            "unknown-argument",
            attr.line,
            f'An argument named "{attr.name}" is not expected here.{did_you_mean(attr.name, candidates)}',
            edit,
        )

    def unknown_block(self, block: Block, name: str, schema: BlockSchema, line: int) -> None:
        argument = schema.arguments.get(name)
        if argument is not None:
            if argument[0].startswith("any"):
                return
            edit = None
            if block.type != "dynamic" and not block.blocks and not block.labels:
                edit = Edit(
                    self.file,
                    block.name_span[1],
                    block.name_span[1],
                    " =",
                    f'{self.file}:{line}: wrote the block "{name} {{...}}" as the argument "{name} = {{...}}"',
                )
            self.add(
                "attribute-as-block",
                line,
                f'Blocks of type "{name}" are not expected here. Did you mean to define argument "{name}"? '
                f"If so, use the equals sign to assign it a value.",
                edit,
            )
            return
        candidates = set(schema.block_names)
        self.add(
            "unknown-block",
            line,
            f'Blocks of type "{name}" are not expected here.{did_you_mean(name, candidates | set(schema.arguments))}',
        )


def type_problem(schema_type: str, attr: Attribute) -> str | None:
    """Why a literal cannot convert to the argument's type, or None when it can (or is unknown)."""
    kind = attr.kind
    if kind in ("expr", "template", "null"):
        return None
    base = schema_type.split("(", 1)[0]
    if base in _SCALARS and kind in ("tuple", "object"):
        return f"{base} required, got a {'list' if kind == 'tuple' else 'map or object'}"
    if base == "number" and kind == "bool":
        return "number required, got a bool"
    if base == "number" and kind == "string" and not _is_number(attr.literal or ""):
        return f'a number is required, got "{attr.literal}"'
    if base == "bool" and kind == "number":
        return "bool required, got a number"
    if base == "bool" and kind == "string" and attr.literal not in ("true", "false"):
        return f'a bool is required, got "{attr.literal}"'
    if base in ("list", "set") and kind in ("string", "number", "bool", "object"):
        return f"{base} of values required, got a {'map or object' if kind == 'object' else kind}"
    if base == "map" and kind in ("string", "number", "bool", "tuple"):
        return f"map required, got a {'list' if kind == 'tuple' else kind}"
    return None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
