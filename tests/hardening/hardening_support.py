"""Helpers the hardening tests import (a uniquely named module: `from conftest import` resolves
to whichever conftest was imported first when several test folders run together)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FAKE_KEY = "gsk_FAKEKEY_hardening_0123456789abcdef"
KEY_FRAGMENT = "FAKEKEY_hardening"
INFRAGEN = Path(sys.executable).parent / "infragen"


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment of a CLI subprocess: the test's own, the shim first on the path."""
    env = {**os.environ, "PYTHONPATH": str(HERE / "shim"), "INFRAGEN_TEST_BASELINE_ROUTER": "1"}
    env.update(extra)
    return env


def run_cli(
    *args: str | bytes, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(INFRAGEN), *args], env=env or subprocess_env(), capture_output=True, timeout=timeout
    )


def assert_no_key(*texts: str | bytes, paths: tuple[Path, ...] = ()) -> None:
    """The fake key (or a recognisable piece of it) is in none of the texts or files under paths."""
    for text in texts:
        data = text.encode() if isinstance(text, str) else text
        assert KEY_FRAGMENT.encode() not in data, data[-2000:]
    for root in paths:
        files = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
        for file in files:
            assert KEY_FRAGMENT.encode() not in file.read_bytes(), f"key leaked into {file}"


def assert_one_line_error(stderr: str) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in stderr
