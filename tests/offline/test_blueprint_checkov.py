"""Checkov on a project that uses every catalogue component at once: zero failed checks, and every
skip is written next to its resource with a justification."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from infragen.blueprints import render_ansible, render_terraform
from infragen.blueprints.registry import load_catalogue
from infragen.domain import ComponentSpec, Spec
from infragen.offline import plan_spec

pytestmark = pytest.mark.slow


def scan(directory: Path, framework: str) -> dict:
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"}
    checkov = Path(sys.executable).parent / "checkov"
    proc = subprocess.run(
        [str(checkov), "-d", str(directory), "--framework", framework, "--quiet", "--compact",
         "-o", "json", "--skip-download"],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    report = json.loads(proc.stdout)
    return report[0] if isinstance(report, list) else report


def test_every_component_together_passes_checkov(tmp_path):
    kinds = list(load_catalogue().components)
    components = [ComponentSpec(kind=k, count=2 if k == "ec2" else 1) for k in kinds]
    components[kinds.index("ec2")].options = {"web_server": "nginx"}
    plan = plan_spec(Spec(request="all", region="eu-west-1", az_count=3, components=components))
    for f in render_terraform(plan) + render_ansible(plan):
        (tmp_path / f.path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f.path).write_text(f.content)

    terraform = scan(tmp_path / "terraform", "terraform")
    failed = [(c["check_id"], c["resource"]) for c in terraform["results"]["failed_checks"]]
    assert failed == []
    assert terraform["summary"]["passed"] > 300
    text = "\n".join(p.read_text() for p in (tmp_path / "terraform").glob("*.tf"))
    skips = re.findall(r"#checkov:skip=(CKV2?_AWS_\d+):(.*)", text)
    assert skips and all(len(reason.strip()) > 20 for _, reason in skips)

    ansible = scan(tmp_path / "ansible", "ansible")
    assert ansible.get("summary", ansible).get("failed", 0) == 0
