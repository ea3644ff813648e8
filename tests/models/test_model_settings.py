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


def test_one_precedence_for_run_and_model_settings_with_dotenv(monkeypatch, tmp_path):
    """arguments > environment > .env > config file > defaults, for keys and the state dir too:
    a run and `infragen usage` read the same ledger, and a key in .env reaches the router."""
    from infragen.context import build_models
    from infragen.settings import RunSettings

    config = tmp_path / "config.toml"
    config.write_text('max_retries = 2\ndaily_budget_tokens = 5000\nstate_dir = "/from/file"\n')
    monkeypatch.setenv("INFRAGEN_CONFIG", str(config))
    monkeypatch.delenv("INFRAGEN_STATE_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        "GROQ_API_KEY=gsk_from_dotenv_0123456789abcdef\n"
        f"INFRAGEN_STATE_DIR={tmp_path / 'dotenv-state'}\n"
        "INFRAGEN_DAILY_BUDGET_TOKENS=6000\n"
        "INFRAGEN_MAX_RETRIES=4\n"
    )
    run = RunSettings()
    assert run.models.groq_api_key.get_secret_value() == "gsk_from_dotenv_0123456789abcdef"
    assert (
        run.resolved_state_dir()
        == ModelSettings().resolved_state_dir()
        == tmp_path / "dotenv-state"
    )
    assert (run.max_retries, run.models.daily_budget_tokens) == (4, 6000)  # .env beats the file
    router = build_models(run)
    assert router.settings.groq_api_key.get_secret_value().endswith("abcdef")
    assert router.ledger.path.parent == tmp_path / "dotenv-state"

    monkeypatch.setenv("INFRAGEN_MAX_RETRIES", "5")
    monkeypatch.setenv("INFRAGEN_STATE_DIR", str(tmp_path / "env-state"))
    run = RunSettings()
    assert run.max_retries == 5 and run.resolved_state_dir() == tmp_path / "env-state"
    assert RunSettings(max_retries=1).max_retries == 1  # an argument (a flag) beats them all

    (tmp_path / ".env").unlink()
    monkeypatch.delenv("INFRAGEN_MAX_RETRIES")
    monkeypatch.delenv("INFRAGEN_STATE_DIR")
    assert (
        RunSettings().max_retries == 2 and str(RunSettings().resolved_state_dir()) == "/from/file"
    )
    assert "groq_api_key" not in RunSettings().model_dump()  # keys never reach a checkpoint
