"""Tables of IaC-Eval scores: rates by difficulty level and overall, as JSON rows and Markdown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from infragen.evaluation.iac_eval import EvalReport, TaskScore

COLUMNS = ("produced", "parses", "schema_valid", "valid_after_retry", "intent_pass")
CITATION = (
    "IaC-Eval (Kon et al., NeurIPS 2024 Datasets & Benchmarks, CC-BY-4.0); intent scored offline "
    "with regorus on a plan document built from HCL."
)


def _rate(scores: Sequence[TaskScore], column: str) -> float | None:
    values = [getattr(s, column) for s in scores]
    known = [v for v in values if v is not None]
    return round(sum(bool(v) for v in known) / len(known), 4) if known else None


def _row(label: Any, scores: Sequence[TaskScore]) -> dict[str, Any]:
    row: dict[str, Any] = {"difficulty": label, "tasks": len(scores)}
    row.update({c: _rate(scores, c) for c in COLUMNS})
    failures = [s.checkov_failed for s in scores if s.checkov_failed is not None]
    row["checkov_failed_mean"] = round(sum(failures) / len(failures), 2) if failures else None
    row["tokens"] = sum(s.tokens for s in scores)
    return row


def difficulty_table(scores: Sequence[TaskScore]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    levels = sorted({s.difficulty for s in scores})
    rows = [_row(level, [s for s in scores if s.difficulty == level]) for level in levels]
    return rows, _row("all", scores)


def _cell(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.1%}"
    return str(value)


def to_markdown(report: EvalReport) -> str:
    header = ["difficulty", "tasks", *COLUMNS, "checkov_failed_mean", "tokens"]
    lines = [
        f"# IaC-Eval {report.split}: {report.tasks} tasks",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for row in [*report.by_difficulty, report.totals]:
        lines.append("| " + " | ".join(_cell(row.get(h)) for h in header) + " |")
    lines += ["", CITATION, ""]
    return "\n".join(lines)
