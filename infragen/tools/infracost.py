"""Infracost: `infracost breakdown --path DIR --format json` and a parser for its JSON.

Used instead of the embedded price table when the binary is installed and INFRACOST_API_KEY is
set (Infracost prices through its cloud pricing API, so it needs the key and a network).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from infragen.domain import CostEstimate, CostLine
from infragen.errors import ToolError
from infragen.tools import process

SOURCE = "infracost"


def available() -> bool:
    return bool(process.find_binary("infracost") and os.environ.get("INFRACOST_API_KEY"))


def breakdown_argv(binary: str, directory: Path) -> list[str]:
    return [binary, "breakdown", "--path", str(directory), "--format", "json", "--no-color"]


def _money(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _components(resource: dict[str, Any]) -> list[str]:
    parts = []
    for component in resource.get("costComponents") or []:
        cost = _money(component.get("monthlyCost"))
        amount = f"${cost:,.2f}" if cost is not None else "usage-based, no usage given"
        parts.append(f"{component.get('name', '?')}: {amount}")
    for sub in resource.get("subresources") or []:
        parts += [f"{sub.get('name', '?')} / {p}" for p in _components(sub)]
    return parts


def parse_breakdown(doc: dict[str, Any]) -> CostEstimate:
    """Infracost JSON (format version 0.2) -> CostEstimate; null costs become unpriced lines."""
    lines: list[CostLine] = []
    unpriced: list[str] = []
    for project in doc.get("projects") or []:
        for resource in (project.get("breakdown") or {}).get("resources") or []:
            name = str(resource.get("name", "?"))
            monthly = _money(resource.get("monthlyCost"))
            rtype = str(resource.get("resourceType") or name.split(".")[0])
            lines.append(
                CostLine(
                    resource=name,
                    type=rtype,
                    monthly_usd=monthly,
                    detail="; ".join(_components(resource)),
                )
            )
            if monthly is None:
                unpriced.append(name)
    summary = doc.get("summary") or {}
    for rtype, count in sorted((summary.get("unsupportedResourceCounts") or {}).items()):
        unpriced.append(f"{rtype} x{count} (not supported by infracost)")
    free = summary.get("noPriceResourceCounts") or {}
    for rtype, count in sorted(free.items()):
        lines.append(
            CostLine(resource=f"{rtype} x{count}", type=rtype, monthly_usd=0.0, detail="free")
        )
    total = _money(doc.get("totalMonthlyCost"))
    return CostEstimate(
        monthly_usd=round(
            total if total is not None else sum(line.monthly_usd or 0.0 for line in lines), 2
        ),
        source=SOURCE,
        currency=str(doc.get("currency") or "USD"),
        lines=lines,
        unpriced=unpriced,
        assumptions=["usage-based costs are null unless an infracost usage file supplies usage"],
    )


def breakdown(directory: Path, *, timeout: float = 300) -> CostEstimate:
    binary = process.find_binary("infracost")
    if not binary:
        raise ToolError(
            "infracost not found", "install it from infracost.io or unset INFRACOST_API_KEY"
        )
    result = process.run(
        breakdown_argv(binary, directory),
        timeout=timeout,
        env=process.base_env(INFRACOST_NO_COLOR="true"),
    )
    if result.returncode != 0:
        raise ToolError(
            f"infracost failed: {result.stderr.strip()[:300]}",
            "check INFRACOST_API_KEY and the network",
        )
    try:
        return parse_breakdown(json.loads(result.stdout))
    except json.JSONDecodeError as exc:
        raise ToolError(
            "infracost printed something other than JSON", "rerun with --log-level debug"
        ) from exc
