"""What data sources return at plan time, offline.

`terraform plan` reads data sources against AWS. Offline we compute the ones that need no AWS
call (`aws_iam_policy_document`, `aws_region`, `aws_partition`) exactly as the AWS provider does,
and give account-specific ones (`aws_caller_identity`, `aws_availability_zones`, ids of looked-up
objects) documented placeholder values, so that values built from them stay known, as they would
be in a real plan.
"""

from __future__ import annotations

import json
from typing import Any

from infragen.intent.values import UNKNOWN, is_known

PLACEHOLDER_ACCOUNT = "123456789012"


def _string_or_list(values: list[Any]) -> Any:
    """The AWS provider writes a one-element set as a bare string."""
    return values[0] if len(values) == 1 else list(values)


def _principals(blocks: list[dict[str, Any]]) -> Any:
    if any(b.get("type") == "*" for b in blocks):
        return "*"
    out: dict[str, Any] = {}
    for block in blocks:
        identifiers = list(block.get("identifiers") or [])
        kind = block.get("type", "AWS")
        merged = (
            [out[kind]] if isinstance(out.get(kind), str) else out.get(kind, [])
        ) + identifiers
        out[kind] = _string_or_list(merged)
    return out


def _condition(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, dict[str, Any]] = {}
    for block in blocks:
        test = out.setdefault(block.get("test", ""), {})
        test[block.get("variable", "")] = _string_or_list(list(block.get("values") or []))
    return out


def _statement(block: dict[str, Any]) -> dict[str, Any]:
    statement: dict[str, Any] = {}
    if block.get("sid"):
        statement["Sid"] = block["sid"]
    statement["Effect"] = block.get("effect") or "Allow"
    for key, name in (
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ):
        if block.get(key):
            statement[name] = _string_or_list(list(block[key]))
    for key, name in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        if block.get(key):
            statement[name] = _principals(block[key])
    if block.get("condition"):
        statement["Condition"] = _condition(block["condition"])
    return statement


def iam_policy_document(config: dict[str, Any]) -> Any:
    """The `json` attribute of aws_iam_policy_document for known arguments, else UNKNOWN."""
    if not is_known(config):
        return UNKNOWN
    statements: list[dict[str, Any]] = []
    for source in config.get("source_policy_documents") or []:
        statements.extend(json.loads(source).get("Statement", []))
    own = [_statement(b) for b in config.get("statement") or []]
    sids = {s.get("Sid") for s in own if s.get("Sid")}
    statements = [s for s in statements if s.get("Sid") not in sids] + own
    for override in config.get("override_policy_documents") or []:
        for stmt in json.loads(override).get("Statement", []):
            statements = [
                s for s in statements if not stmt.get("Sid") or s.get("Sid") != stmt["Sid"]
            ]
            statements.append(stmt)
    document: dict[str, Any] = {"Version": config.get("version") or "2012-10-17"}
    if config.get("policy_id"):
        document["Id"] = config["policy_id"]
    document["Statement"] = statements
    text = json.dumps(document, indent=2, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def data_source_values(
    rtype: str, name: str, config: dict[str, Any], region: str
) -> dict[str, Any]:
    """Attributes a data source has after being read at plan time, on top of its arguments."""
    values = dict(config)
    if rtype == "aws_iam_policy_document":
        document = iam_policy_document(config)
        values.update(json=document, minified_json=_minify(document), id=_id_of(document))
    elif rtype == "aws_caller_identity":
        arn = f"arn:aws:iam::{PLACEHOLDER_ACCOUNT}:user/infragen"
        values.update(
            account_id=PLACEHOLDER_ACCOUNT, id=PLACEHOLDER_ACCOUNT, arn=arn, user_id="AIDAINFRAGEN"
        )
    elif rtype == "aws_region":
        chosen = config.get("name") or region
        values.update(name=chosen, id=chosen, endpoint=f"ec2.{chosen}.amazonaws.com")
        values.setdefault("description", chosen)
    elif rtype == "aws_partition":
        values.update(
            partition="aws",
            id="aws",
            dns_suffix="amazonaws.com",
            reverse_dns_prefix="com.amazonaws",
        )
    elif rtype == "aws_availability_zones":
        names = [f"{region}{suffix}" for suffix in "abc"]
        values.update(names=names, zone_ids=[f"use1-az{i}" for i in (1, 2, 4)], id=region)
    else:
        # Looked-up objects: their identity exists at plan time, its exact value is the account's.
        values.setdefault("id", f"{rtype.removeprefix('aws_')}-{name}")
        values.setdefault(
            "arn", f"arn:aws:{rtype.split('_')[1]}:{region}:{PLACEHOLDER_ACCOUNT}:{name}"
        )
    return values


def _minify(document: Any) -> Any:
    if document is UNKNOWN:
        return UNKNOWN
    return json.dumps(json.loads(document), separators=(",", ":"), ensure_ascii=False)


def _id_of(document: Any) -> Any:
    if document is UNKNOWN:
        return UNKNOWN
    import zlib

    return str(zlib.crc32(document.encode()))
