"""Request router: classify a request by complexity and scope and pick the architect tier.

`route("create vpc with rds")` -> Route(class="simple", tier="lightweight", ...). Importing this
package is cheap: torch and the embedding model load only when the embedding stage first runs.
"""

from infragen.router.baseline import Signals, baseline_route, read_signals
from infragen.router.cascade import Judge, Router, route
from infragen.router.route import TIERS, Route, RouteClass, Tier, tier_for

__all__ = [
    "TIERS",
    "Judge",
    "Route",
    "RouteClass",
    "Router",
    "Signals",
    "Tier",
    "baseline_route",
    "read_signals",
    "route",
    "tier_for",
]
