"""Checks on the raw request text, before any token is spent."""

from __future__ import annotations

import re
import unicodedata

from infragen.errors import BadRequestError

_DESTRUCTIVE = re.compile(
    r"\b(destroy|delete|drop|wipe|erase|terminate|nuke|remove)\b.{0,40}\b(all|every|my|the|existing|production|prod)\b",
    re.I,
)


def check_request(text: str, *, max_chars: int = 4000) -> str:
    """Return the normalised request or raise BadRequestError with a one-line reason and fix."""
    if not text or not text.strip():
        raise BadRequestError(
            "the request is empty", 'say what to build, e.g. infragen "create vpc with rds"'
        )
    if "\ufffd" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise BadRequestError("the request is not valid UTF-8", "pass plain UTF-8 text")
    controls = [c for c in text if unicodedata.category(c) == "Cc" and c not in "\n\t"]
    if controls:
        raise BadRequestError(
            f"the request contains {len(controls)} control character(s)",
            "remove escape sequences and other control characters",
        )
    if len(text) > max_chars:
        raise BadRequestError(
            f"the request is {len(text)} characters, over the {max_chars} limit",
            "shorten it or raise INFRAGEN_MAX_REQUEST_CHARS",
        )
    if _DESTRUCTIVE.search(text):
        raise BadRequestError(
            "infragen only writes new infrastructure code; it does not destroy or delete resources",
            "ask for what to build instead",
        )
    return " ".join(text.split())


def slugify(text: str, *, limit: int = 48) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "project"
