"""The learned component count: which named components a request builds."""

from __future__ import annotations

import pytest
from router_fitting.dataset import Example
from router_fitting.linear_fit import fit_counter

from infragen.router.baseline import read_signals
from infragen.router.classifier import ClassifierWeights
from infragen.router.counter import MAX_COUNT, count_distribution


def test_count_distribution_is_the_distribution_of_a_sum_of_chances():
    assert count_distribution([0.5, 0.5]) == pytest.approx([0.25, 0.5, 0.25, 0, 0, 0, 0])
    assert count_distribution([]) == [1.0] + [0.0] * MAX_COUNT
    many = count_distribution([1.0] * 8)  # six or more is one bucket
    assert many[MAX_COUNT] == pytest.approx(1.0)
    assert sum(count_distribution([0.3, 0.9, 0.6, 0.2])) == pytest.approx(1.0)


def _chances(counter, text):
    signals = read_signals(text)
    return dict(zip(signals.components, counter.chances(signals), strict=True))


def test_counter_learns_which_kinds_fold_into_others_from_annotations():
    # The same servers, worded the same way, are built alone but fold into an auto scaling group:
    # only the other kind named with them tells the two apart.
    folded = [
        "web servers and an autoscaling group",
        "an autoscaling group for the web servers",
        "game servers in an autoscaling group",
        "an autoscaling group of game servers",
        "app servers plus an autoscaling group",
        "an autoscaling group with app servers",
    ]
    alone = [text.replace("an autoscaling group", "a bucket") for text in folded]
    rows = [read_signals(t) for t in folded + alone]
    built = [{"autoscaling"}] * len(folded) + [{"ec2", "s3"}] * len(alone)
    counter = fit_counter(rows, built)
    assert _chances(counter, "batch servers in an autoscaling group")["ec2"] < 0.5
    assert _chances(counter, "batch servers and a bucket")["ec2"] > 0.5


def test_counter_reads_annotator_spellings_and_skips_rows_without_annotations():
    rows = [read_signals("an sftp server for partners")] * 6 + [read_signals("an s3 bucket")] * 6
    counter = fit_counter(rows, [{"transfer"}] * 6 + [None] * 6)  # "transfer": transfer_family
    assert _chances(counter, "an sftp server for partners")["transfer_family"] > 0.5


def test_committed_counter_folds_instances_into_their_auto_scaling_group():
    counter = ClassifierWeights.load().counter
    assert counter is not None
    grouped = _chances(counter, "an asg of c5 game servers behind an nlb")
    assert grouped["ec2"] < 0.5 < min(grouped["autoscaling"], grouped["load_balancer"])
    plain = _chances(counter, "two ec2 instances and an s3 bucket for the game assets")
    assert min(plain.values()) > 0.5


@pytest.mark.parametrize(
    ("source", "label", "components", "built"),
    [
        ("batch:train_a", "simple", ["s3"], {"s3"}),
        ("batch:train_a", "out_of_scope", [], None),
        ("iac-eval", "simple", ["s3"], None),
        ("handwritten", "simple", [], None),
    ],
)
def test_only_annotated_build_requests_train_the_counter(source, label, components, built):
    row = {"id": "x", "text": "t", "class": label, "source": source, "split": "train"}
    assert Example.model_validate(row | {"components": components}).built() == built
