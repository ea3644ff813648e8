"""How far the offline plan document + regorus can stand in for `terraform plan` + OPA.

The labelled IaC-Eval outputs carry real verdicts: only rows whose plan succeeded have one
(`opa_result` is "Success" or "Failure"); the rest failed before OPA ran and are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, Field

from infragen.evaluation.dataset import Task, extract_program
from infragen.intent.plan_document import build_plan_document
from infragen.intent.rego import evaluate_rego

REAL_VERDICTS = {"Success": True, "Failure": False}


class Disagreement(BaseModel):
    run: str
    row: int
    real: bool
    offline: bool
    detail: str = ""


class CalibrationReport(BaseModel):
    compared: int = 0
    agreed: int = 0
    true_pass: int = 0
    true_fail: int = 0
    false_pass: int = 0  # offline passes, OPA failed
    false_fail: int = 0  # offline fails, OPA passed
    disagreements: list[Disagreement] = Field(default_factory=list)

    @property
    def agreement(self) -> float:
        return self.agreed / self.compared if self.compared else 0.0


def offline_verdict(program: str, policy: str) -> tuple[bool, str]:
    """(passed, detail) for one program against one policy, offline."""
    try:
        document = build_plan_document({"main.tf": program})
    except Exception as exc:  # any parse failure means no plan, hence no pass
        return False, f"no plan document: {exc}"[:300]
    verdict = evaluate_rego(policy, document)
    return verdict.passed, verdict.error[:300] or ", ".join(verdict.false_rules[:5])


def calibrate(rows: Iterable[dict[str, Any]], tasks: dict[int, Task]) -> CalibrationReport:
    """Compare offline verdicts with OPA's on every labelled row that has an OPA verdict."""
    report = CalibrationReport()
    for row in rows:
        real = REAL_VERDICTS.get(str(row.get("opa_result")))
        task = tasks.get(row["row"])
        if not row.get("plan_ok") or real is None or task is None:
            continue
        offline, detail = offline_verdict(extract_program(row["llm_output"]), task.rego_intent)
        report.compared += 1
        if offline == real:
            report.agreed += 1
            report.true_pass += real
            report.true_fail += not real
            continue
        report.false_pass += offline
        report.false_fail += real
        report.disagreements.append(
            Disagreement(run=row["run"], row=row["row"], real=real, offline=offline, detail=detail)
        )
    return report
