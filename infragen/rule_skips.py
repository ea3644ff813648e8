"""Rule skips for `infragen check`, as tflint and Checkov users expect them.

- `--skip RULE` (or `skip = [...]` in the repository's config file): the rule is not reported at
  all (Checkov checks are not even run). Shell-style patterns work: `--skip 'schema.*'`.
- `# infragen:skip=RULE[,RULE...] reason` inside a top-level block, or on the line just above it:
  the rule's findings in that block stay in the report as suppressed (severity info, with the
  reason), so SARIF carries them as suppressed results instead of open alerts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from infragen.domain import Finding, GateResult
from infragen.tools.hcl import matching_brace
from infragen.tools.sarif import SUPPRESSED

_COMMENT = re.compile(r"(?:#|//)\s*infragen:skip=([\w.*\-,]+)[ \t]*(.*)$", re.M)
_TOP_BLOCK = re.compile(r"^[a-z_]+\b[^{}\n]*\{", re.M)


@dataclass(frozen=True, slots=True)
class InlineSkip:
    file: str
    first_line: int
    last_line: int
    rules: tuple[str, ...]
    reason: str

    def covers(self, finding: Finding) -> bool:
        return (
            finding.file is not None
            and Path(finding.file).name == self.file
            and finding.line is not None
            and self.first_line <= finding.line <= self.last_line
            and matches(finding.rule_id, self.rules)
        )


def matches(rule_id: str, patterns: tuple[str, ...] | set[str] | list[str]) -> bool:
    rule = (rule_id or "").upper()
    return any(fnmatchcase(rule, p.upper()) for p in patterns)


def _block_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for head in _TOP_BLOCK.finditer(text):
        close = matching_brace(text, head.end() - 1)
        end = len(text) if close is None else close
        spans.append((text.count("\n", 0, head.start()) + 1, text.count("\n", 0, end) + 1))
    return spans


def inline_skips(directory: Path, texts: dict[str, str]) -> list[InlineSkip]:
    """Every `infragen:skip` comment of the texts, with the lines of the block it covers."""
    found = []
    for name, text in texts.items():
        spans = _block_spans(text)
        for comment in _COMMENT.finditer(text):
            line = text.count("\n", 0, comment.start()) + 1
            inside = [s for s in spans if s[0] <= line <= s[1]]
            below = [s for s in spans if s[0] == line + 1]
            first, last = (inside or below or [(line, line + 1)])[-1]
            rules = tuple(r for r in comment.group(1).split(",") if r)
            found.append(InlineSkip(name, first, last, rules, comment.group(2).strip()))
    return found


def suppressed(finding: Finding, reason: str) -> Finding:
    message = f"{SUPPRESSED}{finding.message}" + (f" ({reason})" if reason else "")
    return finding.model_copy(update={"severity": "info", "message": message})


def apply_skips(
    gate: GateResult,
    skip: set[str],
    inline: list[InlineSkip],
    only_files: frozenset[str] = frozenset(),
) -> GateResult:
    """The gate without `--skip` rules, with inline-skipped findings suppressed, and (for a path
    given as a file) only that file's findings; its status follows what is left."""
    kept = []
    for finding in gate.findings:
        if skip and matches(finding.rule_id, skip):
            continue
        if only_files and (finding.file or "") not in only_files:
            continue
        cover = next((s for s in inline if s.covers(finding)), None)
        kept.append(suppressed(finding, cover.reason) if cover else finding)
    if len(kept) == len(gate.findings) and kept == gate.findings:
        return gate
    status = gate.status
    if status == "failed" and not any(f.severity == "error" for f in kept):
        status = "passed"
    return gate.model_copy(update={"findings": kept, "status": status})
