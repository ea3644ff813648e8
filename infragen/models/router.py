"""The model router: a task's chain of models, tried in order under the fallback policy.

For each model (and each key that may serve it) the router checks what the process already knows
(retired, parked), the response cache, and the token budgets, then calls the backend through
`call_with_policy` (rate-limit waits and short backoff). What happens after a failure depends on
its kind: permanent failures retire the model or key for the process, too-large requests skip
the model, daily limits park the key and model, and everything else moves on down the chain.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from infragen.errors import BackendAuthError, BudgetExceededError, ConfigError, NoBackendError
from infragen.models.attempt_log import log_attempt
from infragen.models.backends.registry import create_backend
from infragen.models.base import Attempt, Backend, BackendCallError, ChatRequest, ChatResponse
from infragen.models.cache import ResponseCache
from infragen.models.config import ModelSettings
from infragen.models.health import PROCESS_HEALTH, Health
from infragen.models.keys import ApiKey, keys_for, mask
from infragen.models.ledger import CallRecord, Ledger, estimate_tokens, next_reset
from infragen.models.policy import call_with_policy
from infragen.models.registry import ChainLink, Registry

IN_PROCESS_BACKENDS = ("llama_cpp", "transformers")

BackendFactory = Callable[[ModelSettings, ApiKey | None], Backend]


class ModelRouter:
    def __init__(
        self,
        settings: ModelSettings,
        registry: Registry | None = None,
        *,
        health: Health | None = None,
        factories: dict[str, BackendFactory] | None = None,
        ledger: Ledger | None = None,
        cache: ResponseCache | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.registry = registry or Registry.load(settings.models_file)
        self.health = health or PROCESS_HEALTH
        self.ledger = ledger
        self.cache = cache
        self._factories = factories or {}
        self._backends: dict[tuple[str, str], Backend] = {}
        self._sleep = sleep

    @classmethod
    def from_settings(
        cls, settings: ModelSettings | None = None, *, use_cache: bool | None = None, **kwargs: Any
    ) -> ModelRouter:
        """The router the pipeline uses: ledger and cache in the state dir."""
        settings = settings or ModelSettings()
        state_dir = settings.resolved_state_dir()
        cache_on = settings.cache_enabled if use_cache is None else use_cache
        router = cls(
            settings,
            ledger=kwargs.pop("ledger", None) or Ledger.in_state_dir(state_dir),
            cache=kwargs.pop("cache", None)
            or (ResponseCache.in_state_dir(state_dir) if cache_on else None),
            **kwargs,
        )
        if settings.model_preload:
            router.preload()
        return router

    @classmethod
    def offline_only(cls, settings: ModelSettings | None = None, **kwargs: Any) -> ModelRouter:
        """`--offline`: every task goes straight to the offline backend."""
        settings = settings or ModelSettings()
        registry = Registry.load(settings.models_file)
        forced = settings.model_copy(
            update={"force_model": str(registry.offline), "offline_fallback": True}
        )
        return cls.from_settings(forced, registry=registry, **kwargs)

    def preload(self) -> list[str]:
        """Load in-process models now (MODEL_PRELOAD) instead of on their first call: each
        backend fills its MODEL_MAX_LOADED slots with its models in the order tasks would use
        them, skipping models whose weights are not on this machine."""
        ranked = sorted(  # every task's first choice, then every second choice, ...
            [
                (rank, link.ref)
                for task in self.registry.task_tiers
                for rank, link in enumerate(self.registry.chain(task, self.settings))
                if link.ref.backend in IN_PROCESS_BACKENDS
            ],
            key=lambda ranked_ref: ranked_ref[0],
        )
        wanted: dict[str, list[str]] = {}
        for _, ref in ranked:
            wanted.setdefault(ref.backend, []).append(ref.model)
        return [
            f"{name}:{model}"
            for name, models in wanted.items()
            for model in self._backend(name, None).models.preload(models)
        ]

    def routing_table(self) -> list[dict]:
        """Every known task's chain, for `infragen models`."""
        tasks = sorted({*self.registry.task_tiers, *self.settings.task_models})
        return [
            {
                "task": task,
                "tier": self.registry.tier_of(task),
                "chain": [str(link.ref) for link in self.registry.chain(task, self.settings)],
                "sources": [link.source for link in self.registry.chain(task, self.settings)],
            }
            for task in tasks
        ]

    def can_serve(self, task: str) -> bool:
        """Whether a real model (not the offline catalogue) could answer `task` in this run:
        its chain holds a backend that is configured (key or server) and not retired."""
        for link in self.registry.chain(task, self.settings):
            ref = link.ref
            if ref.backend == self.registry.offline.backend:
                continue
            if self.health.model_retired(ref.backend, ref.model):
                continue
            if ref.backend in IN_PROCESS_BACKENDS or ref.backend in self._factories:
                return True
            if ref.backend == "openai" and self.settings.openai_base_url:
                return True
            if any(
                k is not None and not self.health.key_retired(ref.backend, k.key_id)
                for k in keys_for(ref.backend, link.tier, self.settings)
            ):
                return True
        return False

    def complete(self, request: ChatRequest) -> ChatResponse:
        chain = self.registry.chain(request.task, self.settings, request.tier)
        deadline = time.monotonic() + self.settings.task_deadline_s
        attempts: list[Attempt] = []
        budget_errors: list[BudgetExceededError] = []
        auth_errors: list[str] = []
        for depth, link in enumerate(chain):
            if str(link.ref) in request.exclude:
                continue
            if (
                auth_errors
                and link.ref.backend == self.registry.offline.backend
                and self.settings.on_auth_error != "fallback"
            ):
                raise BackendAuthError(
                    mask(f"a configured model backend rejected its key: {auth_errors[0]}"),
                    "fix or unset the key named above (`infragen models` shows them), or "
                    "set MODEL_ON_AUTH_ERROR=fallback to use the offline catalogue instead",
                )
            response = self._try_link(
                request, link, depth, deadline, attempts, budget_errors, auth_errors
            )
            if response is not None:
                return response.model_copy(update={"attempts": attempts, "tier": link.tier})
        paid = [a for a in attempts if a.backend != self.registry.offline.backend]
        if budget_errors and all(
            a.error_class in ("BudgetExceededError", "MissingKey") for a in paid
        ):
            raise budget_errors[0]
        raise NoBackendError(
            mask(f"no model could serve task {request.task!r}; attempts: " + describe(attempts)),
            "set GROQ_API_KEY or OPENAI_BASE_URL, check `infragen models`, or drop --no-offline",
        )

    def _try_link(
        self,
        request: ChatRequest,
        link: ChainLink,
        depth: int,
        deadline: float,
        attempts: list[Attempt],
        budget_errors: list[BudgetExceededError],
        auth_errors: list[str],
    ) -> ChatResponse | None:
        ref = link.ref

        def skip(error_class: str, detail: str) -> None:
            attempt = Attempt(
                model=ref.model,
                backend=ref.backend,
                outcome="skipped",
                error_class=error_class,
                detail=mask(detail),
            )
            attempts.append(attempt)
            log_attempt(request.task, link.tier, depth, attempt)

        if reason := self.health.model_retired(ref.backend, ref.model):
            skip("Retired", reason)
            return None
        keys = keys_for(ref.backend, link.tier, self.settings)
        if not keys:
            skip("MissingKey", f"no API key for backend {ref.backend}")
        for key in keys:
            key_id = key.key_id if key else ""
            if reason := self.health.key_retired(ref.backend, key_id):
                skip("RetiredKey", reason)  # only a 401/403 retires a key: still a bad key
                auth_errors.append(f"{ref} with {key.label if key else ref.backend}: {reason}")
                continue
            if until := self.health.parked_until(ref.backend, ref.model, key_id):
                skip(
                    "DailyLimit", f"parked until {time.strftime('%H:%M:%S', time.localtime(until))}"
                )
                continue
            call = CallRecord(
                run_id=self.settings.run_id,
                task=request.task,
                backend=ref.backend,
                model=ref.model,
                key_id=key_id,
                key_label=key.label if key else "",
            )
            if cached := self._cached(request, call):
                attempts.append(
                    Attempt(model=ref.model, backend=ref.backend, outcome="ok", detail="cache")
                )
                log_attempt(request.task, link.tier, depth, attempts[-1])
                return cached
            try:
                backend = self._backend(ref.backend, key)
            except (ConfigError, ImportError) as exc:
                skip(type(exc).__name__, str(exc))
                return None
            reservation = None
            if key is not None and self.ledger is not None:
                try:
                    reservation = self.ledger.reserve(
                        call,
                        estimate_tokens(request),
                        self._daily_budget(key),
                        self.settings.budget_tokens,
                    )
                except BudgetExceededError as exc:
                    budget_errors.append(exc)
                    skip("BudgetExceededError", exc.message)
                    continue
            try:
                response = call_with_policy(
                    backend,
                    ref,
                    request,
                    deadline,
                    self.settings,
                    attempts,
                    on_attempt=lambda a, usage=None: log_attempt(
                        request.task, link.tier, depth, a, usage
                    ),
                    sleep=self._sleep,
                )
            except BackendCallError as error:
                if reservation is not None:
                    self.ledger.release(reservation)
                if error.status in (401, 403):
                    label = key.label if key else ref.backend
                    auth_errors.append(f"{ref} with {label}: {error.status} {error}")
                if self._after_failure(error, ref.backend, ref.model, key_id) == "next_model":
                    return None
                continue
            self._account(request, call, response, reservation)
            return response
        return None

    def _after_failure(self, error: BackendCallError, backend: str, model: str, key_id: str) -> str:
        """Apply the fallback policy; say whether to try the next key or the next model."""
        if error.kind == "permanent":
            if error.status in (401, 403):
                self.health.retire_key(backend, key_id, mask(f"{error.status} {error}"))
                return "next_key"
            self.health.retire_model(backend, model, mask(str(error)))
            return "next_model"
        if error.kind == "daily_limit":
            seconds = error.retry_after or (next_reset().timestamp() - time.time())
            self.health.park(backend, model, key_id, seconds)
            return "next_key"
        if error.kind == "rate_limited":
            return "next_key"
        return "next_model"

    def _cached(self, request: ChatRequest, call: CallRecord) -> ChatResponse | None:
        if self.cache is None:
            return None
        hit = self.cache.get(call.backend, call.model, request)
        if hit is not None and self.ledger is not None:
            self.ledger.record(call, hit.usage, cached=True)
        return hit

    def _account(
        self,
        request: ChatRequest,
        call: CallRecord,
        response: ChatResponse,
        reservation: int | None,
    ) -> None:
        if self.ledger is not None:
            if reservation is not None:
                self.ledger.settle(reservation, response.usage, response.rate_limits)
            else:
                self.ledger.record(call, response.usage, rate_limits=response.rate_limits)
        if self.cache is not None and response.finish_reason != "length":
            # a cut answer is never served again: the next try must reach the model
            self.cache.put(call.backend, call.model, request, response.content)

    def _daily_budget(self, key: ApiKey) -> int:
        return self.settings.key_budgets.get(key.label, self.settings.daily_budget_tokens)

    def _backend(self, name: str, key: ApiKey | None) -> Backend:
        slot = (name, key.key_id if key else "")
        if slot not in self._backends:
            factory = self._factories.get(name)
            self._backends[slot] = (
                factory(self.settings, key) if factory else create_backend(name, self.settings, key)
            )
        return self._backends[slot]


def describe(attempts: list[Attempt]) -> str:
    return "; ".join(
        f"{a.backend}:{a.model} {a.outcome}"
        + (f" {a.error_class}" if a.error_class else "")
        + (f" status={a.status}" if a.status else "")
        + (f" ({a.detail})" if a.detail else "")
        for a in attempts
    )
