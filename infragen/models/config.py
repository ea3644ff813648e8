"""Every setting of the model layer, read from one place.

Precedence, strongest first (pydantic-settings sources, tested in tests/models):
explicit arguments (`ModelSettings(force_model=...)`, the CLI) > environment variables >
the config file (`INFRAGEN_CONFIG`, default `<user config dir>/infragen/config.toml`) > defaults.
Model names themselves live in `infragen/data/models.toml`, never here.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

TIERS = ("lightweight", "standard", "fast", "reasoning", "summarization", "fallback")


def _env(*names: str) -> AliasChoices:
    """Accept the field name (for arguments and the config file) and the documented env names."""
    return AliasChoices(*names)


def config_file_path() -> Path:
    explicit = os.environ.get("INFRAGEN_CONFIG")
    if explicit:
        return Path(explicit)
    return platformdirs.user_config_path("infragen") / "config.toml"


class ModelSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    # Which backend serves every task; empty means "as each registry entry says".
    model_backend: str = ""
    # One model for every task (then offline); "backend:model" or a bare model name.
    force_model: str = ""
    default_lightweight_model: str = ""
    default_standard_model: str = ""
    default_fast_model: str = ""
    default_reasoning_model: str = ""
    default_summarization_model: str = ""
    default_fallback_model: str = ""
    # Per-task overrides, e.g. {"architect": "groq:some-model"} from `--model architect=...`.
    task_models: dict[str, str] = Field(default_factory=dict)
    models_file: Path | None = Field(
        None, validation_alias=_env("models_file", "INFRAGEN_MODELS_FILE")
    )
    offline_fallback: bool = Field(
        True, validation_alias=_env("offline_fallback", "MODEL_OFFLINE_FALLBACK")
    )

    groq_api_key: SecretStr | None = None
    groq_api_key_secondary: SecretStr | None = None
    groq_base_url: str | None = None
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None

    request_timeout_s: float = Field(
        30.0, validation_alias=_env("request_timeout_s", "MODEL_TIMEOUT_S")
    )
    # A task gives up waiting on rate limits once this much time has passed since it started.
    task_deadline_s: float = Field(
        90.0, validation_alias=_env("task_deadline_s", "MODEL_TASK_DEADLINE_S")
    )
    transient_retries: int = Field(2, validation_alias=_env("transient_retries", "MODEL_RETRIES"))
    max_rate_limit_waits: int = 3

    model_7b_path: Path | None = None
    model_1b_path: Path | None = None
    local_model_paths: dict[str, Path] = Field(default_factory=dict)
    llama_n_ctx: int = 4096
    llama_n_threads: int | None = None
    llama_n_gpu_layers: int = 0
    model_preload: bool = False
    model_max_loaded: int = 1

    state_dir: Path | None = Field(None, validation_alias=_env("state_dir", "INFRAGEN_STATE_DIR"))
    cache_enabled: bool = Field(True, validation_alias=_env("cache_enabled", "INFRAGEN_CACHE"))
    daily_budget_tokens: int = Field(
        100_000, validation_alias=_env("daily_budget_tokens", "INFRAGEN_DAILY_BUDGET_TOKENS")
    )
    # Per key, by the env var that holds it: {"GROQ_API_KEY_SECONDARY": 500000}.
    key_budgets: dict[str, int] = Field(
        default_factory=dict, validation_alias=_env("key_budgets", "INFRAGEN_KEY_BUDGETS")
    )
    budget_tokens: int | None = Field(
        None, validation_alias=_env("budget_tokens", "INFRAGEN_BUDGET_TOKENS")
    )
    run_id: str = Field("", validation_alias=_env("run_id", "INFRAGEN_RUN_ID"))

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
        return (init_settings, env_settings, toml)

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
