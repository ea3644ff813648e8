"""Options the parser reads for each component: engines, classes, web server, exposure, HA."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from infragen.offline import vocabulary as v

if TYPE_CHECKING:
    from infragen.offline.parser import _Reader


_FILLER = frozenset(
    {"my", "our", "the", "a", "an", "storing", "keeping", "all", "some", "app", "application"}
)


MAX_CACHE_NODES = 6


def _has_phrase(tokens: list[str], phrase: str) -> bool:
    words = phrase.split()
    n = len(words)
    return any(tokens[i : i + n] == words for i in range(len(tokens) - n + 1))


def _exposure(tokens: list[str]) -> str:
    if any(_has_phrase(tokens, w.replace("-", " ")) for w in v.PUBLIC_WORDS):
        return "public"
    if any(w in tokens for w in v.PRIVATE_WORDS):
        return "private"
    return ""


def _multi_az(tokens: list[str]) -> bool | None:
    if _has_phrase(tokens, "single az") or _has_phrase(tokens, "one az"):
        return False
    if any(
        _has_phrase(tokens, p)
        for p in ("multi az", "multiaz", "high availability", "highly available", "ha", "failover")
    ):
        return True
    return None


def _classes_for(classes: list[str], prefix: str) -> str | None:
    for c in classes:
        if prefix and c.startswith(prefix):
            return c
        if not prefix and not c.startswith(("db.", "cache.")):
            return c
    return None


def _fill_databases(r: _Reader, tokens: list[str], classes: list[str], size: str) -> None:
    engine = next((v.ENGINES[t] for t in tokens if t in v.ENGINES), None)
    multi_az = _multi_az(tokens)
    db_class = _classes_for(classes, "db.")
    bare = _classes_for(classes, "")
    if bare and not any(k in r.components for k in ("ec2", "asg", "bastion")):
        # "rds mysql on t4g.micro": with no server to run it, a bare class is the database's
        db_class = db_class or f"db.{bare}"
    if "rds" in r.components:
        r.option("rds", "engine", engine or "postgres",
                 "" if engine else "Use PostgreSQL (no database engine named).")  # fmt: skip
        r.option("rds", "instance_class", db_class or v.DB_CLASSES[size],
                 "" if db_class else f"Size the database as {v.DB_CLASSES[size]} ({size}).")  # fmt: skip
        r.option("rds", "multi_az", multi_az is not False,
                 "" if multi_az is not None else "Run the database Multi-AZ for failover.")  # fmt: skip
        m = v.STORAGE_GB.search(" ".join(tokens))
        r.option("rds", "storage_gb", max(20, min(int(m.group(1)), 65536)) if m else 20)
    if "aurora" in r.components:
        flavour = "aurora-mysql" if engine == "mysql" else "aurora-postgresql"
        r.option("aurora", "engine", flavour,
                 "" if engine else "Use Aurora PostgreSQL (no engine named).")  # fmt: skip
        r.option("aurora", "instance_class", db_class or v.AURORA_CLASSES[size])
        spec = r.components["aurora"]
        if spec.count < 2 and multi_az is not False:
            spec.count = 2
            r.assumptions.append("Run Aurora with a writer and one reader in another AZ.")


def _fill_compute(r: _Reader, tokens: list[str], classes: list[str], size: str) -> None:
    server = next((v.WEB_SERVERS[t] for t in tokens if t in v.WEB_SERVERS), "")
    wants_web = bool(server) or any(t in tokens for t in ("web", "website", "http", "https"))
    instance_type = _classes_for(classes, "")
    exposure = _exposure(tokens)
    for kind in ("ec2", "asg"):
        if kind not in r.components:
            continue
        if wants_web or "alb" in r.components:
            r.option(kind, "web_server", server or "nginx",
                     "" if server else "Serve the web tier with nginx.")  # fmt: skip
        r.option(kind, "instance_type", instance_type or v.EC2_TYPES[size],
                 "" if instance_type else f"Use {v.EC2_TYPES[size]} instances ({size}).")  # fmt: skip
        if exposure:
            r.option(kind, "exposure", exposure)
    if "asg" in r.components:
        spec = r.components["asg"]
        spec.count = max(spec.count, 2)
    if "alb" in r.components:
        r.option("alb", "internal", exposure == "private")
    if "bastion" in r.components and instance_type and not {"ec2", "asg"} & r.components.keys():
        r.option("bastion", "instance_type", instance_type)


def _fill_others(
    r: _Reader, tokens: list[str], classes: list[str], size: str, domain: str | None
) -> None:
    if _exposure(tokens) == "private":
        r.option(
            "vpc", "private_only", True, "Keep the network private: no internet or NAT gateway."
        )
    if "elasticache" in r.components:
        node_type = _classes_for(classes, "cache.")
        r.option("elasticache", "node_type", node_type or v.CACHE_TYPES[size])
        joined = " ".join(tokens)
        nodes = re.search(r"\b(\d{1,2}) (?:cache )?nodes\b", joined)
        replicas = re.search(r"\b(\d{1,2}) (?:read )?replicas\b", joined)
        wanted = int(nodes.group(1)) if nodes else int(replicas.group(1)) + 1 if replicas else 0
        count = max(2, r.components["elasticache"].count, wanted)
        if count > MAX_CACHE_NODES:
            r.not_built(
                f"{count} cache nodes",
                f"a Redis replication group holds at most {MAX_CACHE_NODES} nodes (1 primary, 5 "
                "replicas); cluster mode is not in the catalogue",
                built=f"{MAX_CACHE_NODES} nodes",
            )
            count = MAX_CACHE_NODES
        r.components["elasticache"].count = count
    if "route53" in r.components:
        r.option("route53", "domain", domain or "example.com",
                 "" if domain else "Use example.com as the zone name; set var.domain_name.")  # fmt: skip
    elif domain:
        why = (
            "the load balancer takes an issued certificate's ARN (var.certificate_arn); no DNS "
            "zone is built"
            if "alb" in r.components
            else "nothing in the request uses a domain name"
        )
        r.not_built(domain, why)
    if "s3" in r.components:
        after_for = [
            w for i, t in enumerate(tokens[:-1]) if t == "for" for w in tokens[i + 1 : i + 4]
        ]
        purpose = next((w for w in after_for if w.isalpha() and w not in _FILLER), "data")
        r.option("s3", "purpose", purpose[:12])
    if "lambda" in r.components and "runtime" not in r.components["lambda"].options:
        r.option("lambda", "runtime", "python3.13", "Write the Lambda function in Python 3.13.")


def _size(tokens: list[str]) -> str:
    return next((size for size in v.SIZES if size in tokens), "small")


def fill_options(r: _Reader, tokens: list[str], classes: list[str], domain: str | None) -> None:
    """Read each requested component's options from the request's words."""
    size = _size(tokens)
    _fill_databases(r, tokens, classes, size)
    _fill_compute(r, tokens, classes, size)
    _fill_others(r, tokens, classes, size, domain)
