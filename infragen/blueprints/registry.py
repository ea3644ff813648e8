"""The catalogue as typed values, loaded once from `components.toml`."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, Field

NetworkNeed = Literal["", "private", "nat", "public"]


class ExpectedType(BaseModel):
    """A resource type a component promises; `min` may name a count resolved at plan time."""

    type: str
    min: int | str = 1
    when: str = ""


class Component(BaseModel):
    kind: str
    description: str
    keywords: list[str] = Field(default_factory=list)
    implies: list[str] = Field(default_factory=list)
    network: NetworkNeed = ""
    countable: bool = False
    defaults: dict[str, Any] = Field(default_factory=dict)
    file: str
    expected: list[ExpectedType] = Field(default_factory=list)


class Unsupported(BaseModel):
    phrases: list[str] = Field(default_factory=list)
    other_clouds: list[str] = Field(default_factory=list)


class Catalogue(BaseModel):
    components: dict[str, Component]
    unsupported: Unsupported

    def get(self, kind: str) -> Component:
        return self.components[kind]


@cache
def load_catalogue() -> Catalogue:
    text = resources.files("infragen.blueprints").joinpath("components.toml").read_text("utf-8")
    raw = tomllib.loads(text)
    components = [Component.model_validate(c) for c in raw["component"]]
    return Catalogue(
        components={c.kind: c for c in components},
        unsupported=Unsupported.model_validate(raw.get("unsupported", {})),
    )


def catalogue() -> list[tuple[str, str]]:
    """Every component kind with its one-line description, in catalogue order."""
    return [(c.kind, c.description) for c in load_catalogue().components.values()]
