"""One pricing rule per AWS resource type: monthly USD for one instance of the resource.

A rule returns (monthly USD or None when the table lacks the price, a detail that shows the sum).
Values are read from the resource body through `Resolver`, which follows literal variable
defaults and locals, so `instance_type = var.size` prices what the default says; inside a module,
the values its call passes win over the defaults. Conditions are evaluated where the code alone
decides them (`count = var.create ? 1 : 0`, see `hcl_readings`); what it does not stays unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from infragen.tools.hcl import Inventory, Resource
from infragen.tools.hcl_readings import evaluate
from infragen.tools.hcl_values import Unknown, constraint_type, holds_unknown, type_of
from infragen.tools.pricing import PriceTable

Priced = tuple[float | None, str]


class Partial(float):
    """A monthly amount that leaves out a part the table cannot price: shown, and listed unpriced."""


# Instance sizes in units of `large`: prices within a family scale with size on every AWS price
# list, so a missing size is derived from a listed one of the same family.
_SIZE_UNITS = {"nano": 1 / 16, "micro": 1 / 8, "small": 1 / 4, "medium": 1 / 2, "large": 1.0,
               "xlarge": 2.0, "metal": None}  # fmt: skip


def size_units(size: str) -> float | None:
    if size in _SIZE_UNITS:
        return _SIZE_UNITS[size]
    m = re.fullmatch(r"(\d+)xlarge", size)
    return 2.0 * int(m.group(1)) if m else None


@dataclass
class Resolver:
    inventory: Inventory
    # What a module call passes, already resolved in the caller: it wins over the variable default.
    variables: Mapping[str, Any] = field(default_factory=dict)
    _locals: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def value(self, value: Any) -> Any:
        """What `value` is worth here: `${var.x}` the value passed or the literal default,
        `${local.y}` the local, `${var.on ? 2 : 0}` 2 or 0; `value` itself when that is
        unknown (or null)."""
        found = evaluate(value, self._lookup)
        return value if found is None or holds_unknown(found) else found

    def _lookup(self, kind: str, name: str) -> Any:
        if kind == "local":
            if name not in self._locals:
                self._locals[name] = Unknown()  # a local that refers to itself stays unknown
                self._locals[name] = evaluate(
                    self.inventory.locals.get(name, Unknown()), self._lookup
                )
            return self._locals[name]
        declared = self.inventory.variables.get(name, {})
        passed = self.variables.get(name)
        if passed is not None or (name in self.variables and declared.get("nullable", True)):
            # Not evaluated again: an expression the caller could not resolve names the caller's
            # variables, not this module's. A null passed leaves a nullable variable null.
            found = passed
        elif "default" in declared:
            found = declared["default"]
        else:
            return Unknown(constraint_type(declared.get("type")))  # set outside the code
        wanted = constraint_type(declared.get("type"))
        if found is None or wanted in (None, type_of(found)):
            return found
        return Unknown(wanted)  # Terraform converts it to the declared type: not guessed

    def get(self, body: dict[str, Any], key: str, default: Any = None) -> Any:
        value = self.value(body.get(key, default))
        return default if isinstance(value, str) and value.startswith("${") else value

    def number(self, body: dict[str, Any], key: str, default: float) -> float:
        value = self.get(body, key, default)
        return (
            float(value)
            if isinstance(value, int | float) and not isinstance(value, bool)
            else default
        )

    def block(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        blocks = body.get(key) or [{}]
        return blocks[0] if isinstance(blocks, list) and isinstance(blocks[0], dict) else {}

    def count(self, resource: Resource) -> int | None:
        return self.instances(resource.body)

    def instances(self, body: dict[str, Any]) -> int | None:
        """How many objects a resource or module block makes: its count or the size of its
        for_each (1 when it has neither); None when the code alone does not say."""
        if "for_each" in body:
            value = evaluate(body["for_each"], self._lookup)
            return len(value) if isinstance(value, list | dict) else None
        value = evaluate(body.get("count", 1), self._lookup, want="number")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return value if ok else None

    def called(self, inventory: Inventory, arguments: Mapping[str, Any]) -> Resolver:
        """The resolver inside a module called with `arguments` (its variable values), each
        resolved here, in the caller: the expression itself where it is not known here."""
        values = {}
        for name, argument in arguments.items():
            found = evaluate(argument, self._lookup)
            values[name] = argument if isinstance(found, Unknown) else found
        return Resolver(inventory, values)


@dataclass
class Context:
    table: PriceTable
    resolve: Resolver
    factor: float = 1.0  # regional price level relative to the table's region

    def derived(self, section: str, key: str) -> tuple[float, str] | None:
        """The hourly price of a size the table lacks, from a listed size of the same family."""
        family, _, size = key.rpartition(".")
        wanted = size_units(size)
        if not family or not wanted:
            return None
        node = self.table.sections
        for part in section.split("."):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        for other in sorted(node) if isinstance(node, dict) else []:
            o_family, _, o_size = other.rpartition(".")
            units = size_units(o_size)
            price = self.table.price(section, other)
            if o_family == family and units and price is not None:
                return price * wanted / units, f"derived from {other} by size"
        return None

    def hourly(self, section: str, key: str, label: str, quantity: float = 1) -> Priced:
        price, note = self.table.price(section, key), ""
        if price is None:
            found = self.derived(section, key)
            if found is None:
                return None, f"no {section} price for {key}"
            price, note = found[0], f" ({found[1]})"
        price *= self.factor
        monthly = self.table.hourly_to_month(price) * quantity
        qty = f"{quantity:g} x " if quantity != 1 else ""
        hours = self.table.meta.hours_per_month
        return monthly, f"{qty}{label} {key} ${price:.4g}/h x {hours:g} h{note}"

    def per_unit(self, section: str, key: str, quantity: float, unit: str) -> Priced:
        price = self.table.price(section, key)
        if price is None:
            return None, f"no {section}.{key} price"
        price *= self.factor
        return price * quantity, f"{quantity:g} {unit} x ${price:.4g}"


def _sum(*parts: Priced) -> Priced:
    """The parts added up; when some cannot be priced, the rest as a `Partial` amount."""
    known = [p for p in parts if p[0] is not None]
    if len(known) < len(parts):
        missing = "; ".join(p[1] for p in parts if p[0] is None)
        if not known:
            return None, missing
        priced = " + ".join(p[1] for p in known)
        return Partial(sum(p[0] or 0.0 for p in known)), f"{missing}; priced only: {priced}"
    return sum(p[0] or 0.0 for p in parts), " + ".join(p[1] for p in parts)


def _ebs(ctx: Context, volume_type: Any, size: float, label: str) -> Priced:
    vtype = str(volume_type or "gp3")
    return ctx.per_unit("ebs", vtype, size, f"GB {vtype} {label}")


def instance(r: Resource, ctx: Context) -> Priced:
    itype = ctx.resolve.get(r.body, "instance_type", "")
    root = ctx.resolve.block(r.body, "root_block_device")
    parts = [
        ctx.hourly("ec2", str(itype), "EC2"),
        _ebs(
            ctx,
            ctx.resolve.get(root, "volume_type"),
            ctx.resolve.number(root, "volume_size", ctx.table.usage.root_volume_gb),
            "root",
        ),
    ]
    for extra in r.body.get("ebs_block_device", []) or []:
        parts.append(
            _ebs(
                ctx,
                ctx.resolve.get(extra, "volume_type"),
                ctx.resolve.number(extra, "volume_size", 8),
                "data",
            )
        )
    if ctx.resolve.get(r.body, "associate_public_ip_address") is True:
        parts.append(ctx.hourly("network", "public_ipv4_hour", "public IPv4"))
    return _sum(*parts)


def ebs_volume(r: Resource, ctx: Context) -> Priced:
    return _ebs(
        ctx, ctx.resolve.get(r.body, "type"), ctx.resolve.number(r.body, "size", 8), "volume"
    )


def _rds_family(engine: str) -> str | None:
    """The table's section for an engine; None for the licence-priced ones (SQL Server, Oracle,
    Db2) and engines not known here, which must not pass as PostgreSQL."""
    if engine.startswith(("mysql", "mariadb")):
        return "rds.mysql"
    return "rds.postgres" if engine.startswith("postgres") else None


def db_instance(r: Resource, ctx: Context) -> Priced:
    engine = str(ctx.resolve.get(r.body, "engine", "postgres"))
    cls = str(ctx.resolve.get(r.body, "instance_class", ""))
    if engine.startswith("aurora"):
        return ctx.hourly("aurora", cls, "Aurora")
    copies = 2 if ctx.resolve.get(r.body, "multi_az") is True else 1
    storage_type = str(ctx.resolve.get(r.body, "storage_type", "gp2"))
    storage = ctx.resolve.number(r.body, "allocated_storage", 20) * copies
    family = _rds_family(engine)
    instance = (
        ctx.hourly(family, cls, f"RDS {engine}", copies)
        if family
        else (None, f"no price for RDS engine {engine} (licence-dependent or unknown)")
    )
    return _sum(
        instance,
        ctx.per_unit("rds.storage", storage_type, storage, f"GB {storage_type} storage"),
    )


def rds_cluster(r: Resource, ctx: Context) -> Priced:
    u = ctx.table.usage
    parts = [
        ctx.per_unit("aurora", "storage_gb_month", u.aurora_storage_gb, "GB-month storage"),
        ctx.per_unit("aurora", "io_per_million", u.aurora_io_millions, "million I/O"),
    ]
    scaling = ctx.resolve.block(r.body, "serverlessv2_scaling_configuration")
    if scaling:
        parts.append(
            ctx.hourly(
                "aurora",
                "acu_hour",
                "Serverless v2 minimum",
                ctx.resolve.number(scaling, "min_capacity", 0.5),
            )
        )
    return _sum(*parts)


def rds_cluster_instance(r: Resource, ctx: Context) -> Priced:
    return ctx.hourly("aurora", str(ctx.resolve.get(r.body, "instance_class", "")), "Aurora")


def nat_gateway(r: Resource, ctx: Context) -> Priced:
    return _sum(
        ctx.hourly("network", "nat_gateway_hour", "NAT gateway"),
        ctx.per_unit("network", "nat_gateway_gb", ctx.table.usage.nat_data_gb, "GB processed"),
    )


def public_ip(r: Resource, ctx: Context) -> Priced:
    return ctx.hourly("network", "public_ipv4_hour", "public IPv4")


def load_balancer(r: Resource, ctx: Context) -> Priced:
    kind = (
        "nlb"
        if ctx.resolve.get(r.body, "load_balancer_type", "application") == "network"
        else "alb"
    )
    return _sum(
        ctx.hourly("network", f"{kind}_hour", kind.upper()),
        ctx.hourly("network", f"{kind}_lcu_hour", "LCU", ctx.table.usage.alb_lcu),
    )


def elasticache_cluster(r: Resource, ctx: Context) -> Priced:
    nodes = ctx.resolve.number(r.body, "num_cache_nodes", 1)
    return ctx.hourly(
        "elasticache", str(ctx.resolve.get(r.body, "node_type", "")), "cache node", nodes
    )


def elasticache_replication_group(r: Resource, ctx: Context) -> Priced:
    if "num_node_groups" in r.body:
        shards = ctx.resolve.number(r.body, "num_node_groups", 1)
        nodes = shards * (ctx.resolve.number(r.body, "replicas_per_node_group", 0) + 1)
    else:
        nodes = ctx.resolve.number(r.body, "num_cache_clusters", 1)
    return ctx.hourly(
        "elasticache", str(ctx.resolve.get(r.body, "node_type", "")), "cache node", nodes
    )


def docdb_cluster(r: Resource, ctx: Context) -> Priced:
    u = ctx.table.usage
    return _sum(
        ctx.per_unit("docdb", "storage_gb_month", u.docdb_storage_gb, "GB-month storage"),
        ctx.per_unit("docdb", "io_per_million", u.docdb_io_millions, "million I/O"),
    )


def docdb_instance(r: Resource, ctx: Context) -> Priced:
    return ctx.hourly("docdb", str(ctx.resolve.get(r.body, "instance_class", "")), "DocumentDB")


def eks_cluster(r: Resource, ctx: Context) -> Priced:
    return ctx.hourly("eks", "cluster_hour", "EKS control plane")


def eks_node_group(r: Resource, ctx: Context) -> Priced:
    scaling = ctx.resolve.block(r.body, "scaling_config")
    nodes = ctx.resolve.number(scaling, "desired_size", 1)
    types = ctx.resolve.get(r.body, "instance_types", ["t3.medium"])
    itype = types[0] if isinstance(types, list) and types else "t3.medium"
    disk = ctx.resolve.number(r.body, "disk_size", ctx.table.usage.eks_node_disk_gb)
    return _sum(
        ctx.hourly("ec2", str(itype), "node", nodes), _ebs(ctx, "gp3", disk * nodes, "node disks")
    )


def autoscaling_group(r: Resource, ctx: Context) -> Priced:
    inventory = ctx.resolve.inventory
    nodes = ctx.resolve.number(
        r.body, "desired_capacity", ctx.resolve.number(r.body, "min_size", 1)
    )
    templates = [
        t
        for t in inventory.of_type("aws_launch_template")
        if f"aws_launch_template.{t.name}" in r.references
    ]
    if not templates:
        return None, "launch template not found in the configuration"
    itype = ctx.resolve.get(templates[0].body, "instance_type", "")
    return _sum(
        ctx.hourly("ec2", str(itype), "instance", nodes),
        _ebs(ctx, "gp3", ctx.table.usage.root_volume_gb * nodes, "root"),
    )


def s3_bucket(r: Resource, ctx: Context) -> Priced:
    u = ctx.table.usage
    return _sum(
        ctx.per_unit("s3", "standard_gb_month", u.s3_storage_gb, "GB-month"),
        ctx.per_unit("s3", "put_per_1k", u.s3_put_thousands, "k PUT"),
        ctx.per_unit("s3", "get_per_1k", u.s3_get_thousands, "k GET"),
    )


def dynamodb_table(r: Resource, ctx: Context) -> Priced:
    u = ctx.table.usage
    storage = ctx.per_unit("dynamodb", "storage_gb_month", u.dynamodb_storage_gb, "GB-month")
    if ctx.resolve.get(r.body, "billing_mode", "PROVISIONED") == "PAY_PER_REQUEST":
        return _sum(
            ctx.per_unit("dynamodb", "write_per_million", u.dynamodb_write_millions, "M writes"),
            ctx.per_unit("dynamodb", "read_per_million", u.dynamodb_read_millions, "M reads"),
            storage,
        )
    return _sum(
        ctx.hourly("dynamodb", "wcu_hour", "WCU", ctx.resolve.number(r.body, "write_capacity", 1)),
        ctx.hourly("dynamodb", "rcu_hour", "RCU", ctx.resolve.number(r.body, "read_capacity", 1)),
        storage,
    )


def lambda_function(r: Resource, ctx: Context) -> Priced:
    u = ctx.table.usage
    memory_gb = ctx.resolve.number(r.body, "memory_size", 128) / 1024
    gb_seconds = u.lambda_requests_millions * 1_000_000 * u.lambda_duration_ms / 1000 * memory_gb
    return _sum(
        ctx.per_unit("lambda", "requests_per_million", u.lambda_requests_millions, "M requests"),
        ctx.per_unit("lambda", "gb_second", gb_seconds, "GB-s"),
    )


def _flat(section: str, key: str, label: str) -> Callable[[Resource, Context], Priced]:
    return lambda r, ctx: ctx.per_unit(section, key, 1, label)


def _usage(section: str, key: str, field: str, unit: str) -> Callable[[Resource, Context], Priced]:
    return lambda r, ctx: ctx.per_unit(section, key, getattr(ctx.table.usage, field), unit)


def _both(a: Callable[[Resource, Context], Priced], b: Callable[[Resource, Context], Priced]):
    return lambda r, ctx: _sum(a(r, ctx), b(r, ctx))


def vpc_endpoint(r: Resource, ctx: Context) -> Priced:
    if ctx.resolve.get(r.body, "vpc_endpoint_type", "Gateway") != "Interface":
        return 0.0, "gateway endpoint: free"
    subnets = ctx.resolve.get(r.body, "subnet_ids", [])
    zones = len(subnets) if isinstance(subnets, list) and subnets else 1
    return ctx.hourly("network", "vpc_interface_endpoint_hour", "interface endpoint ENI", zones)


RULES: dict[str, Callable[[Resource, Context], Priced]] = {
    "aws_instance": instance,
    "aws_ebs_volume": ebs_volume,
    "aws_autoscaling_group": autoscaling_group,
    "aws_db_instance": db_instance,
    "aws_rds_cluster": rds_cluster,
    "aws_rds_cluster_instance": rds_cluster_instance,
    "aws_nat_gateway": nat_gateway,
    "aws_eip": public_ip,
    "aws_lb": load_balancer,
    "aws_alb": load_balancer,
    "aws_elasticache_cluster": elasticache_cluster,
    "aws_elasticache_replication_group": elasticache_replication_group,
    "aws_docdb_cluster": docdb_cluster,
    "aws_docdb_cluster_instance": docdb_instance,
    "aws_eks_cluster": eks_cluster,
    "aws_eks_node_group": eks_node_group,
    "aws_s3_bucket": s3_bucket,
    "aws_dynamodb_table": dynamodb_table,
    "aws_lambda_function": lambda_function,
    "aws_vpc_endpoint": vpc_endpoint,
    "aws_sqs_queue": _usage("sqs", "requests_per_million", "sqs_requests_millions", "M requests"),
    "aws_sns_topic": _usage(
        "sns", "publishes_per_million", "sns_publishes_millions", "M publishes"
    ),
    "aws_cloudwatch_log_group": _both(
        _usage("cloudwatch", "logs_ingest_gb", "logs_ingest_gb", "GB ingested"),
        _usage("cloudwatch", "logs_storage_gb_month", "logs_stored_gb", "GB-month stored"),
    ),
    "aws_cloudwatch_metric_alarm": _flat("cloudwatch", "alarm_month", "alarm-month"),
    "aws_cloudwatch_dashboard": _flat("cloudwatch", "dashboard_month", "dashboard-month"),
    "aws_kms_key": _both(
        _flat("kms", "key_month", "key-month"),
        _usage("kms", "requests_per_10k", "kms_requests_10k", "x10k requests"),
    ),
    "aws_ecr_repository": _usage("ecr", "storage_gb_month", "ecr_storage_gb", "GB-month"),
    "aws_route53_zone": _both(
        _flat("route53", "zone_month", "hosted zone-month"),
        _usage("route53", "queries_per_million", "route53_queries_millions", "M queries"),
    ),
    "aws_secretsmanager_secret": _both(
        _flat("secretsmanager", "secret_month", "secret-month"),
        _usage("secretsmanager", "api_per_10k", "secrets_api_10k", "x10k API calls"),
    ),
}
