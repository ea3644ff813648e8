"""Zero-token repairs: edits applied only where the schema leaves a single possible fix.

Three kinds: a misspelled argument with one close match is renamed; a block written as an
attribute (`versioning = { ... }`) or an attribute written as a block (`tags { ... }`) gets its
`=` removed or added; a missing required argument with a safe default is filled in (a missing
`name` takes the resource's own label, which is what a person would have typed). Repairs loop
until nothing certain is left, since one fix can reveal the next.
"""

from __future__ import annotations

import re

from infragen.schema.issues import Edit, Issue
from infragen.schema.syntax import parse_document
from infragen.schema.validator import analyse_texts

_MAX_ROUNDS = 5
_MISSING = re.compile(r'^The argument "([a-z0-9_]+)" is required, but')


def repair_texts(
    files: dict[str, str], major: int | None = None
) -> tuple[dict[str, str], list[str]]:
    """Apply every certain repair; return the new texts and a human-readable list of what changed."""
    texts = dict(files)
    done: list[str] = []
    for _ in range(_MAX_ROUNDS):
        issues = analyse_texts(texts, major)
        edits = [i.edit for i in issues if i.edit is not None]
        edits.extend(e for e in (_default_for(i, texts) for i in issues) if e is not None)
        if not edits:
            break
        for file in sorted({e.file for e in edits}):
            texts[file], applied = _apply(texts[file], [e for e in edits if e.file == file])
            done.extend(applied)
    return texts, done


def _apply(text: str, edits: list[Edit]) -> tuple[str, list[str]]:
    """Apply non-overlapping edits from the end of the text so earlier offsets stay valid."""
    applied: list[str] = []
    limit = len(text) + 1
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        if edit.end > limit:
            continue  # overlaps an edit already applied; the next round sees it afresh
        text = text[: edit.start] + edit.text + text[edit.end :]
        limit = edit.start
        applied.append(edit.summary)
    return text, applied[::-1]


def _default_for(item: Issue, texts: dict[str, str]) -> Edit | None:
    """An edit inserting `name = "<label>"` into a top-level resource that lacks its name."""
    finding = item.finding
    if (
        finding.rule_id != "schema.missing-required-argument"
        or not finding.file
        or not finding.resource
    ):
        return None
    match = _MISSING.match(finding.message)
    if not match or match.group(1) != "name":
        return None
    text = texts[finding.file]
    root = parse_document(text, finding.file)
    block = next(
        (b for b in root.blocks if b.line == finding.line and b.type in ("resource", "data")), None
    )
    if block is None or len(block.labels) != 2:
        return None
    label = block.labels[1].replace("_", "-")
    indent = "  " + re.match(r"[ \t]*", text[text.rfind("\n", 0, block.name_span[0]) + 1 :]).group(
        0
    )
    closing = "\n" if text[block.open_brace :].lstrip(" \t").startswith("}") else ""
    return Edit(
        finding.file,
        block.open_brace,
        block.open_brace,
        f'\n{indent}name = "{label}"{closing}',
        f'{finding.file}:{finding.line}: added the missing required name = "{label}" to {finding.resource}',
    )
