"""One of many processes spending the same key's daily budget through a real router.

Usage: python budget_worker.py STATE_DIR CALLS BUDGET
Prints "ok=<n> refused=<m>". The backend bills exactly the worst case the router reserved,
so any race in the ledger would show up as overspending.
"""

from __future__ import annotations

import sys
from pathlib import Path

from infragen.errors import BudgetExceededError
from infragen.models.base import ChatRequest, ChatResponse, TokenUsage
from infragen.models.config import ModelSettings
from infragen.models.ledger import estimate_tokens
from infragen.models.registry import Registry
from infragen.models.router import ModelRouter


class WorstCaseBackend:
    name = "groq"

    def complete(self, model: str, request: ChatRequest) -> ChatResponse:
        total = estimate_tokens(request)
        usage = TokenUsage(
            prompt_tokens=total - request.max_tokens,
            completion_tokens=request.max_tokens,
            total_tokens=total,
        )
        return ChatResponse(content="spent", model_used=model, backend=self.name, usage=usage)


def main() -> None:
    state_dir, calls, budget = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    settings = ModelSettings(
        groq_api_key="gsk_WORKERfakeKEY0000000000000000",
        daily_budget_tokens=budget,
        offline_fallback=False,
        cache_enabled=False,
        state_dir=state_dir,
    )
    tiers = {t: [] for t in ("lightweight", "fast", "reasoning", "summarization", "fallback")}
    registry = Registry.from_toml({"tiers": tiers | {"standard": ["groq:worker-model"]}})
    router = ModelRouter.from_settings(
        settings, registry=registry, factories={"groq": lambda s, k: WorstCaseBackend()}
    )
    ok = refused = 0
    for i in range(calls):
        request = ChatRequest(
            task="architect", messages=[{"role": "user", "content": f"call {i:04d}"}], max_tokens=90
        )
        try:
            router.complete(request)
            ok += 1
        except BudgetExceededError:
            refused += 1
    print(f"ok={ok} refused={refused}")


if __name__ == "__main__":
    main()
