"""Typed errors. Each carries the exit code the CLI returns and a hint that names the fix."""

from __future__ import annotations


class InfragenError(Exception):
    """Base error: `message` says what went wrong, `hint` says how to fix it."""

    exit_code = 2

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class BadRequestError(InfragenError):
    """The request text is unusable: empty, too long, binary, destructive."""


class RefusedError(InfragenError):
    """The request is understood but cannot be served by the configured backends."""


class OutputDirError(InfragenError):
    """The output directory cannot be used (exists and non-empty, read-only, outside bounds)."""


class OutputWriteError(OutputDirError):
    """The project could not be written after the run (disk full, directory made read-only)."""

    exit_code = 3


class RunInterruptedError(InfragenError):
    """Ctrl-C: the run stopped; its checkpoint lets `infragen resume RUN_ID` finish it."""

    exit_code = 130


class ConfigError(InfragenError):
    """A setting or flag is invalid."""


class NoBackendError(InfragenError):
    """No model or backend could serve a task; the message lists every attempt."""

    exit_code = 3


class BackendAuthError(InfragenError):
    """A configured model backend rejected its key (401/403): a configuration error, never
    hidden behind the offline catalogue unless MODEL_ON_AUTH_ERROR=fallback says so."""

    exit_code = 3


class BudgetExceededError(InfragenError):
    """A call would cross a daily or per-run token budget."""

    exit_code = 3


class ToolError(InfragenError):
    """An external tool (terraform, checkov, ansible, infracost) failed to run: an internal or
    environment error, never "a gate failed" (exit 1)."""

    exit_code = 3
