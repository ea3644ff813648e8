"""The deterministic clarifier: reads a request into a `Spec` without any model.

It matches the catalogue's keywords (longest phrase first) on a normalised token stream, reads a
count from the words just before each match, and collects options (engine, sizes, web server,
exposure, region, AZs). Every default it picks is written into `assumptions`, so the user sees
what was decided for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from infragen.blueprints.registry import load_catalogue
from infragen.blueprints.zones import zones
from infragen.domain import ComponentSpec, Deviation, Spec
from infragen.offline import vocabulary as v
from infragen.offline.attributes import apply_details
from infragen.offline.details import Details, read_details
from infragen.offline.options import fill_options
from infragen.offline.places import region_from_place
from infragen.offline.relations import read_relations

DEFAULT_REGION = "us-east-1"
DEFAULT_AZ_COUNT = 2
_PUNCT = re.compile(r"[^\w\s/.-]")


@dataclass
class _Match:
    kind: str
    phrase: str
    start: int
    end: int
    count: int | None


# "an ec2 bastion", "a bastion ec2 instance": the EC2 words name the bastion itself.
_BASTION_HOST = re.compile(
    r"\bec2 (?:instance )?(?:as an? )?bastion\b|\bbastion (?:host )?ec2(?: instance)?\b"
)


def _normalise(text: str) -> str:
    """Lower-case, one space between words; Terraform type names read as words (aws_route53_zone)."""
    text = " ".join(text.lower().replace("\u2011", "-").replace("_", " ").split())
    return re.sub(r"\broute ?53\b", "route53", text)  # the 53 is a name, not a count of zones


def _tokens(text: str) -> list[str]:
    """Split into words; hyphens and slashes separate words, sentence dots are dropped."""
    cleaned = _PUNCT.sub(" ", text).replace("-", " ").replace("/", " ")
    return [t.strip(".") for t in cleaned.split() if t.strip(".")]


def _keyword_table() -> list[tuple[tuple[str, ...], str]]:
    table = [
        (tuple(_tokens(keyword)), c.kind)
        for c in load_catalogue().components.values()
        for keyword in c.keywords
    ]
    return sorted(table, key=lambda item: -len(item[0]))


def _take_unsupported(text: str, unknown: list[str]) -> str:
    """Record and blank out phrases naming infrastructure the catalogue cannot build."""
    unsupported = load_catalogue().unsupported
    for cloud in sorted(unsupported.other_clouds, key=len, reverse=True):
        pattern = re.compile(rf"\b{re.escape(cloud)}\b(\s+[a-z0-9]+)?")
        for m in pattern.finditer(text):
            unknown.append(m.group(0).strip())
        text = pattern.sub(" ", text)
    for phrase in sorted(unsupported.phrases, key=len, reverse=True):
        pattern = re.compile(rf"\b{re.escape(phrase)}\b")
        if pattern.search(text):
            unknown.append(phrase)
            text = pattern.sub(" ", text)
    return text


def _count_before(tokens: list[str], start: int) -> int | None:
    """A number right before a match, allowing up to two adjectives: '2 small web servers'."""
    for back in (1, 2, 3):
        if start - back < 0:
            return None
        number = v.to_number(tokens[start - back])
        if number is not None:
            return max(1, min(number, v.MAX_COUNT))
        if tokens[start - back] in {"with", "and", "for", "of", "in", "behind", "to", "plus"}:
            return None
    return None


_LINKING_WORDS = frozenset({"with", "running", "using"})
_GAP_WORDS = frozenset({"of"}) | _LINKING_WORDS | set(v.SIZES) | v.ATTACHING_NOUNS


def _attaches(
    tokens: list[str], phrase: tuple[str, ...], kind: str, previous: _Match, start: int
) -> bool:
    """'rds instance', 'auto scaling group of 3 small instances': the noun belongs to the match before."""
    if len(phrase) != 1 or phrase[0] not in v.ATTACHING_NOUNS or previous.kind == kind:
        return False
    gap = tokens[previous.end : start]
    counted = any(v.to_number(t) is not None and t not in ("a", "an") for t in gap)
    if not counted and any(t in _LINKING_WORDS for t in gap):
        return False  # "vpc with a database" names a second component; "cluster with 3 nodes" not
    return all(t in _GAP_WORDS or v.to_number(t) is not None for t in gap) and len(gap) <= 3


def _match_keywords(tokens: list[str]) -> list[_Match]:
    """Longest keyword first, left to right; a match's count is the number just before it."""
    table = _keyword_table()
    matches: list[_Match] = []
    i = 0
    while i < len(tokens):
        for phrase, kind in table:
            n = len(phrase)
            window = tuple(tokens[i : i + n])
            plural = window[:-1] + (window[-1][:-1],) if window and window[-1].endswith("s") else ()
            if window == phrase or plural == phrase:
                previous = matches[-1] if matches else None
                count = _count_before(tokens, i)
                if previous is not None and _attaches(tokens, phrase, kind, previous, i):
                    if count is not None:
                        previous.count = count
                else:
                    matches.append(_Match(kind, " ".join(phrase), i, i + n, count))
                i += n
                break
        else:
            # A counted noun no component claims ("redis cluster with 3 nodes") counts for the
            # component just before it.
            previous = matches[-1] if matches else None
            count = _count_before(tokens, i)
            if previous and count and _attaches(tokens, (tokens[i],), "", previous, i):
                previous.count = count
            i += 1
    return matches


def _needs_vpc(kind: str) -> bool:
    return kind == "vpc" or "vpc" in load_catalogue().get(kind).implies


class _Reader:
    """Collects components, options and assumptions while reading one request."""

    def __init__(self, request: str) -> None:
        self.request = request
        self.details: Details = read_details(
            " ".join(request.lower().replace("\u2011", "-").split())
        )
        self.text = _normalise(self.details.text)
        self.assumptions: list[str] = []
        self.unknown: list[str] = []
        self.components: dict[str, ComponentSpec] = {}
        self.deviations: list[Deviation] = []

    def read(self) -> Spec:
        region = self._region()
        classes = v.INSTANCE_CLASS.findall(self.text)
        text = v.INSTANCE_CLASS.sub(" ", self.text)
        domain_match = v.DOMAIN.search(text)
        text = _take_unsupported(v.DOMAIN.sub(" ", text), self.unknown)
        tokens = _tokens(text)
        matches = _match_keywords(tokens)
        self._collect(matches)
        self._merge_overlaps()
        az_count = self._settle_az_count(region, matches)
        apply_details(self, self.details)
        fill_options(self, tokens, classes, domain_match.group(1) if domain_match else None)
        read_relations(self, self.details)
        if not self.components:
            self.assumptions.clear()
        return Spec(
            request=self.request,
            name=self._name(),
            region=region,
            az_count=az_count,
            components=list(self.components.values()),
            assumptions=self.assumptions,
            unknown=list(dict.fromkeys(self.unknown)),
            tags=self.details.tags,
            environments=self.details.environments,
            existing=self.details.existing,
            deviations=self.deviations,
        )

    def _collect(self, matches: list[_Match]) -> None:
        """One component per kind; its count is the largest number any of its mentions carried."""
        counted: set[str] = set()
        for m in matches:
            spec = self.components.setdefault(m.kind, ComponentSpec(kind=m.kind))
            if m.count is not None:
                spec.count = max(spec.count, m.count) if m.kind in counted else m.count
                counted.add(m.kind)
        if "vpc" in self.components:
            self.components["vpc"].count = 1

    def _merge_overlaps(self) -> None:
        if "aurora" in self.components:
            # "aurora postgres database": the database is the cluster, not a second RDS instance.
            self.components.pop("rds", None)
        ec2 = self.components.get("ec2")
        if (
            ec2
            and "bastion" in self.components
            and ec2.count == 1
            and _BASTION_HOST.search(self.text)
        ):
            # "an ec2 bastion", "bastion ec2 instance": one host, the bastion
            self.components.pop("ec2")
        if "asg" in self.components and "ec2" in self.components:
            # "web servers ... with auto scaling": the servers are the group's instances.
            servers = self.components.pop("ec2")
            self.components["asg"].count = max(self.components["asg"].count, servers.count)

    def _settle_az_count(self, region: str, matches: list[_Match]) -> int:
        az_count = self._az_count()
        subnet_counts = [m.count for m in matches if m.phrase.startswith("subnet") and m.count]
        if az_count is None and subnet_counts:
            az_count = min(max(subnet_counts), v.MAX_AZ)
            self.assumptions.append(
                f"Read '{az_count} subnets' as one subnet per tier in each of {az_count} AZs."
            )
        if az_count is None:
            az_count = DEFAULT_AZ_COUNT
            if any(_needs_vpc(kind) for kind in self.components):
                self.assumptions.append(f"Spread subnets across {az_count} availability zones.")
        available = len(zones(region, v.MAX_AZ))
        if az_count > available:
            self.assumptions.append(f"{region} has {available} zones for new accounts: using them.")
            az_count = available
        return az_count

    def _region(self) -> str:
        m = v.REGION.search(self.text)
        if m:
            return m.group(1)
        place = region_from_place(self.details.text)
        if place:
            region, written = place
            self.assumptions.append(f"Deploy to {region}, the AWS region for '{written}'.")
            return region
        self.assumptions.append(f"Deploy to {DEFAULT_REGION} (no region named).")
        return DEFAULT_REGION

    def _az_count(self) -> int | None:
        m = v.AZ_COUNT.search(self.text.replace("-", " "))
        if not m:
            return None
        return max(1, min(v.to_number(m.group(1)) or DEFAULT_AZ_COUNT, v.MAX_AZ))

    def _name(self) -> str:
        kinds = [k for k in self.components if k not in ("kms", "instance_profile")][:3]
        slug = "-".join(k.replace("_", "-") for k in kinds) or "infragen"
        return slug[:20].strip("-")

    def not_built(self, asked: str, why: str, built: str = "") -> None:
        """Declare a detail of the request that the project does not honour, and why."""
        note = f"Not built: '{asked}' ({why})."
        if note not in self.assumptions:
            self.assumptions.append(note)
            self.deviations.append(Deviation(asked=asked, built=built, why=why))

    def option(self, kind: str, key: str, value: Any, assumption: str = "") -> None:
        """Set an option on a requested component, recording the assumption behind a default."""
        if kind in self.components:
            self.components[kind].options[key] = value
            if assumption:
                self.assumptions.append(assumption)


def parse_request(text: str) -> Spec:
    """Read a plain request into a `Spec`; text naming no infrastructure yields no components."""
    return _Reader(text).read()
