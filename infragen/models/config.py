"""Every setting of the model layer, read from one place.

Precedence, strongest first, the same for every infragen setting (`LayeredSettings`, tested in
tests/models/test_settings_precedence.py): explicit arguments (`ModelSettings(force_model=...)`,
the CLI) > environment variables > the `.env` file of the working directory > the config file
(`INFRAGEN_CONFIG`, default `<user config dir>/infragen/config.toml`) > defaults.
`RunSettings` (infragen.settings) carries one of these as `.models`, so a run has one settings object.
Model names themselves live in `infragen/data/models.toml`, never here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

TIERS = ("lightweight", "standard", "fast", "reasoning", "summarization", "fallback")
# The environment variables that choose which model answers: a run that must not reach the
# developer's real models (a test, a benchmark) clears them.
ROUTING_ENV = (
    "GROQ_API_KEY",
    "GROQ_API_KEY_SECONDARY",
    "OPENAI_API_KEY",
    "FORCE_MODEL",
    "MODEL_BACKEND",
    *(f"DEFAULT_{tier.upper()}_MODEL" for tier in TIERS),
)


def _env(*names: str) -> AliasChoices:
    """Accept the field name (for arguments and the config file) and the documented env names."""
    return AliasChoices(*names)


class LayeredSettings(BaseSettings):
    """Every infragen settings class reads arguments > environment > .env > config file > defaults."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config_file_path())
        return (init_settings, env_settings, dotenv_settings, toml)


def config_file_path() -> Path:
    explicit = os.environ.get("INFRAGEN_CONFIG")
    if explicit:
        return Path(explicit)
    return platformdirs.user_config_path("infragen") / "config.toml"


class ModelSettings(LayeredSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True, env_file=".env")

    # Which backend serves every task; empty means "as each registry entry says".
    model_backend: str = Field(
        "",
        description="One backend for every task (groq, openai, llama_cpp, transformers, offline).",
    )
    # One model for every task (then offline); "backend:model" or a bare model name.
    force_model: str = Field(
        "", description="One model for every task, then offline: backend:model or a bare name."
    )
    default_lightweight_model: str = Field(
        "", description="First model of the lightweight tier (clarifier, planner)."
    )
    default_standard_model: str = Field(
        "", description="First model of the standard tier (architect, Ansible writer)."
    )
    default_fast_model: str = Field("", description="First model of the fast tier.")
    default_reasoning_model: str = Field("", description="First model of the reasoning tier.")
    default_summarization_model: str = Field(
        "", description="First model of the summarization tier."
    )
    default_fallback_model: str = Field(
        "", description="The universal fallback model, tried before offline."
    )
    # Per-task overrides, e.g. {"architect": "groq:some-model"} from `--model architect=...`.
    task_models: dict[str, str] = Field(
        default_factory=dict,
        description='Per-task pins as JSON, e.g. {"architect": "groq:model"} (also --model).',
    )
    models_file: Path | None = Field(
        None,
        validation_alias=_env("models_file", "INFRAGEN_MODELS_FILE"),
        description="Another registry file instead of the packaged models.toml.",
    )
    offline_fallback: bool = Field(
        True,
        validation_alias=_env("offline_fallback", "MODEL_OFFLINE_FALLBACK"),
        description="End every chain with the offline backend.",
    )

    groq_api_key: SecretStr | None = Field(
        None, description="Groq key (never logged; shown masked by `infragen models`)."
    )
    groq_api_key_secondary: SecretStr | None = Field(
        None, description="Second Groq key; serves the lightweight tier first when set."
    )
    groq_base_url: str | None = Field(None, description="Another Groq-compatible endpoint.")
    openai_api_key: SecretStr | None = Field(
        None, description="Key for the OpenAI-compatible backend (local servers need none)."
    )
    openai_base_url: str | None = Field(
        None, description="OpenAI-compatible server: llama.cpp server, vLLM, Ollama (…/v1)."
    )

    on_auth_error: Literal["fail", "fallback"] = Field(
        "fail",
        validation_alias=_env("on_auth_error", "MODEL_ON_AUTH_ERROR"),
        description="A key rejected with 401/403: fail the run (exit 3) or fall back to offline.",
    )
    request_timeout_s: float = Field(
        30.0,
        validation_alias=_env("request_timeout_s", "MODEL_TIMEOUT_S"),
        description="Seconds one model request may take.",
    )
    # A task gives up waiting on rate limits once this much time has passed since it started.
    task_deadline_s: float = Field(
        90.0,
        validation_alias=_env("task_deadline_s", "MODEL_TASK_DEADLINE_S"),
        description="Seconds a task may spend waiting on rate limits before moving on.",
    )
    transient_retries: int = Field(
        2,
        validation_alias=_env("transient_retries", "MODEL_RETRIES"),
        description="Backoff retries on 5xx and timeouts before the next model.",
    )
    max_rate_limit_waits: int = Field(
        3, description="429 retry-after waits per model before moving on."
    )

    model_7b_path: Path | None = Field(
        None, description="GGUF file for the llama_cpp alias 7b (MODEL_<ALIAS>_PATH for any alias)."
    )
    model_1b_path: Path | None = Field(None, description="GGUF file for the llama_cpp alias 1b.")
    local_model_paths: dict[str, Path] = Field(
        default_factory=dict, description="More alias -> GGUF path pairs, as JSON."
    )
    llama_n_ctx: int = Field(4096, description="llama.cpp context size in tokens.")
    llama_n_threads: int | None = Field(
        None, description="llama.cpp CPU threads (default: llama.cpp's choice)."
    )
    llama_n_gpu_layers: int = Field(
        0, description="Layers llama.cpp offloads to the GPU (-1: all)."
    )
    model_preload: bool = Field(
        False, description="Load in-process models at start-up instead of on first use."
    )
    model_max_loaded: int = Field(
        1, description="In-process models kept loaded; the least recently used is unloaded."
    )

    state_dir: Path | None = Field(
        None,
        validation_alias=_env("state_dir", "INFRAGEN_STATE_DIR"),
        description="Ledger, cache and checkpoints (default: the user state dir).",
    )
    database_url: SecretStr | None = Field(
        None,
        validation_alias=_env("database_url", "INFRAGEN_DATABASE_URL"),
        description="PostgreSQL URL for the ledger, cache, budgets and checkpoints shared by "
        "replicas (default: SQLite files in the state dir).",
    )
    cache_enabled: bool = Field(
        True,
        validation_alias=_env("cache_enabled", "INFRAGEN_CACHE"),
        description="Response cache on (a repeated request costs 0 tokens).",
    )
    daily_budget_tokens: int = Field(
        100_000,
        validation_alias=_env("daily_budget_tokens", "INFRAGEN_DAILY_BUDGET_TOKENS"),
        description="Daily token budget per key (Groq counts per organisation).",
    )
    # Per key, by the env var that holds it: {"GROQ_API_KEY_SECONDARY": 500000}.
    key_budgets: dict[str, int] = Field(
        default_factory=dict,
        validation_alias=_env("key_budgets", "INFRAGEN_KEY_BUDGETS"),
        description='Budgets per key env var as JSON, e.g. {"GROQ_API_KEY_SECONDARY": 500000}.',
    )
    budget_tokens: int | None = Field(
        None,
        validation_alias=_env("budget_tokens", "INFRAGEN_BUDGET_TOKENS"),
        description="Token cap for one run (also --budget-tokens).",
    )
    run_id: str = Field(
        "",
        validation_alias=_env("run_id", "INFRAGEN_RUN_ID"),
        description="Run id recorded in the ledger (set by infragen per run).",
    )

    def resolved_state_dir(self) -> Path:
        return self.state_dir or platformdirs.user_state_path("infragen")

    def tier_default(self, tier: str) -> str:
        return getattr(self, f"default_{tier}_model", "")

    def local_model_path(self, alias: str) -> Path | None:
        """MODEL_7B_PATH / MODEL_1B_PATH style paths, then the `local_model_paths` map."""
        by_field = getattr(self, f"model_{alias.lower()}_path", None)
        if by_field:
            return Path(by_field)
        from_env = os.environ.get(f"MODEL_{alias.upper().replace('-', '_')}_PATH")
        if from_env:
            return Path(from_env)
        return self.local_model_paths.get(alias)
