"""The file-block format models and the offline backend use to return a multi-file project.

    <<<FILE terraform/main.tf>>>
    ...content...
    <<<END>>>

It needs no escaping (unlike JSON), costs few tokens and is unambiguous. Markdown fences headed by a
file name are accepted too, because models drift towards them.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from infragen.domain import GeneratedFile
from infragen.errors import InfragenError

ALLOWED_SUFFIXES = (".tf", ".tfvars", ".yml", ".yaml", ".md", ".cfg", ".j2", ".json", ".tpl")
MAX_FILE_BYTES = 256 * 1024
MAX_FILES = 64

_BLOCK = re.compile(r"<<<FILE\s+(?P<path>[^>\n]+?)\s*>>>\n(?P<body>.*?)(?:\n)?<<<END>>>", re.S)
_FENCED = re.compile(
    r"(?:^|\n)(?:#+\s*|\*\*|File:\s*|`)(?P<path>[\w./-]+\.\w+)`?\**\s*\n```[\w-]*\n(?P<body>.*?)\n```",
    re.S,
)


class UnsafePathError(InfragenError):
    """A model proposed a file name that would escape the project or is not an allowed type."""


def sanitise_path(path: str, *, default_dir: str = "terraform") -> str:
    """Return a safe relative POSIX path or raise UnsafePathError; bare names go under `default_dir`."""
    cleaned = path.strip().replace("\\", "/")
    pure = PurePosixPath(cleaned)
    if not cleaned or pure.is_absolute() or re.match(r"^[A-Za-z]:", cleaned):
        raise UnsafePathError(f"refused file name {path!r}: absolute paths are not allowed")
    if any(part in ("..", "") or part.startswith(".") for part in pure.parts):
        raise UnsafePathError(f"refused file name {path!r}: '..' and hidden parts are not allowed")
    if any(ord(c) < 32 for c in cleaned) or len(cleaned) > 200:
        raise UnsafePathError(f"refused file name {path!r}: control characters or too long")
    if not cleaned.endswith(ALLOWED_SUFFIXES):
        raise UnsafePathError(
            f"refused file name {path!r}: allowed types are {', '.join(ALLOWED_SUFFIXES)}"
        )
    if len(pure.parts) == 1:
        pure = PurePosixPath(default_dir) / pure
    return str(pure)


def format_files(files: list[GeneratedFile]) -> str:
    return "\n".join(f"<<<FILE {f.path}>>>\n{f.content.rstrip()}\n<<<END>>>" for f in files) + "\n"


def parse_files(text: str, *, default_dir: str = "terraform") -> list[GeneratedFile]:
    """Extract files from a model answer. Later blocks for the same path replace earlier ones."""
    matches = list(_BLOCK.finditer(text)) or list(_FENCED.finditer(text))
    files: dict[str, str] = {}
    for m in matches[:MAX_FILES]:
        path = sanitise_path(m.group("path"), default_dir=default_dir)
        body = m.group("body").rstrip() + "\n"
        if len(body.encode()) > MAX_FILE_BYTES:
            raise UnsafePathError(f"refused file {path}: larger than {MAX_FILE_BYTES} bytes")
        files[path] = body
    return [GeneratedFile(path=p, content=c) for p, c in files.items()]
