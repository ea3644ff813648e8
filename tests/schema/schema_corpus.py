"""IaC-Eval development split (CC-BY-4.0, Kon et al., NeurIPS 2024) as test material for the schema check."""

from __future__ import annotations

import json
import re
from pathlib import Path

DATA = Path("/work/shared/data/iac-eval")
_FENCE = re.compile(r"```[^\n]*\n(.*?)```", re.S)
# Failures of `terraform init` (module or provider downloads), not of the configuration's schema.
_INIT_FAILURES = (
    "Failed to query available provider packages",
    "problems during initialisation",
    "Module not installed",
    "Failed to download module",
    "Module source has changed",
)


def available() -> bool:
    return (DATA / "dev.jsonl").exists()


def rows(name: str) -> list[dict]:
    return [
        json.loads(line)
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def first_code_block(text: str) -> str:
    """The program IaC-Eval evaluates: the first fenced block, else the whole answer."""
    match = _FENCE.search(text)
    return match.group(1) if match else text


def is_init_failure(row: dict) -> bool:
    error = (row.get("validate_error") or "") + (row.get("plan_error") or "")
    return any(marker in error for marker in _INIT_FAILURES)


def reference_programs() -> list[tuple[str, str]]:
    return [(r["id"], r["reference_output"]) for r in rows("dev.jsonl")]


def labelled_programs(valid: bool, every: int = 1) -> list[tuple[str, str]]:
    """(run/row, program) of labelled outputs that `terraform validate` passed (or failed, init
    failures excluded); `every` keeps one row in that many for a fast sample."""
    chosen = [
        (f"{r['run']}/{r['row']}", first_code_block(r["llm_output"]))
        for r in rows("labelled_outputs_dev.jsonl")
        if r["validate_ok"] == valid and (valid or not is_init_failure(r))
    ]
    return chosen[::every]
