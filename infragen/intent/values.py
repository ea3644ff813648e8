"""Plan-time values: plain JSON values plus UNKNOWN, Terraform's "known after apply"."""

from __future__ import annotations

from typing import Any


class _Unknown:
    """Singleton for a value only known after apply; any operation on it is unknown too."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("an unknown value has no truth value; test with is_known()")


UNKNOWN = _Unknown()


class ObjectValue(dict):
    """A resource's attributes; attributes it does not set are unknown until apply."""

    def attribute(self, name: str) -> Any:
        return self.get(name, UNKNOWN)


def is_known(value: Any) -> bool:
    """True when value, and everything inside it, is known at plan time."""
    if value is UNKNOWN:
        return False
    if isinstance(value, dict):
        return all(is_known(v) for v in value.values())
    if isinstance(value, list):
        return all(is_known(v) for v in value)
    return True


def without_unknowns(value: Any) -> Any:
    """Terraform's omitUnknowns: unknown object attributes vanish, unknown list items become null."""
    if isinstance(value, dict):
        return {k: without_unknowns(v) for k, v in value.items() if v is not UNKNOWN}
    if isinstance(value, list):
        return [None if v is UNKNOWN else without_unknowns(v) for v in value]
    return value


def unknown_marks(value: Any) -> Any:
    """Terraform's after_unknown: true where unknown; objects keep only keys holding unknowns."""
    if value is UNKNOWN:
        return True
    if isinstance(value, dict):
        marks = {k: unknown_marks(v) for k, v in value.items()}
        return {k: m for k, m in marks.items() if m is not False and m != {}}
    if isinstance(value, list):
        return [unknown_marks(v) for v in value]
    return False


def plain(value: Any) -> Any:
    """Drop ObjectValue subclasses so json and regorus see ordinary dicts."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
