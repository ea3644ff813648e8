"""`infragen check`: the command line of the CI step (registered in cli.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from infragen.errors import ConfigError, InfragenError


def _version(value: bool) -> None:
    if value:
        from infragen import __version__

        typer.echo(f"infragen {__version__}")
        raise typer.Exit(0)


def _words(values: list[str] | None) -> set[str]:
    return {w.strip() for v in values or [] for w in v.split(",") if w.strip()}


def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Terraform directories, .tf files (a file stands for its directory; with "
            "--only schema, for itself) or a repository to search for roots. Default: ."
        ),
    ] = None,
    only: Annotated[
        str | None,
        typer.Option(
            "--only", help="Run one gate: schema | validate | security | cost | ansible | policy."
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="text | json | markdown | sarif | junit")
    ] = "text",
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            help="Checkov severities and/or check ids that fail, comma-separated "
            "(lowest severity listed is the threshold; NONE reports only). Default LOW.",
        ),
    ] = None,
    skip: Annotated[
        list[str] | None,
        typer.Option("--skip", help="Rule ids (or patterns) not to report; repeatable, commas."),
    ] = None,
    soft_fail: Annotated[
        bool, typer.Option("--soft-fail", help="Report findings but exit 0.")
    ] = False,
    recursive: Annotated[
        bool, typer.Option("-r", "--recursive", help="Also check every root module below.")
    ] = False,
    max_monthly_cost: Annotated[
        float | None,
        typer.Option(
            "--max-monthly-cost", help="Exit 1 when the estimate exceeds this USD amount."
        ),
    ] = None,
    policy: Annotated[
        list[Path] | None,
        typer.Option("--policy", help="Rego intent policy the code must pass (repeatable)."),
    ] = None,
    emulator: Annotated[
        bool,
        typer.Option("--emulator", help="Also plan, apply and destroy on a local AWS emulator."),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("-q", "--quiet", help="Print only failures (text output).")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("-v", "--verbose", help="Also print suppressed findings and tool logs.")
    ] = False,
    ci: Annotated[bool, typer.Option("--ci", help="Plain text without colour codes.")] = False,
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = None,
) -> None:
    """Check existing Terraform/Ansible code with no model: validate, security, cost, ansible.

    Exit 0 when every gate passes (or --soft-fail), 1 when a gate fails, 2 on bad input.
    """
    from infragen.check_config import load_config, settings_values
    from infragen.check_output import FORMATS, render
    from infragen.checking import CheckOptions, check_paths, exit_code
    from infragen.settings import RunSettings
    from infragen.tools.checkov import parse_fail_on

    try:
        if fmt not in FORMATS:
            raise ConfigError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}", "pick one")
        paths = paths or [Path(".")]
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise InfragenError(
                f"no such path: {', '.join(missing)}", "pass existing project directories"
            )
        config = load_config()
        flags = {
            "fail_on": fail_on,
            "max_monthly_cost": max_monthly_cost,
            "policies": list(policy) if policy else None,
            "emulator": emulator or None,
        }
        settings = RunSettings(**settings_values(config, flags))
        parse_fail_on(settings.fail_on)  # INFRAGEN_FAIL_ON and the config file are checked too
        options = CheckOptions(
            settings=settings,
            only=only,
            skip=_words(skip) | _words(config.values.get("skip")),
            verbose=verbose,
        )
        reports = check_paths(
            paths, options, recursive=recursive or bool(config.values.get("recursive"))
        )
    except InfragenError as error:
        typer.echo(f"error: {error.one_line()}", err=True)
        raise typer.Exit(error.exit_code) from None
    code = exit_code(reports, soft_fail=soft_fail or bool(config.values.get("soft_fail")))
    out = render(reports, fmt, exit_code=code, quiet=quiet, verbose=verbose, plain=ci)
    if out:
        typer.echo(out)
    raise typer.Exit(code)
