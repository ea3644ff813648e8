"""infragen: plain request in; validated, security-scanned, costed Terraform + Ansible out.

    from infragen import generate
    result = generate("create vpc with rds", offline=True)
    result.status, result.gates, result.cost

Imports are lazy so `infragen --help` does not pay for LangGraph or Checkov.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["GenerationResult", "agenerate", "generate", "stream"]

if TYPE_CHECKING:
    from infragen.api import GenerationResult, agenerate, generate, stream


def __getattr__(name: str) -> Any:
    if name in __all__:
        from infragen import api

        return getattr(api, name)
    raise AttributeError(name)
