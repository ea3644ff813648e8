"""`infragen eval iac-eval`: the benchmark harness driven by the real pipeline."""

from __future__ import annotations

from pathlib import Path

from infragen.errors import InfragenError
from infragen.evaluation.iac_eval import EvalReport, GenerationOutcome, run
from infragen.settings import RunSettings


def pipeline_generator(settings: RunSettings):
    """generate(prompt) for the harness: runs infragen without writing, refusals score as empty."""
    from infragen.api import generate

    def produce(prompt: str) -> GenerationOutcome:
        try:
            result = generate(prompt, settings=settings, write=False)
        except InfragenError as error:
            return GenerationOutcome(error=error.one_line())
        tf = {
            p.removeprefix("terraform/"): t
            for p, t in result.files.items()
            if p.startswith("terraform/")
        }
        gates = result.gates
        security = gates.get("security", {})
        return GenerationOutcome(
            files=tf,
            valid=gates.get("validate", {}).get("status") == "passed" if tf else None,
            tokens=result.usage["total_tokens"],
            checkov_failed=len(security.get("findings", [])) if security else None,
            error=result.report.get("refusal", "") or result.report.get("error", ""),
        )

    return produce


def run_benchmark(*, split: str, limit: int | None, data: Path | None, offline: bool) -> EvalReport:
    if split not in ("dev", "smoke"):
        raise InfragenError(f"--split {split!r} is not dev or smoke", "pick one of them")
    settings = RunSettings(offline=offline)
    try:
        return run(split=split, limit=limit, generate=pipeline_generator(settings), data=data)
    except FileNotFoundError as exc:
        raise InfragenError(
            f"IaC-Eval data not found: {exc}", "set INFRAGEN_IAC_EVAL_DIR or pass --data"
        ) from exc
