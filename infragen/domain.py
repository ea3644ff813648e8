"""Domain values shared by nodes, tools and backends. They know nothing of LangGraph."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

GateStatus = Literal["passed", "failed", "skipped"]
RunStatus = Literal["passed", "failed", "refused", "error"]


class ComponentSpec(BaseModel):
    """One catalogue component the user asked for, e.g. kind="rds", options={"engine": "postgres"}."""

    kind: str
    count: int = 1
    options: dict[str, Any] = Field(default_factory=dict)


class Deviation(BaseModel):
    """A detail of the request the project does not honour: what was asked, what was built, why."""

    asked: str
    built: str = ""
    why: str


class Spec(BaseModel):
    """The clarifier's structured reading of a request."""

    request: str
    name: str = "infragen"
    region: str = "us-east-1"
    az_count: int = 2
    components: list[ComponentSpec] = Field(default_factory=list)
    assumptions: list[str] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    unknown: list[str] = Field(default_factory=list)
    # Details that belong to the whole project rather than one component.
    tags: dict[str, str] = Field(default_factory=dict)
    environments: list[str] = Field(default_factory=list)
    # Resources the request names as already there: referenced by name, never built.
    existing: list[dict[str, str]] = Field(default_factory=list)
    # Details not honoured; each is also an assumption line "Not built: '<asked>' (<why>)."
    deviations: list[Deviation] = Field(default_factory=list)
    # Details the offline parser could not read in a request the catalogue covers: with a model,
    # the architect applies them to the catalogue's code in the attempt after the catalogue's.
    unread: list[str] = Field(default_factory=list)


class ExpectedResource(BaseModel):
    """A resource type the plan promises, checked by the completeness gate."""

    component: str
    type: str
    min_count: int = 1


class Plan(BaseModel):
    """The planner's output: components in build order, with the dependencies they imply."""

    spec: Spec
    components: list[ComponentSpec] = Field(default_factory=list)
    expected: list[ExpectedResource] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class GeneratedFile(BaseModel):
    """A file of the generated project, path relative to the output directory."""

    path: str
    content: str


class Finding(BaseModel):
    """One problem reported by a gate."""

    gate: str
    rule_id: str = ""
    severity: Literal["error", "warning", "info"] = "error"
    message: str
    file: str | None = None
    line: int | None = None
    resource: str | None = None
    guideline: str | None = None


class GateResult(BaseModel):
    """The verdict of one gate. `skipped` is never a pass: `reason` says why and how to enable it."""

    name: str
    status: GateStatus
    engine: str = ""
    findings: list[Finding] = Field(default_factory=list)
    reason: str = ""
    duration_s: float = 0.0


class CostLine(BaseModel):
    resource: str
    type: str
    monthly_usd: float | None = None
    detail: str = ""


class CostEstimate(BaseModel):
    monthly_usd: float = 0.0
    source: str = ""
    currency: str = "USD"
    lines: list[CostLine] = Field(default_factory=list)
    unpriced: list[str] = Field(default_factory=list)
    assumptions: list[str] = Field(default_factory=list)
