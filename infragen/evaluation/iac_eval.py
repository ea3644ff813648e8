"""Score a generator on IaC-Eval tasks: produced, parses, schema-valid, valid after repair, intent.

`generate` receives the task prompt and returns any of: the program text (fenced or not), a
{path: text} dict, a list of GeneratedFile, or an object with `files` plus optional `valid`
(the pipeline's verdict after its retry loop), `tokens` and `checkov_failed`.
"""

from __future__ import annotations

import importlib
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from infragen.domain import GeneratedFile
from infragen.evaluation.dataset import extract_program, load_tasks
from infragen.evaluation.report import difficulty_table
from infragen.intent.plan_document import build_plan_document
from infragen.intent.rego import evaluate_rego
from infragen.tools.hcl import HclParseError


class GenerationOutcome(BaseModel):
    files: dict[str, str] = Field(default_factory=dict)
    valid: bool | None = None  # the generator's own verdict after its repair loop
    tokens: int = 0
    checkov_failed: int | None = None
    error: str = ""


class TaskScore(BaseModel):
    id: str
    difficulty: int
    produced: bool = False
    parses: bool = False
    schema_valid: bool | None = None  # None: no schema checker installed ("n/a")
    valid_after_retry: bool | None = None
    intent_pass: bool = False
    intent_detail: str = ""
    checkov_failed: int | None = None
    tokens: int = 0
    seconds: float = 0.0
    error: str = ""


class EvalReport(BaseModel):
    split: str
    tasks: int
    scores: list[TaskScore]
    by_difficulty: list[dict[str, Any]] = Field(default_factory=list)
    totals: dict[str, Any] = Field(default_factory=dict)

    def to_markdown(self) -> str:
        from infragen.evaluation.report import to_markdown

        return to_markdown(self)


def coerce_outcome(raw: Any) -> GenerationOutcome:
    """Accept the shapes a generator may return (see the module docstring)."""
    if isinstance(raw, GenerationOutcome):
        return raw
    if raw is None:
        return GenerationOutcome()
    if isinstance(raw, str):
        program = extract_program(raw)
        return GenerationOutcome(files={"main.tf": program} if program.strip() else {})
    if isinstance(raw, dict):
        return GenerationOutcome(files={str(k): str(v) for k, v in raw.items()})
    if isinstance(raw, list):
        return GenerationOutcome(
            files={f.path: f.content for f in raw if isinstance(f, GeneratedFile)}
        )
    files = getattr(raw, "files", None) or {}
    outcome = coerce_outcome(files) if not isinstance(files, GenerationOutcome) else files
    return outcome.model_copy(update={
        "valid": getattr(raw, "valid", None), "tokens": int(getattr(raw, "tokens", 0) or 0),
        "checkov_failed": getattr(raw, "checkov_failed", None), "error": str(getattr(raw, "error", "") or ""),
    })  # fmt: skip


def _schema_checker() -> Callable[[dict[str, str]], Any] | None:
    try:
        return importlib.import_module("infragen.schema").validate_texts
    except (ImportError, AttributeError):
        return None


def _schema_ok(result: Any) -> bool:
    """validate_texts may return a list of problems or an object with `ok`/`valid`."""
    for name in ("ok", "valid", "passed"):
        if isinstance(getattr(result, name, None), bool):
            return getattr(result, name)
    if isinstance(result, list | tuple):
        return not [p for p in result if getattr(p, "severity", "error") == "error"]
    return bool(result)


def _checkov_failures(files: dict[str, str]) -> int:
    from infragen.tools.checkov import scan

    with tempfile.TemporaryDirectory(prefix="infragen-eval-") as tmp:
        for path, text in files.items():
            target = Path(tmp) / Path(path).name
            target.write_text(text, encoding="utf-8")
        gate = scan(Path(tmp), frameworks=("terraform",), fail_on="NONE")
    return sum(1 for f in gate.findings if f.rule_id.startswith("CKV"))


def score_task(task: Any, raw: Any, run_checkov: bool = False) -> TaskScore:
    """Score one generator answer against one task."""
    outcome = coerce_outcome(raw)
    tf_files = {p: t for p, t in outcome.files.items() if p.endswith(".tf") and t.strip()}
    score = TaskScore(
        id=task.id, difficulty=task.difficulty, tokens=outcome.tokens, error=outcome.error
    )
    score.produced = bool(tf_files)
    if not score.produced:
        return score
    try:
        document = build_plan_document(tf_files)
        score.parses = True
    except HclParseError as exc:
        score.error = score.error or str(exc)[:300]
        return score
    checker = _schema_checker()
    if checker is not None:
        score.schema_valid = _schema_ok(checker(tf_files))
    score.valid_after_retry = outcome.valid if outcome.valid is not None else score.schema_valid
    verdict = evaluate_rego(task.rego_intent, document)
    score.intent_pass = verdict.passed
    score.intent_detail = verdict.error[:300] or ", ".join(verdict.false_rules[:5])
    score.checkov_failed = outcome.checkov_failed
    if score.checkov_failed is None and run_checkov:
        score.checkov_failed = _checkov_failures(tf_files)
    return score


def run(
    split: str = "dev",
    limit: int | None = None,
    generate: Callable[[str], Any] | None = None,
    data: Path | None = None,
    run_checkov: bool = False,
) -> EvalReport:
    """Run `generate` on each task of `split` (dev or smoke) and score it."""
    if generate is None:
        raise ValueError("run() needs a generate(prompt) callable")
    tasks = load_tasks(split, data)[: limit if limit is not None else None]
    scores = []
    for task in tasks:
        started = time.monotonic()
        try:
            raw = generate(task.prompt)
        except Exception as exc:  # a crashing generator scores zero on that task, not on the run
            raw = GenerationOutcome(error=f"{type(exc).__name__}: {exc}"[:300])
        score = score_task(task, raw, run_checkov)
        score.seconds = round(time.monotonic() - started, 3)
        scores.append(score)
    rows, totals = difficulty_table(scores)
    return EvalReport(
        split=split, tasks=len(tasks), scores=scores, by_difficulty=rows, totals=totals
    )
