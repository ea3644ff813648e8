"""The command line: a thin layer over the Python API. `infragen "REQUEST"` means `infragen generate "REQUEST"`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from infragen.errors import InfragenError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Turn a plain request into a validated, security-scanned, costed Terraform project plus an Ansible playbook.",
    context_settings={"help_option_names": ["-h", "--help"]},
)

FORMATS = ("text", "json", "markdown", "sarif")


def fail(error: InfragenError, verbose: bool = False) -> None:
    typer.echo(f"error: {error.one_line()}", err=True)
    raise typer.Exit(error.exit_code)


def parse_model_overrides(pairs: list[str]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        task, sep, model = pair.partition("=")
        if not sep or not task or not model:
            raise InfragenError(f"--model {pair!r} is not TASK=MODEL", "e.g. --model architect=openai:qwen2.5-coder")
        overrides[task.strip()] = model.strip()
    return overrides


def print_result(result, fmt: str, quiet: bool) -> None:
    from infragen.console import print_summary

    if fmt == "json":
        typer.echo(json.dumps(result.report, indent=2, default=str))
    elif fmt == "markdown":
        typer.echo(result.markdown())
    elif fmt == "sarif":
        from infragen.tools.sarif import to_sarif

        typer.echo(json.dumps(to_sarif(result.report), indent=2))
    elif not quiet:
        print_summary(result.report)


@app.command()
def generate(
    request: Annotated[str, typer.Argument(help="What to build, in plain words.")],
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Output directory (default ./infragen-out/<slug>).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text | json | markdown | sarif")] = "text",
    ci: Annotated[bool, typer.Option("--ci", help="Non-interactive: no colour, no progress, machine output.")] = False,
    max_retries: Annotated[Optional[int], typer.Option("--max-retries", help="Architect attempts (default 3).")] = None,
    model: Annotated[list[str], typer.Option("--model", help="Pin a task to a model: TASK=BACKEND:MODEL (repeatable).")] = [],
    offline: Annotated[bool, typer.Option("--offline", help="Use only the embedded offline backend.")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Bypass the response cache.")] = False,
    plan: Annotated[bool, typer.Option("--plan", help="Run terraform plan even without cloud credentials.")] = False,
    allow_exec: Annotated[bool, typer.Option("--allow-exec", help="Allow planning configs with provisioners or external data.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite a non-empty output directory.")] = False,
    fail_on: Annotated[Optional[str], typer.Option("--fail-on", help="Lowest Checkov severity that fails (LOW|MEDIUM|HIGH|CRITICAL).")] = None,
    max_monthly_cost: Annotated[Optional[float], typer.Option("--max-monthly-cost", help="Exit 1 when the estimate exceeds this USD amount.")] = None,
    budget_tokens: Annotated[Optional[int], typer.Option("--budget-tokens", help="Token cap for this run.")] = None,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Show tracebacks and debug logs.")] = False,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Print nothing but errors.")] = False,
) -> None:
    """Generate a project from REQUEST (the default command)."""
    from infragen.api import generate as run_generate
    from infragen.settings import RunSettings

    if fmt not in FORMATS:
        fail(InfragenError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}", "pick one of them"))
    try:
        overrides = {k: v for k, v in {
            "max_retries": max_retries, "fail_on": fail_on, "max_monthly_cost": max_monthly_cost,
            "budget_tokens": budget_tokens,
        }.items() if v is not None}
        settings = RunSettings(offline=offline, no_cache=no_cache, plan=plan, allow_exec=allow_exec, **overrides)
        settings_models = parse_model_overrides(model)
        from infragen.console import Progress

        show_progress = fmt == "text" and not ci and not quiet and sys.stderr.isatty()
        with Progress(enabled=show_progress) as progress:
            result = run_generate(request, output_dir=output, settings=settings, force=force,
                                  on_event=progress.on_event, model_overrides=settings_models)
    except InfragenError as error:
        fail(error, verbose)
    print_result(result, fmt, quiet)
    raise typer.Exit(result.exit_code)


@app.command()
def resume(
    run_id: Annotated[str, typer.Argument(help="Run id from report.json or the interrupted run's output.")],
    fmt: Annotated[str, typer.Option("--format", help="text | json | markdown | sarif")] = "text",
    offline: Annotated[bool, typer.Option("--offline", help="Use only the embedded offline backend.")] = False,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Print nothing but errors.")] = False,
) -> None:
    """Finish an interrupted run from its last checkpoint."""
    from infragen.api import resume as run_resume
    from infragen.settings import RunSettings

    try:
        result = run_resume(run_id, settings=RunSettings(offline=offline))
    except InfragenError as error:
        fail(error)
    print_result(result, fmt, quiet)
    raise typer.Exit(result.exit_code)


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="Project directories (or .tf files with --only schema).")],
    only: Annotated[Optional[str], typer.Option("--only", help="Run one gate: schema | validate | security | cost | ansible.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text | json | markdown | sarif")] = "text",
    fail_on: Annotated[str, typer.Option("--fail-on", help="Lowest Checkov severity that fails.")] = "LOW",
    max_monthly_cost: Annotated[Optional[float], typer.Option("--max-monthly-cost", help="Exit 1 when the estimate exceeds this USD amount.")] = None,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Print nothing but errors.")] = False,
) -> None:
    """Check existing Terraform/Ansible code with no model: validate, security, cost, ansible."""
    from infragen.checking import check_paths_schema, check_project

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail(InfragenError(f"no such path: {', '.join(missing)}", "pass existing project directories"))
    if only == "schema":
        code = 0
        for record in check_paths_schema(paths):
            code = max(code, 1 if record["findings"] else 0)
            if fmt == "json":
                typer.echo(json.dumps(record))
            elif not quiet:
                typer.echo(f"{record['path']}: {len(record['findings'])} finding(s)")
                for f in record["findings"]:
                    typer.echo(f"  {f.get('file')}:{f.get('line') or '?'} {f['rule_id']}: {f['message']}")
        raise typer.Exit(code)
    from infragen.settings import RunSettings

    settings = RunSettings(fail_on=fail_on, max_monthly_cost=max_monthly_cost)
    worst = 0
    for path in paths:
        try:
            result = check_project(path, settings=settings, only=only)
        except InfragenError as error:
            fail(error)
        print_result(result, fmt, quiet)
        worst = max(worst, result.exit_code)
    raise typer.Exit(worst)


@app.command()
def doctor() -> None:
    """List the external tools infragen uses, their versions, and how to install what is missing."""
    from rich.console import Console
    from rich.table import Table

    from infragen.tools.doctor import check_tools

    table = Table("tool", "status", "version / engine", "how to enable")
    for tool in check_tools():
        table.add_row(tool.name, "[green]found[/]" if tool.found else "[yellow]missing[/]",
                      tool.version or "", "" if tool.found else tool.install)
    Console().print(table)


@app.command()
def graph() -> None:
    """Print the pipeline as a Mermaid diagram (what graph/graph.mmd holds)."""
    from infragen.graph import mermaid

    typer.echo(mermaid(), nl=False)


KNOWN = {"generate", "check", "route", "models", "usage", "doctor", "graph", "resume", "plan", "eval"}


def main(argv: list[str] | None = None) -> None:
    """Entry point: route a bare request to `generate`."""
    args = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in args if not a.startswith("-")), None)
    if first is not None and first not in KNOWN and args and args[0] not in ("-h", "--help"):
        args.insert(0, "generate")
    app(args=args, prog_name="infragen")


if __name__ == "__main__":
    main()
