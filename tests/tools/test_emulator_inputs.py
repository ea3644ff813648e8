"""Placeholder inputs and the teardown override the emulator gate writes into its scratch copy."""

from __future__ import annotations

import json

from infragen.tools.emulator_inputs import (
    INPUTS_FILE,
    TEARDOWN_FILE,
    placeholder,
    provider_region,
    write_placeholder_inputs,
    write_teardown_override,
)


def test_placeholders_follow_type_and_name():
    assert placeholder("admin_cidr", "string") == "203.0.113.0/24"
    assert placeholder("allowed_cidrs", "list(string)") == ["203.0.113.0/24"]
    assert placeholder("alert_email", "string") == "ops@example.com"
    assert placeholder("instance_count", "number") == 1
    assert placeholder("enabled", "bool") is False
    assert placeholder("tags", "map(string)") == {}
    assert placeholder("ssh_key_name", "string") == "infragen-emulator-ssh-key-name"


def test_only_variables_without_default_get_a_value_and_certificates_are_issued(tmp_path):
    (tmp_path / "variables.tf").write_text(
        'variable "region" {\n  default = "us-east-1"\n}\n\n'
        'variable "admin_cidr" {\n  type = string\n}\n\n'
        'variable "subnets" {\n  type = list(string)\n}\n\n'
        'variable "certificate_arn" {\n  type = string\n}\n\n'
        'provider "aws" {\n  region = var.region\n}\n'
    )
    issued = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
    assert write_placeholder_inputs(tmp_path, lambda: issued) == {
        "admin_cidr": "203.0.113.0/24",
        "subnets": [],
        "certificate_arn": issued,
    }
    assert provider_region(tmp_path, "eu-west-1") == "us-east-1"
    (tmp_path / "variables.tf").write_text('provider "aws" {\n  region = var.nowhere\n}\n')
    assert provider_region(tmp_path, "eu-west-1") == "eu-west-1"
    assert json.loads((tmp_path / INPUTS_FILE).read_text())["admin_cidr"] == "203.0.113.0/24"


def test_teardown_override_switches_protection_off_for_protected_types_only(tmp_path):
    (tmp_path / "main.tf").write_text(
        'resource "aws_db_instance" "main" {\n  deletion_protection = true\n}\n\n'
        'resource "aws_lb" "web" {\n  enable_deletion_protection = true\n}\n\n'
        'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n'
    )
    assert write_teardown_override(tmp_path) == ["aws_db_instance.main", "aws_lb.web"]
    text = (tmp_path / TEARDOWN_FILE).read_text()
    assert "deletion_protection = false" in text and "enable_deletion_protection = false" in text
    assert "aws_vpc" not in text
    (tmp_path / "main.tf").write_text('resource "aws_vpc" "main" {}\n')
    (tmp_path / TEARDOWN_FILE).unlink()
    assert write_teardown_override(tmp_path) == [] and not (tmp_path / TEARDOWN_FILE).exists()


def test_an_api_the_emulator_lacks_is_not_emulated_never_an_error():
    from infragen.tools.terraform_emulation import _errors, _resource_type

    def event(summary: str, address: str) -> dict:
        return {
            "type": "diagnostic",
            "diagnostic": {"severity": "error", "summary": summary, "address": address},
        }

    findings, missing = _errors(
        [
            event(
                "monitoring EC2 Instance (i-1): operation error EC2: MonitorInstances, "
                "https response error StatusCode: 500, RequestID: x",
                "module.web.aws_instance.this[0]",
            ),
            event("creating RDS DB Instance: InvalidParameterCombination", "aws_db_instance.main"),
            event(
                "creating Route 53 Key Signing Key: operation error Route 53: CreateKeySigningKey, "
                "https response error StatusCode: 404, RequestID: , error while deserializing",
                "aws_route53_key_signing_key.main",
            ),
        ],
        "apply",
    )
    assert missing == ["aws_instance", "aws_route53_key_signing_key"]
    assert [(f.rule_id, f.severity) for f in findings][0] == ("not-emulated", "info")
    assert findings[1].severity == "error" and findings[1].resource == "aws_db_instance.main"
    assert _resource_type("data.aws_ami.ubuntu") == "aws_ami"


def test_a_check_where_moto_is_stricter_than_aws_is_not_emulated_but_the_same_code_elsewhere_fails():
    """moto's Route 53 query logging wants the ARN with ':*' (AWS takes the plain one): not the
    user's fault. The same error code on another resource type stays an error."""
    from infragen.tools.terraform_emulation import _errors

    text = (
        "creating Route53 Query Logging Config: operation error Route 53: "
        "CreateQueryLoggingConfig, https response error StatusCode: 404, RequestID: bxRw, "
        "NoSuchCloudWatchLogsLogGroup: The specified CloudWatch Logs log group doesn't exist."
    )
    events = [
        {"type": "diagnostic", "diagnostic": {"severity": "error", "summary": text, "address": a}}
        for a in ("aws_route53_query_log.main", "aws_cloudwatch_log_subscription_filter.x")
    ]
    findings, missing = _errors(events, "apply")
    assert missing == ["aws_route53_query_log"]
    assert findings[0].severity == "info" and "':*'" in findings[0].message
    assert findings[1].severity == "error"


def test_detailed_monitoring_is_switched_off_in_the_copy_and_named(tmp_path):
    from infragen.tools.emulator_inputs import GAPS_FILE, write_gap_override

    (tmp_path / "main.tf").write_text(
        'resource "aws_instance" "web" {\n  ami = "ami-1"\n  monitoring = true\n}\n'
        'resource "aws_instance" "plain" {\n  ami = "ami-1"\n}\n'
    )
    changes = write_gap_override(tmp_path)
    assert changes == [
        "aws_instance.web: monitoring = false (moto lacks MonitorInstances, which detailed monitoring calls)"
    ]
    override = (tmp_path / GAPS_FILE).read_text()
    assert 'resource "aws_instance" "web"' in override and "plain" not in override
    (tmp_path / GAPS_FILE).unlink()
    (tmp_path / "main.tf").write_text('resource "aws_instance" "plain" {\n  ami = "ami-1"\n}\n')
    assert write_gap_override(tmp_path) == [] and not (tmp_path / GAPS_FILE).exists()
