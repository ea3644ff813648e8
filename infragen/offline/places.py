"""Regions named by place: "in Frankfurt" is eu-central-1, "Ireland" eu-west-1.

Region codes win over places; the place names are matched as whole words, longest first.
"""

from __future__ import annotations

import re

PLACES = {
    "n. virginia": "us-east-1", "north virginia": "us-east-1", "northern virginia": "us-east-1",
    "virginia": "us-east-1", "ohio": "us-east-2", "n. california": "us-west-1",
    "northern california": "us-west-1", "california": "us-west-1", "oregon": "us-west-2",
    "canada": "ca-central-1", "montreal": "ca-central-1", "calgary": "ca-west-1",
    "sao paulo": "sa-east-1", "são paulo": "sa-east-1", "brazil": "sa-east-1",
    "mexico": "mx-central-1",
    "ireland": "eu-west-1", "dublin": "eu-west-1", "london": "eu-west-2", "uk": "eu-west-2",
    "united kingdom": "eu-west-2", "paris": "eu-west-3", "france": "eu-west-3",
    "frankfurt": "eu-central-1", "germany": "eu-central-1", "zurich": "eu-central-2",
    "switzerland": "eu-central-2", "stockholm": "eu-north-1", "sweden": "eu-north-1",
    "milan": "eu-south-1", "italy": "eu-south-1", "spain": "eu-south-2", "madrid": "eu-south-2",
    "tokyo": "ap-northeast-1", "japan": "ap-northeast-1", "osaka": "ap-northeast-3",
    "seoul": "ap-northeast-2", "korea": "ap-northeast-2", "singapore": "ap-southeast-1",
    "sydney": "ap-southeast-2", "australia": "ap-southeast-2", "melbourne": "ap-southeast-4",
    "jakarta": "ap-southeast-3", "indonesia": "ap-southeast-3", "mumbai": "ap-south-1",
    "india": "ap-south-1", "hyderabad": "ap-south-2", "hong kong": "ap-east-1",
    "bahrain": "me-south-1", "uae": "me-central-1", "dubai": "me-central-1",
    "tel aviv": "il-central-1", "israel": "il-central-1", "cape town": "af-south-1",
    "south africa": "af-south-1",
}  # fmt: skip

_PLACE = re.compile(
    r"\b(?:in|to|from|near|region|out of)\s+(?:the\s+)?("
    + "|".join(re.escape(p) for p in sorted(PLACES, key=len, reverse=True))
    + r")\b"
)
# "a european region", "in europe": no city named, so the choice is declared.
_CONTINENT = {"europe": "eu-west-1", "eu region": "eu-west-1", "asia": "ap-southeast-1"}


def region_from_place(text: str) -> tuple[str, str] | None:
    """(region code, the place as written) for a place named after 'in'/'to'/'region', else None."""
    m = _PLACE.search(text)
    if m:
        return PLACES[m.group(1)], m.group(1)
    for word, region in _CONTINENT.items():
        if re.search(rf"\b(?:in|to)\s+(?:the\s+)?{word}\b", text):
            return region, word
    return None
