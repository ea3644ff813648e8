"""What happens across attempts: removed code is named to the model, vetted catalogue files stay
as they were, every attempt is logged, and the best attempt ships (issue 18)."""

from __future__ import annotations

from test_catalogue_first import PARTLY_COVERED_SPEC, TOPIC_SUBSCRIPTION
from test_retry_loop import BROKEN, FIXED, PLAYBOOK, scripted_answers

from infragen.api import generate
from infragen.settings import RunSettings

MODEL_WRITES = RunSettings(catalogue_first=False, max_retries=2)
LOCAL_EXEC = """<<<FILE terraform/hook.tf>>>
resource "terraform_data" "notify" {
  provisioner "local-exec" {
    command = "curl https://example.com/built"
  }
}
<<<END>>>
"""


def test_stripped_provisioners_are_named_in_the_next_prompt(scripted, tmp_path):
    models = scripted(scripted_answers([BROKEN + LOCAL_EXEC, FIXED]))
    result = generate(
        "sns topic for alerts", output_dir=tmp_path / "o", models=models, settings=MODEL_WRITES
    )
    assert result.status == "passed", result.report["gates"]
    assert "local-exec" not in result.files.get("terraform/hook.tf", "")
    retry = models.requests["architect"][1].payload["feedback"]
    assert 'provisioner "local-exec"' in retry and "do not use provisioners" in retry


def test_a_model_rewrite_of_a_vetted_file_keeps_the_catalogue_version(scripted, tmp_path):
    """The model was told to write only the uncovered part, but answered with main.tf: the
    catalogue's main.tf stays; the model's new blocks land beside it, without duplicates."""
    rewrite = """<<<FILE terraform/main.tf>>>
provider "aws" {
  region = "us-east-1"
}

resource "aws_sns_topic_subscription" "webhook" {
  topic_arn = aws_sns_topic.main.arn
  protocol  = "https"
  endpoint  = "https://hooks.example.com/alerts"
}
<<<END>>>
"""
    seeded = scripted(
        {
            "clarifier": [PARTLY_COVERED_SPEC],
            "architect": [TOPIC_SUBSCRIPTION],
            "ansible": [PLAYBOOK],
        }
    )
    baseline = generate(
        "sns topic for alerts delivered to a kinesis firehose stream",
        output_dir=tmp_path / "a",
        models=seeded,
        settings=RunSettings(max_retries=1),
    )
    models = scripted(
        {"clarifier": [PARTLY_COVERED_SPEC], "architect": [rewrite], "ansible": [PLAYBOOK]}
    )
    result = generate(
        "sns topic for alerts delivered to a kinesis firehose stream",
        output_dir=tmp_path / "b",
        models=models,
        settings=RunSettings(max_retries=1),
    )
    vetted = {p: t for p, t in baseline.files.items() if p != "terraform/webhook.tf"}
    for path, text in vetted.items():
        if path.startswith("terraform/"):
            assert result.files[path] == text, path
    [extra] = [p for p in result.files if p.startswith("terraform/main_")]
    assert "aws_sns_topic_subscription" in result.files[extra]
    assert 'provider "aws"' not in result.files[extra]  # the catalogue declares it already
    notes = [
        f["message"] for f in result.gates["validate"]["findings"] if f["rule_id"] == "answer-note"
    ]
    assert any("vetted catalogue code" in n for n in notes)


def test_every_attempt_is_logged_and_the_best_one_ships(scripted, tmp_path):
    """Attempt 1 fails completeness and security; attempt 2 does not even parse: the run ships
    attempt 1's files and gates, and says so."""
    models = scripted(
        scripted_answers([BROKEN, "<<<FILE terraform/main.tf>>>\nresource {\n<<<END>>>"])
    )
    result = generate(
        "sns topic for alerts", output_dir=tmp_path / "o", models=models, settings=MODEL_WRITES
    )
    log = result.report["attempt_log"]
    assert [e["attempt"] for e in log] == [1, 2]
    assert log[0]["gates"]["security"] == "failed" and log[1]["gates"] == {"validate": "failed"}
    assert all(e["model"] == "scripted:scripted-model" for e in log)
    assert result.report["shipped_attempt"] == 1 and result.report["attempts"] == 2
    assert "alerts-logs" in result.files["terraform/main.tf"]  # attempt 1's code
    assert result.gates["validate"]["status"] == "passed"
    assert any("shipped attempt 1 of 2" in r for r in result.report["repairs"])
