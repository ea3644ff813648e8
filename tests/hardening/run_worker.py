"""One of many processes sharing one state directory: a real graph run through the real router.

Usage: python run_worker.py STATE_DIR INDEX BUDGET OUT_DIR
The clarifier's call goes through the router (ledger reservation under a shared daily budget,
response cache) to a backend that bills the worst case the router reserved; the graph checkpoints
every step into the shared checkpoint store. Prints "ok RUN_ID", "budget RUN_ID" or "error ...".
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from infragen.api import generate
from infragen.errors import BudgetExceededError
from infragen.models.base import ChatRequest, ChatResponse, TokenUsage
from infragen.models.config import ModelSettings
from infragen.models.ledger import estimate_tokens
from infragen.models.registry import Registry
from infragen.models.router import ModelRouter
from infragen.router import cascade
from infragen.settings import RunSettings

FAKE_KEY = "gsk_FAKEKEY_hardening_0123456789abcdef"
# Names no component: the clarifier refuses it, so the graph ends after one model call.
SPEC = json.dumps({"name": "nothing", "components": [], "assumptions": []})


class WorstCase:
    name = "groq"

    def __init__(self) -> None:
        self.last: ChatRequest | None = None

    def complete(self, model: str, request: ChatRequest) -> ChatResponse:
        self.last = request
        total = estimate_tokens(request)
        usage = TokenUsage(
            prompt_tokens=total - request.max_tokens,
            completion_tokens=request.max_tokens,
            total_tokens=total,
        )
        return ChatResponse(content=SPEC, model_used=model, backend=self.name, usage=usage)


def run_one(state_dir: Path, index: int, budget: int, out: str) -> str:
    backend = WorstCase()
    settings = ModelSettings(
        groq_api_key=FAKE_KEY,
        daily_budget_tokens=budget,
        offline_fallback=False,
        cache_enabled=True,
        state_dir=state_dir,
        transient_retries=0,
    )
    # only the clarifier's tier has a model: with no model for the architect, a spec that names
    # nothing is refused (a run that could write it would go on to the architect)
    tiers = ("standard", "fast", "reasoning", "summarization", "fallback")
    registry = Registry.from_toml(
        {
            "tiers": {"lightweight": ["groq:worker-model"], **{t: [] for t in tiers}},
            "tasks": {"clarifier": "lightweight"},
        }
    )
    router = ModelRouter.from_settings(
        settings, registry=registry, factories={"groq": lambda s, k: backend}
    )
    run = RunSettings(state_dir=state_dir, catalogue_first=False, offline=False)
    request = f"create an eks cluster for team {index:02d}"  # same length for every worker
    try:
        result = generate(request, output_dir=out, settings=run, models=router)
    except BudgetExceededError:
        return "budget"
    again = router.complete(backend.last)  # the same call again: served from the shared cache
    return f"ok {result.report['run_id']} {result.status} cached={again.cached}"


def main() -> None:
    cascade._shared[True] = cascade.Router(use_embeddings=False)
    print(run_one(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]))


if __name__ == "__main__":
    main()
