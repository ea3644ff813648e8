"""`infragen check`: the gates on existing Terraform/Ansible code, in place, with no model at all.

Each root module is checked where it lies: its local modules resolve from their real location
(staged read-only in a scratch tree with their relative layout, see `module_calls`), Checkov
scans the original directory, and every finding names a file that exists. A root is a directory
holding *.tf files, or an infragen project (`terraform/` + `ansible/`).
"""

from __future__ import annotations

import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infragen import gates as gate_ids
from infragen.domain import GateResult
from infragen.errors import InfragenError
from infragen.report import build_report
from infragen.rule_skips import apply_skips, inline_skips
from infragen.settings import RunSettings

ONLY = ("schema", *gate_ids.CHECK_GATES)
_SKIPPED_DIRS = {".terraform", ".git", "node_modules", "__pycache__", ".venv", "venv"}


@dataclass
class CheckOptions:
    settings: RunSettings
    only: str | None = None
    skip: set[str] = field(default_factory=set)
    verbose: bool = False


@dataclass(frozen=True)
class Root:
    """A directory to check; `files` narrows the report to those names (a path given as a file)."""

    path: Path
    files: frozenset[str] = frozenset()

    @property
    def terraform(self) -> Path:
        return self.path / "terraform" if (self.path / "terraform").is_dir() else self.path


def _has_tf(directory: Path) -> bool:
    return any(p.is_file() for p in directory.glob("*.tf"))


def _is_project(directory: Path) -> bool:
    return _has_tf(directory) or _has_tf(directory / "terraform")


def find_roots(paths: list[Path], *, recursive: bool = False) -> list[Root]:
    """The roots the paths name: a file stands for its directory; a directory without *.tf files
    (or any directory, with `recursive`) stands for every root below it, `.terraform/` excluded."""
    found: dict[Path, set[str]] = {}
    for path in paths:
        if path.is_file():
            found.setdefault(path.parent, set()).add(path.name)
            continue
        if _is_project(path):
            found.setdefault(path, set())
            if not recursive:
                continue
        for below in sorted(p for p in path.rglob("*") if p.is_dir()):
            parts = set(below.relative_to(path).parts)
            if parts & _SKIPPED_DIRS or any(x.startswith(".") for x in parts):
                continue
            if _has_tf(below) and not (below.name == "terraform" and _is_project(below.parent)):
                found.setdefault(below, set())
    if not found:
        raise InfragenError(
            f"no .tf files in {', '.join(map(str, paths))}",
            "point at a Terraform directory, or a repository holding some",
        )
    return [Root(p, frozenset(f)) for p, f in found.items()]


def read_texts(directory: Path, suffixes: tuple[str, ...] = (".tf",)) -> dict[str, str]:
    """{name relative to directory: text} of the directory's own files (not its subdirectories)."""
    return {
        p.name: p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(directory.iterdir())
        if p.is_file() and p.name.endswith(suffixes)
    }


def _ansible_texts(project: Path) -> dict[str, str]:
    ansible = project / "ansible"
    if not ansible.is_dir() or project == project / "terraform":
        return {}
    return {
        f"ansible/{p.relative_to(ansible).as_posix()}": p.read_text(encoding="utf-8")
        for p in sorted(ansible.rglob("*"))
        if p.is_file() and p.suffix in (".yml", ".yaml")
    }


def check_root(root: Root, options: CheckOptions) -> dict[str, Any]:
    """Run the gates on one root; returns its report (`report.json` shape, plus `roots`)."""
    from infragen.check_gates import (
        cost_gate,
        policy_gate,
        schema_gate,
        security_gate,
        validate_gate,
    )

    settings = options.settings
    tf_dir = root.terraform
    texts = read_texts(tf_dir)
    ansible = _ansible_texts(root.path) if (root.path / "terraform").is_dir() else {}
    wanted = (options.only,) if options.only else gate_ids.CHECK_GATES
    results: dict[str, GateResult] = {}
    state: dict[str, Any] = {"request": f"check {root.path}"}
    if "schema" in wanted:
        results[gate_ids.VALIDATE] = schema_gate(texts)
    if gate_ids.VALIDATE in wanted:
        results[gate_ids.VALIDATE] = validate_gate(tf_dir, texts, settings)
    if gate_ids.SECURITY in wanted:
        results[gate_ids.SECURITY] = security_gate(tf_dir, texts, settings, options)
    if gate_ids.COST in wanted:
        results[gate_ids.COST], state["cost"] = cost_gate(tf_dir, texts, settings)
    if gate_ids.ANSIBLE in wanted and ansible:
        from infragen.context import RunContext
        from infragen.nodes.ansible import check_ansible

        ctx = RunContext(settings=settings)
        results[gate_ids.ANSIBLE] = check_ansible(ansible, ctx)
    if settings.policies and options.only in (None, gate_ids.POLICY):
        results[gate_ids.POLICY] = policy_gate(settings.policies, texts)
    if settings.emulator and options.only is None:
        from infragen.check_gates import emulator_gate

        results[gate_ids.PLAN] = emulator_gate(tf_dir, settings)
    skips = inline_skips(tf_dir, texts)
    # a file path narrows the report to that file with --only schema; otherwise it stands for
    # its directory (pre-commit passes the changed files)
    narrow = root.files if options.only == "schema" else frozenset()
    results = {
        name: apply_skips(gate, options.skip, skips, only_files=narrow)
        for name, gate in results.items()
    }
    state["files"] = {f"terraform/{n}": "" for n in texts} | dict.fromkeys(ansible, "")
    state["gates"] = {name: gate.model_dump() for name, gate in results.items()}
    report = build_report(state, output_dir=str(root.path), run_id=uuid.uuid4().hex[:12])
    report["written"] = False  # `check` reads the project, it writes nothing
    report["roots"] = {"terraform": str(tf_dir), "ansible": str(root.path / "ansible")}
    return report


def check_paths(
    paths: list[Path], options: CheckOptions, *, recursive: bool = False
) -> list[dict[str, Any]]:
    """One report per root found under the paths, in path order."""
    validate_options(options)
    return [check_root(root, options) for root in find_roots(paths, recursive=recursive)]


def validate_options(options: CheckOptions) -> None:
    if options.only is not None and options.only not in ONLY:
        raise InfragenError(f"--only {options.only!r} is not one of {', '.join(ONLY)}", "pick one")
    if options.only == gate_ids.POLICY and not options.settings.policies:
        raise InfragenError("--only policy needs at least one --policy FILE.rego", "add --policy")


def check_project(path: Path, *, settings: RunSettings, only: str | None = None) -> dict[str, Any]:
    """The report of one project directory (the Python entry point of `check`)."""
    options = CheckOptions(settings=settings, only=only)
    validate_options(options)
    return check_root(Root(path), options)


def exit_code(reports: list[dict[str, Any]], *, soft_fail: bool = False) -> int:
    failed = any(r["status"] == "failed" for r in reports)
    return 1 if failed and not soft_fail else 0


def scratch_dir() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="infragen-check-")
