"""Run settings: every knob of a run, from arguments, `INFRAGEN_*` environment variables or defaults.

Precedence is argument > environment > `.env` file > config file > default, for these and for the
model settings that `RunSettings.models` carries (`infragen.models.config.LayeredSettings`), so
a run reads every setting, keys and state dir included, from one object and one set of sources.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from infragen.models.config import LayeredSettings, ModelSettings

OutputFormat = Literal["text", "json", "markdown", "sarif"]


class RunSettings(LayeredSettings):
    model_config = SettingsConfigDict(env_prefix="INFRAGEN_", env_file=".env", extra="ignore")

    max_retries: int = Field(3, ge=1, le=10, description="Architect attempts before giving up.")
    offline: bool = Field(False, description="Use only the embedded offline backend.")
    catalogue_first: bool = Field(
        True, description="Answer what the offline catalogue covers without a model (0 tokens)."
    )
    no_cache: bool = Field(False, description="Bypass the response cache.")
    ask: bool = Field(True, description="Ask the clarifier's questions when stdin is a terminal.")
    plan: bool = Field(False, description="Run `terraform plan` even without cloud credentials.")
    allow_exec: bool = Field(
        False, description="Allow planning configs with provisioners/external data."
    )
    emulator: bool = Field(
        False, description="Plan, apply and destroy on a local AWS emulator (moto) as a gate."
    )
    provider_mirror: Path | None = Field(
        None, description="A Terraform provider mirror to use before the usual places."
    )
    download_providers: bool = Field(
        False, description="Let terraform init download providers no local mirror holds."
    )
    aws_provider: int | None = Field(
        None,
        ge=5,
        le=6,
        description="AWS provider major to target (default: newest that resolves, else 6).",
    )

    @field_validator("aws_provider", mode="before")
    @classmethod
    def _unset_when_empty(cls, value: object) -> object:
        """`INFRAGEN_AWS_PROVIDER=` (empty) means "not set", not "not an integer"."""
        return None if isinstance(value, str) and not value.strip() else value

    fail_on: str = Field("LOW", description="Lowest Checkov severity that fails the security gate.")
    skip_checks: list[str] = Field(default_factory=list, description="Checkov check ids to skip.")
    policies: list[Path] = Field(
        default_factory=list, description="Rego intent policies every run must pass."
    )
    max_monthly_cost: float | None = Field(
        None, description="Fail when the estimate exceeds this USD."
    )
    budget_tokens: int | None = Field(None, description="Token cap for a single run.")
    max_request_chars: int = Field(4000, description="Longest request accepted.")
    state_dir: Path | None = Field(
        None, description="Where the ledger, cache and checkpoints live."
    )
    max_tokens_clarifier: int = Field(400, description="Completion cap for the clarifier.")
    max_tokens_planner: int = Field(600, description="Completion cap for the planner.")
    max_tokens_architect: int = Field(1500, description="Completion cap for the architect.")
    # The catalogue's playbook for one web host is ~1,040 tokens: at 1,000 a model is cut off.
    max_tokens_ansible: int = Field(1500, description="Completion cap for the Ansible writer.")

    models: ModelSettings = Field(
        default_factory=ModelSettings,
        exclude=True,  # holds keys: never serialised into a checkpoint or a report
        description="Model routing settings (keys, backends, budgets), read from the same sources.",
    )

    def resolved_state_dir(self) -> Path:
        """Ledger, cache and checkpoints live here (INFRAGEN_STATE_DIR, else the user state dir);
        the model layer's ledger and cache read the same value."""
        if self.state_dir is not None:
            return self.state_dir
        return self.models.resolved_state_dir()

    def max_tokens_for(self, task: str) -> int:
        return int(getattr(self, f"max_tokens_{task}", 1024))
