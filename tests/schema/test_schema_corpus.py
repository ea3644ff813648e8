"""The figures of the issue on IaC-Eval's development split (CC-BY-4.0, Kon et al. 2024).

The labels come from `terraform validate` with AWS provider 5.90.0, so labelled outputs are
checked against the shipped major-5 schema; references pin `~> 5.75` and pick it themselves.
Fast tests use a fixed sample; the `slow` ones hold the full figures.
"""

from __future__ import annotations

import pytest
from schema_corpus import available, labelled_programs, reference_programs
from schema_mutants import mutants

from infragen.schema import validate_texts

pytestmark = pytest.mark.skipif(
    not available(), reason="IaC-Eval data not found in /work/shared/data"
)


def _flagged(programs: list[tuple[str, str]], major: int | None) -> list[str]:
    return [key for key, text in programs if validate_texts({"main.tf": text}, major)]


def test_no_finding_on_any_reference_solution():
    assert _flagged(reference_programs(), None) == []


def test_no_finding_on_a_sample_of_outputs_terraform_validated():
    assert _flagged(labelled_programs(valid=True, every=8), 5) == []


def test_recall_on_a_sample_of_outputs_terraform_rejected():
    programs = labelled_programs(valid=False, every=8)
    assert len(_flagged(programs, 5)) / len(programs) >= 0.85


def _mutation_score(programs: list[tuple[str, str]]) -> tuple[float, dict[str, list[int]]]:
    tally: dict[str, list[int]] = {}
    for seed, (_, text) in enumerate(programs):
        for kind, mutant in mutants(text, seed):
            caught = bool(validate_texts({"main.tf": mutant}))
            tally.setdefault(kind, [0, 0])
            tally[kind][0] += caught
            tally[kind][1] += 1
    caught = sum(c for c, _ in tally.values())
    total = sum(n for _, n in tally.values())
    return caught / total, tally


def test_mutants_of_reference_solutions_are_detected():
    score, tally = _mutation_score(reference_programs())
    assert set(tally) == {"rename-type", "drop-required", "misspell-argument", "block-as-attribute"}
    assert score >= 0.95, tally


@pytest.mark.slow
def test_no_finding_on_any_output_terraform_validated():
    assert _flagged(labelled_programs(valid=True), 5) == []


@pytest.mark.slow
def test_recall_on_all_outputs_terraform_rejected():
    programs = labelled_programs(valid=False)
    assert len(_flagged(programs, 5)) / len(programs) >= 0.85


@pytest.mark.slow
def test_mutants_of_validated_outputs_are_detected():
    score, tally = _mutation_score(labelled_programs(valid=True, every=3))
    assert score >= 0.95, tally
