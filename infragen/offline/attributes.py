"""Give each detail a request named to the component it belongs to, validated; what cannot be
honoured is declared in the assumptions as "Not built: ..." with the reason, never dropped."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from infragen.domain import ComponentSpec
from infragen.offline.details import Details, Finding
from infragen.offline.vocabulary import STORAGE_GB

if TYPE_CHECKING:
    from infragen.offline.parser import _Reader

ENGINE_VERSIONS = {"postgres": ("13", "14", "15", "16", "17"), "mysql": ("8.0", "8.4")}
RUNTIMES = {"python": ("3.9", "3.10", "3.11", "3.12", "3.13"), "node": ("18", "20", "22")}
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096,
                      1827, 2192, 2557, 2922, 3288, 3653)  # fmt: skip
NAME_RULES = {
    "s3": re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"),
    "sqs": re.compile(r"^[a-zA-Z0-9_-]{1,75}$"),
    "sns": re.compile(r"^[a-zA-Z0-9_-]{1,250}$"),
    "dynamodb": re.compile(r"^[a-zA-Z0-9_.-]{3,255}$"),
    "ecr": re.compile(r"^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$"),
    "lambda": re.compile(r"^[a-zA-Z0-9_-]{1,64}$"),
}
_ATTRIBUTE = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]{0,254}$")
# Names AWS keeps case-sensitive: read from the lower-cased request, written as the user typed them.
CASED = {"hash_key", "range_key", "ttl_attribute"}
CASED_NAMES = frozenset({"dynamodb", "sqs", "sns", "lambda"})


def _as_typed(request: str, value: str) -> str:
    """`value` (read lower-cased) as the request spells it: "userid" -> "userId"."""
    m = re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", request, re.IGNORECASE)
    return m.group(0) if m else value


Valid = tuple[Any, str]  # (value to set, "" ) or (None, why not)


def _version(value: tuple[str, str], spec: ComponentSpec) -> Valid:
    engine, version = value
    if spec.kind == "aurora":
        return None, "Aurora needs a full engine version; the cluster uses the engine's default"
    version = "8.0" if engine == "mysql" and version == "8" else version
    major = version if engine == "mysql" else version.split(".")[0]
    if spec.options.get("engine", engine) != engine:
        return None, f"the database engine is {spec.options.get('engine')}"
    if major not in ENGINE_VERSIONS[engine]:
        return (
            None,
            f"{engine} {version} is not offered by RDS; choose {', '.join(ENGINE_VERSIONS[engine])}",
        )
    return major, ""


def _runtime(value: tuple[str, str], spec: ComponentSpec) -> Valid:
    lang, version = value
    lang = "node" if lang.startswith("node") else lang
    if lang not in RUNTIMES:
        return None, "the catalogue ships handler code in Python and Node.js only"
    versions = RUNTIMES[lang]
    version = version or versions[-1]
    if lang == "node":
        version = version.split(".")[0]
    if version not in versions:
        return None, f"{lang} {version} is not a supported Lambda runtime ({', '.join(versions)})"
    return (f"python{version}" if lang == "python" else f"nodejs{version}.x"), ""


def _between(low: int, high: int, what: str) -> Callable[[Any, ComponentSpec], Valid]:
    def check(value: Any, spec: ComponentSpec) -> Valid:
        if low <= value <= high:
            return value, ""
        return None, f"{what} must be between {low} and {high}"

    return check


def _retention(value: int, spec: ComponentSpec) -> Valid:
    if spec.kind == "sqs":
        return (
            (value * 86400, "") if 1 <= value <= 14 else (None, "SQS keeps messages 1 to 14 days")
        )
    if value in LOG_RETENTION_DAYS:
        return value, ""
    return (
        None,
        f"CloudWatch Logs retention must be one of {', '.join(map(str, LOG_RETENTION_DAYS[:12]))}...",
    )


def _name(value: str, spec: ComponentSpec) -> Valid:
    rule = NAME_RULES.get(spec.kind)
    if rule and rule.fullmatch(value):
        return value, ""
    return None, f"'{value}' is not a valid {spec.kind} name"


def _cidr(value: str, spec: ComponentSpec) -> Valid:
    try:
        net = ipaddress.ip_network(value, strict=True)
    except ValueError:
        return None, f"{value} is not a network address"
    if spec.kind == "bastion":
        return (value, "") if net.prefixlen > 0 else (None, "SSH from everywhere is never opened")
    if not net.is_private or not 16 <= net.prefixlen <= 24:
        return None, "a VPC needs a private range between /16 and /24"
    return value, ""


def _email(value: str, spec: ComponentSpec) -> Valid:
    return (
        (value, "")
        if re.fullmatch(r"[\w.+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+", value)
        else (None, "not an e-mail address")
    )


def _attribute(value: str, spec: ComponentSpec) -> Valid:
    return (value, "") if _ATTRIBUTE.fullmatch(value) else (None, "not a valid attribute name")


def _port(value: int, spec: ComponentSpec) -> Valid:
    if spec.kind != "rds":
        return (
            None,
            "the catalogue's servers and load balancer listen on 80/443; another port is not built",
        )
    return (value, "") if 1150 <= value <= 65535 else (None, "an RDS port must be 1150 to 65535")


def _accept(value: Any, spec: ComponentSpec) -> Valid:
    return value, ""


VALIDATORS: dict[str, Callable[[Any, ComponentSpec], Valid]] = {
    "engine_version": _version,
    "backup_days": _between(1, 35, "backup retention days"),
    "runtime": _runtime,
    "memory_mb": _between(128, 10240, "Lambda memory (MB)"),
    "timeout_s": _between(1, 900, "a Lambda timeout (seconds)"),
    "visibility_timeout_s": _between(0, 43200, "an SQS visibility timeout (seconds)"),
    "min_size": _between(0, 100, "an auto scaling size"),
    "max_size": _between(1, 100, "an auto scaling size"),
    "desired": _between(0, 100, "an auto scaling size"),
    "retention_days": _retention,
    "name": _name,
    "cidr": _cidr,
    "admin_cidr": _cidr,
    "emails": _email,
    "ttl_attribute": _attribute,
    "hash_key": _attribute,
    "range_key": _attribute,
    "expiration_days": _between(1, 36500, "an expiry (days)"),
    "reserved_concurrency": _between(1, 10000, "a Lambda reserved concurrency"),
    "root_volume_gb": _between(8, 16384, "a root volume size (GB)"),
    "keep_images": _between(1, 10000, "a number of images to keep"),
    "max_receive": _between(1, 1000, "an SQS max receive count"),
    "long_poll_s": _between(1, 20, "SQS long polling (seconds)"),
    "snapshot_days": _between(0, 35, "ElastiCache snapshot retention days"),
    "deletion_window_days": _between(7, 30, "a KMS deletion window (days)"),
    "port": _port,
}
LISTS = frozenset({"emails", "transitions", "cpu_alarm"})
# Details that bring their component along when the request did not name it.
CREATES = {"record": "route53", "cpu_alarm": "monitoring"}


def _target(r: _Reader, f: Finding) -> str | None:
    return next((k for k in f.kinds if k in r.components), None)


def apply_details(r: _Reader, details: Details) -> None:
    """Set each finding on its component; declare the ones that cannot be honoured."""
    # details that bring their component go first, so the others can land on it
    for f in sorted(details.findings, key=lambda f: f.key not in CREATES):
        kind = _target(r, f)
        if kind is None and f.key in CREATES:
            kind = CREATES[f.key]
            r.components[kind] = ComponentSpec(kind=kind)
        if kind is None:
            wanted = " or ".join(f.kinds)
            r.not_built(f.phrase, f"the request builds no {wanted} to apply it to")
            continue
        spec = r.components[kind]
        typed = f.value
        if f.key in CASED or (f.key == "name" and kind in CASED_NAMES):
            typed = _as_typed(r.request, f.value)
        elif f.key == "queues":
            typed = [_as_typed(r.request, name) for name in f.value]
        value, why = VALIDATORS.get(f.key, _accept)(typed, spec)
        if f.key == "engine_version" and value and value != f.value[1]:
            r.not_built(
                f.phrase,
                f"RDS is given the major version; it picks the newest {value}.x minor",
                built=f"{f.value[0]} {value}",
            )
        if value is None:
            r.not_built(f.phrase, why)
        elif f.key in LISTS:
            spec.options.setdefault(f.key, [])
            if value not in spec.options[f.key]:
                spec.options[f.key].append(value)
        else:
            spec.options[f.key] = value
    _check_scaling(r)
    _declare_leftovers(r, details)


# A measured detail no reader took ("performance insights kept 31 days", "3000 iops") is declared
# rather than lost: the parser cannot honour what it did not understand.
_LEFTOVER = re.compile(
    r"(?:[a-z-]+ ){0,3}\d+(?:\.\d+)?\s*(?:days?|weeks?|months?|years?|hours?|minutes?|mins?|seconds?|secs?|ms|%|percent|mb|(?P<size>gb|gib|tb|tib)|iops|rpm|rps|gbps|mbps|images?|versions?|shards?|connections?|executions?)\b"
    # "a concurrency of 5", "max connections of 500": a number that ends the phrase
    r"|(?:[a-z-]+ ){1,3}of \d+(?:\.\d+)?\b(?!\s*[a-z%])"
    r"|(?:[a-z-]+ ){0,3}(?:above|over|below|under|more than|less than|fewer than|exceeds?|greater than|at least|at most) \d+(?:\.\d+)?(?: [a-z]+)?"
)


NOT_UNDERSTOOD = "not understood by the offline parser"
NOT_IN_CATALOGUE = "the offline catalogue does not build this"
# Features a request can name that no blueprint builds: declared, never lost (and, with a model
# configured, handed to it like any detail the parser could not read).
_UNBUILT = re.compile(
    r"\b(?:on a |a )?(?:schedule|cron)\b[^,.;]{0,30}|\bevery (?:hour|day|week|minute|night)\b"
    r"|\bcors(?: (?:for|allowing|from|on) \S+)?|\b(?:global|local) secondary index\w*[^,.;]{0,20}|\b[gl]si\b[^,.;]{0,20}"
    r"|\bprovisioned (?:capacity|throughput)[^,.;]{0,30}|\b(?:read|write) capacity\b[^,.;]{0,15}"
    r"|\bsticky sessions?(?: (?:for|of) \d+ \w+)?|\b(?:\d+ ?kb )?max(?:imum)? message size[^,.;]{0,15}"
    r"|\b(?:ubuntu|debian|windows|rhel|red hat|centos|suse|rocky linux)(?: server)?(?: \d+(?:\.\d+)?)?(?: lts)?\b"
    r"|\b(?:waf|vpn|transit gateway|vpc peering|peering connection|sse-sqs|object lock|global table)\b"
    r"|\b(?:serverless(?: v2)?|\d+(?:\.\d+)? to \d+ acus?|dashboard|read replicas?|sms\b[^,.;]{0,30})"
    r"|\b(?:cross[- ]region )?replicat(?:ion|ed|e) (?:to|in|into) [a-z0-9-]+|\bprivate (?:hosted )?zone\b"
    r"|\b(?:scal\w+ on|scaling by) (?:request count|requests|memory|queue depth|network)\b"
    r"|\bmaintenance window\b[^,.;]{0,30}|\bbackup window\b[^,.;]{0,30}"
    r"|\b(?:an? )?(?:www|cname|alias|txt|mx) records?\b"
)


def _declare_leftovers(r: _Reader, details: Details) -> None:
    text = details.text
    for m in _UNBUILT.finditer(text):
        r.not_built(m.group(0).strip(), NOT_IN_CATALOGUE)
        text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
    eip = re.search(r"\b(?:an? )?elastic ips?\b[^,.;]{0,8}", text)
    if eip and "bastion" not in r.components:  # the bastion is the only host given one
        r.not_built(eip.group(0).strip(), NOT_IN_CATALOGUE)
    # the database's storage reader takes the first size of the request; any other is declared
    storage = STORAGE_GB.search(text) if "rds" in r.components else None
    for m in _LEFTOVER.finditer(text):
        if m.group("size") and storage and m.start() <= storage.start() < m.end():
            continue
        r.not_built(m.group(0).strip(), NOT_UNDERSTOOD)


def _check_scaling(r: _Reader) -> None:
    asg = r.components.get("asg")
    if asg is None:
        return
    o = asg.options
    low, high = o.get("min_size"), o.get("max_size")
    if low is not None and high is not None and low > high:
        r.not_built(f"min {low} max {high}", "the minimum is above the maximum")
        o.pop("min_size"), o.pop("max_size")
    desired = o.get("desired")
    if desired is not None and not o.get("min_size", 0) <= desired <= o.get("max_size", 100):
        r.not_built(f"desired {desired}", "desired capacity must lie between min and max")
        o.pop("desired")
