"""The embedded price table (infragen/data/prices.toml) and the usage an estimate assumes.

Prices are data, not code: refreshing them means editing the TOML and its `as_of` date.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict

from infragen.errors import ConfigError


class PriceMeta(BaseModel):
    region: str
    currency: str
    as_of: str
    source: str
    hours_per_month: float


class Usage(BaseModel):
    """Monthly usage the configuration cannot express; every field is stated in the estimate."""

    model_config = ConfigDict(extra="forbid")

    nat_data_gb: float
    alb_lcu: float
    s3_storage_gb: float
    s3_put_thousands: float
    s3_get_thousands: float
    dynamodb_storage_gb: float
    dynamodb_write_millions: float
    dynamodb_read_millions: float
    lambda_requests_millions: float
    lambda_duration_ms: float
    sqs_requests_millions: float
    sns_publishes_millions: float
    logs_ingest_gb: float
    logs_stored_gb: float
    kms_requests_10k: float
    ecr_storage_gb: float
    route53_queries_millions: float
    secrets_api_10k: float
    aurora_storage_gb: float
    aurora_io_millions: float
    docdb_storage_gb: float
    docdb_io_millions: float
    root_volume_gb: float
    eks_node_disk_gb: float

    def describe(self) -> list[str]:
        return [f"{name} = {value:g}" for name, value in self.model_dump().items()]


class PriceTable(BaseModel):
    meta: PriceMeta
    sections: dict[str, dict[str, Any]]
    usage: Usage

    def price(self, section: str, key: str) -> float | None:
        """A price by dotted section (`rds.postgres`) and key; None when the table has no entry."""
        node: Any = self.sections
        for part in section.split("."):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        value = node.get(key) if isinstance(node, dict) else None
        return (
            float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
        )

    def region_factor(self, region: str) -> float | None:
        """The region's price level relative to the table's region; None when not listed."""
        if region == self.meta.region:
            return 1.0
        return self.price("regions", region)

    def hourly_to_month(self, hourly: float) -> float:
        return hourly * self.meta.hours_per_month

    def describe_source(self, region: str | None = None) -> str:
        """Where the prices come from; for another region, how they were derived."""
        m = self.meta
        factor = self.region_factor(region) if region else 1.0
        if not region or region == m.region:
            basis = f"{m.region} on-demand"
        elif factor is None:
            basis = f"{m.region} on-demand prices used for {region}, which the table lacks"
        else:
            basis = f"{m.region} on-demand x {factor:g} for {region}"
        return f"embedded price table ({basis}, {m.as_of}; {m.source})"


@lru_cache(maxsize=1)
def _raw_table() -> dict[str, Any]:
    text = resources.files("infragen.data").joinpath("prices.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def load_prices(usage: Mapping[str, float] | Usage | None = None) -> PriceTable:
    """The price table with default usage, overridden field by field by `usage`."""
    raw = dict(_raw_table())
    meta, defaults = raw.pop("meta"), dict(raw.pop("usage"))
    if isinstance(usage, Usage):
        defaults = usage.model_dump()
    elif usage:
        unknown = set(usage) - set(Usage.model_fields)
        if unknown:
            raise ConfigError(
                f"unknown cost assumptions: {', '.join(sorted(unknown))}",
                f"choose from {', '.join(Usage.model_fields)}",
            )
        defaults.update(usage)
    return PriceTable(meta=PriceMeta(**meta), sections=raw, usage=Usage(**defaults))
