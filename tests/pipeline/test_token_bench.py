"""`make bench`'s token benchmark on the two seed prompts: the JSON it writes and the issue's
targets (deterministic token counts from recorded answers, not timings)."""

from __future__ import annotations

import json
import os

import pytest


@pytest.fixture(scope="module")
def bench(tmp_path_factory, load_benchmark):
    module = load_benchmark("bench_tokens")
    out = tmp_path_factory.mktemp("bench") / "tokens.json"
    before = dict(os.environ)
    module.main(["--only", "2", "--out", str(out)])
    assert dict(os.environ) == before  # no fake key left behind for later tests
    return json.loads(out.read_text())


def test_json_has_the_documented_shape(bench):
    for row in bench["requests"]:
        assert {"request", "total_tokens", "by_node", "attempts", "cache_hits"} <= set(row)
        assert row["total_tokens"] == sum(row["by_node"].values())


def test_seed_prompts_meet_the_targets_and_a_repeat_is_free(bench):
    simple, complex_ = bench["requests"]
    assert simple["status"] == complex_["status"] == "passed"
    assert simple["total_tokens"] <= 2500 and simple["attempts"] == 1
    assert complex_["total_tokens"] <= 4000 and complex_["attempts"] == 2  # one retry
    for row in bench["requests"] + bench["every_task_on_model"]:
        assert row["repeat"]["total_tokens"] == 0 and row["repeat"]["model_calls"] == 0
        assert row["repeat"]["cache_hits"] == row["model_calls"]


def test_catalogue_first_is_what_saves_the_tokens(bench):
    for fast, slow in zip(bench["requests"], bench["every_task_on_model"], strict=True):
        assert fast["total_tokens"] < slow["total_tokens"]
        assert slow["by_node"]["clarifier"] > 0 and fast["by_node"]["clarifier"] == 0
