"""HCL parsing and the resource inventory.

infragen parses HCL with the `hcl2` module that Checkov's dependency `bc-python-hcl2` installs.
`python-hcl2` installs a module of the same name with another output format, and in one
environment the two overwrite each other's files; keeping a single distribution means Checkov and
infragen always agree on what a file says. That format wraps every attribute value in a
one-element list and every block in a list of dicts; `unwrap` turns it into plain values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

META_KEYS = ("__start_line__", "__end_line__")
_REFERENCE = re.compile(
    r"(?<![\w.])((?:data\.)?aws_[a-z0-9_]+\.[A-Za-z_][\w-]*|module\.[A-Za-z_][\w-]*|var\.[A-Za-z_]\w*|local\.[A-Za-z_]\w*)"
)


def matching_brace(text: str, open_brace: int) -> int | None:
    """Index of the `}` closing the `{` at `open_brace`, skipping quoted strings; None if unclosed."""
    depth, i, in_string = 0, open_brace, False
    while i < len(text):
        ch = text[i]
        if in_string:
            if ch == "\\":
                i += 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


class HclParseError(Exception):
    def __init__(self, file: str, message: str, line: int | None = None) -> None:
        super().__init__(f"{file}:{line or '?'}: {message}")
        self.file = file
        self.line = line
        self.message = message


def parse_text(text: str, file: str = "main.tf") -> dict[str, Any]:
    """Parse one HCL document into the raw (list-wrapped) structure, raising HclParseError."""
    import hcl2  # deferred: lark grammar construction costs ~0.3 s

    try:
        return hcl2.loads(text if text.endswith("\n") else text + "\n")
    except Exception as exc:  # lark raises many unrelated exception types
        line = getattr(exc, "line", None)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise HclParseError(file, first, line if isinstance(line, int) else None) from exc


def _is_block_list(value: Any) -> bool:
    """A block list holds dicts whose values are all list-wrapped (attributes or nested blocks)."""
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        return False
    return all(
        isinstance(inner, list) for v in value for k, inner in v.items() if k not in META_KEYS
    ) and any(k not in META_KEYS for v in value for k in v)


def unwrap(body: dict[str, Any]) -> dict[str, Any]:
    """Turn a raw block body into plain values: attributes unwrapped, blocks kept as lists."""
    out: dict[str, Any] = {}
    for key, value in body.items():
        if key in META_KEYS:
            out[key] = value
        elif key == "dynamic" and isinstance(value, list):
            out[key] = [{name: unwrap(inner) for name, inner in d.items()} for d in value]
        elif _is_block_list(value):
            out[key] = [unwrap(v) for v in value]
        elif isinstance(value, list) and len(value) == 1:
            out[key] = value[0]
        else:
            out[key] = value
    return out


def references(value: Any) -> set[str]:
    """Every `type.name`, `data.type.name`, `module.x`, `var.x` or `local.x` mentioned in a value."""
    found: set[str] = set()
    if isinstance(value, str):
        found.update(_REFERENCE.findall(value))
    elif isinstance(value, dict):
        for v in value.values():
            found |= references(v)
    elif isinstance(value, list):
        for v in value:
            found |= references(v)
    return found


@dataclass
class Resource:
    mode: str  # "managed" or "data"
    type: str
    name: str
    file: str
    line: int | None
    body: dict[str, Any]
    references: set[str] = field(default_factory=set)

    @property
    def address(self) -> str:
        prefix = "data." if self.mode == "data" else ""
        return f"{prefix}{self.type}.{self.name}"

    @property
    def count(self) -> int | None:
        """Literal count (1 when absent); None when count/for_each is computed."""
        if "for_each" in self.body:
            value = self.body["for_each"]
            return len(value) if isinstance(value, list | dict) else None
        value = self.body.get("count", 1)
        return value if isinstance(value, int) else None


@dataclass
class Inventory:
    """What a configuration declares, for completeness, cost and the Ansible inventory."""

    resources: list[Resource] = field(default_factory=list)
    variables: dict[str, dict[str, Any]] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    locals: dict[str, Any] = field(default_factory=dict)
    # The default (un-aliased) `provider` block per name; a name declared only with aliases maps
    # to Terraform's implicit empty default, pointing at the first alias's lines.
    providers: dict[str, Any] = field(default_factory=dict)
    # Aliased provider blocks by Terraform's address for them: {"aws.region2": body}.
    provider_aliases: dict[str, Any] = field(default_factory=dict)
    required_providers: dict[str, Any] = field(default_factory=dict)
    modules: dict[str, dict[str, Any]] = field(default_factory=dict)

    def of_type(self, rtype: str) -> list[Resource]:
        return [r for r in self.resources if r.type == rtype and r.mode == "managed"]

    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.resources:
            if r.mode == "managed":
                counts[r.type] = counts.get(r.type, 0) + (r.count or 1)
        return dict(sorted(counts.items()))


def _add_provider(inv: Inventory, name: str, body: dict[str, Any]) -> None:
    alias = body.get("alias")
    if not isinstance(alias, str):
        inv.providers[name] = body
        return
    inv.provider_aliases[f"{name}.{alias}"] = body
    inv.providers.setdefault(name, {k: v for k, v in body.items() if k in META_KEYS})


def _add_document(inv: Inventory, raw: dict[str, Any], file: str) -> None:
    for mode_key, mode in (("resource", "managed"), ("data", "data")):
        for group in raw.get(mode_key, []):
            for rtype, named in group.items():
                for name, body in named.items():
                    plain = unwrap(body)
                    inv.resources.append(
                        Resource(
                            mode=mode,
                            type=rtype,
                            name=name,
                            file=file,
                            line=body.get("__start_line__"),
                            body=plain,
                            references=references(plain) - {f"{rtype}.{name}"},
                        )
                    )
    for group in raw.get("variable", []):
        for name, body in group.items():
            inv.variables[name] = unwrap(body)
    for group in raw.get("output", []):
        for name, body in group.items():
            inv.outputs[name] = unwrap(body)
    for group in raw.get("locals", []):
        inv.locals.update({k: v for k, v in unwrap(group).items() if k not in META_KEYS})
    for group in raw.get("provider", []):
        for name, body in group.items():
            _add_provider(inv, name, unwrap(body))
    for group in raw.get("module", []):
        for name, body in group.items():
            inv.modules[name] = unwrap(body)
    for group in raw.get("terraform", []):
        for block in unwrap(group).get("required_providers", []) or []:
            inv.required_providers.update({k: v for k, v in block.items() if k not in META_KEYS})


def inventory_from_texts(files: dict[str, str]) -> Inventory:
    """Build an inventory from {relative path: HCL text}; raises HclParseError on the first bad file."""
    inv = Inventory()
    for file, text in sorted(files.items()):
        if file.endswith(".tf"):
            _add_document(inv, parse_text(text, file), file)
    return inv


def read_tf_files(directory: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(directory.glob("*.tf"))}


def inventory_from_dir(directory: Path) -> Inventory:
    return inventory_from_texts(read_tf_files(directory))
