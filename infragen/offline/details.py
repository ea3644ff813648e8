"""Per-component details a request names: versions, retention, runtimes, sizes, names, CIDRs, ...

`read_details` finds them in the lower-cased request and blanks each phrase it used, so the
keyword matcher that runs next does not read "min 3 max 10" as counts, an e-mail domain as a DNS
zone, "glacier after 90 days" as an unsupported service or "my existing bucket" as a bucket to
build. Each finding names the component kinds it can belong to, in order of preference; the
parser gives it to the first one the request builds, or declares it as not built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_NUM = r"(\d{1,5})"
_UNIT_S = {"s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1, "m": 60, "min": 60,
           "mins": 60, "minute": 60, "minutes": 60, "h": 3600, "hour": 3600, "hours": 3600}  # fmt: skip
_TIME = r"(\d{1,5})\s*[- ]?\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|h)\b"
_NAME = r"[\"']?([a-z][a-z0-9_./-]{1,62}[a-z0-9])[\"']?"
_STOP = frozenset(
    {"with", "and", "for", "that", "which", "in", "on", "to", "the", "a", "an", "of", "from",
     "using", "behind", "plus", "called", "named", "where", "per", "each", "via", "reading",
     "writing", "triggered", "consuming", "delivers", "fans", "holding", "storing", "keeping"}
)  # fmt: skip
# Storage classes S3 lifecycle rules move objects to, as people name them.
STORAGE_CLASSES = {
    "glacier instant retrieval": "GLACIER_IR", "glacier ir": "GLACIER_IR",
    "glacier deep archive": "DEEP_ARCHIVE", "deep archive": "DEEP_ARCHIVE",
    "glacier flexible retrieval": "GLACIER", "glacier": "GLACIER",
    "standard ia": "STANDARD_IA", "standard-ia": "STANDARD_IA", "infrequent access": "STANDARD_IA",
    "one zone ia": "ONEZONE_IA", "one zone-ia": "ONEZONE_IA", "one-zone-ia": "ONEZONE_IA",
    "intelligent tiering": "INTELLIGENT_TIERING", "intelligent-tiering": "INTELLIGENT_TIERING",
}  # fmt: skip
_CLASS_RE = "|".join(re.escape(k) for k in sorted(STORAGE_CLASSES, key=len, reverse=True))
ENVIRONMENTS = {"dev": "dev", "development": "dev", "test": "test", "testing": "test", "qa": "qa",
                "uat": "uat", "stage": "staging", "staging": "staging", "preprod": "preprod",
                "prod": "prod", "production": "prod", "sandbox": "sandbox"}  # fmt: skip
_ENV_RE = "|".join(sorted(ENVIRONMENTS, key=len, reverse=True))
_NOUN_KIND = {"bucket": "s3", "table": "dynamodb", "queue": "sqs", "topic": "sns",
              "repository": "ecr", "repo": "ecr", "function": "lambda", "lambda": "lambda",
              "key": "kms", "role": "instance_profile"}  # fmt: skip


@dataclass
class Finding:
    kinds: tuple[str, ...]
    key: str
    value: Any
    phrase: str


@dataclass
class Details:
    text: str
    findings: list[Finding] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    environments: list[str] = field(default_factory=list)
    existing: list[dict[str, str]] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    def take(self, pattern: str, blank: bool = True) -> list[re.Match[str]]:
        """Every match of `pattern`; blanked out of the text unless `blank` is false."""
        found = list(re.finditer(pattern, self.text))
        if blank:
            for m in reversed(found):
                self.text = (
                    self.text[: m.start()] + " " * (m.end() - m.start()) + self.text[m.end() :]
                )
        return found

    def blank(self, m: re.Match[str], *groups: int) -> None:
        """Blank some groups of a match taken with blank=False (keep the noun, drop the names)."""
        for g in groups:
            if m.group(g):
                start, end = m.span(g)
                self.text = self.text[:start] + " " * (end - start) + self.text[end:]

    def add(self, kinds: tuple[str, ...], key: str, value: Any, phrase: str) -> None:
        self.findings.append(Finding(kinds, key, value, phrase.strip()))


def _seconds(number: str, unit: str) -> int:
    return int(number) * _UNIT_S.get(unit, _UNIT_S.get(unit.rstrip("s"), 1))


def _existing(d: Details) -> None:
    nouns = "|".join(_NOUN_KIND) + "|vpc|s3 bucket|dynamodb table|sqs queue|sns topic"
    for m in d.take(rf"\b(?:my |our |an |the )?existing ({nouns})s?\s+(?:named |called )?{_NAME}"):
        noun = m.group(1).split()[-1]
        d.existing.append(
            {"kind": _NOUN_KIND.get(noun, noun), "name": m.group(2), "phrase": m.group(0).strip()}
        )


def _environments(d: Details) -> None:
    env_list = rf"((?:{_ENV_RE})(?:\s*(?:,|and|&|/)\s*(?:{_ENV_RE}))*)"
    patterns = (
        rf"\b(?:environments?|envs?|stages?)\s*[:,(]?\s*(?:\w+\s*[:,]\s*)?{env_list}\b",
        rf"\b{env_list}\s+(?:environments?|envs?|stages?)\b",
    )
    for pattern in patterns:
        for m in d.take(pattern):
            for name in re.split(r"\s*(?:,|and|&|/)\s*", m.group(1)):
                env = ENVIRONMENTS.get(name.strip())
                if env and env not in d.environments:
                    d.environments.append(env)


def _tags(d: Details) -> None:
    m = re.search(r"\btag(?:s|ged|ging)?\b", d.text)
    if not m:
        return
    pair = r"([a-z][\w.:/-]{0,126}[\w])\s*=\s*([\w.@/+-]{1,255})"
    for p in re.finditer(pair, d.text[m.end() :]):
        d.tags[p.group(1)] = p.group(2)
    d.text = d.text[: m.end()] + re.sub(pair, " ", d.text[m.end() :])


def _messaging(d: Details) -> None:
    for m in d.take(r"\b[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+\b"):
        d.add(("sns", "monitoring"), "emails", m.group(0), m.group(0))
    for m in d.take(rf"\bvisibility timeout (?:of )?{_TIME}|\b{_TIME} visibility timeout"):
        n, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        d.add(("sqs",), "visibility_timeout_s", _seconds(n, unit), m.group(0))
    retention = rf"(?:message )?retention(?: period)?(?: of)? {_NUM}[ -]days?|{_NUM}[ -]days?(?: of)?(?: message)? retention|keep(?:s|ing)? messages (?:for )?{_NUM} days?|messages? (?:are |is )?(?:kept|retained|stored|held) (?:for )?{_NUM} days?"
    for m in d.take(rf"\b(?<!backup )(?<!backups )(?:{retention})"):
        days = int(next(g for g in m.groups() if g))
        logs = re.search(r"\blogs?\b|log group", d.text[max(0, m.start() - 40) : m.end() + 25])
        d.add(
            ("monitoring", "sqs") if logs else ("sqs", "monitoring"),
            "retention_days",
            days,
            m.group(0),
        )
    polling = r"\blong[ -]polling(?: of| for| =)?\s*(\d{1,2})\s*(?:seconds?|secs?|s)\b|\b(\d{1,2})\s*(?:seconds?|secs?|s) (?:of )?long[ -]polling"
    for m in d.take(polling):
        d.add(("sqs",), "long_poll_s", int(next(g for g in m.groups() if g)), m.group(0))
    receives = r"\b(?:maxreceivecount|max(?:imum)? receives?(?: count)?)(?: of| =|:)?\s*{n}\b|\bafter {n} (?:failed |unsuccessful )?(?:attempts|receives|tries|retries|deliveries)\b|\b{n} (?:failed )?(?:attempts|tries|retries|receives) before (?:the |a )?(?:dlq|dead)"
    for m in d.take(receives.format(n=_NUM)):
        d.add(("sqs",), "max_receive", int(next(g for g in m.groups() if g)), m.group(0))
    if re.search(r"\bfifo\b", d.text):
        d.add(("sqs", "sns"), "fifo", True, "fifo")
    queues = d.take(
        r"\bqueues?\s*[,:]?\s*(?:named |called )?([a-z][\w-]+)\s*(?:,|and)\s*([a-z][\w-]+)(?:\s*(?:,|and)\s*([a-z][\w-]+))?",
        blank=False,
    )
    for m in queues:
        names = list(dict.fromkeys(g for g in m.groups() if g and g not in _STOP))
        if len(names) >= 2:
            d.add(("sqs",), "queues", names, m.group(0))
            d.blank(m, 1, 2, 3)


def _names(d: Details) -> None:
    nouns = "|".join(k for k in _NOUN_KIND if k not in ("key", "role", "lambda"))
    for m in d.take(rf"\b({nouns})\s+(?:named |called )?{_NAME}(?=[\s,.;]|$)", blank=False):
        name = m.group(2)
        if name in _STOP or name in _NOUN_KIND or re.fullmatch(r"\d.*", name):
            continue
        explicit = re.search(r"named|called", m.group(0)) is not None
        if not explicit and name in _GENERIC:
            continue
        d.add((_NOUN_KIND[m.group(1)],), "name", name, m.group(0))
        start = m.start(2)
        d.text = d.text[:start] + " " * len(name) + d.text[start + len(name) :]
    for m in d.take(rf"\balias\s+(?:named |called |of |is |=\s*)?{_NAME}"):
        d.add(("kms",), "alias", m.group(1).removeprefix("alias/"), m.group(0))


# Words after a noun that are not names: "table with", "bucket for", "queue is".
_GENERIC = frozenset(
    {"is", "are", "should", "must", "will", "can", "as", "at", "by", "or", "so", "then", "but",
     "policy", "policies", "subscription", "subscriptions", "trigger", "notifications", "access",
     "permissions", "encryption", "versioning", "logging", "logs", "storage", "backups", "data",
     "records", "messages", "events", "items", "objects", "files", "images", "entries", "endpoint",
     "behind", "across", "inside", "within", "only", "also", "too", "triggers", "gets", "sends",
     "receives", "holds", "keeps", "stores", "reads", "writes", "when", "if", "into", "ttl"}
)  # fmt: skip


def _storage(d: Details) -> None:
    for m in d.take(rf"\b(?:to |into )?({_CLASS_RE})(?: storage)?(?: class)? after {_NUM}\s*days?"):
        d.add(("s3",), "transitions", (STORAGE_CLASSES[m.group(1)], int(m.group(2))), m.group(0))
    for m in d.take(
        rf"\bafter {_NUM}\s*days?,?\s+(?:move|transition|archive)\w*\s+(?:\w+\s+)?(?:to\s+)?({_CLASS_RE})"
    ):
        d.add(("s3",), "transitions", (STORAGE_CLASSES[m.group(2)], int(m.group(1))), m.group(0))
    expire = rf"\b(?:delete|expire|remove|purge)\w*\s+(?:\w+\s+){{0,3}}?after {_NUM}\s*days?|\bexpir\w+ after {_NUM}\s*days?"
    for m in d.take(expire):
        d.add(("s3",), "expiration_days", int(next(g for g in m.groups() if g)), m.group(0))
    d.take(
        r"(?<![\w-])(?:move|transition|archive)\w*(?: (?:the |old |my )?(?:objects|files|data))?\b(?=\s*(?:to|into)?\s*$)"
    )
    keep = r"\bkeep(?:s|ing)? (?:only )?(?:the )?(?:(?:last|latest|newest|most recent) )?(\d{1,4}) (?:tagged )?images?\b|\b(?:only )?(?:the )?(?:last|latest|newest|most recent) (\d{1,4}) images?\b"
    for m in d.take(keep):
        d.add(("ecr",), "keep_images", int(next(g for g in m.groups() if g)), m.group(0))
    for m in d.take(r"\bmutable (?:image )?tags|tag mutability (?:set to )?mutable"):
        if not d.text[max(0, m.start() - 2) : m.start()].endswith("im"):
            d.add(("ecr",), "mutable_tags", True, m.group(0))
    for m in d.take(
        r"\b(?:ttl|time to live)\s+(?:(?:on|attribute|field|column|the|an?|its|my)\s+)*(?:named |called )?([a-z_][a-z0-9_]{0,254})"
    ):
        d.add(("dynamodb",), "ttl_attribute", m.group(1), m.group(0))
    for m in d.take(
        r"\b(partition|hash|sort|range) key\s+(?:of |named |called |is )?([a-z_][a-z0-9_]{0,254})"
    ):
        key = "hash_key" if m.group(1) in ("partition", "hash") else "range_key"
        d.add(("dynamodb",), key, m.group(2), m.group(0))


def _punctuation(d: Details) -> None:
    """What people type around values, read as spaces: `min=1`, `alias: app-key`, `"userId"`,
    `(version 14)`, `w/ 60s` (after the tags, whose `key=value` pairs need their `=`)."""
    text = re.sub(r"[\"'()\[\]{}]", " ", d.text)
    text = re.sub(r"(?<=[a-z0-9])\s*[=:]\s*(?=[a-z0-9])", " ", text)
    d.text = " ".join(re.sub(r"\bw/\s", "with ", text).split())


def read_details(text: str) -> Details:
    """The details of a lower-cased request, with the phrases they came from blanked out."""
    from infragen.offline.details_compute import compute_details

    d = Details(text=text)
    _existing(d)
    _environments(d)
    _tags(d)
    _punctuation(d)
    _messaging(d)
    _storage(d)
    compute_details(d)
    _names(d)
    return d
