"""Catalogue first: covered work costs no tokens; models write only what the catalogue cannot,
and a revision sees only the files its findings point at."""

from __future__ import annotations

import json

from infragen.api import generate
from infragen.domain import Finding, GateResult
from infragen.nodes.architect import declared, files_to_revise, revision_context
from infragen.settings import RunSettings

PLAYBOOK = """<<<FILE ansible/playbook.yml>>>
- name: Check Terraform outputs
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Say what was built
      ansible.builtin.debug:
        msg: "ready"
<<<END>>>
"""
INVENTORY = """<<<FILE ansible/inventory.yml>>>
all:
  hosts:
    localhost:
      ansible_connection: local
<<<END>>>
"""

TOPIC_SUBSCRIPTION = """<<<FILE terraform/webhook.tf>>>
resource "aws_sns_topic_subscription" "webhook" {
  topic_arn = aws_sns_topic.main.arn
  protocol  = "https"
  endpoint  = "https://hooks.example.com/alerts"
}
<<<END>>>
"""


def test_covered_request_only_spends_tokens_on_the_playbook(scripted, tmp_path):
    models = scripted({"ansible": [PLAYBOOK + INVENTORY]})  # any other task would raise KeyError
    result = generate(
        "sqs queue with a dead letter queue", output_dir=tmp_path / "out", models=models
    )
    assert result.status == "passed", result.report["gates"]
    assert set(models.requests) == {"ansible"}
    usage = result.report["usage"]
    assert usage["by_node"]["clarifier"] == usage["by_node"]["planner"] == 0
    assert usage["by_node"]["architect"] == 0 and usage["by_node"]["ansible"] > 0
    assert result.report["models"]["architect"] == "offline:blueprints"


PARTLY_COVERED_SPEC = json.dumps(
    {
        "name": "alerts",
        "components": [{"kind": "sns", "count": 1, "options": {}}],
        "unknown": ["kinesis firehose stream"],
    }
)


def run_partly_covered(scripted, tmp_path, settings=None):
    """An sns topic (catalogue) plus a firehose stream (not): the model answers with a webhook
    subscription that leaves the stream out."""
    models = scripted(
        {
            "clarifier": [PARTLY_COVERED_SPEC],
            "architect": [TOPIC_SUBSCRIPTION],
            "ansible": [PLAYBOOK + INVENTORY],
        }
    )
    result = generate(
        "sns topic for alerts delivered to a kinesis firehose stream",
        output_dir=tmp_path / "out",
        models=models,
        settings=settings,
    )
    return models, result


def test_uncovered_part_is_the_only_code_the_model_writes(scripted, tmp_path):
    models, result = run_partly_covered(scripted, tmp_path)

    assert "planner" not in models.requests  # every component is a catalogue kind
    prompt = models.requests["architect"][0].messages[1].content
    assert "Write only new files for: kinesis firehose stream" in prompt
    assert "aws_sns_topic.main" in prompt and 'resource "aws_sns_topic"' not in prompt
    files = result.files
    assert "terraform/webhook.tf" in files and any(
        'aws_sns_topic" "main"' in t for t in files.values()
    )


def test_an_uncovered_part_the_model_left_out_fails_completeness_and_is_fed_back(
    scripted, tmp_path
):
    models, result = run_partly_covered(scripted, tmp_path, RunSettings(max_retries=2))
    first = result.report["attempt_log"][0]
    assert "completeness" in first["failed_gates"]
    feedback = models.requests["architect"][1].payload["feedback"]
    assert "the request asks for kinesis firehose stream, but no aws_kinesis* resource" in feedback


def test_catalogue_first_off_sends_every_task_to_the_model(scripted, tmp_path):
    spec = '{"components": [{"kind": "sqs", "count": 1, "options": {}}]}'
    models = scripted(
        {"clarifier": [spec], "planner": ["{}"], "architect": [TOPIC_SUBSCRIPTION],
         "ansible": [PLAYBOOK]}
    )  # fmt: skip
    generate(
        "sqs queue with a dead letter queue",
        output_dir=tmp_path / "out",
        models=models,
        settings=RunSettings(catalogue_first=False, max_retries=1),
    )
    assert {"clarifier", "planner", "architect"} <= set(models.requests)


FILES = {
    "terraform/network.tf": 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n',
    "terraform/database.tf": 'resource "aws_db_instance" "main" {\n  engine = "postgres"\n}\n'
    'variable "db_class" {\n  default = "db.t4g.micro"\n}\n',
    "terraform/outputs.tf": 'output "vpc_id" {\n  value = aws_vpc.main.id\n}\n',
}


def gate(*findings: Finding) -> GateResult:
    return GateResult(name="security", status="failed", findings=list(findings))


def test_revision_shows_the_files_findings_point_at_and_indexes_the_rest():
    by_file = Finding(
        gate="security",
        rule_id="CKV_AWS_16",
        message="x",
        file="/database.tf",
        resource="aws_db_instance.main",
    )
    shown, index = revision_context(FILES, [gate(by_file)])
    assert list(shown) == ["terraform/database.tf"]
    assert index == ["terraform/network.tf: aws_vpc.main", "terraform/outputs.tf: output.vpc_id"]


def test_findings_are_placed_by_resource_type_when_they_name_no_file():
    by_type = Finding(
        gate="completeness", rule_id="intent:rds", message="x", resource="aws_db_instance"
    )
    assert files_to_revise(FILES, [gate(by_type)]) == {"terraform/database.tf"}


def test_a_finding_that_cannot_be_placed_shows_every_file():
    nowhere = Finding(gate="validate", message="something broke")
    shown, index = revision_context(FILES, [gate(nowhere)])
    assert shown == FILES and index == []


def test_missing_resources_need_only_the_index():
    missing = Finding(
        gate="completeness", rule_id="missing-resource", message="x", resource="aws_sns_topic"
    )
    assert files_to_revise(FILES, [gate(missing)]) == set()


def test_declared_names_every_block_kind_grouped_by_type():
    text = FILES["terraform/database.tf"] + (
        'data "aws_region" "current" {}\nmodule "m" {\n}\n'
        'resource "aws_db_instance" "replica" {\n}\n'
    )
    assert declared(text) == [
        "aws_db_instance.{main,replica}",
        "var.db_class",
        "data.aws_region.current",
        "module.m",
    ]


def test_suppressed_findings_do_not_pull_files_into_a_revision():
    skipped = Finding(
        gate="security",
        rule_id="CKV_AWS_18",
        severity="info",
        message="suppressed",
        file="/network.tf",
    )
    failed = Finding(gate="security", rule_id="CKV_AWS_16", message="x", file="/database.tf")
    assert files_to_revise(FILES, [gate(skipped, failed)]) == {"terraform/database.tf"}


def test_a_playbook_answer_cut_off_before_its_inventory_fails_the_ansible_gate(scripted, tmp_path):
    models = scripted({"ansible": [PLAYBOOK]})  # no ansible/inventory.yml, as if cut at max_tokens
    result = generate(
        "sqs queue with a dead letter queue", output_dir=tmp_path / "out", models=models
    )
    ansible = result.gates["ansible"]
    assert ansible["status"] == "failed" and result.status == "failed"
    assert [f["file"] for f in ansible["findings"]] == ["ansible/inventory.yml"]


def test_an_unread_detail_is_sent_with_the_file_it_concerns_or_every_component_file():
    from infragen.nodes.catalogue import files_for_details

    files = {
        "terraform/versions.tf": "terraform {}",
        "terraform/network.tf": "retention_in_days = 365",
        "terraform/database.tf": "performance_insights_retention_period = 7",
    }
    assert files_for_details(files, ["performance insights kept 31 days"]) == {
        "terraform/database.tf"
    }
    # no word in common: every component file, never the shared ones alone
    assert files_for_details(files, ["3000 iops"]) == {
        "terraform/network.tf",
        "terraform/database.tf",
    }


def test_what_became_of_an_unread_detail_is_always_said():
    from infragen.report import unread_deviations

    spec = {"unread": ["3000 iops"]}
    catalogue = {"attempt": 1, "model": "offline:blueprints"}
    model = {"attempt": 2, "model": "openai:m"}
    shipped_model = {"spec": spec, "shipped_attempt": 2, "attempt_log": [catalogue, model]}
    assert "openai:m" in unread_deviations(shipped_model)[0]["built"]
    failed = {"spec": spec, "shipped_attempt": 1, "attempt_log": [catalogue, model]}
    assert "failed the gates" in unread_deviations(failed)[0]["why"]
    no_attempt = {"spec": spec, "shipped_attempt": 1, "attempt_log": [catalogue]}
    assert "no attempt was left" in unread_deviations(no_attempt)[0]["why"]
    assert unread_deviations({"spec": {}, "attempt_log": [catalogue]}) == []
