"""The local modules a configuration calls, read so that the price table can price what they make.

Terraform creates a module call's resources as `module.<name>.<address>`. A call whose source is
a local path (`./x`, `../x`) is read from disk relative to the calling directory, recursively, its
arguments standing for the module's variables. Registry and git modules are not on disk and stay
one unpriced line per call. Only the directory the user pointed at and the module paths its calls
name are read: absolute paths are not, and a symlink is followed only when it stays inside that
directory's tree.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from infragen.tools.cost_rules import Resolver
from infragen.tools.hcl import META_KEYS, HclParseError, Inventory, inventory_from_texts

MAX_DEPTH = 5  # module calls inside module calls; deeper ones are listed unpriced
MAX_SCOPES = 200  # module instances read for one estimate, so a wide tree cannot run away
# Arguments Terraform itself interprets; the others set the module's variables.
META_ARGUMENTS = frozenset(
    {"source", "version", "count", "for_each", "providers", "depends_on", *META_KEYS}
)
# <namespace>/<name>/<provider>, optionally behind a registry host and with a //subdirectory.
_REGISTRY = re.compile(r"^(?:[\w.-]+\.[a-z]{2,}(?::\d+)?/)?[\w-]+/[\w-]+/[\w-]+(?://\S*)?$")
_NOT_PRICED = "its resources are not priced"


@dataclass(frozen=True)
class Scope:
    """A module whose resources get priced: the root, or one local module call below it."""

    prefix: str  # "" for the root, "module.db." and "module.db.module.x." below it
    inventory: Inventory
    resolve: Resolver
    instances: int = 1  # the count/for_each of the calls leading here, multiplied
    region: str | None = None  # the region its default aws provider is in; None: the root's


def alias_region(inventory: Inventory, resolve: Resolver, reference: object) -> str | None:
    """The region of an aliased aws provider named as `${aws.<alias>}`, when it is known."""
    match = re.fullmatch(r"\$\{(aws\.[\w-]+)\}", str(reference or ""))
    body = inventory.provider_aliases.get(match.group(1)) if match else None
    region = resolve.value(body.get("region")) if isinstance(body, dict) else None
    return region if isinstance(region, str) and not region.startswith("${") else None


@dataclass(frozen=True)
class Unread:
    """A module call whose resources cannot be priced, and why."""

    address: str
    reason: str


@dataclass
class ModuleTree:
    scopes: list[Scope]
    unread: list[Unread] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def is_local_source(source: str) -> bool:
    """Terraform reads a source from disk only when it starts with ./ or ../."""
    return source.startswith(("./", "../")) or source in (".", "..")


def _remote_reason(source: str) -> str:
    if os.path.isabs(source) or source.startswith("~"):
        return f"absolute module path: not read, {_NOT_PRICED}"
    if _REGISTRY.match(source) and not source.startswith(("github.com/", "bitbucket.org/")):
        return f"registry module: not on disk, {_NOT_PRICED}"
    if source.startswith(("git::", "git@", "github.com/", "bitbucket.org/")):
        return f"git module: not on disk, {_NOT_PRICED}"
    return f"remote module: not on disk, {_NOT_PRICED}"


def _within(path: Path, root: Path | None) -> bool:
    return root is not None and path.is_relative_to(root)


class _Reader:
    """Walks the local module calls below one root directory, reading each module once."""

    def __init__(self, root: Path | None, tree: ModuleTree) -> None:
        self.root = root
        self.tree = tree
        self.parsed: dict[Path, Inventory | str] = {}

    def expand(self, scope: Scope, here: Path | None, ancestors: tuple[Path, ...]) -> None:
        for name, call in scope.inventory.modules.items():
            address = f"{scope.prefix}module.{name}"
            located = self.locate(call.get("source"), here, ancestors)
            inventory = self.read(located) if isinstance(located, Path) else located
            if isinstance(located, str) or isinstance(inventory, str):
                self.tree.unread.append(Unread(address, str(inventory)))
                continue
            instances = scope.resolve.instances(call)
            if instances is None:
                instances = 1
                self.tree.notes.append(f"{address}: count/for_each is computed; priced as 1")
            arguments = {k: v for k, v in call.items() if k not in META_ARGUMENTS}
            passed = call.get("providers")
            aws = passed.get("aws") if isinstance(passed, dict) else None
            child = Scope(
                prefix=f"{address}.",
                inventory=inventory,
                resolve=scope.resolve.called(inventory, arguments),
                instances=scope.instances * instances,
                region=alias_region(scope.inventory, scope.resolve, aws) or scope.region,
            )
            self.tree.scopes.append(child)
            self.expand(child, located, (*ancestors, located))

    def locate(self, source: object, here: Path | None, ancestors: tuple[Path, ...]) -> Path | str:
        """The module's directory (its real path), or why it is not read."""
        if not isinstance(source, str) or "${" in source:
            return f"module source is not a literal path: {_NOT_PRICED}"
        if not is_local_source(source):
            return _remote_reason(source)
        if here is None:
            return f"local module: no directory given to read it from, {_NOT_PRICED}"
        named = Path(os.path.normpath(here / source))
        real = named.resolve()
        if real != named and not _within(real, self.root):
            return f"local module {source} is a symlink out of {self.root}, {_NOT_PRICED}"
        if not real.is_dir():
            return f"local module {source} not found at {named}: {_NOT_PRICED}"
        if real in ancestors:
            return f"module cycle: {real} calls itself through its modules, {_NOT_PRICED}"
        if len(ancestors) > MAX_DEPTH:
            return f"module calls nested deeper than {MAX_DEPTH}: {_NOT_PRICED}"
        if len(self.tree.scopes) > MAX_SCOPES:
            return f"more than {MAX_SCOPES} module calls in one estimate: {_NOT_PRICED}"
        return real

    def read(self, directory: Path) -> Inventory | str:
        if directory not in self.parsed:
            self.parsed[directory] = self._parse(directory)
        return self.parsed[directory]

    def _parse(self, directory: Path) -> Inventory | str:
        texts = {}
        for path in sorted(directory.glob("*.tf")):
            real = path.resolve()
            if real != path and not (_within(real, directory) or _within(real, self.root)):
                self.tree.notes.append(f"{path}: a symlink out of {self.root}, not read")
            elif real.is_file():
                texts[path.name] = real.read_text(encoding="utf-8", errors="replace")
        if not texts:
            return f"local module {directory} has no .tf files: {_NOT_PRICED}"
        try:
            return inventory_from_texts(texts)
        except HclParseError as exc:
            return f"local module does not parse ({exc}): {_NOT_PRICED}"


def module_tree(inventory: Inventory, resolve: Resolver, directory: Path | None) -> ModuleTree:
    """The root as a scope, then every local module it calls (depth first), and the calls left
    unread. Local sources resolve against `directory`; without one none is read."""
    root = directory.resolve() if directory is not None else None
    tree = ModuleTree(scopes=[Scope("", inventory, resolve)])
    _Reader(root, tree).expand(tree.scopes[0], root, (root,) if root else ())
    return tree
