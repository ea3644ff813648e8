"""IaC-Eval tasks (Kon et al., NeurIPS 2024 Datasets & Benchmarks, CC-BY-4.0) as read from disk."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from infragen.errors import ConfigError

ENV_DIR = "INFRAGEN_IAC_EVAL_DIR"
SPLITS = ("dev", "smoke")
_FENCE = re.compile(r"```[^\n`]*\n(.*?)```", re.S)


class Task(BaseModel):
    id: str
    row: int
    prompt: str
    difficulty: int
    intent: str = ""
    rego_intent: str
    reference_output: str
    resource_column: str = ""
    smoke: bool = False
    derived: dict[str, Any] = Field(default_factory=dict)


def data_dir(data: Path | None = None) -> Path:
    """Explicit path > $INFRAGEN_IAC_EVAL_DIR > ../shared/data/iac-eval next to the repository."""
    if data is not None:
        return Path(data)
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR])
    return Path(__file__).resolve().parents[2].parent / "shared" / "data" / "iac-eval"


def load_tasks(split: str = "dev", data: Path | None = None) -> list[Task]:
    if split not in SPLITS:
        raise ConfigError(
            f"unknown IaC-Eval split {split!r}", hint=f"use one of {', '.join(SPLITS)}"
        )
    path = data_dir(data) / "dev.jsonl"
    if not path.is_file():
        raise ConfigError(
            f"IaC-Eval data not found at {path}",
            hint=f"pass data=... or set {ENV_DIR} to the folder holding dev.jsonl",
        )
    with path.open(encoding="utf-8") as handle:
        tasks = [Task.model_validate(json.loads(line)) for line in handle if line.strip()]
    return [t for t in tasks if t.smoke] if split == "smoke" else tasks


def load_labelled(data: Path | None = None) -> list[dict[str, Any]]:
    """Third-party LLM outputs labelled by real terraform plan and OPA (labelled_outputs_dev.jsonl)."""
    path = data_dir(data) / "labelled_outputs_dev.jsonl"
    if not path.is_file():
        raise ConfigError(f"labelled outputs not found at {path}", hint=f"set {ENV_DIR}")
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def extract_program(text: str) -> str:
    """IaC-Eval's rule: the first fenced code block, else the whole text."""
    match = _FENCE.search(text or "")
    return match.group(1) if match else (text or "")
