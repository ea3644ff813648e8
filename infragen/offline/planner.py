"""The deterministic planner: adds what each component implies, orders the build and lists the
resource types the completeness gate must find."""

from __future__ import annotations

from infragen.blueprints.registry import Catalogue, Component, load_catalogue
from infragen.domain import ComponentSpec, ExpectedResource, Plan, Spec
from infragen.offline.sanitise import sanitise

# Foundations first, so templates that reference them read top to bottom.
_FIRST = ("kms", "vpc", "instance_profile", "sns", "log_bucket")


def _add_implied(components: dict[str, ComponentSpec], cat: Catalogue, notes: list[str]) -> None:
    if "alb" in components and not {"ec2", "asg"} & components.keys():
        components["asg"] = sanitise(ComponentSpec(kind="asg", count=2), cat.get("asg"))
        notes.append("alb needs targets: added an auto scaling group of 2 nginx instances.")
    pending = list(components)
    while pending:
        kind = pending.pop(0)
        for implied in cat.get(kind).implies:
            if implied not in components:
                components[implied] = sanitise(ComponentSpec(kind=implied), cat.get(implied))
                notes.append(f"{kind} needs {implied}: added it.")
                pending.append(implied)


def _configure_network(
    components: dict[str, ComponentSpec], explicit: set[str], cat: Catalogue
) -> None:
    vpc = components.get("vpc")
    if vpc is None:
        return
    needs = {cat.get(k).network for k in components}
    wants_full = "vpc" in explicit and not vpc.options.get("private_only")
    # A plan that already chose its network (re-planned before rendering) keeps that choice
    # unless a component now needs more.
    nat = bool(vpc.options.get("nat", wants_full)) or "nat" in needs
    nat = nat or bool(vpc.options.get("nat_per_az"))
    vpc.options["nat"] = nat
    vpc.options["public"] = nat or bool(vpc.options.get("public")) or "public" in needs


_ALARMED = ("ec2", "asg", "rds", "aurora", "elasticache")


def _wire_details(components: dict[str, ComponentSpec], notes: list[str]) -> None:
    """Details read on one component that another one carries out."""
    monitoring, sns = components.get("monitoring"), components.get("sns")
    if monitoring and sns and monitoring.options.get("emails"):
        emails = sns.options.setdefault("emails", [])
        emails += [e for e in monitoring.options.pop("emails") if e not in emails]
    if monitoring:
        alarms = []
        for target, threshold in monitoring.options.get("cpu_alarm", []):
            if target not in components:
                target = "asg" if target == "ec2" and "asg" in components else target
                target = (
                    target
                    if target in components
                    else next((k for k in _ALARMED if k in components), "")
                )
            if target:  # the parser declared an alarm with nothing to watch
                alarms.append([target, threshold])
        if alarms:
            monitoring.options["cpu_alarm"] = alarms


def _wire(components: dict[str, ComponentSpec]) -> None:
    """Options that depend on which other components are present."""
    if "lambda" in components:
        components["lambda"].options["sqs_trigger"] = "sqs" in components
    for kind in ("ec2", "asg"):
        if kind in components:
            components[kind].options["behind_alb"] = "alb" in components
    if "alb" in components:
        components["alb"].options["target"] = "asg" if "asg" in components else "ec2"


def _order(components: dict[str, ComponentSpec], cat: Catalogue) -> list[ComponentSpec]:
    catalogue_order = list(cat.components)
    rank = {
        k: (_FIRST.index(k) if k in _FIRST else len(_FIRST) + catalogue_order.index(k))
        for k in components
    }
    return [components[k] for k in sorted(components, key=rank.__getitem__)]


def _resolve_min(value: int | str, spec: ComponentSpec, az_count: int) -> int:
    if isinstance(value, int):
        return value
    names = {"count": spec.count, "az_count": az_count}
    factor = 1
    if "*" in value:
        value, multiplier = value.split("*", 1)
        factor = int(multiplier)
    return names[value.strip()] * factor


def expected_for(
    component: Component, spec: ComponentSpec, az_count: int
) -> list[ExpectedResource]:
    """The resource types one component promises, given its options."""
    return [
        ExpectedResource(
            component=spec.kind, type=e.type, min_count=_resolve_min(e.min, spec, az_count)
        )
        for e in component.expected
        if not e.when or spec.options.get(e.when)
    ]


def plan_spec(spec: Spec) -> Plan:
    """Expand implied dependencies, order the components and list the expected resource types."""
    cat = load_catalogue()
    notes: list[str] = []
    known = [c for c in spec.components if c.kind in cat.components]
    notes += [
        f"{c.kind} is not in the catalogue: left out."
        for c in spec.components
        if c.kind not in cat.components
    ]
    components = {c.kind: sanitise(c, cat.get(c.kind)) for c in known}
    notes += [
        f"{c.kind} is built once per project: asked for {c.count}, planned 1."
        for c in known
        if c.count > 1 and components[c.kind].count == 1
    ]
    explicit = set(components)
    _add_implied(components, cat, notes)
    _configure_network(components, explicit, cat)
    _wire_details(components, notes)
    _wire(components)
    ordered = _order(components, cat)
    expected = [e for c in ordered for e in expected_for(cat.get(c.kind), c, spec.az_count)]
    return Plan(spec=spec, components=ordered, expected=expected, notes=notes)
