"""Precedence: explicit argument > environment > config file > defaults."""

from __future__ import annotations

from infragen.models.config import ModelSettings


def test_precedence_of_sources(monkeypatch, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(
        'force_model = "groq:from-file"\n'
        'model_backend = "openai"\n'
        "daily_budget_tokens = 5000\n"
        'default_standard_model = "from-file-standard"\n'
    )
    monkeypatch.setenv("INFRAGEN_CONFIG", str(config))
    assert ModelSettings().task_deadline_s == 90.0  # default
    assert ModelSettings().daily_budget_tokens == 5000  # file beats default
    monkeypatch.setenv("FORCE_MODEL", "groq:from-env")
    monkeypatch.setenv("INFRAGEN_DAILY_BUDGET_TOKENS", "7000")
    s = ModelSettings()
    assert (s.force_model, s.daily_budget_tokens, s.model_backend) == (
        "groq:from-env",
        7000,
        "openai",
    )
    s = ModelSettings(force_model="groq:from-arg", daily_budget_tokens=9)
    assert (s.force_model, s.daily_budget_tokens) == ("groq:from-arg", 9)
    assert s.default_standard_model == "from-file-standard"


def test_documented_env_names(monkeypatch, tmp_path):
    monkeypatch.setenv("MODEL_TIMEOUT_S", "4.5")
    monkeypatch.setenv("MODEL_7B_PATH", str(tmp_path / "seven.gguf"))
    monkeypatch.setenv("INFRAGEN_CACHE", "0")
    monkeypatch.setenv("INFRAGEN_KEY_BUDGETS", '{"GROQ_API_KEY_SECONDARY": 250000}')
    s = ModelSettings()
    assert s.request_timeout_s == 4.5
    assert s.local_model_path("7b") == tmp_path / "seven.gguf"
    assert s.cache_enabled is False
    assert s.key_budgets == {"GROQ_API_KEY_SECONDARY": 250000}
    assert s.resolved_state_dir().name == "state"  # from the test's INFRAGEN_STATE_DIR
