"""Provider resolution: mirrors found where Terraform users keep them, and real `validate` with them.

The layout tests build mirrors of empty files (they only need the directory shape). The tests that
run `terraform validate` against the real hashicorp/aws provider need a mirror on this machine
(e.g. /opt/tf-plugins) and skip with that reason elsewhere.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from infragen.tools import terraform
from infragen.tools.terraform_providers import (
    AWS_SOURCE,
    ProviderResolution,
    cli_config_text,
    current_platform,
    resolve_providers,
    scan_mirror,
)

REAL = resolve_providers()
needs_real_aws = pytest.mark.skipif(
    not shutil.which("terraform") or REAL.newest_major() is None,
    reason="needs the terraform binary and a local hashicorp/aws mirror (e.g. /opt/tf-plugins)",
)


def unpacked(root: Path, source: str, version: str, os_arch: str | None = None) -> Path:
    host, namespace, kind = source.split("/")
    target = root / host / namespace / kind / version / (os_arch or current_platform())
    target.mkdir(parents=True)
    (target / f"terraform-provider-{kind}_v{version}_x5").write_bytes(b"")
    return root


def test_scan_reads_both_layouts_and_only_this_platform(tmp_path):
    unpacked(tmp_path, AWS_SOURCE, "5.100.0")
    unpacked(tmp_path, AWS_SOURCE, "6.2.0", os_arch="windows_386")
    packed = tmp_path / "registry.terraform.io" / "hashicorp" / "random"
    packed.mkdir(parents=True)
    (packed / f"terraform-provider-random_3.7.2_{current_platform()}.zip").write_bytes(b"")
    (packed / "terraform-provider-random_3.1.0_darwin_arm64.zip").write_bytes(b"")
    assert scan_mirror(tmp_path) == {
        AWS_SOURCE: ["5.100.0"],
        "registry.terraform.io/hashicorp/random": ["3.7.2"],
    }


def test_versions_sort_numerically_and_give_the_newest_major(tmp_path):
    unpacked(tmp_path, AWS_SOURCE, "5.9.0")
    unpacked(tmp_path, AWS_SOURCE, "5.100.0")
    resolution = resolve_providers(mirrors=[tmp_path], search_usual=False)
    assert resolution.versions("hashicorp/aws") == ["5.9.0", "5.100.0"]
    assert resolution.newest_major() == 5
    assert ProviderResolution().newest_major() is None


def test_plugin_cache_and_configured_mirror_are_found(tmp_path):
    cache, mirror, home = tmp_path / "cache", tmp_path / "mirror", tmp_path / "home"
    unpacked(cache, AWS_SOURCE, "6.25.0")
    unpacked(mirror, AWS_SOURCE, "5.90.0")
    home.mkdir()
    config = tmp_path / "user.tfrc"
    config.write_text(
        f'provider_installation {{\n  filesystem_mirror {{\n    path = "{mirror}"\n  }}\n}}\n'
    )
    env = {"HOME": str(home), "TF_PLUGIN_CACHE_DIR": str(cache), "TF_CLI_CONFIG_FILE": str(config)}
    resolution = resolve_providers(env=env)
    kinds = {m.kind: m.path for m in resolution.mirrors}
    assert kinds["plugin cache"] == cache.resolve()
    assert kinds["configured mirror"] == mirror.resolve()
    assert "5.90.0" in resolution.versions() and resolution.versions()[-1] == "6.25.0"
    assert resolution.origin(AWS_SOURCE, "6.25.0") == f"plugin cache {cache.resolve()}"


def test_usual_places_include_the_home_plugin_directory(tmp_path):
    unpacked(tmp_path / ".terraform.d" / "plugins", AWS_SOURCE, "5.1.0")
    resolution = resolve_providers(env={"HOME": str(tmp_path)})
    assert any(m.path == (tmp_path / ".terraform.d/plugins").resolve() for m in resolution.mirrors)


def test_cli_config_reaches_the_registry_only_when_downloads_are_allowed(tmp_path):
    unpacked(tmp_path, AWS_SOURCE, "5.100.0")
    offline = resolve_providers(mirrors=[tmp_path], search_usual=False)
    assert f'path = "{tmp_path.resolve()}"' in cli_config_text(offline)
    assert "direct" not in cli_config_text(offline)
    online = offline.model_copy(update={"download": True})
    assert 'exclude = ["registry.terraform.io/hashicorp/aws"]' in cli_config_text(online)
    assert "direct {}" in cli_config_text(ProviderResolution(download=True))
    assert cli_config_text(ProviderResolution()) == "provider_installation {\n}\n"


@needs_real_aws
def test_validate_uses_the_real_provider_and_names_it(fixtures):
    result = terraform.validate(fixtures / "tf_aws")
    version = REAL.versions()[-1]
    assert result.status == "passed", result
    assert f"hashicorp/aws {version} from " in result.engine
    assert terraform.provider_checked(result)
    assert not (fixtures / "tf_aws" / ".terraform.lock.hcl").exists()


@needs_real_aws
def test_real_provider_catches_what_only_its_schema_knows(tmp_path):
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "us-east-1"\n}\n\n'
        'resource "aws_vpc" "main" {\n  cidr_block  = "10.0.0.0/16"\n  enable_dns = true\n}\n\n'
        'resource "aws_subnet" "a" {\n  vpc_id = aws_vpc.main.id\n}\n'
    )
    result = terraform.validate(tmp_path)
    assert result.status == "failed"
    located = {(f.rule_id, f.line) for f in result.findings}
    assert ("Unsupported argument", 7) in located
    assert terraform.provider_checked(result)


@needs_real_aws
def test_a_major_no_mirror_holds_is_skipped_naming_what_the_mirror_has(tmp_path):
    newest = REAL.newest_major()
    (tmp_path / "main.tf").write_text(
        "terraform {\n  required_providers {\n    aws = {\n"
        f'      source  = "hashicorp/aws"\n      version = "~> {newest + 1}.0"\n'
        "    }\n  }\n}\n"
    )
    result = terraform.validate(tmp_path)
    assert result.status == "skipped" and not terraform.provider_checked(result)
    assert f"hashicorp/aws {REAL.versions()[-1]}" in result.reason


@pytest.mark.skipif(not shutil.which("terraform"), reason="no terraform binary")
def test_required_version_for_another_release_is_a_warning_not_a_failure(tmp_path):
    (tmp_path / "main.tf").write_text(
        'terraform {\n  required_version = "~> 0.12.0"\n}\n\nresource "terraform_data" "x" {}\n'
    )
    result = terraform.validate(tmp_path, providers=ProviderResolution())
    assert result.status == "passed", result
    [mismatch] = result.findings
    assert mismatch.severity == "warning"
    assert mismatch.rule_id == "Unsupported Terraform Core version"
    assert not list(tmp_path.glob("*override*")), "the override lives in the scratch copy only"


@needs_real_aws
def test_the_catalogue_rendered_for_the_mirrors_major_passes_real_validate(tmp_path):
    from infragen.blueprints import render_terraform
    from infragen.offline import parse_request, plan_spec

    major = REAL.newest_major()
    files = render_terraform(
        plan_spec(parse_request("bastion host in a vpc with a kms key")), major
    )
    for f in files:
        (tmp_path / f.path.removeprefix("terraform/")).write_text(f.content)
    result = terraform.validate(tmp_path)
    assert result.status == "passed", result.findings
    assert terraform.provider_checked(result)


def test_render_target_is_explicit_then_setting_then_mirror_then_6(monkeypatch):
    from infragen.blueprints.render import aws_target

    assert aws_target(5) == 5
    monkeypatch.setenv("INFRAGEN_AWS_PROVIDER", "5")
    assert aws_target() == 5
    monkeypatch.delenv("INFRAGEN_AWS_PROVIDER")
    assert aws_target() == (REAL.newest_major() or 6)
