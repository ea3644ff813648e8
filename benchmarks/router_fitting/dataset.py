"""The labelled routing requests (fixtures/routing/requests.jsonl): what the router is fitted and
measured on. Rows carry a fixed `split`, so fitting never sees the held-out rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from infragen.errors import ConfigError

Split = Literal["train", "heldout", "blind", "stress"]
DEFAULT_DATASET = Path(__file__).resolve().parents[2] / "fixtures" / "routing" / "requests.jsonl"


class Example(BaseModel):
    id: str
    text: str
    label: str = Field(alias="class")
    source: str
    split: Split
    # For batch rows, the brief they were written to ("annotator", "boundary", "stress", "lead").
    brief: str = ""
    components: list[str] = Field(default_factory=list)  # as its annotator counted them

    def built(self) -> set[str] | None:
        """The components an annotator counted for a batch row that asks to build something; None
        for other rows (out of scope, or counted from IaC-Eval resources, or not counted)."""
        if self.source.startswith("batch:") and self.label != "out_of_scope":
            return set(self.components)
        return None


def load_examples(split: Split | None = None, path: Path = DEFAULT_DATASET) -> list[Example]:
    if not path.is_file():
        raise ConfigError(
            f"routing dataset not found: {path}",
            "run from a source checkout, or pass the path to requests.jsonl",
        )
    rows = [Example.model_validate(json.loads(line)) for line in path.read_text().splitlines()]
    return [row for row in rows if split is None or row.split == split]
