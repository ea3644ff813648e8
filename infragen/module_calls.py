"""The `module` blocks of a Terraform root, and a scratch tree in which they resolve.

`infragen check` never copies a partial tree: a root that calls `../../modules/x` (or `../../`,
the repository it sits in) is staged in a scratch directory together with every local module it
reaches, each at its original position relative to the others, so Terraform resolves the sources
exactly as in the repository. The originals are only read. Registry and git modules come from the
root's own `.terraform/modules` when it was initialised before; otherwise Terraform may download
them, and when it cannot they are reported as unavailable, never as errors in the code.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from infragen.schema.syntax import parse_document
from infragen.tools.cost_modules import is_local_source
from infragen.tools.hcl import HclParseError

_SKIPPED_DIRS = (".terraform", ".git", "node_modules", "__pycache__", ".venv")


@dataclass(frozen=True, slots=True)
class ModuleCall:
    name: str
    source: str
    file: Path
    line: int

    @property
    def is_local(self) -> bool:
        return is_local_source(self.source)

    def local_dir(self) -> Path:
        return Path(os.path.normpath(self.file.parent / self.source))


def module_calls(directory: Path) -> list[ModuleCall]:
    """Every `module` block in the directory's *.tf files (files that do not parse are skipped:
    the validate gate reports them)."""
    calls = []
    for path in sorted(directory.glob("*.tf")):
        try:
            root = parse_document(path.read_text(encoding="utf-8", errors="replace"), path.name)
        except HclParseError:
            continue
        for block in root.blocks:
            source = block.attribute("source") if block.type == "module" else None
            if source is not None and source.literal and block.labels:
                calls.append(ModuleCall(block.labels[0], source.literal, path, block.line))
    return calls


def local_closure(directory: Path) -> list[Path]:
    """The directory and every local module directory it reaches, directly or through others."""
    seen: list[Path] = []
    pending = [Path(os.path.normpath(directory.absolute()))]
    while pending:
        current = pending.pop()
        if current in seen or not current.is_dir():
            continue
        seen.append(current)
        pending += [c.local_dir() for c in module_calls(current) if c.is_local]
    return seen


def remote_calls(directory: Path) -> list[ModuleCall]:
    """Registry and git module calls anywhere in the local closure."""
    return [c for d in local_closure(directory) for c in module_calls(d) if not c.is_local]


def installed_modules(directory: Path) -> set[str]:
    """Module keys `terraform init` already installed for this root (`.terraform/modules`)."""
    manifest = directory / ".terraform" / "modules" / "modules.json"
    try:
        return {m["Key"] for m in json.loads(manifest.read_text())["Modules"] if m.get("Key")}
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def stage(directory: Path, scratch: Path) -> Path:
    """Copy the directory and its local modules into `scratch` with their relative layout (plus
    the root's `.terraform/modules`, if any); returns where the root lies in the copy."""
    closure = local_closure(directory)
    top = Path(os.path.commonpath(closure))
    ignore = shutil.ignore_patterns(*_SKIPPED_DIRS)
    copied: list[Path] = []
    for source in sorted(closure, key=lambda p: len(p.parts)):
        if any(source.is_relative_to(c) for c in copied):
            continue  # already inside a copied ancestor
        shutil.copytree(
            source, scratch / source.relative_to(top), ignore=ignore, dirs_exist_ok=True
        )
        copied.append(source)
    root = scratch / closure[0].relative_to(top)
    modules = directory / ".terraform" / "modules"
    if modules.is_dir():
        shutil.copytree(modules, root / ".terraform" / "modules", dirs_exist_ok=True)
    return root


def other_roots_below(directory: Path) -> list[Path]:
    """Subdirectories of `directory` that its own configuration never calls (examples, other
    roots, unused modules): a scan of the root leaves them to their own check."""
    closure = local_closure(directory)
    root = closure[0]
    out: list[Path] = []
    pending = [root]
    while pending:
        current = pending.pop()
        for child in sorted(p for p in current.iterdir() if p.is_dir()):
            if child.name in _SKIPPED_DIRS or child.name.startswith("."):
                continue
            if child in closure:
                continue  # a called module: scanned through the call
            if any(c.is_relative_to(child) for c in closure):
                pending.append(child)
            else:
                out.append(child)
    return out
