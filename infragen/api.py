"""The Python API: `generate()` runs the pipeline and writes the project; the CLI is a thin layer over it."""

from __future__ import annotations

import contextlib
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from infragen.context import RunContext, build_models
from infragen.errors import InfragenError, OutputDirError, OutputWriteError, RunInterruptedError
from infragen.intent.policies import load_policies
from infragen.models.keys import mask
from infragen.report import build_report, render_markdown
from infragen.requests import check_request, slugify
from infragen.settings import RunSettings
from infragen.state import NODE_ORDER
from infragen.workspace import write_atomic, write_files

AnswerQuestions = Callable[[list[str]], list[str]]
"""Gets the clarifier's questions, returns one answer each ("" keeps the default)."""

EXIT_CODES = {"passed": 0, "failed": 1, "refused": 2, "error": 3}


class GenerationResult(BaseModel):
    """Everything a run produced. Renders itself in Jupyter."""

    report: dict[str, Any]
    files: dict[str, str] = Field(default_factory=dict)

    @property
    def status(self) -> str:
        return self.report["status"]

    @property
    def gates(self) -> dict[str, Any]:
        return self.report["gates"]

    @property
    def findings(self) -> list[dict[str, Any]]:
        return [f for g in self.gates.values() for f in g.get("findings", [])]

    @property
    def cost(self) -> dict[str, Any]:
        return self.report["cost"]

    @property
    def usage(self) -> dict[str, Any]:
        return self.report["usage"]

    @property
    def output_dir(self) -> Path | None:
        return Path(self.report["output_dir"]) if self.report.get("output_dir") else None

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]

    def markdown(self) -> str:
        return render_markdown(self.report)

    def _repr_markdown_(self) -> str:
        return self.markdown()


def default_output_dir(request: str) -> Path:
    return Path("infragen-out") / slugify(request)


def prepare_output_dir(path: Path, *, force: bool) -> Path:
    """Refuse a non-empty directory unless forced; check it is writable before any work is done."""
    if path.exists() and not path.is_dir():
        raise OutputDirError(f"{path} exists and is not a directory", "choose another -o/--output")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise OutputDirError(
            f"{path} is not empty", "pass --force to overwrite, or choose another -o/--output"
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".infragen-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise OutputDirError(
            f"cannot write to {path}: {exc.strerror}", "choose a writable -o/--output"
        ) from exc
    return path


def write_output(path: Path, files: dict[str, str], report: dict[str, Any], *, force: bool) -> None:
    for sub in ("terraform", "ansible"):
        if force and (path / sub).is_dir():
            shutil.rmtree(path / sub)
    write_files(path, files)
    write_atomic(path / "report.json", _json(report))
    write_atomic(path / "REPORT.md", render_markdown(report))


def _json(value: Any) -> str:
    import json

    return json.dumps(value, indent=2, sort_keys=False, default=str) + "\n"


def stream_run(
    graph_input: dict[str, Any] | None,
    *,
    settings: RunSettings,
    models: Any,
    run_id: str,
    on_event: Callable[[str, dict[str, Any]], None] | None = None,
    answer_questions: AnswerQuestions | None = None,
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (node, update) pairs as the graph runs, checkpointing each step under `run_id`.
    `graph_input=None` resumes the run from its last checkpoint. When the clarifier pauses on
    questions, `answer_questions` answers them and the run goes on (no answer: defaults)."""
    from langgraph.types import Command

    from infragen.checkpoints import open_checkpointer, remember_settings
    from infragen.graph import compile_graph

    context = RunContext(
        settings=settings,
        models=models,
        on_event=on_event,
        interactive=answer_questions is not None,
    )
    answer = answer_questions or (lambda questions: [""] * len(questions))
    config = {"configurable": {"thread_id": run_id}, "recursion_limit": 100}
    saved = graph_input is None  # whether `infragen resume` has a checkpoint to continue from
    try:
        with open_checkpointer(settings.resolved_state_dir()) as saver:
            graph = compile_graph(checkpointer=saver)
            if graph_input is None:
                snapshot = graph.get_state(config)
                if not snapshot.values:
                    raise InfragenError(
                        f"no run {run_id!r} to resume", "see the run id in report.json"
                    )
                yield "__resume__", dict(snapshot.values)
            else:  # `resume` restores them: a resumed run judges by the same rules
                remember_settings(settings.resolved_state_dir(), run_id, settings)
            pending: Any = graph_input
            while True:  # once more after each pause for the clarifier's questions
                questions = None
                try:
                    for chunk in graph.stream(
                        pending, config=config, context=context, stream_mode="updates"
                    ):
                        for node, update in chunk.items():
                            if node == "__interrupt__":
                                questions = update[0].value["questions"]
                            elif node != "reporter":  # the API builds its own report
                                yield node, update or {}
                except GeneratorExit:  # the caller stopped reading: nothing failed here
                    raise
                except BaseException:
                    # the checkpoint knows which step was running (a retry loop or a resumed
                    # run makes "the one after the last to finish" wrong); then the error goes on
                    snapshot = graph.get_state(config)
                    saved = saved or bool(snapshot.values)
                    if snapshot.next:
                        yield "__failed__", {"step": snapshot.next[0]}
                    raise
                if questions is None:
                    break
                pending = Command(resume=answer(questions))
    except KeyboardInterrupt:
        if saved:
            raise  # the caller says how to resume it
        raise RunInterruptedError(
            "interrupted before the run's first checkpoint: there is nothing to resume",
            "run the same command again (with --force to reuse the output directory)",
        ) from None
    finally:
        context.remove_workspace()


def merge_update(state: dict[str, Any], update: dict[str, Any]) -> None:
    """Apply a node's update the way the graph's reducers do (lists append, gates merge)."""
    for key, value in update.items():
        if key in ("calls", "attempt_log", "repairs"):
            state[key] = state.get(key, []) + value
        elif key == "gates":
            state[key] = {**state.get(key, {}), **value}
        else:
            state[key] = value


def generate(
    request: str,
    *,
    output_dir: str | Path | None = None,
    settings: RunSettings | None = None,
    models: Any = None,
    force: bool = False,
    write: bool = True,
    on_event: Callable[[str, dict[str, Any]], None] | None = None,
    model_overrides: dict[str, str] | None = None,
    answer_questions: AnswerQuestions | None = None,
    **overrides: Any,
) -> GenerationResult:
    """Run the pipeline for `request`; write the project unless `write=False`.

    Bad input raises `InfragenError` before anything is written. Failures after the pipeline
    started still write what was produced, with a report naming the failed step.
    """
    settings = settings or RunSettings(**overrides)
    text = check_request(request, max_chars=settings.max_request_chars)
    policies = load_policies(settings.policies)
    out = Path(output_dir) if output_dir else default_output_dir(text)
    if write:
        prepare_output_dir(out, force=force)
    run_id = uuid.uuid4().hex[:12]
    models = models if models is not None else build_models(settings, model_overrides, run_id)
    graph_input = {
        "request": text,
        "max_retries": settings.max_retries,
        "attempt": 0,
        "files": {},
        "output_dir": str(out),
        "policies": [p.model_dump() for p in policies],
    }
    return execute(
        graph_input,
        run_id=run_id,
        out=out if write else None,
        settings=settings,
        models=models,
        force=force,
        on_event=on_event,
        answer_questions=answer_questions,
    )


def resume(
    run_id: str,
    *,
    settings: RunSettings | None = None,
    models: Any = None,
    on_event: Callable[[str, dict[str, Any]], None] | None = None,
    answer_questions: AnswerQuestions | None = None,
) -> GenerationResult:
    """Continue an interrupted run from its last checkpoint and write its project, with the
    settings it started with; those set explicitly in `settings` override them."""
    from infragen.checkpoints import recall_settings, resumed_settings

    given = settings or RunSettings()
    settings = resumed_settings(recall_settings(given.resolved_state_dir(), run_id), given)
    models = models if models is not None else build_models(settings, None, run_id)
    return execute(
        None,
        run_id=run_id,
        out=None,
        settings=settings,
        models=models,
        force=True,
        on_event=on_event,
        answer_questions=answer_questions,
    )


def execute(
    graph_input: dict[str, Any] | None,
    *,
    run_id: str,
    out: Path | None,
    settings: RunSettings,
    models: Any,
    force: bool,
    on_event: Callable[[str, dict[str, Any]], None] | None,
    answer_questions: AnswerQuestions | None = None,
) -> GenerationResult:
    state: dict[str, Any] = dict(graph_input or {})
    error = failed_step = None
    # the step running now: guessed from the last to finish, named by the checkpoint on failure
    step = next_node(None)
    try:
        for node, update in stream_run(
            graph_input,
            settings=settings,
            models=models,
            run_id=run_id,
            on_event=on_event,
            answer_questions=answer_questions,
        ):
            if node == "__failed__":
                step = update["step"]
                continue
            if node == "__resume__":
                state = update
                out = Path(state["output_dir"])
                out.mkdir(parents=True, exist_ok=True)
                continue
            merge_update(state, update)
            if on_event:
                on_event("node", {"node": node, "update": update})
            step = next_node(node)
    except InfragenError as exc:  # typed (budget, no backend, bad key): keep the work, then raise
        exc.report = keep_partial(state, out, run_id, force, mask(exc.one_line()), step)
        raise
    except KeyboardInterrupt:
        keep_partial(state, out, run_id, force, "interrupted (Ctrl-C)", step)
        raise RunInterruptedError(
            f"interrupted; run {run_id} is checkpointed",
            f"finish it with: infragen resume {run_id}",
        ) from None
    except Exception as exc:  # a crashed tool or model: keep the partial work and say where
        error, failed_step = mask(f"{type(exc).__name__}: {exc}"), step
    report = build_report(
        state,
        output_dir=str(out) if out else None,
        run_id=run_id,
        error=error,
        failed_step=failed_step,
    )
    files = state.get("files", {})
    if out is not None and report["status"] != "refused":
        write_or_raise(out, files, report, force=force)
    elif out is not None and out.is_dir() and not any(out.iterdir()):
        out.rmdir()
    return GenerationResult(report=report, files=files)


def keep_partial(
    state: dict[str, Any], out: Path | None, run_id: str, force: bool, error: str, failed_step: str
) -> dict[str, Any] | None:
    """Write what a failed run produced, with a report naming the failed step (best effort: the
    original error is what the caller reports); return that report (with `--format json` the
    CLI prints it, so every outcome has a JSON document)."""
    if not state.get("request"):
        return None
    report = build_report(
        state,
        output_dir=str(out) if out else None,
        run_id=run_id,
        error=error,
        failed_step=failed_step,
    )
    if out is not None:
        with contextlib.suppress(OSError, ValueError, InfragenError):
            write_output(out, state.get("files", {}), report, force=force)
    return report


def write_or_raise(
    out: Path, files: dict[str, str], report: dict[str, Any], *, force: bool
) -> None:
    """A full disk or a directory made read-only mid-run is a clean error, not a traceback; the
    checkpoint still holds the finished run, so `resume` can write it once there is room."""
    try:
        write_output(out, files, report, force=force)
    except OSError as exc:
        raise OutputWriteError(
            f"cannot write the project to {out}: {exc.strerror or exc}",
            f"free space or fix permissions, then: infragen resume {report['run_id']}",
        ) from exc


def next_node(done: str | None) -> str:
    """The step that was running when a run crashed, given the last one that completed."""
    if done not in NODE_ORDER:
        return NODE_ORDER[0]
    return NODE_ORDER[min(NODE_ORDER.index(done) + 1, len(NODE_ORDER) - 1)]


async def agenerate(request: str, **kwargs: Any) -> GenerationResult:
    """`generate` for notebooks and async applications (the pipeline runs in a worker thread)."""
    import asyncio

    return await asyncio.to_thread(generate, request, **kwargs)


def stream(request: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
    """Yield one event per node as it finishes, then `{"event": "result", "result": GenerationResult}`."""
    import queue
    import threading

    events: queue.Queue = queue.Queue()
    outcome: dict[str, Any] = {}

    def on_event(name: str, data: dict[str, Any]) -> None:
        if name == "node":
            events.put({"event": "node", "node": data["node"], "update": data["update"]})

    def work() -> None:
        try:
            outcome["result"] = generate(request, on_event=on_event, **kwargs)
        except BaseException as exc:  # re-raised in the caller's thread
            outcome["error"] = exc
        finally:
            events.put(None)

    threading.Thread(target=work, daemon=True).start()
    while (event := events.get()) is not None:
        yield event
    if "error" in outcome:
        raise outcome["error"]
    yield {"event": "result", "result": outcome["result"]}
