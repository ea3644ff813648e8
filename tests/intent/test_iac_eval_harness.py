"""The IaC-Eval harness, the reference solutions and the agreement with real OPA verdicts.

Data: IaC-Eval dev split (Kon et al., NeurIPS 2024, CC-BY-4.0), in ../shared/data/iac-eval.
"""

from __future__ import annotations

import json

import pytest

from infragen.errors import ConfigError
from infragen.evaluation import iac_eval
from infragen.evaluation.calibration import calibrate
from infragen.evaluation.dataset import (
    ENV_DIR,
    data_dir,
    extract_program,
    load_labelled,
    load_tasks,
)

pytestmark = pytest.mark.skipif(
    not (data_dir() / "dev.jsonl").is_file(), reason="IaC-Eval data not present"
)


@pytest.fixture(scope="module")
def tasks():
    return load_tasks("dev")


def test_reference_solutions_score_high_and_nothing_scores_zero(tasks):
    references = {t.prompt: t.reference_output for t in tasks}
    good = iac_eval.run("smoke", None, lambda prompt: f"Here:\n```hcl\n{references[prompt]}```\n")
    assert good.tasks == 20
    assert good.totals["produced"] == 1.0 and good.totals["parses"] == 1.0
    assert good.totals["intent_pass"] >= 0.8
    empty = iac_eval.run("smoke", 5, lambda prompt: None)
    assert empty.totals["produced"] == 0.0 and empty.totals["intent_pass"] == 0.0
    assert empty.totals["schema_valid"] is None  # nothing to check is "n/a", not a pass


def test_report_is_json_and_markdown_by_difficulty(tasks):
    report = iac_eval.run("dev", 6, lambda prompt: None)
    json.loads(report.model_dump_json())
    markdown = report.to_markdown()
    assert "| difficulty | tasks | produced |" in markdown and "| all | 6 |" in markdown
    assert sum(row["tasks"] for row in report.by_difficulty) == 6


def test_a_crashing_generator_scores_zero_on_that_task_only(tasks):
    def generate(prompt: str) -> str:
        raise RuntimeError("backend down")

    report = iac_eval.run("smoke", 2, generate)
    assert [s.error for s in report.scores] == ["RuntimeError: backend down"] * 2


def test_every_reference_passes_its_intent_for_at_least_85_percent_of_tasks(tasks):
    references = {t.prompt: t.reference_output for t in tasks}
    report = iac_eval.run("dev", None, lambda prompt: references[prompt])
    assert report.totals["intent_pass"] >= 0.85


def test_offline_verdicts_agree_with_real_opa_on_at_least_90_percent(tasks):
    report = calibrate(load_labelled(), {t.row: t for t in tasks})
    assert report.compared > 1000
    assert report.agreement >= 0.90


def test_data_dir_follows_the_environment_and_bad_input_is_a_typed_error(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_DIR, str(tmp_path))
    assert data_dir() == tmp_path
    with pytest.raises(ConfigError):
        load_tasks("dev")
    with pytest.raises(ConfigError):
        load_tasks("test")


def test_first_fenced_block_is_the_program():
    assert extract_program("x\n```hcl\na = 1\n```\n```\nb\n```") == "a = 1\n"
    assert extract_program("a = 1") == "a = 1"
