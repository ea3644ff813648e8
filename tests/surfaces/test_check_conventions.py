"""`infragen check` output and CI conventions (issue 20): findings in text, every format in every
mode, one document for many roots, skips, config file, --soft-fail, --fail-on, --version,
recursive search, and SARIF that GitHub code scanning accepts."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from typer.testing import CliRunner

from infragen.cli import app

ROOT = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = json.loads((ROOT / "fixtures" / "tools" / "sarif-schema-2.1.0.json").read_text())
runner = CliRunner()

BAD_SCHEMA = 'resource "aws_s3_bucket" "b" {\n  buckett = "x"\n}\n'
OPEN_SSH = """resource "aws_security_group" "ssh" {
  name = "ssh"
  # infragen:skip=CKV_AWS_24 bastion host, reviewed
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""
INSTANCE = 'resource "aws_instance" "web" {\n  ami           = "ami-12345678"\n  instance_type = "m5.large"\n}\n'


def invoke(*args: str, **kwargs):
    return runner.invoke(app, ["check", *args], **kwargs)


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def github_problems(log: dict) -> list[str]:
    """Schema errors plus what upload-sarif rejects: unlocated results, duplicate categories."""
    problems = [e.message for e in jsonschema.Draft4Validator(SARIF_SCHEMA).iter_errors(log)]
    categories = [(r["tool"]["driver"]["name"], r["automationDetails"]["id"]) for r in log["runs"]]
    if len(categories) != len(set(categories)):
        problems.append(f"duplicate runs {categories}")
    problems += [
        f"{r.get('ruleId')} unlocated"
        for run in log["runs"]
        for r in run["results"]
        if not r.get("locations", [{}])[0].get("physicalLocation", {}).get("artifactLocation")
    ]
    return problems


def test_text_lists_each_finding_with_a_real_path_and_line(tmp_path, monkeypatch):
    tree(tmp_path / "infra", {"main.tf": BAD_SCHEMA})
    monkeypatch.chdir(tmp_path)
    result = invoke("infra", "--only", "schema")
    assert result.exit_code == 1
    assert "infra/main.tf:2" in result.stdout and "buckett" in result.stdout
    assert "terraform/main.tf" not in result.stdout
    quiet = invoke("infra", "--only", "schema", "-q")
    assert (
        quiet.exit_code == 1
        and quiet.stdout.startswith("FAILED")
        and "infra/main.tf:2" in quiet.stdout
    )


@pytest.mark.parametrize("fmt", ["sarif", "markdown", "junit", "json"])
def test_only_schema_honours_every_format(tmp_path, fmt):
    tree(tmp_path, {"a/main.tf": BAD_SCHEMA, "b/main.tf": INSTANCE})
    result = invoke(str(tmp_path / "a"), str(tmp_path / "b"), "--only", "schema", "--format", fmt)
    assert result.exit_code == 1, result.output
    out = result.stdout
    if fmt == "sarif":
        assert github_problems(json.loads(out)) == []
    elif fmt == "json":
        assert len(json.loads(out)["reports"]) == 2
    elif fmt == "junit":
        suites = ET.fromstring(out)
        assert suites.get("failures") == "1" and len(suites.findall("testsuite")) == 2
    else:
        assert out.startswith("# infragen report") and "buckett" in out


def test_bad_format_and_bad_fail_on_are_usage_errors(tmp_path):
    tree(tmp_path, {"main.tf": INSTANCE})
    assert invoke(str(tmp_path), "--format", "xml").exit_code == 2
    result = invoke(str(tmp_path), "--only", "security", "--fail-on", "hihg")
    assert result.exit_code == 2 and "HIHG" in result.stderr


def test_an_empty_directory_is_exit_2_in_every_mode(tmp_path):
    for only in (["--only", "schema"], ["--only", "validate"], []):
        result = invoke(str(tmp_path), *only)
        assert result.exit_code == 2 and "no .tf files" in result.stderr


def test_recursive_search_finds_every_root_and_skips_dot_terraform(tmp_path):
    tree(
        tmp_path,
        {
            "envs/prod/main.tf": INSTANCE,
            "modules/web/main.tf": INSTANCE,
            "envs/prod/.terraform/modules/x/main.tf": BAD_SCHEMA,
        },
    )
    result = invoke(str(tmp_path), "--only", "schema", "--format", "json")
    assert result.exit_code == 0, result.output
    checked = {
        Path(r["output_dir"]).relative_to(tmp_path).as_posix()
        for r in json.loads(result.stdout)["reports"]
    }
    assert checked == {"envs/prod", "modules/web"}


def test_skips_inline_flag_and_config_file(tmp_path, monkeypatch):
    tree(tmp_path, {"main.tf": OPEN_SSH, "s3.tf": BAD_SCHEMA})
    monkeypatch.chdir(tmp_path)
    sec = invoke(".", "--only", "security", "--fail-on", "CKV_AWS_24", "--format", "sarif")
    assert sec.exit_code == 0, sec.output  # the only failing check is skipped inline
    log = json.loads(sec.stdout)
    [skipped] = [r for run in log["runs"] for r in run["results"] if r["ruleId"] == "CKV_AWS_24"]
    assert skipped["suppressions"] == [
        {"kind": "inSource", "justification": "bastion host, reviewed"}
    ]
    assert github_problems(log) == []
    assert invoke(".", "--only", "schema").exit_code == 1
    assert invoke(".", "--only", "schema", "--skip", "schema.unknown-*").exit_code == 0
    (tmp_path / ".infragen.toml").write_text('skip = ["schema.unknown-argument"]\n')
    assert invoke(".", "--only", "schema").exit_code == 0
    (tmp_path / ".infragen.toml").write_text("skipp = []\n")
    assert invoke(".", "--only", "schema").exit_code == 2


def test_soft_fail_version_and_fail_on_from_env_and_config(tmp_path, monkeypatch):
    tree(tmp_path, {"main.tf": OPEN_SSH.replace("# infragen:skip", "# note")})
    monkeypatch.chdir(tmp_path)
    assert invoke(".", "--only", "schema", "--soft-fail").exit_code == 0
    version = invoke("--version")
    assert version.exit_code == 0 and version.stdout.startswith("infragen ")
    assert invoke(".", "--only", "security", "--fail-on", "HIGH,CRITICAL").exit_code == 1
    assert invoke(".", "--only", "security", "--fail-on", "CKV_AWS_1,CKV_AWS_2").exit_code == 0
    (tmp_path / ".infragen.toml").write_text('fail_on = "NONE"\n')
    assert invoke(".", "--only", "security").exit_code == 0
    monkeypatch.setenv("INFRAGEN_FAIL_ON", "CKV_AWS_24")  # the environment beats the file
    assert invoke(".", "--only", "security").exit_code == 1
    assert invoke(".", "--only", "security", "--fail-on", "NONE").exit_code == 0  # flags beat both


def test_sarif_for_many_roots_is_one_run_per_tool_with_locations(tmp_path):
    tree(tmp_path, {"a/main.tf": INSTANCE, "b/main.tf": BAD_SCHEMA})
    result = invoke(
        str(tmp_path / "a"),
        str(tmp_path / "b"),
        "--only",
        "cost",
        "--max-monthly-cost",
        "1",
        "--format",
        "sarif",
    )
    assert result.exit_code == 1, result.output
    log = json.loads(result.stdout)
    assert github_problems(log) == []
    [run] = log["runs"]
    # a cost finding has no file: it points at its root's first file
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    ]
    assert len(uris) == 2 and uris[0].endswith("a/main.tf") and uris[1].endswith("b/main.tf")


def test_no_doubled_engine_names_in_reasons(tmp_path):
    tree(tmp_path, {"main.tf": INSTANCE})
    gate = json.loads(invoke(str(tmp_path), "--only", "validate", "--format", "json").stdout)[
        "gates"
    ]["validate"]
    assert (
        "terraform: terraform:" not in gate["reason"]
        and "terraform + terraform" not in gate["engine"]
    )


def test_a_file_stands_for_its_directory_except_with_only_schema(tmp_path):
    tree(tmp_path, {"a.tf": BAD_SCHEMA, "b.tf": INSTANCE})
    whole = invoke(str(tmp_path / "b.tf"), "--only", "validate", "--format", "json")
    narrow = invoke(str(tmp_path / "b.tf"), "--only", "schema", "--format", "json")
    assert whole.exit_code == 1 and narrow.exit_code == 0, (whole.output, narrow.output)
    assert json.loads(narrow.stdout)["gates"]["validate"]["findings"] == []


def test_pyproject_tool_table_and_verbose_suppressed_findings(tmp_path, monkeypatch):
    skip_comment = "# infragen:skip=schema.unknown-argument legacy name, kept on purpose\n"
    tree(
        tmp_path,
        {
            "main.tf": skip_comment + BAD_SCHEMA,
            "pyproject.toml": "[tool.infragen]\nsoft_fail = true\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    quiet = invoke(".", "--only", "schema")
    assert quiet.exit_code == 0 and "buckett" not in quiet.stdout  # suppressed: hidden without -v
    loud = invoke(".", "--only", "schema", "-v")
    assert "suppressed in code" in loud.stdout and "legacy name, kept on purpose" in loud.stdout
    (tmp_path / "main.tf").write_text(BAD_SCHEMA)
    assert invoke(".", "--only", "schema").exit_code == 0  # soft_fail from [tool.infragen]
