"""The shipped AWS provider schemas (majors 5 and 6), loaded lazily and cached.

The data is built by scripts/build_schema.py from `cdktf-cdktf-provider-aws`; each file is gzip'd
compact JSON: {"provider_version", "source", "resources": {type: block}, "data_sources": {...}}
with block = {"a": {name: [type, "r"|"o"]}, "b": {name: [nesting, min, max, block]},
"c": [read-only attribute names]}.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from infragen.errors import ConfigError

MAJORS = (5, 6)
DEFAULT_MAJOR = 6


@dataclass(frozen=True, slots=True)
class NestedBlock:
    nesting: str  # list, set or single
    min_items: int
    max_items: int  # 0 means unbounded
    block: BlockSchema


class BlockSchema:
    """Arguments, nested blocks and read-only attributes of one resource, data source or block."""

    __slots__ = ("_raw", "_blocks")

    def __init__(self, raw: dict[str, Any]) -> None:
        self._raw = raw
        self._blocks: dict[str, NestedBlock] = {}

    @property
    def arguments(self) -> dict[str, list[str]]:
        """{name: [type, "r" (required) or "o" (optional)]}."""
        return self._raw["a"]

    @property
    def block_names(self) -> list[str]:
        return list(self._raw.get("b", {}))

    @property
    def computed(self) -> list[str]:
        """Attributes that are exported but cannot be set."""
        return self._raw.get("c", [])

    def block(self, name: str) -> NestedBlock | None:
        if name not in self._blocks:
            raw = self._raw.get("b", {}).get(name)
            if raw is None:
                return None
            self._blocks[name] = NestedBlock(raw[0], raw[1], raw[2], BlockSchema(raw[3]))
        return self._blocks[name]

    def exported(self) -> set[str]:
        """Every name `type.label.NAME` may reference."""
        return set(self._raw["a"]) | set(self._raw.get("b", {})) | set(self.computed)

    def required_arguments(self) -> list[str]:
        return [name for name, (_, flag) in self._raw["a"].items() if flag == "r"]


class ProviderSchema:
    """One provider version: resource and data source schemas by Terraform type name."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.version: str = raw["provider_version"]
        self.source: str = raw.get("source", "")
        self._raw = {"resource": raw["resources"], "data": raw["data_sources"]}
        self._cache: dict[tuple[str, str], BlockSchema] = {}

    def types(self, mode: str) -> list[str]:
        """All type names of a mode: "resource" or "data"."""
        return list(self._raw[mode])

    def lookup(self, mode: str, type_name: str) -> BlockSchema | None:
        key = (mode, type_name)
        if key not in self._cache:
            raw = self._raw[mode].get(type_name)
            if raw is None:
                return None
            self._cache[key] = BlockSchema(raw)
        return self._cache[key]


@cache
def load(major: int = DEFAULT_MAJOR) -> ProviderSchema:
    """The schema of AWS provider `major` (5 or 6), read once per process."""
    if major not in MAJORS:
        raise ConfigError(
            f"no offline AWS provider schema for major version {major}",
            f"use one of {', '.join(map(str, MAJORS))}, or rebuild with scripts/build_schema.py",
        )
    data = files("infragen").joinpath("data", "schema", f"aws-{major}.json.gz").read_bytes()
    return ProviderSchema(json.loads(gzip.decompress(data)))


def provider_version(major: int = DEFAULT_MAJOR) -> str:
    """The exact AWS provider version the shipped schema of `major` describes, e.g. "6.25.0"."""
    return load(major).version
