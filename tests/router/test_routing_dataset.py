"""The labelling rules of fixtures/routing (README.md) as applied by build_dataset.py."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "fixtures" / "routing" / "build_dataset.py"


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("build_dataset", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def committed():
    path = ROOT / "fixtures" / "routing" / "requests.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.mark.parametrize(
    ("resource_type", "component"),
    [
        ("aws_s3_bucket", "s3"),
        ("aws_s3_bucket_versioning", "s3"),
        ("aws_lb_listener", "load_balancer"),
        ("aws_lambda_permission", "lambda"),
        ("aws_vpc", "vpc"),
        ("aws_vpc_security_group_ingress_rule", "security_group"),
        ("aws_route_table_association", "route_table"),
        ("aws_route53_record", "route53"),
        ("aws_cloudwatch_event_target", "eventbridge"),
        ("aws_cloudwatch_log_group", "cloudwatch_logs"),
        ("aws_iam_policy_document", None),
        ("random_password", None),
    ],
)
def test_sub_resources_fold_into_their_component(build, resource_type, component):
    assert build.component_of(resource_type) == component


def test_unknown_resource_type_is_an_error_not_a_guess(build):
    with pytest.raises(ValueError, match="aws_made_up_thing"):
        build.component_of("aws_made_up_thing")


def test_iam_plumbing_counts_only_when_named(build):
    types = {"aws_lambda_function", "aws_iam_role", "aws_cloudwatch_event_rule"}
    assert build.components_of(types, "run a lambda every 15 minutes") == {"lambda", "eventbridge"}
    named = build.components_of(types, "a lambda with its own IAM role, run hourly")
    assert named == {"lambda", "eventbridge", "iam"}


@pytest.mark.parametrize(("count", "label"), [(1, "simple"), (2, "simple"), (3, "standard")])
def test_size_edges(build, count, label):
    assert build.label_by_size(count) == label
    assert build.label_by_size(5) == "standard" and build.label_by_size(6) == "complex"


def test_committed_iac_eval_labels_follow_the_rule(build, committed):
    rows = [r for r in committed if r["source"] == "iac-eval"]
    assert len(rows) == 126
    for row in rows:
        expected = (
            "complex"
            if build.COMPLEX_LANGUAGE.search(row["text"])
            else build.label_by_size(len(row["components"]))
        )
        assert row["class"] == expected, row["id"]


def test_relabelled_rows_keep_their_id_and_split(committed):
    """Moving a row between lists would renumber ids and reshuffle the held-out split."""
    by_id = {r["id"]: r for r in committed}
    assert by_id["hw-standard-031"]["text"].startswith("create an alb with two target groups")
    assert by_id["hw-standard-031"]["class"] == "simple"
    assert (
        by_id["hw-complex-024"]["text"] == "build me a multi-tier app: web tier, app tier, db tier"
    )


def test_committed_dataset_matches_a_rebuild(build, committed):
    if not build.DEFAULT_IAC_EVAL.is_file():
        pytest.skip(f"IaC-Eval source not present: {build.DEFAULT_IAC_EVAL}")
    assert build.build_rows() == committed


def _batch(tmp_path, split, row):
    path = tmp_path / "probe.yaml"
    path.write_text(yaml.safe_dump({"split": split, "author": "probe", "rows": [row]}))
    return path


def test_batch_rows_must_follow_from_their_components(build, tmp_path):
    row = {"text": "a queue and a topic", "class": "standard", "components": ["sqs", "sns"]}
    with pytest.raises(ValueError, match="probe-000: labelled standard, the rules give simple"):
        build.batch_rows(_batch(tmp_path, "train", row))
    cued = row | {"class": "complex", "cue": "multi-region"}
    assert build.batch_rows(_batch(tmp_path, "blind", cued))[0]["split"] == "blind"


def test_out_of_scope_batch_rows_need_a_reason_and_no_components(build, tmp_path):
    row = {"text": "restart the web servers", "class": "out_of_scope", "components": ["ec2"]}
    with pytest.raises(ValueError, match="out_of_scope"):
        build.batch_rows(_batch(tmp_path, "train", row | {"why": "live change"}))


def test_batch_split_is_train_or_blind(build, tmp_path):
    row = {"text": "an sqs queue", "class": "simple", "components": ["sqs"]}
    with pytest.raises(ValueError, match="split must be train, blind or stress"):
        build.batch_rows(_batch(tmp_path, "heldout", row))


def test_batch_rows_carry_the_brief_they_were_written_to(build, tmp_path):
    """The out-of-scope offset is fitted on plain-brief rows only, so the brief must be known."""
    row = {"text": "an sqs queue", "class": "simple", "components": ["sqs"]}
    assert build.batch_rows(_batch(tmp_path, "train", row))[0]["brief"] == "annotator"
    path = _batch(tmp_path, "train", row)
    path.write_text(path.read_text() + "brief: boundary\n")
    assert build.batch_rows(path)[0]["brief"] == "boundary"
    path.write_text(path.read_text().replace("brief: boundary", "brief: whatever"))
    with pytest.raises(ValueError, match="brief must be one of"):
        build.batch_rows(path)


def test_blind_rows_are_not_in_training(committed):
    blind = {r["text"].lower() for r in committed if r["split"] == "blind"}
    assert len(blind) >= 250
    assert not blind & {r["text"].lower() for r in committed if r["split"] == "train"}


def test_near_duplicates_of_other_rows_and_of_earlier_rows_are_dropped():
    spec = importlib.util.spec_from_file_location(
        "drop_near_duplicates", ROOT / "fixtures" / "routing" / "drop_near_duplicates.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    eye = np.eye(3, dtype=np.float32)
    tilted = np.array([0.95, 0.31, 0.0], dtype=np.float32)  # cosine 0.95 with the first axis
    vectors = np.stack([eye[1], tilted / np.linalg.norm(tilted), eye[2], eye[2]])
    # row 1 nears the reference, row 3 repeats row 2; rows 0 and 2 are new
    assert module.near_duplicates(vectors, eye[:1], 0.9) == [1, 3]
    assert module.near_duplicates(vectors, np.zeros((0, 3), np.float32), 0.9) == [3]
