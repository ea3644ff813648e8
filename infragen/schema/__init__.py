"""Offline AWS provider schema check: the errors `terraform validate` would report, without
Terraform, a provider download or network, plus zero-token repairs where the fix is certain.

    validate_texts({"main.tf": text})        -> [Finding, ...]
    validate_paths([Path("out/")])           -> {"out": [Finding, ...]}
    repair_texts({"main.tf": text})          -> ({"main.tf": fixed}, ["main.tf:3: renamed ...", ...])
    provider_version(6)                      -> "6.25.0"
    check_paths_json([Path("out/")])         -> iterator of {"path", "findings"}
"""

from infragen.schema.repair import repair_texts
from infragen.schema.store import provider_version
from infragen.schema.validator import check_paths_json, validate_paths, validate_texts

__all__ = [
    "check_paths_json",
    "provider_version",
    "repair_texts",
    "validate_paths",
    "validate_texts",
]
