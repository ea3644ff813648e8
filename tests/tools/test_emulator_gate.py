"""The emulator gate on real Terraform, the real hashicorp/aws provider and a real moto server.

Needs moto[server], the terraform binary and a local hashicorp/aws mirror; skips with that reason
elsewhere. One small apply runs in `make test`; the catalogue-sized ones are slow-marked.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from infragen.tools.emulator import AwsEmulator, moto_available
from infragen.tools.terraform_emulation import (
    OVERRIDE_FILE,
    PROVIDER_FILE,
    emulate,
    write_emulator_files,
)
from infragen.tools.terraform_providers import resolve_providers

needs_emulator = pytest.mark.skipif(
    not (moto_available() and shutil.which("terraform") and resolve_providers().newest_major()),
    reason="needs moto[server], the terraform binary and a local hashicorp/aws provider mirror",
)
pytestmark = needs_emulator


def write(directory: Path, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "main.tf").write_text(textwrap.dedent(text))
    return directory


SMALL = """
    provider "aws" {
      region  = "us-east-1"
      profile = "production"
    }

    data "aws_availability_zones" "zones" {}

    resource "aws_vpc" "main" {
      cidr_block = "10.0.0.0/16"
    }

    resource "aws_subnet" "a" {
      vpc_id            = aws_vpc.main.id
      cidr_block        = "10.0.1.0/24"
      availability_zone = data.aws_availability_zones.zones.names[0]
    }
"""


def our_moto_servers() -> set[int]:
    """moto servers this test process started (other emulators on the machine do not count)."""
    out = subprocess.run(["ps", "-eo", "pid=,ppid=,args="], capture_output=True, text=True).stdout
    return {
        int(line.split()[0])
        for line in out.splitlines()
        if "moto.server" in line and int(line.split()[1]) == os.getpid()
    }


def test_small_project_plans_applies_and_destroys_on_the_emulator(tmp_path):
    project = write(tmp_path / "project", SMALL)
    result = emulate(project)
    assert result.status == "passed", result.findings
    assert (result.planned, result.applied, result.destroyed) == (2, 2, 2)
    assert result.remaining == []
    assert "hashicorp/aws" in result.engine and "moto" in result.engine
    assert result.plan_json["resource_changes"][0]["change"]["actions"] == ["create"]
    # the user's directory is untouched, and the emulator is gone
    assert sorted(p.name for p in project.iterdir()) == ["main.tf"]
    assert our_moto_servers() == set()


def test_plan_time_provider_rules_fail_the_gate(tmp_path):
    project = write(
        tmp_path,
        """
        provider "aws" {
          region = "us-east-1"
        }

        resource "aws_vpc" "main" {
          cidr_block = "10.0.0.0/16"
        }

        resource "aws_route_table" "rt" {
          vpc_id = aws_vpc.main.id
        }

        resource "aws_route" "default" {
          route_table_id         = aws_route_table.rt.id
          destination_cidr_block = "0.0.0.0/0"
        }
        """,
    )
    result = emulate(project, apply=False)
    assert result.status == "failed"
    errors = [f for f in result.findings if f.severity == "error"]
    assert errors and any("gateway_id" in f.message for f in errors)


def test_unsafe_constructs_are_refused_before_anything_starts(tmp_path):
    project = write(
        tmp_path,
        """
        resource "terraform_data" "x" {
          provisioner "local-exec" {
            command = "echo hi"
          }
        }
        """,
    )
    result = emulate(project)
    assert result.status == "failed" and "--allow-exec" in result.reason


def test_override_covers_aliased_providers_and_a_config_without_one(tmp_path):
    with AwsEmulator.start() as emulator:
        assert emulator.url.startswith("http://127.0.0.1:")
        aliased = tmp_path / "aliased"
        write(aliased, 'provider "aws" {\n  alias  = "us_east_1"\n  region = "us-east-1"\n}\n')
        write_emulator_files(aliased, emulator)
        override = (aliased / OVERRIDE_FILE).read_text()
        assert 'alias = "us_east_1"' in override and (aliased / PROVIDER_FILE).exists()
        text = emulator.override_text([None, "replica"])
        assert text.count('provider "aws"') == 2 and 'alias = "replica"' in text
        assert f'ec2 = "{emulator.url}"' in text and "profile                     = null" in text
        env = emulator.terraform_env({"AWS_PROFILE": "prod", "AWS_ENDPOINT_URL_S3": "https://x"})
        assert "AWS_PROFILE" not in env and "AWS_ENDPOINT_URL_S3" not in env
        assert env["AWS_ENDPOINT_URL"] == emulator.url
        assert emulator.issue_certificate("eu-west-1").startswith("arn:aws:acm:eu-west-1:")
        pid = emulator.proc.pid
    assert emulator.proc.poll() is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_terminate_stops_the_emulator(tmp_path, signum):
    """A run interrupted while the emulator is up leaves no moto server behind."""
    script = textwrap.dedent(
        """
        import sys, time
        from infragen.tools.emulator import AwsEmulator
        with AwsEmulator.start() as emulator:
            print(emulator.proc.pid, flush=True)
            time.sleep(60)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    pid = int(proc.stdout.readline())
    os.kill(pid, 0)  # running
    proc.send_signal(signum)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        pytest.fail(f"the emulator outlived signal {signum}")
    assert not (tmp_path / OVERRIDE_FILE).exists()
