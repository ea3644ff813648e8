"""Words the request parser understands beyond the catalogue's keywords: numbers, sizes, engines.

Sizes map to instance classes per family; the defaults are the smallest classes that support every
security feature the blueprints switch on (Performance Insights, encryption, Multi-AZ).
"""

from __future__ import annotations

import re

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "pair": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "couple": 2,
}  # fmt: skip

MAX_COUNT = 20
MAX_AZ = 6

SIZES = ("small", "medium", "large")

# Instance classes per family and size.
EC2_TYPES = {"small": "t3.micro", "medium": "t3.medium", "large": "m6i.large"}
DB_CLASSES = {"small": "db.t4g.medium", "medium": "db.r6g.large", "large": "db.r6g.xlarge"}
AURORA_CLASSES = {"small": "db.t4g.medium", "medium": "db.r6g.large", "large": "db.r6g.xlarge"}
CACHE_TYPES = {"small": "cache.t4g.micro", "medium": "cache.m7g.large", "large": "cache.r7g.large"}

ENGINES = {
    "postgres": "postgres", "postgresql": "postgres", "psql": "postgres", "pg": "postgres",
    "mysql": "mysql",
}  # fmt: skip

WEB_SERVERS = {"nginx": "nginx", "apache": "apache", "httpd": "apache", "apache2": "apache"}

PUBLIC_WORDS = ("public", "internet-facing", "internet facing", "publicly", "exposed")
PRIVATE_WORDS = ("private", "internal", "isolated")

# Generic nouns that, right after another component's keyword, belong to it ("rds instance",
# "postgres server", "redis cluster") instead of naming an EC2 machine.
ATTACHING_NOUNS = frozenset(
    {"instance", "instances", "server", "servers", "host", "hosts", "machine", "machines",
     "cluster", "clusters", "database", "databases", "db", "node", "nodes", "table", "tables"}
)  # fmt: skip

REGION = re.compile(
    r"\b((?:us|eu|ap|sa|ca|me|af|il|mx)-(?:north|south|east|west|central|northeast|northwest|"
    r"southeast|southwest)-\d)\b"
)
INSTANCE_CLASS = re.compile(
    r"\b((?:db\.|cache\.)?[a-z]\d[a-z0-9-]*\.(?:nano|micro|small|medium|large|\d*xlarge|metal))\b"
)
AZ_COUNT = re.compile(
    r"\b(\d+|one|two|three|four|five|six)\s+(?:azs?|availability[\s-]+zones?|zones)\b"
)
DOMAIN = re.compile(
    r"\b((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|net|org|io|dev|app|co|cloud|info|biz|"
    r"ai|tech|site|online|example|test|uk|de|fr|eu|us|ca|au|in|nl|es|it|se|ch|jp))\b"
)
STORAGE_GB = re.compile(r"\b(\d{1,5})\s*(?:gb|gib|g)\b")


def to_number(word: str) -> int | None:
    """'3' -> 3, 'three' -> 3, anything else -> None."""
    if word.isascii() and word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)
