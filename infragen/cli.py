"""The command line: a thin layer over the Python API. `infragen "REQUEST"` means `infragen generate "REQUEST"`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from infragen.check_cli import check
from infragen.errors import InfragenError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Turn a plain request into a validated, security-scanned, costed Terraform project plus an Ansible playbook.",
    context_settings={"help_option_names": ["-h", "--help"]},
)

FORMATS = ("text", "json", "markdown", "sarif")


def fail(error: InfragenError, verbose: bool = False, fmt: str = "text") -> None:
    """One line on stderr naming the fix; with --format json also a JSON document on stdout
    (the partial run's report when the run had started), so every outcome is machine-readable."""
    if verbose:
        import traceback

        traceback.print_exception(error, file=sys.stderr)
    from infragen.models.keys import mask

    typer.echo(f"error: {mask(error.one_line())}", err=True)
    if fmt == "json":
        typer.echo(mask(json.dumps(error_document(error), indent=2, default=str)))
    raise typer.Exit(error.exit_code)


def error_document(error: InfragenError) -> dict:
    """The JSON of a run that ended on a typed error: exit 2 is bad input or a refusal, exit 3
    a configuration, backend or tool error (see the README's exit-code table)."""
    report = dict(getattr(error, "report", None) or {})
    report.update(
        status="refused" if error.exit_code == 2 else "error",
        error=error.message,
        hint=error.hint,
        error_class=type(error).__name__,
        exit_code=error.exit_code,
    )
    return report


def parse_model_overrides(pairs: list[str]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        task, sep, model = pair.partition("=")
        if not sep or not task or not model:
            raise InfragenError(
                f"--model {pair!r} is not TASK=MODEL", "e.g. --model architect=openai:MODEL"
            )
        overrides[task.strip()] = model.strip()
    return overrides


def print_result(result, fmt: str, quiet: bool, ci: bool = False) -> None:
    from rich.console import Console

    from infragen.console import print_summary

    if result.status == "refused":  # a refusal is bad input: one line on stderr, as for the others
        typer.echo(f"error: {result.report.get('refusal') or 'refused'}", err=True)
        if fmt == "text":
            return
    if fmt == "json":
        document = {**result.report, "exit_code": result.exit_code}
        typer.echo(json.dumps(document, indent=2, default=str))
    elif fmt == "markdown":
        typer.echo(result.markdown())
    elif fmt == "sarif":
        from infragen.tools.sarif import to_sarif

        typer.echo(json.dumps(to_sarif(result.report), indent=2))
    elif not quiet:
        # --ci: plain text whatever FORCE_COLOR or the terminal says, so logs hold no escape codes
        print_summary(result.report, Console(color_system=None, highlight=False) if ci else None)


@app.command()
def generate(
    request: Annotated[str, typer.Argument(help="What to build, in plain words.")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Output directory (default ./infragen-out/<slug>)."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text | json | markdown | sarif")] = "text",
    ci: Annotated[
        bool, typer.Option("--ci", help="Non-interactive: no colour, no progress, machine output.")
    ] = False,
    max_retries: Annotated[
        int | None, typer.Option("--max-retries", help="Architect attempts (default 3).")
    ] = None,
    model: Annotated[
        list[str] | None,
        typer.Option("--model", help="Pin a task to a model: TASK=BACKEND:MODEL (repeatable)."),
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Use only the embedded offline backend.")
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Bypass the response cache.")
    ] = False,
    plan: Annotated[
        bool, typer.Option("--plan", help="Run terraform plan even without cloud credentials.")
    ] = False,
    allow_exec: Annotated[
        bool,
        typer.Option(
            "--allow-exec", help="Allow planning configs with provisioners or external data."
        ),
    ] = False,
    emulator: Annotated[
        bool,
        typer.Option("--emulator", help="Plan, apply and destroy on a local AWS emulator (moto)."),
    ] = False,
    aws_provider: Annotated[
        int | None, typer.Option("--aws-provider", help="AWS provider major to target: 5 or 6.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite a non-empty output directory.")
    ] = False,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on", help="Lowest Checkov severity that fails (LOW|MEDIUM|HIGH|CRITICAL)."
        ),
    ] = None,
    max_monthly_cost: Annotated[
        float | None,
        typer.Option(
            "--max-monthly-cost", help="Exit 1 when the estimate exceeds this USD amount."
        ),
    ] = None,
    budget_tokens: Annotated[
        int | None, typer.Option("--budget-tokens", help="Token cap for this run.")
    ] = None,
    policy: Annotated[
        list[Path] | None,
        typer.Option("--policy", help="Rego intent policy the project must pass (repeatable)."),
    ] = None,
    no_input: Annotated[
        bool,
        typer.Option("--no-input", help="Never ask questions; record defaults as assumptions."),
    ] = False,
    verbose: Annotated[
        bool, typer.Option("-v", "--verbose", help="Show tracebacks and debug logs.")
    ] = False,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Print nothing but errors.")] = False,
) -> None:
    """Generate a project from REQUEST (the default command)."""
    from infragen.api import generate as run_generate
    from infragen.settings import RunSettings

    if fmt not in FORMATS:
        fail(
            InfragenError(
                f"--format {fmt!r} is not one of {', '.join(FORMATS)}", "pick one of them"
            )
        )
    if verbose:
        import logging

        logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
    try:
        overrides = {
            k: v
            for k, v in {
                "max_retries": max_retries,
                "fail_on": fail_on,
                "max_monthly_cost": max_monthly_cost,
                "budget_tokens": budget_tokens,
                "policies": policy or None,
                "emulator": emulator or None,
                "aws_provider": aws_provider,
            }.items()
            if v is not None
        }
        try:
            settings = RunSettings(
                offline=offline, no_cache=no_cache, plan=plan, allow_exec=allow_exec, **overrides
            )
        except ValidationError as exc:  # e.g. --max-retries 0: a usage error, not a crash
            first = exc.errors()[0]
            raise InfragenError(
                f"--{str(first['loc'][0]).replace('_', '-')}: {first['msg']}",
                "see infragen --help for the allowed values",
            ) from exc
        settings_models = parse_model_overrides(model or [])
        from infragen.console import Progress

        show_progress = fmt == "text" and not ci and not quiet and sys.stderr.isatty()
        # questions only where someone can answer them: a terminal, not CI or machine output
        interactive = (
            settings.ask
            and not no_input
            and fmt == "text"
            and not ci
            and not quiet
            and sys.stdin.isatty()
        )
        with Progress(enabled=show_progress) as progress:
            result = run_generate(
                request,
                output_dir=output,
                settings=settings,
                force=force,
                on_event=progress.on_event,
                model_overrides=settings_models,
                answer_questions=progress.ask if interactive else None,
            )
    except InfragenError as error:
        fail(error, verbose, fmt)
    print_result(result, fmt, quiet, ci)
    raise typer.Exit(result.exit_code)


@app.command()
def resume(
    run_id: Annotated[
        str, typer.Argument(help="Run id from report.json or the interrupted run's output.")
    ],
    fmt: Annotated[str, typer.Option("--format", help="text | json | markdown | sarif")] = "text",
    offline: Annotated[
        bool, typer.Option("--offline", help="Use only the embedded offline backend.")
    ] = False,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Print nothing but errors.")] = False,
) -> None:
    """Finish an interrupted run from its last checkpoint."""
    from infragen.api import resume as run_resume
    from infragen.settings import RunSettings

    try:
        # only what is given here overrides the settings the run started with
        result = run_resume(run_id, settings=RunSettings(**({"offline": True} if offline else {})))
    except InfragenError as error:
        fail(error, fmt=fmt)
    print_result(result, fmt, quiet)
    raise typer.Exit(result.exit_code)


app.command("check")(check)  # infragen/check_cli.py


@app.command()
def doctor() -> None:
    """List the external tools infragen uses, their versions, and how to install what is missing."""
    from rich.console import Console
    from rich.table import Table

    from infragen.tools.doctor import check_tools

    table = Table("tool", "status", "version / engine", "how to enable")
    for tool in check_tools():
        table.add_row(
            tool.name,
            "[green]found[/]" if tool.found else "[yellow]missing[/]",
            tool.version or "",
            "" if tool.found else tool.install,
        )
    Console().print(table)


@app.command()
def route(
    request: Annotated[str | None, typer.Argument(help="Request to classify.")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Classify one request per line.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text | json")] = "text",
    baseline_only: Annotated[
        bool, typer.Option("--baseline", help="Keyword baseline only (no embedding model).")
    ] = False,
    judge: Annotated[
        bool,
        typer.Option(
            "--judge",
            help="Ask the lightweight model about uncertain routes and those under --judge-below "
            "(spends tokens; with no key the keyword rules answer).",
        ),
    ] = False,
    judge_below: Annotated[
        float | None,
        typer.Option(
            "--judge-below",
            min=0.0,
            max=1.01,
            help="Confidence under which --judge asks (default 0.6).",
        ),
    ] = None,
) -> None:
    """Classify requests as simple | standard | complex | out_of_scope and pick the architect tier."""
    from infragen.router import Router
    from infragen.router.judge import JUDGE_BELOW, model_judge

    if (request is None) == (file is None):
        fail(
            InfragenError(
                "give either REQUEST or --file FILE", 'e.g. infragen route "create vpc with rds"'
            )
        )
    if file is not None and not file.is_file():
        fail(InfragenError(f"no such file: {file}", "pass a text file with one request per line"))
    lines = (
        [request]
        if request is not None
        else [
            line.strip() for line in file.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
    )
    asked = None
    if judge:
        from infragen.context import build_models
        from infragen.settings import RunSettings

        asked = model_judge(build_models(RunSettings()))
    router = Router(
        use_embeddings=not baseline_only,
        judge=asked,
        judge_below=JUDGE_BELOW if judge_below is None else judge_below,
    )
    for text, result in zip(lines, router.route_many(lines), strict=True):
        record = result.model_dump(mode="json", include={"klass", "tier", "confidence", "reason"})
        if file is not None:
            record = {"request": text, **record}
        if fmt == "json":
            typer.echo(json.dumps(record))
        else:
            typer.echo(
                f"{record['class']:<13} tier={record['tier']:<12} {record['confidence']:.2f}  {text}"
            )


@app.command()
def models(fmt: Annotated[str, typer.Option("--format", help="text | json")] = "text") -> None:
    """Print the effective routing table: task -> tier -> ordered chain, and which keys are set (masked)."""
    from infragen.context import build_models
    from infragen.models.config import ModelSettings
    from infragen.models.keys import key_id
    from infragen.settings import RunSettings

    router = build_models(RunSettings())
    table = router.routing_table()
    settings = ModelSettings()
    keys = []
    for name in ("groq_api_key", "groq_api_key_secondary", "openai_api_key"):
        secret = getattr(settings, name)
        status = f"set (id {key_id(secret.get_secret_value())})" if secret else "not set"
        keys.append({"name": name.upper(), "status": status})
    if fmt == "json":
        typer.echo(json.dumps({"tasks": table, "keys": keys}, indent=2, default=str))
        return
    for row in table:
        chain = " > ".join(str(link) for link in row["chain"])
        typer.echo(f"{row['task']:<13} {row['tier']:<12} {chain}")
    for key in keys:
        typer.echo(f"key {key['name']}: {key['status']}")


@app.command()
def usage(fmt: Annotated[str, typer.Option("--format", help="text | json")] = "text") -> None:
    """Show today's token use per key and model, the remaining daily budget and what still fits."""
    from infragen.models.config import ModelSettings
    from infragen.models.usage import usage_today

    summary = usage_today(ModelSettings())
    if fmt == "json":
        typer.echo(summary.model_dump_json(indent=2))
        return
    typer.echo(f"{summary.day} (resets {summary.resets_at})")
    for key in summary.keys:
        fits = ", ".join(f"{n} {size}" for size, n in key.fits.items())
        typer.echo(
            f"{key.key_label}: {key.used:,}/{key.budget:,} tokens used, {key.remaining:,} left; fits {fits}"
        )
        for m in key.models:
            typer.echo(
                f"  {m.backend}:{m.model} {m.requests} calls ({m.cached} cached) "
                f"{m.prompt_tokens + m.completion_tokens:,} tokens"
            )
    for m in summary.free:
        typer.echo(f"free {m.backend}:{m.model} {m.requests} calls ({m.cached} cached)")
    if not summary.keys and not summary.free:
        typer.echo("no model calls recorded today")


@app.command("plan")
def offline_plan(
    directory: Annotated[Path, typer.Argument(help="Terraform directory.")],
    offline: Annotated[
        bool,
        typer.Option(
            "--offline/--no-offline",
            help="Build the plan document from the code alone; --no-offline is refused (run terraform plan for a real one).",
        ),
    ] = True,
) -> None:
    """Print a `terraform show -json`-shaped plan document built offline from the HCL."""
    from infragen.intent.plan_document import build_plan_document
    from infragen.tools.hcl import HclParseError, read_tf_files

    if not offline:
        fail(
            InfragenError(
                "only --offline plans are supported here", "use terraform plan for a real plan"
            )
        )
    files = read_tf_files(directory) if directory.is_dir() else {}
    if not files:
        fail(InfragenError(f"{directory} has no .tf files", "point at a Terraform directory"))
    try:
        typer.echo(json.dumps(build_plan_document(files), indent=2, default=str))
    except HclParseError as exc:
        fail(InfragenError(f"cannot parse {exc.file}: {exc.message}", "fix the HCL first"))


@app.command("eval")
def evaluate(
    benchmark: Annotated[str, typer.Argument(help="Benchmark name: iac-eval.")],
    split: Annotated[str, typer.Option("--split", help="dev | smoke")] = "smoke",
    limit: Annotated[int | None, typer.Option("--limit", help="Run at most N tasks.")] = None,
    data: Annotated[
        Path | None, typer.Option("--data", help="Another JSONL file in the IaC-Eval format.")
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Use only the embedded offline backend.")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="text | json | markdown")] = "text",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write report.json and REPORT.md here.")
    ] = None,
) -> None:
    """Score the configured models on IaC-Eval tasks through the full pipeline."""
    from infragen.evaluation.pipeline import run_benchmark

    if benchmark != "iac-eval":
        fail(InfragenError(f"unknown benchmark {benchmark!r}", "the benchmark is iac-eval"))
    try:
        report = run_benchmark(split=split, limit=limit, data=data, offline=offline)
    except InfragenError as error:
        fail(error)
    if output is not None:
        from infragen.workspace import write_atomic

        write_atomic(output / "report.json", report.model_dump_json(indent=2))
        write_atomic(output / "REPORT.md", report.to_markdown())
    if fmt == "json":
        typer.echo(report.model_dump_json(indent=2))
    else:
        typer.echo(report.to_markdown())


@app.command()
def graph() -> None:
    """Print the pipeline as a Mermaid diagram (what graph/graph.mmd holds)."""
    from infragen.graph import mermaid

    typer.echo(mermaid(), nl=False)


def command_names() -> list[str]:
    """The subcommands, in the order they are registered (a first word not among them is a request)."""
    return [c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands]


def installed_version() -> str:
    """The installed distribution's version (the distribution is named infragen-iac on PyPI)."""
    from importlib.metadata import PackageNotFoundError, version

    for name in ("infragen-iac", "infragen"):
        try:
            return version(name)
        except PackageNotFoundError:
            continue
    return "unknown (not installed)"


def main(argv: list[str] | None = None) -> None:
    """Entry point: route a bare request to `generate`."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["-V"]):
        typer.echo(f"infragen {installed_version()}")
        return
    first = next((a for a in args if not a.startswith("-")), None)
    if (
        first is not None
        and first not in command_names()
        and args
        and args[0] not in ("-h", "--help")
    ):
        args.insert(0, "generate")
    app(args=args, prog_name="infragen")


if __name__ == "__main__":
    main()
