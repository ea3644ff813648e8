"""The only subprocess seam: every external binary infragen runs goes through `run`.

Keeping one seam means one place decides the rules: never a shell, always a timeout, output
always captured, and a missing binary or a hung tool becomes a `ToolError` with a hint instead
of a traceback.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from pydantic import BaseModel

from infragen.errors import ToolError

DEFAULT_TIMEOUT_S = 120.0


class ProcessResult(BaseModel):
    """What a finished command left behind."""

    argv: list[str]
    returncode: int
    stdout: str
    stderr: str
    duration_s: float

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def find_binary(name: str) -> str | None:
    """A binary next to the running interpreter (the venv) first, then on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


def _kill_group(proc: subprocess.Popen[str]) -> None:
    # The tool may have children of its own (terraform plugins, ansible workers): end them all.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()


def run(
    argv: Sequence[str],
    *,
    cwd: Path | str | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
) -> ProcessResult:
    """Run argv without a shell and capture its output; raise ToolError if it cannot run or hangs.

    `env` replaces the environment entirely when given, so callers decide exactly what a tool sees.
    A non-zero exit is not an error here: the caller's parser decides what it means.
    """
    args = [str(a) for a in argv]
    if not args:
        raise ToolError("empty command", "this is a bug in infragen: report it")
    started = time.monotonic()
    try:
        proc = subprocess.Popen(
            args,
            cwd=str(cwd) if cwd is not None else None,
            env=dict(env) if env is not None else None,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=True,
        )
    except FileNotFoundError as exc:
        raise ToolError(
            f"{args[0]} not found",
            f"install it or put it on PATH; `infragen doctor` lists every tool ({exc.strerror})",
        ) from exc
    except PermissionError as exc:
        raise ToolError(f"{args[0]} is not executable", "check its file permissions") from exc
    try:
        stdout, stderr = proc.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _kill_group(proc)
        proc.communicate()
        raise ToolError(
            f"{Path(args[0]).name} timed out after {timeout:g}s",
            "the tool hung or is waiting for the network; rerun with a larger timeout",
        ) from exc
    except BaseException:
        # Ctrl-C reaches only us (the tool runs in its own session): end the tool too.
        _kill_group(proc)
        proc.communicate()
        raise
    return ProcessResult(
        argv=args,
        returncode=proc.returncode,
        stdout=stdout,
        stderr=stderr,
        duration_s=round(time.monotonic() - started, 3),
    )


def base_env(**extra: str) -> dict[str, str]:
    """The current environment plus `extra`, for tools that need PATH/HOME but also our overrides."""
    env = dict(os.environ)
    env.update(extra)
    return env


def spawn(argv: Sequence[str], *, env: Mapping[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start a long-running helper (the AWS emulator) in its own process group, output to `log`.

    The caller owns it and must `stop` it; `run` stays the seam for commands that finish.
    """
    args = [str(a) for a in argv]
    with log.open("wb") as sink:
        try:
            return subprocess.Popen(
                args,
                env=dict(env),
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except FileNotFoundError as exc:
            raise ToolError(f"{args[0]} not found", "install it or put it on PATH") from exc


def stop(proc: subprocess.Popen[bytes], grace: float = 5.0) -> None:
    """End a spawned helper and its children: SIGTERM to the group, SIGKILL after `grace`."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        _kill_group(proc)  # type: ignore[arg-type]
        proc.wait(timeout=grace)
