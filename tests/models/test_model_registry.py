"""The registry file, each task's chain, and the override precedence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import infragen
from infragen.errors import ConfigError
from infragen.models.config import TIERS, ModelSettings
from infragen.models.registry import ModelRef, Registry

PACKAGE = Path(infragen.__file__).parent
# Families and size markers that only a model name would contain.
MODEL_NAME = re.compile(
    r"llama[-_.]?\d|gpt-[0-9o]|gpt-oss|gemma\d|mixtral|mistral-|qwen\d|qwen/|deepseek-|kimi-"
    r"|\b\d+b-(instant|versatile|it|instruct)\b|whisper-large|compound-beta",
    re.IGNORECASE,
)


def chain(task: str, **settings) -> list[str]:
    return [str(link.ref) for link in Registry.load().chain(task, ModelSettings(**settings))]


def test_no_python_file_in_the_package_names_a_model():
    offenders = [
        f"{path.relative_to(PACKAGE)}:{n}: {line.strip()}"
        for path in PACKAGE.rglob("*.py")
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if MODEL_NAME.search(line)
    ]
    assert offenders == []


def test_the_pattern_catches_registry_names():
    text = (PACKAGE / "data" / "models.toml").read_text("utf-8")
    assert len(MODEL_NAME.findall(text)) >= 6


def test_builtin_registry_has_every_tier_and_the_task_map():
    reg = Registry.load()
    assert set(TIERS) <= set(reg.tiers)
    assert all(reg.tiers[t] for t in TIERS)
    for task in ("clarifier", "planner", "parser", "completeness"):
        assert reg.tier_of(task) == "lightweight"
    for task in ("architect", "ansible", "remediation"):
        assert reg.tier_of(task) == "standard"
    assert reg.tier_of("some-new-task") == reg.default_tier


def test_chain_is_tier_then_fallback_then_offline():
    reg = Registry.load()
    expected = [str(r) for r in reg.tiers["standard"] + reg.tiers["fallback"]]
    assert chain("architect") == [*expected, "offline:blueprints"]
    assert "offline:blueprints" not in chain("architect", offline_fallback=False)


def test_per_task_override_beats_tier_default_and_env(monkeypatch):
    monkeypatch.setenv("DEFAULT_STANDARD_MODEL", "groq:env-standard")
    got = chain("architect", task_models={"architect": "openai:cli-model"})
    assert got[:2] == ["openai:cli-model", "groq:env-standard"]


def test_force_model_replaces_the_chain(monkeypatch):
    monkeypatch.setenv("FORCE_MODEL", "openai:forced")
    assert chain("clarifier") == ["openai:forced", "offline:blueprints"]
    # an explicit argument beats the environment
    assert chain("clarifier", force_model="groq:arg") == ["groq:arg", "offline:blueprints"]


def test_fast_and_reasoning_defaults_from_env(monkeypatch):
    monkeypatch.setenv("DEFAULT_FAST_MODEL", "fast-one")
    monkeypatch.setenv("DEFAULT_REASONING_MODEL", "openai:thinker")
    reg = Registry.load().model_copy(update={"task_tiers": {"quick": "fast", "think": "reasoning"}})
    settings = ModelSettings()
    assert str(reg.chain("quick", settings)[0].ref) == "groq:fast-one"
    assert str(reg.chain("think", settings)[0].ref) == "openai:thinker"


def test_model_backend_uses_that_backends_own_tiers(monkeypatch):
    monkeypatch.setenv("MODEL_BACKEND", "llama_cpp")
    got = chain("architect")
    assert got[-1] == "offline:blueprints"
    assert all(entry.startswith("llama_cpp:") for entry in got[:-1])
    assert chain("architect", model_backend="openai")[0].startswith("openai:")


def test_bare_names_and_colon_tags_parse():
    assert ModelRef.parse("openai:llama3.2:3b") == ModelRef(backend="openai", model="llama3.2:3b")
    assert ModelRef.parse("llama3.2:3b", "openai") == ModelRef(
        backend="openai", model="llama3.2:3b"
    )
    assert ModelRef.parse("m") == ModelRef(backend="groq", model="m")
    with pytest.raises(ConfigError):
        ModelRef.parse("  ")


def test_broken_registry_file_is_a_config_error(tmp_path):
    bad = tmp_path / "models.toml"
    bad.write_text("[tiers]\nlightweight = ['groq:a']\n")
    with pytest.raises(ConfigError, match="lacks tiers"):
        Registry.load(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        Registry.load(tmp_path / "missing.toml")
