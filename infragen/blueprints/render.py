"""The render engine: one Jinja2 template per component, grouped into one Terraform file per concern.

Templates see `plan`, `spec`, `c` (the component being rendered), `o` (its options), `has(kind)`
and `comp(kind)`. Counts are rendered as literals so the HCL inventory (and the completeness gate)
can count resources without evaluating expressions.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, TemplateNotFound

from infragen.blueprints.registry import load_catalogue
from infragen.blueprints.zones import zones
from infragen.domain import ComponentSpec, GeneratedFile, Plan

_BLANK_RUNS = re.compile(r"\n{3,}")
_COMMON_FILES = ("versions.tf", "providers.tf", "main.tf")
DEFAULT_AWS_MAJOR = 6
_GRAVITON = re.compile(r"^(?:db\.|cache\.)?[a-z]+\d+[a-z]*g[a-z]*\.")


def architecture(instance_type: str) -> str:
    """CPU architecture of an instance type: Graviton families (t4g, m7g, c7gn) are arm64."""
    return "arm64" if _GRAVITON.match(instance_type) else "x86_64"


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("infragen.blueprints", "templates"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.globals["architecture"] = architecture
    return env


def _tidy(text: str) -> str:
    """Conditional sections leave blank runs behind; Terraform style wants single blank lines."""
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)) + "\n"


def aws_target(major: int | None = None) -> int:
    """The AWS provider major to render for: `major`, else INFRAGEN_AWS_PROVIDER, else the newest
    major a local provider mirror holds (what `terraform init` installs offline), else the newest
    shipped schema."""
    from infragen.schema.store import DEFAULT_MAJOR, MAJORS

    if major is None:
        from infragen.settings import RunSettings

        major = RunSettings().aws_provider
    if major is None:
        from infragen.tools.terraform_providers import resolve_providers

        resolved = resolve_providers().newest_major()
        major = resolved if resolved in MAJORS else None
    return major or DEFAULT_MAJOR


def aws_facts(major: int) -> dict[str, Any]:
    """What the templates write differently per provider major."""
    from infragen.schema import provider_version

    release = provider_version(major).split(".")
    return {
        "major": major,
        # the shipped schema's minor: every argument the templates use exists from there on
        "constraint": f"~> {release[0]}.{release[1]}",
        # v6 names the region `region` and deprecates `name`; v5 has only `name`
        "region_attribute": "region" if major >= 6 else "name",
    }


def context(
    plan: Plan, component: ComponentSpec | None = None, aws_major: int = DEFAULT_AWS_MAJOR
) -> dict[str, Any]:
    by_kind = {c.kind: c for c in plan.components}
    return {
        "aws": aws_facts(aws_major),
        "plan": plan,
        "spec": plan.spec,
        "c": component,
        "o": component.options if component else {},
        "has": lambda kind: kind in by_kind,
        "comp": lambda kind: by_kind.get(kind, ComponentSpec(kind=kind)),
        "kinds": list(by_kind),
        "zones": zones(plan.spec.region, plan.spec.az_count),
    }


def _render_optional(name: str, ctx: dict[str, Any]) -> str:
    try:
        template = environment().get_template(name)
    except TemplateNotFound:
        return ""
    return template.render(ctx).strip("\n")


def complete(plan: Plan) -> Plan:
    """The plan with every implied component and default option in place.

    A model may have written the plan; planning its components again is idempotent for an
    offline plan and fills in whatever a model's plan left out, so templates never meet a
    missing dependency or option.
    """
    from infragen.offline.planner import plan_spec  # deferred: the planner reads this catalogue

    return plan_spec(plan.spec.model_copy(update={"components": plan.components}))


def render_terraform(plan: Plan, aws_major: int | None = None) -> list[GeneratedFile]:
    """Render the plan into a multi-file Terraform project under `terraform/`, for AWS provider
    `aws_major` (5 or 6; default `aws_target()`)."""
    plan = complete(plan)
    cat = load_catalogue()
    env = environment()
    major = aws_target(aws_major)
    base = context(plan, aws_major=major)
    files: dict[str, list[str]] = {
        name: [env.get_template(f"terraform/{name}.j2").render(base)] for name in _COMMON_FILES
    }
    variables = [env.get_template("terraform/variables.tf.j2").render(base)]
    outputs = [env.get_template("terraform/outputs.tf.j2").render(base)]
    for component in plan.components:
        ctx = context(plan, component, aws_major=major)
        target = cat.get(component.kind).file
        files.setdefault(target, []).append(
            env.get_template(f"terraform/{component.kind}.tf.j2").render(ctx)
        )
        variables.append(_render_optional(f"terraform/{component.kind}.variables.tf.j2", ctx))
        outputs.append(_render_optional(f"terraform/{component.kind}.outputs.tf.j2", ctx))
    files["variables.tf"] = variables
    files["outputs.tf"] = outputs
    rendered = [
        GeneratedFile(
            path=f"terraform/{name}", content=_tidy("\n\n".join(p for p in parts if p.strip()))
        )
        for name, parts in files.items()
    ]
    return rendered + environment_files(plan)


def environment_files(plan: Plan) -> list[GeneratedFile]:
    """One tfvars file per named environment when a request names more than one: the same
    configuration is applied once per environment, each with its own state."""
    if len(plan.spec.environments) < 2:
        return []
    return [
        GeneratedFile(
            path=f"terraform/environments/{env}.tfvars",
            content=f'# terraform apply -var-file=environments/{env}.tfvars (one state per environment)\nenvironment = "{env}"\n',
        )
        for env in plan.spec.environments
    ]
