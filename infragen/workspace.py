"""Materialising the in-memory project on disk: the gates' scratch copy and the final output.

Writes are atomic (temporary file + rename) and confined to the target directory.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from infragen.files import sanitise_path


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_files(root: Path, files: dict[str, str]) -> list[str]:
    """Write {relative path: text} under root; every path is sanitised again on the way out."""
    root = root.resolve()
    written = []
    for rel, text in sorted(files.items()):
        target = (root / sanitise_path(rel)).resolve()
        if not target.is_relative_to(root):  # defence in depth after sanitising
            raise ValueError(f"refused to write outside {root}: {rel}")
        write_atomic(target, text)
        written.append(rel)
    return written


def sync_scratch(root: Path, files: dict[str, str]) -> Path:
    """Make `root` hold exactly `files` (the gates must not see stale files from an earlier attempt)."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    write_files(root, files)
    return root


def subset(files: dict[str, str], prefix: str) -> dict[str, str]:
    return {p: t for p, t in files.items() if p.startswith(prefix)}
