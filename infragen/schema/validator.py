"""Validate a Terraform module (its *.tf texts) against the offline AWS provider schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from infragen.domain import Finding
from infragen.schema.issues import Issue, did_you_mean, issue
from infragen.schema.references import Declarations, ReferenceChecker, traversals_of
from infragen.schema.rules import DATA_META_BLOCKS, RESOURCE_META_BLOCKS, BodyChecker
from infragen.schema.store import ProviderSchema, load
from infragen.schema.syntax import Block, parse_document
from infragen.schema.version import pick_major, version_gap
from infragen.tools.hcl import HclParseError

TOP_LEVEL_BLOCKS = {
    "terraform",
    "provider",
    "resource",
    "data",
    "variable",
    "output",
    "locals",
    "module",
    "moved",
    "import",
    "check",
    "removed",
}
# Blocks whose references name addresses, not values, or are evaluated elsewhere.
_NO_REFERENCE_CHECK = {"terraform", "moved", "import", "removed", "variable"}


def analyse_texts(files: dict[str, str], major: int | None = None) -> list[Issue]:
    """All schema issues of one module given as {relative path: text}; only *.tf files count."""
    documents: dict[str, tuple[Block, str]] = {}
    issues: list[Issue] = []
    for file, text in sorted(files.items()):
        if not file.endswith(".tf"):
            continue
        try:
            documents[file] = (parse_document(text, file), text)
        except HclParseError as exc:
            issues.append(issue("parse-error", file, exc.line, f"HCL syntax error: {exc.message}"))
    schema = load(major or pick_major([root for root, _ in documents.values()]))
    declared = Declarations()
    for root, _ in documents.values():
        declared.add_document(root)
    references = ReferenceChecker(schema, declared)
    for file, (root, _) in documents.items():
        issues.extend(_check_document(file, root, schema, references))
    gap = version_gap([root for root, _ in documents.values()], schema.version)
    if gap:
        issues = [_newer_than_schema(i, gap, schema.version) for i in issues]
    return _unique(issues)


# What a newer provider may add: names the shipped schema does not know yet.
GAP_RULES = {
    "schema.unknown-argument",
    "schema.unknown-block",
    "schema.unknown-resource-type",
    "schema.unknown-data-source",
    "schema.unknown-attribute-reference",
    "schema.attribute-as-block",
    "schema.block-as-attribute",
    "schema.missing-required-argument",
    "schema.missing-required-block",
}


def _newer_than_schema(item: Issue, gap: str, version: str) -> Issue:
    """An unknown name in a configuration that needs a newer provider is a warning, never
    repaired: the provider it asks for may well have it."""
    if item.finding.rule_id not in GAP_RULES:
        return item
    message = (
        f"{item.finding.message} (the configuration needs {gap}; the offline schema describes "
        f"{version}, so this may be newer than the schema)"
    )
    return Issue(item.finding.model_copy(update={"severity": "warning", "message": message}))


def _check_document(
    file: str, root: Block, schema: ProviderSchema, references: ReferenceChecker
) -> list[Issue]:
    issues: list[Issue] = []
    for attr in root.attributes:
        issues.append(
            issue(
                "unknown-top-level",
                file,
                attr.line,
                f'An argument named "{attr.name}" is not expected at the top level of a configuration.',
            )
        )
    for block in root.blocks:
        if block.type not in TOP_LEVEL_BLOCKS:
            issues.append(
                issue(
                    "unknown-top-level",
                    file,
                    block.line,
                    f'Blocks of type "{block.type}" are not expected here.'
                    f"{did_you_mean(block.type, TOP_LEVEL_BLOCKS)}",
                )
            )
            continue
        resource = None
        if block.type in ("resource", "data") and len(block.labels) == 2:
            resource = ("data." if block.type == "data" else "") + ".".join(block.labels)
            issues.extend(_check_body(file, block, schema, resource))
        if block.type not in _NO_REFERENCE_CHECK:
            for line, traversal in traversals_of(block):
                found = references.check(file, line, traversal, resource)
                if found is not None:
                    issues.append(found)
    return issues


def _check_body(file: str, block: Block, schema: ProviderSchema, resource: str) -> list[Issue]:
    mode = "data" if block.type == "data" else "resource"
    type_name = block.labels[0]
    body_schema = schema.lookup(mode, type_name)
    if body_schema is None:
        if not type_name.startswith("aws_"):
            return []  # another provider's type: no schema shipped for it
        noun = "data source" if mode == "data" else "resource type"
        rule = "unknown-data-source" if mode == "data" else "unknown-resource-type"
        return [
            issue(
                rule,
                file,
                block.line,
                f'The AWS provider {schema.version} does not support {noun} "{type_name}".'
                f"{did_you_mean(type_name, schema.types(mode))}",
                resource,
            )
        ]
    checker = BodyChecker(file, resource, type_name)
    checker.check(block, body_schema, DATA_META_BLOCKS if mode == "data" else RESOURCE_META_BLOCKS)
    return checker.issues


def _unique(issues: list[Issue]) -> list[Issue]:
    seen: set[tuple[str | None, int | None, str]] = set()
    out = []
    for item in issues:
        key = (item.finding.file, item.finding.line, item.finding.message)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def validate_texts(files: dict[str, str], major: int | None = None) -> list[Finding]:
    """Schema findings for one module; `major` overrides the version its required_providers pins."""
    return [i.finding for i in analyse_texts(files, major)]


def _module_files(path: Path) -> tuple[dict[str, str], str | None]:
    """The module's texts and, for a file path, the one file to report on."""
    directory, only = (path, None) if path.is_dir() else (path.parent, path.name)
    texts = {
        p.name: p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(directory.glob("*.tf"))
    }
    if only is not None and only not in texts:
        texts[only] = path.read_text(encoding="utf-8", errors="replace")
    return texts, only


def validate_paths(paths: list[Path], major: int | None = None) -> dict[str, list[Finding]]:
    """Findings per given path: a directory is one module; a file is checked with its siblings."""
    results: dict[str, list[Finding]] = {}
    for path in paths:
        texts, only = _module_files(Path(path))
        findings = validate_texts(texts, major)
        results[str(path)] = [f for f in findings if only is None or f.file == only]
    return results


def check_paths_json(paths: list[Path], major: int | None = None) -> Iterator[dict]:
    """One JSON-ready {"path", "findings"} per path, for `infragen check --only schema --format json`."""
    for path, findings in validate_paths(paths, major).items():
        yield {"path": path, "findings": [f.model_dump(exclude_none=True) for f in findings]}
