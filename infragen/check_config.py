"""The repository's `check` configuration: `.infragen.toml`, or `[tool.infragen]` in pyproject.toml,
found in the working directory or the nearest parent (stopping at the repository root).

    fail_on = "HIGH,CRITICAL"      # or a list
    skip = ["CKV_AWS_144", "schema.unknown-argument"]
    soft_fail = false
    max_monthly_cost = 500
    policies = ["policies/backups.rego"]   # relative to the config file
    recursive = true

Precedence: flags > INFRAGEN_* environment (and `.env`) > this file > the user config > defaults.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infragen.errors import ConfigError

KEYS = {"fail_on", "skip", "soft_fail", "max_monthly_cost", "policies", "recursive"}
SETTINGS_KEYS = ("fail_on", "max_monthly_cost", "policies")


@dataclass
class RepoConfig:
    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)


def find_config(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        dotfile = directory / ".infragen.toml"
        if dotfile.is_file():
            return dotfile
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and "[tool.infragen" in pyproject.read_text(errors="replace"):
            return pyproject
        if (directory / ".git").exists():
            return None
    return None


def load_config(start: Path | None = None) -> RepoConfig:
    path = find_config(start)
    if path is None:
        return RepoConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}", "fix the file") from exc
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("infragen", {})
    values = dict(data.get("check", data)) if isinstance(data.get("check"), dict) else dict(data)
    unknown = set(values) - KEYS
    if unknown:
        raise ConfigError(
            f"{path}: unknown key(s) {', '.join(sorted(unknown))}",
            f"use {', '.join(sorted(KEYS))}",
        )
    if "policies" in values:
        values["policies"] = [str(path.parent / p) for p in values["policies"]]
    if isinstance(values.get("fail_on"), list):
        values["fail_on"] = ",".join(values["fail_on"])
    return RepoConfig(path, values)


def _from_environment(name: str) -> bool:
    key = f"INFRAGEN_{name.upper()}"
    if key in os.environ:
        return True
    try:
        from dotenv import dotenv_values
    except ImportError:  # python-dotenv comes with pydantic-settings' .env support
        return False
    return key in dotenv_values(".env")


def settings_values(config: RepoConfig, flags: dict[str, Any]) -> dict[str, Any]:
    """RunSettings arguments: the flags given, and the config file's values the environment does
    not set (arguments beat the environment in RunSettings, so those must be left out)."""
    values = {
        k: v for k, v in config.values.items() if k in SETTINGS_KEYS and not _from_environment(k)
    }
    values.update({k: v for k, v in flags.items() if v is not None})
    return values
