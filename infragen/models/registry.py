"""The model registry: tiers of models from `data/models.toml`, and each task's fallback chain."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, Field

from infragen.errors import ConfigError
from infragen.models.config import TIERS, ModelSettings

DEFAULT_BACKEND = "groq"


class ModelRef(BaseModel, frozen=True):
    """One registry entry: which backend serves which model name."""

    backend: str
    model: str

    @classmethod
    def parse(cls, text: str, default_backend: str = DEFAULT_BACKEND) -> ModelRef:
        """'groq:llama-x' -> (groq, llama-x); a bare name gets `default_backend`.

        Only the part before the first ':' can be a backend, and only when it names one we know:
        Ollama-style tags such as 'family:3b' keep their colon.
        """
        from infragen.models.backends.registry import known_backends

        head, sep, tail = text.partition(":")
        if sep and head in known_backends():
            return cls(backend=head, model=tail)
        if not text.strip():
            raise ConfigError("empty model name", "use 'backend:model', e.g. 'openai:my-model'")
        return cls(backend=default_backend, model=text)

    def __str__(self) -> str:
        return f"{self.backend}:{self.model}"


class ChainLink(BaseModel, frozen=True):
    """A model in a task's chain, with where it came from (for `infragen models` and logs)."""

    ref: ModelRef
    tier: str
    source: str


class Registry(BaseModel):
    tiers: dict[str, list[ModelRef]]
    task_tiers: dict[str, str]
    default_tier: str = "standard"
    backend_tiers: dict[str, dict[str, list[str]]] = Field(default_factory=dict)
    local_models: dict[str, str] = Field(default_factory=dict)
    offline: ModelRef

    @classmethod
    def load(cls, path: Path | None = None) -> Registry:
        if path is None:
            text = resources.files("infragen.data").joinpath("models.toml").read_text("utf-8")
        else:
            try:
                text = Path(path).read_text("utf-8")
            except OSError as exc:
                raise ConfigError(
                    f"cannot read model registry {path}: {exc.strerror}",
                    "fix INFRAGEN_MODELS_FILE or unset it to use the built-in registry",
                ) from exc
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"model registry is not valid TOML: {exc}", "fix the file") from exc
        return cls.from_toml(data)

    @classmethod
    def from_toml(cls, data: dict) -> Registry:
        tiers = {
            name: [ModelRef.parse(e) for e in entries] for name, entries in data["tiers"].items()
        }
        missing = [t for t in TIERS if t not in tiers]
        if missing:
            raise ConfigError(f"model registry lacks tiers {missing}", "add them under [tiers]")
        tasks = dict(data.get("tasks", {}))
        default_tier = tasks.pop("default_tier", "standard")
        unknown = sorted({t for t in [*tasks.values(), default_tier] if t not in tiers})
        if unknown:
            raise ConfigError(
                f"tasks map to unknown tiers {unknown}", f"use one of {sorted(tiers)}"
            )
        return cls(
            tiers=tiers,
            task_tiers=tasks,
            default_tier=default_tier,
            backend_tiers=data.get("backend_tiers", {}),
            local_models=data.get("local_models", {}),
            offline=ModelRef.parse(data.get("offline", {}).get("model", "offline:blueprints")),
        )

    def tier_of(self, task: str) -> str:
        return self.task_tiers.get(task, self.default_tier)

    def tier_models(self, tier: str, backend: str = "") -> list[ModelRef]:
        """A tier's models; with a forced backend, that backend's own list or the same names."""
        if not backend:
            return list(self.tiers[tier])
        own = self.backend_tiers.get(backend, {}).get(tier)
        if own is not None:
            return [ModelRef(backend=backend, model=m) for m in own]
        return [ModelRef(backend=backend, model=r.model) for r in self.tiers[tier]]

    def chain(self, task: str, settings: ModelSettings, tier: str | None = None) -> list[ChainLink]:
        """The ordered, de-duplicated list of models to try for `task`, offline last.

        `tier` asks for another tier first (a simple request's lightweight first try); the
        task's own tier stands behind it, then the universal fallback."""
        own = self.tier_of(task)
        if tier is not None and tier not in self.tiers:
            raise ConfigError(f"unknown tier {tier!r}", f"use one of {sorted(self.tiers)}")
        tier = tier or own
        backend = settings.model_backend
        default_backend = backend or DEFAULT_BACKEND
        links: list[ChainLink] = []
        if settings.force_model:
            links.append(
                ChainLink(
                    ref=ModelRef.parse(settings.force_model, default_backend),
                    tier=own,
                    source="FORCE_MODEL",
                )
            )
        else:
            if task in settings.task_models:
                ref = ModelRef.parse(settings.task_models[task], default_backend)
                links.append(ChainLink(ref=ref, tier=own, source=f"override {task}"))
            for name in dict.fromkeys((tier, own, "fallback")):
                if settings.tier_default(name):
                    ref = ModelRef.parse(settings.tier_default(name), default_backend)
                    source = f"DEFAULT_{name.upper()}_MODEL"
                    links.append(ChainLink(ref=ref, tier=name, source=source))
                links += [
                    ChainLink(ref=r, tier=name, source="registry")
                    for r in self.tier_models(name, backend)
                ]
        if settings.offline_fallback:
            links.append(ChainLink(ref=self.offline, tier="offline", source="offline fallback"))
        seen: set[ModelRef] = set()
        unique = []
        for link in links:
            if link.ref not in seen:
                seen.add(link.ref)
                unique.append(link)
        return unique
