"""Availability zone names per region, for the default of `var.availability_zones`.

Most regions name their zones a, b, c...; the exceptions below lack some letters for new accounts.
"""

from __future__ import annotations

_LETTERS = {
    "us-west-1": "bc",
    "ap-northeast-1": "acd",
    "ap-northeast-2": "abcd",
    "sa-east-1": "abc",
    "ca-central-1": "abd",
    "us-east-1": "abcdef",
}


def zones(region: str, count: int) -> list[str]:
    """The first `count` zone names of `region` (count is capped at the zones the region has)."""
    letters = _LETTERS.get(region, "abc")
    return [f"{region}{letter}" for letter in letters[:count]]
