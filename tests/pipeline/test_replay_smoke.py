"""`benchmarks/bench_replay.py` on its first ten tasks: recorded real model answers through the real
CLI, the real OpenAI client and every gate (issue 18's smoke; the whole benchmark is `make bench`)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "iac-eval"

pytestmark = pytest.mark.skipif(
    not (DATA / "labelled_outputs_dev.jsonl").is_file(),
    reason="skipped: ../shared/data/iac-eval is not beside the clone (the recorded answers)",
)


@pytest.fixture(scope="module")
def replay(tmp_path_factory, load_benchmark):
    module = load_benchmark("bench_replay")
    return module.main(["--smoke", "--out", str(tmp_path_factory.mktemp("replay") / "r.json")])


def test_every_replayed_run_ends_under_control_with_its_tokens_counted(replay):
    summary = replay["summary"]
    assert summary["runs"] == 10
    assert summary["under_control"]["rate"] == 1.0, [r["error"] for r in replay["rows"]]
    assert summary["answers_extracted"]["rate"] == 1.0
    assert summary["tokens_match"]["rate"] == 1.0


def test_recorded_failures_are_caught_and_recorded_passes_pass(replay):
    summary = replay["summary"]
    assert summary["first_failures_caught"]["rate"] >= 0.9
    assert summary["validated_answers_pass_validate"]["rate"] >= 0.9
    for row in replay["rows"]:
        assert [a["model"] for a in row["attempts"]] == ["openai:replay-architect"] * len(
            row["attempts"]
        )
