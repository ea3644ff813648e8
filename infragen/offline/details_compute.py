"""Details of compute, databases, networks and alarms: versions, backups, Lambda runtime/memory/
timeout, scaling bounds, CIDRs, NAT per AZ, CPU alarm thresholds and DNS records."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from infragen.offline.details import Details

_TIME = r"(\d{1,5})\s*[- ]?\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|h)\b"
_CIDR = r"\b(\d{1,3}(?:\.\d{1,3}){3}/\d{1,2})\b"
# Words that name a component an alarm can watch, for "alarm on the database's CPU".
_ALARM_TARGETS = (
    (r"\b(?:ec2|instances?|servers?|vms?|hosts?|machines?)\b", "ec2"),
    (r"\b(?:asg|auto ?scaling|scaling group)\b", "asg"),
    (r"\b(?:rds|database|db|postgres(?:ql)?|mysql)\b", "rds"),
    (r"\baurora\b", "aurora"),
    (r"\b(?:redis|elasticache|cache)\b", "elasticache"),
)


def _seconds(number: str, unit: str) -> int:
    scale = 3600 if unit.startswith("h") else 60 if unit.startswith("m") else 1
    return int(number) * scale


def _databases(d: Details) -> None:
    for m in d.take(
        r"\b(postgres(?:ql)?|psql|pg|mysql)\s*(?:(?:db|database|rds|instance|engine)\s+)?(?:version\s*|v)?(\d{1,2}(?:\.\d{1,2})?)\b(?!\s*(?:gb|gib|g|tb|days?|%))",
        blank=False,
    ):
        engine = "mysql" if m.group(1) == "mysql" else "postgres"
        d.add(("rds", "aurora"), "engine_version", (engine, m.group(2)), m.group(0))
        start = m.start(2)
        d.text = d.text[:start] + " " * len(m.group(2)) + d.text[m.end(2) :]
    backups = (
        r"\b(?:keep |retain )?(?:automated )?backups?(?: retention)?(?: period)?(?: (?:kept|retained|stored|held))?(?: for| of)? (\d{1,3})[ -]days?",
        r"\b(\d{1,3})[ -]days? (?:of )?(?:automated )?backups?(?: retention)?",
        r"\bbackup retention (?:of |period )?(\d{1,3})",
    )
    for m in d.take("|".join(backups)):
        d.add(("rds", "aurora"), "backup_days", int(next(g for g in m.groups() if g)), m.group(0))
    snapshots = r"\bsnapshots? (?:retention |(?:are |is )?(?:kept|retained|held|stored) )(?:for |of )?(\d{1,2})[ -]days?|\b(\d{1,2})[ -]days? of snapshots"
    for m in d.take(snapshots):
        d.add(("elasticache",), "snapshot_days", int(next(g for g in m.groups() if g)), m.group(0))
    window = r"\b(?:key )?deletion window(?: of| =|:)?\s*(\d{1,2})(?:[ -]days?)?|\b(\d{1,2})[ -]days? (?:key )?deletion window"
    for m in d.take(window):
        d.add(("kms",), "deletion_window_days", int(next(g for g in m.groups() if g)), m.group(0))
    for m in d.take(r"\b(?:on |listening on |using )?port (\d{2,5})\b"):
        before = d.text[max(0, m.start() - 60) : m.start()]
        database = re.search(r"\b(?:rds|database|db|postgres(?:ql)?|mysql)\b", before)
        kinds = ("rds", "ec2", "asg", "alb") if database else ("ec2", "asg", "alb", "rds")
        d.add(kinds, "port", int(m.group(1)), m.group(0))
    minor_off = r"\b(?:auto(?:matic)? )?minor (?:version )?upgrades? (?:turned |switched )?(?:off|disabled|false)|\b(?:no|disable|without) (?:auto(?:matic)? )?minor (?:version )?upgrades?"
    for m in d.take(minor_off):
        d.add(("rds", "aurora", "elasticache"), "auto_minor_upgrade", False, m.group(0))
    off = r"\b(?:deletion protection (?:off|disabled|false|turned off)|(?:without|no|disable) deletion protection)"
    for m in d.take(off):
        d.add(("rds", "aurora"), "deletion_protection", False, m.group(0))


def _lambda(d: Details) -> None:
    if not re.search(r"\b(?:lambda|function|serverless)\b", d.text):
        return
    languages = (
        r"python|node(?:\.?js)?|java|golang|go(?= (?:lambda|function))|ruby|dotnet|\.net|rust"
    )
    for m in d.take(rf"\b({languages})\s*(\d+(?:\.\d+)?)?(?:\.x)?\b"):
        d.add(("lambda",), "runtime", (m.group(1), m.group(2) or ""), m.group(0))
    memory = r"\b(\d{1,5})\s*(mb|mib|gb|gib)\b(?!\s*(?:of\s+)?(?:storage|disk|ssd|volume|gp[23]|database|db|data))(?:\s+(?:of\s+)?(?:memory|ram))?|\b(?:memory|ram)(?: of| size)?\s*(\d{2,5})\s*(mb|mib|gb|gib)?\b"
    for m in d.take(memory):
        n, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4) or "mb")
        d.add(("lambda",), "memory_mb", int(n) * (1024 if unit.startswith("g") else 1), m.group(0))
    for m in d.take(rf"\b{_TIME}\s*timeout|\btimeout(?: of)?\s*{_TIME}"):
        n, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        d.add(("lambda",), "timeout_s", _seconds(n, unit), m.group(0))
    concurrency = r"\breserved concurrency(?: of| =|:| set to)?\s*(\d{1,5})\b|\b(\d{1,5}) reserved (?:concurrency|concurrent executions)\b|\bconcurrency (?:limit |cap )?(?:of |=\s*)?(\d{1,5})\b"
    for m in d.take(concurrency):
        n = next(g for g in m.groups() if g)
        d.add(("lambda",), "reserved_concurrency", int(n), m.group(0))


def _volumes(d: Details) -> None:
    """ "a 100 GB root volume", "root disk of 50 gb": the instance's root volume size."""
    size = r"(\d{1,5})\s*(?:gb|gib|g)\b"
    volume = r"(?:root|boot|os|system) (?:ebs )?(?:volume|disk|drive)s?"
    pattern = rf"\b{size}\s+(?:ebs |gp[23] )?(?:{volume}|(?:ebs )?(?:volume|disk|drive)s?\b)|\b{volume}(?: size)?(?: of| =|:)?\s*{size}"
    for m in d.take(pattern):
        n = next(g for g in m.groups() if g)
        d.add(("ec2", "asg", "bastion"), "root_volume_gb", int(n), m.group(0))


def _scaling(d: Details) -> None:
    for m in d.take(
        r"\b(min|minimum|max|maximum|desired)(?:imum)?(?: size| capacity| count| instances)?(?: of| =|:)?\s*(\d{1,3})\b"
    ):
        key = {"min": "min_size", "max": "max_size", "des": "desired"}[m.group(1)[:3]]
        d.add(("asg",), key, int(m.group(2)), m.group(0))
    for m in d.take(
        r"\b(?:between|from) (\d{1,3}) (?:and|to) (\d{1,3})\b|\b(\d{1,3})\s*(?:to|-)\s*(\d{1,3})(?= (?:\w+ )?(?:instances|servers|nodes|machines|vms|hosts))"
    ):
        low, high = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        d.add(("asg",), "min_size", int(low), m.group(0))
        d.add(("asg",), "max_size", int(high), m.group(0))


def _network(d: Details) -> None:
    for m in d.take(
        rf"\b(?:ssh|access|allow\w*)(?: \w+){{0,3}} from {_CIDR}|\badmin (?:cidr|ip|network)(?: of| is)? {_CIDR}"
    ):
        d.add(("bastion",), "admin_cidr", m.group(1) or m.group(2), m.group(0))
    for m in d.take(_CIDR):
        d.add(("vpc",), "cidr", m.group(1), m.group(0))
    per_az = r"\b(?:one |a )?nat(?: gateways?)? (?:per|in each|in every|for each|for every) (?:az|availability zone|zone)s?\b|\bnat gateway in each az\b"
    for m in d.take(per_az, blank=False):  # "nat gateway" still names the network
        d.add(("vpc",), "nat_per_az", True, m.group(0))


def _alarms(d: Details) -> None:
    above = r"(?:>=|>|above|over|exceeds?|greater than|higher than|goes above|is above|passes)"
    pattern = rf"\b(?:cpu|cpu utili[sz]ation|cpu usage)(?: alarms?| alerts?)?(?: (?:when|if)(?: it)?)?\s*(?:goes |is |gets |of |stays )?{above}\s*(\d{{1,3}})\s*(?:%|percent|pct)?"
    alarm_first = (
        r"\b(?:alarms?|alerts?) (?:at|when|if|above|over) (\d{1,3})\s*(?:%|percent|pct) ?cpu\b"
    )
    for m in list(d.take(pattern)) + list(d.take(alarm_first)):
        before = d.text[: m.start()]
        target = max(
            ((hit.start(), kind) for rx, kind in _ALARM_TARGETS for hit in re.finditer(rx, before)),
            default=(-1, ""),
        )[1]
        d.add(("monitoring",), "cpu_alarm", (target, int(m.group(1))), m.group(0))
    record = r"\b(?:(?:an? |dns |alias )?(?:a |cname |alias )?record|dns name)\s+(?:for |named |called )?([a-z0-9-]+(?:\.[a-z0-9-]+){2,})\b|\b([a-z0-9-]+(?:\.[a-z0-9-]+){2,})\s+(?:pointing|points|that points|resolving) (?:at|to)\b"
    for m in d.take(record):
        d.add(("route53",), "record", m.group(1) or m.group(2), m.group(0))
    # "a www record pointing at the alb": a name inside the zone
    label = (
        r"\b(?:an? )?([a-z0-9-]{1,63}) record (?:pointing|points|that points|resolving) (?:at|to)\b"
    )
    for m in d.take(label):
        d.add(("route53",), "record", m.group(1), m.group(0))


def compute_details(d: Details) -> None:
    _databases(d)
    _lambda(d)
    _volumes(d)
    _scaling(d)
    _network(d)
    _alarms(d)
