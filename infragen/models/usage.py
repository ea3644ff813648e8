"""`infragen usage`: today's tokens per key and model, what is left, and what still fits."""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel, Field

from infragen.models.config import ModelSettings
from infragen.models.keys import keys_for
from infragen.models.ledger import Ledger, next_reset, today

# Request sizes (prompt + max_tokens) people recognise: a clarifier call, an architect call, a
# large remediation call.
REQUEST_SIZES = {"small (1k)": 1_000, "medium (4k)": 4_000, "large (8k)": 8_000}


class ModelUsage(BaseModel):
    backend: str
    model: str
    requests: int
    cached: int
    prompt_tokens: int
    completion_tokens: int


class KeyUsage(BaseModel):
    key_label: str
    key_id: str
    budget: int
    used: int
    remaining: int
    fits: dict[str, int]
    models: list[ModelUsage] = Field(default_factory=list)


class UsageSummary(BaseModel):
    day: str
    resets_at: str
    keys: list[KeyUsage]
    free: list[ModelUsage]  # keyless calls: offline, local models


def usage_today(settings: ModelSettings, ledger: Ledger | None = None) -> UsageSummary:
    ledger = ledger or Ledger.in_state_dir(settings.resolved_state_dir())
    rows = ledger.rows(today())
    by_key: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        by_key[(row["key_id"], row["key_label"])].append(row)
    configured = {
        (k.key_id, k.label)
        for backend in ("groq", "openai")
        for tier in ("lightweight", "standard")
        for k in keys_for(backend, tier, settings)
        if k is not None
    }
    keys = []
    for key_id, label in sorted(configured | {k for k in by_key if k[0]}, key=lambda k: k[1]):
        budget = settings.key_budgets.get(label, settings.daily_budget_tokens)
        used = ledger.spent(key_id)
        remaining = max(0, budget - used)
        keys.append(
            KeyUsage(
                key_label=label,
                key_id=key_id,
                budget=budget,
                used=used,
                remaining=remaining,
                fits={name: remaining // size for name, size in REQUEST_SIZES.items()},
                models=_per_model(by_key.get((key_id, label), [])),
            )
        )
    free = _per_model([r for r in rows if not r["key_id"]])
    return UsageSummary(
        day=today(), resets_at=f"{next_reset():%Y-%m-%d %H:%M} UTC", keys=keys, free=free
    )


def _per_model(rows: list[dict]) -> list[ModelUsage]:
    totals: dict[tuple[str, str], ModelUsage] = {}
    for row in rows:
        if row["status"] not in ("done", "cached"):
            continue
        entry = totals.setdefault(
            (row["backend"], row["model"]),
            ModelUsage(
                backend=row["backend"],
                model=row["model"],
                requests=0,
                cached=0,
                prompt_tokens=0,
                completion_tokens=0,
            ),
        )
        entry.requests += 1
        entry.cached += row["status"] == "cached"
        entry.prompt_tokens += row["prompt_tokens"]
        entry.completion_tokens += row["completion_tokens"]
    return sorted(totals.values(), key=lambda m: (m.backend, m.model))
