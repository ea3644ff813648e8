"""Monthly cost estimate of a configuration: Infracost when it can run, else the embedded table.

Every managed resource gets a line: priced, free ($0 with the reason), or unpriced (listed in
`unpriced`, never silently dropped, because a missing line reads as "costs nothing"). Resources of
local modules are priced as `module.<name>.<address>` (see `cost_modules`); a module call that
cannot be read is one unpriced line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from infragen.domain import CostEstimate, CostLine
from infragen.errors import ToolError
from infragen.tools import infracost
from infragen.tools.cost_modules import alias_region, module_tree
from infragen.tools.cost_rules import RULES, Context, Partial, Resolver
from infragen.tools.hcl import Inventory, Resource
from infragen.tools.pricing import Usage, load_prices
from infragen.tools.terraform_safety import provider_of

# Types AWS does not bill for (their traffic or attached resources are billed elsewhere).
FREE_TYPES = frozenset(
    {
        "aws_vpc",
        "aws_subnet",
        "aws_security_group",
        "aws_security_group_rule",
        "aws_vpc_security_group_ingress_rule",
        "aws_vpc_security_group_egress_rule",
        "aws_route_table",
        "aws_route",
        "aws_route_table_association",
        "aws_main_route_table_association",
        "aws_internet_gateway",
        "aws_egress_only_internet_gateway",
        "aws_network_acl",
        "aws_network_acl_rule",
        "aws_default_security_group",
        "aws_default_route_table",
        "aws_default_network_acl",
        "aws_default_vpc",
        "aws_db_subnet_group",
        "aws_db_parameter_group",
        "aws_db_option_group",
        "aws_rds_cluster_parameter_group",
        "aws_elasticache_subnet_group",
        "aws_elasticache_parameter_group",
        "aws_docdb_subnet_group",
        "aws_docdb_cluster_parameter_group",
        "aws_lb_target_group",
        "aws_lb_listener",
        "aws_lb_listener_rule",
        "aws_lb_target_group_attachment",
        "aws_alb_target_group",
        "aws_alb_listener",
        "aws_launch_template",
        "aws_autoscaling_policy",
        "aws_key_pair",
        "aws_kms_alias",
        "aws_flow_log",
        "aws_cloudwatch_log_stream",
        "aws_sqs_queue_policy",
        "aws_sns_topic_subscription",
        "aws_sns_topic_policy",
        "aws_lambda_permission",
        "aws_ecr_lifecycle_policy",
        "aws_ecr_repository_policy",
        "aws_secretsmanager_secret_version",
        "aws_route53_record",
        "aws_acm_certificate",
        "aws_acm_certificate_validation",
        "aws_ssm_parameter",
        "aws_eks_addon",
        "aws_vpc_dhcp_options",
        "aws_vpc_dhcp_options_association",
        "aws_eip_association",
    }
)
FREE_PREFIXES = ("aws_iam_", "aws_s3_bucket_")  # IAM, and S3 bucket configuration sub-resources
NOT_CLOUD = frozenset({"random", "tls", "null", "time", "terraform", "local"})


def _free_reason(resource: Resource) -> str | None:
    if provider_of(resource.type) in NOT_CLOUD:
        return "not a cloud resource"
    if resource.type in FREE_TYPES or resource.type.startswith(FREE_PREFIXES):
        return "no AWS charge"
    return None


def _line(
    resource: Resource, ctx: Context, prefix: str = "", instances: int = 1
) -> tuple[CostLine, bool, str | None]:
    """(line, priced?, note about an assumed count); `prefix` and `instances` are the module
    calls' address and count when the resource is in a module."""
    address = prefix + resource.address
    count = ctx.resolve.count(resource)
    note = None
    if count is None:
        count, note = 1, f"{address}: count/for_each is computed; priced as 1"
    count *= instances
    if count == 0:  # switched off here or by its module call: nothing to price or assume
        detail = "not created: count/for_each comes to 0 (x0)"
        return (
            CostLine(resource=address, type=resource.type, monthly_usd=0.0, detail=detail),
            True,
            None,
        )
    suffix = f" (x{count})" if count != 1 else ""
    free = _free_reason(resource)
    if free:
        return (
            CostLine(resource=address, type=resource.type, monthly_usd=0.0, detail=free),
            True,
            note,
        )
    rule = RULES.get(resource.type)
    if rule is None:
        detail = "no price rule for this type"
        return CostLine(resource=address, type=resource.type, detail=detail), False, note
    monthly, detail = rule(resource, ctx)
    total = None if monthly is None else round(monthly * count, 2)
    line = CostLine(resource=address, type=resource.type, monthly_usd=total, detail=detail + suffix)
    return line, monthly is not None and not isinstance(monthly, Partial), note


def _region(inventory: Inventory, resolve: Resolver) -> str | None:
    region = resolve.value(inventory.providers.get("aws", {}).get("region"))
    return region if isinstance(region, str) and not region.startswith("${") else None


def estimate_from_table(
    inventory: Inventory,
    usage: Mapping[str, float] | Usage | None = None,
    *,
    directory: Path | None = None,
) -> CostEstimate:
    """The price table's estimate; local module sources are read relative to `directory`."""
    table = load_prices(usage)
    resolve = Resolver(inventory)
    region = _region(inventory, resolve) or table.meta.region
    factor = table.region_factor(region)
    ctx = Context(table=table, resolve=resolve, factor=factor or 1.0)
    lines, unpriced, notes = [], [], []
    if factor is None:
        notes.append(
            f"no price level for {region} in the table: priced at {table.meta.region} prices"
        )
    elif region != table.meta.region:
        notes.append(
            f"{region}: {table.meta.region} prices x {factor:g} (the region's price level)"
        )
    tree = module_tree(inventory, resolve, directory)
    for call in tree.unread:
        lines.append(CostLine(resource=call.address, type="module", detail=call.reason))
        unpriced.append(f"{call.address} ({call.reason})")
    other_regions: set[str] = set()
    for scope in tree.scopes:
        for resource in scope.inventory.resources:
            if resource.mode != "managed":
                continue
            # an aliased provider (`provider = aws.dr`, or a module call's `providers`) decides
            # the resource's region, and so its price level
            where = (
                alias_region(scope.inventory, scope.resolve, resource.body.get("provider"))
                or scope.region
            )
            scoped = replace(ctx, resolve=scope.resolve)
            if where and where != region:
                other_regions.add(where)
                scoped = replace(scoped, factor=table.region_factor(where) or 1.0)
            line, priced, note = _line(resource, scoped, scope.prefix, scope.instances)
            lines.append(line)
            if not priced:
                unpriced.append(f"{line.resource} ({line.detail})")
            if note:
                notes.append(note)
    notes += tree.notes
    for where in sorted(other_regions):
        level = table.region_factor(where)
        notes.append(
            f"resources on an aliased provider in {where}: "
            + (
                f"{table.meta.region} prices x {level:g}"
                if level
                else f"no price level in the table, priced at {table.meta.region} prices"
            )
        )
    return CostEstimate(
        monthly_usd=round(sum(line.monthly_usd or 0.0 for line in lines), 2),
        source=table.describe_source(region),
        currency=table.meta.currency,
        lines=lines,
        unpriced=unpriced,
        assumptions=[
            f"{table.meta.hours_per_month:g} hours/month, on-demand, {region}, no free tier",
            *[f"usage: {u}" for u in table.usage.describe()],
            *notes,
        ],
    )


def estimate(
    inventory: Inventory,
    *,
    directory: Path | None = None,
    assumptions: Mapping[str, float] | Usage | Sequence[str] | None = None,
) -> CostEstimate:
    """Infracost on `directory` when it can run; otherwise (or if it fails) the embedded table,
    which reads the local modules that `directory`'s module calls name.

    `assumptions` overrides usage fields (see `Usage`); a list of free-text assumptions (the
    Spec's) carries no numbers and leaves the defaults in place.
    """
    usage = assumptions if isinstance(assumptions, Mapping | Usage) else None
    fallback_note = None
    if directory is not None and infracost.available():
        try:
            return infracost.breakdown(directory)
        except ToolError as exc:
            fallback_note = f"infracost failed ({exc.message}); used the embedded table"
    result = estimate_from_table(inventory, usage, directory=directory)
    if fallback_note:
        result.assumptions.insert(0, fallback_note)
    return result
