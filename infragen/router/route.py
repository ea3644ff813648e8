"""The router's verdict: a request's class, the architect tier it earns, and why."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

RouteClass = Literal["simple", "standard", "complex", "out_of_scope", "uncertain"]
Tier = Literal["lightweight", "standard", "refused"]
Stage = Literal["baseline", "embedding", "judge"]

# Only the clearly small requests go to the cheaper architect; doubt costs money, not quality.
TIERS: dict[str, Tier] = {
    "simple": "lightweight",
    "standard": "standard",
    "complex": "standard",
    "uncertain": "standard",
    "out_of_scope": "refused",
}
LABELS: tuple[str, ...] = ("simple", "standard", "complex", "out_of_scope")


def tier_for(klass: RouteClass) -> Tier:
    return TIERS[klass]


class Route(BaseModel):
    """How one request is routed. `klass` is serialised as "class" (a Python keyword)."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    klass: RouteClass = Field(alias="class")
    tier: Tier
    confidence: float = Field(ge=0.0, le=1.0)
    reason: str
    stage: Stage = "baseline"

    @classmethod
    def of(cls, klass: RouteClass, confidence: float, reason: str, stage: Stage) -> Route:
        return cls(
            klass=klass,
            tier=tier_for(klass),
            confidence=round(confidence, 3),
            reason=reason,
            stage=stage,
        )
