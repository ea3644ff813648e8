"""Zero-token repairs fix only what the schema makes certain, and say what they did."""

from __future__ import annotations

import json

from infragen.schema import check_paths_json, repair_texts, validate_paths, validate_texts

BROKEN = """resource "aws_s3_bucket" "logs" {
  buckett = "logs"
  versioning = {
    enabled = true
  }
  tags {
    Team = "data"
  }
}

resource "aws_ecr_repository" "app_images" {}

resource "aws_instance" "web" {
  ami          = "ami-1"
  instance_typ = "t3.micro"
  subnet_id    = "subnet-1"
  security_group = ["sg-1"]
}
"""


def test_certain_repairs_are_applied_and_listed():
    fixed, done = repair_texts({"main.tf": BROKEN})
    text = fixed["main.tf"]
    assert 'bucket = "logs"' in text and "versioning {" in text and "tags = {" in text
    assert 'name = "app-images"' in text and 'instance_type = "t3.micro"' in text
    assert len(done) == 5 and all(line.startswith("main.tf:") for line in done)
    # "security_group" is close to "security_groups" and "vpc_security_group_ids": not certain.
    assert [(f.rule_id, f.line) for f in validate_texts(fixed)] == [
        ("schema.unknown-argument", 19)
    ]  # two lines added above


def test_a_valid_module_is_left_untouched():
    text = 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n'
    assert repair_texts({"main.tf": text}) == ({"main.tf": text}, [])


def test_repair_does_not_rename_onto_an_argument_already_set():
    text = 'resource "aws_vpc" "main" {\n  cidr_block  = "10.0.0.0/16"\n  cidr_blockk = "10.1.0.0/16"\n}\n'
    fixed, done = repair_texts({"main.tf": text})
    assert fixed["main.tf"] == text and done == []


def test_paths_and_json_report(tmp_path):
    good = tmp_path / "good"
    bad = tmp_path / "bad"
    good.mkdir()
    bad.mkdir()
    (good / "main.tf").write_text('resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n')
    (bad / "main.tf").write_text(BROKEN)
    (bad / "vars.tf").write_text('variable "unused" {}\n')
    results = validate_paths([good, bad, bad / "vars.tf"])
    assert results[str(good)] == [] and results[str(bad / "vars.tf")] == []
    assert len(results[str(bad)]) == 6
    report = list(check_paths_json([good, bad]))
    assert [r["path"] for r in report] == [str(good), str(bad)]
    assert json.loads(json.dumps(report))[1]["findings"][0]["gate"] == "schema"
