"""The `configuration` section of `terraform show -json`: expressions as written, not values."""

from __future__ import annotations

from typing import Any

from infragen.intent.evaluator import Evaluator
from infragen.intent.expressions import Expr, TupleExpr
from infragen.intent.module import META_ARGUMENTS, Block, Module, ResourceBlock
from infragen.intent.references import (
    expression_references,
    is_constant,
    reference_subject,
    traversal,
)
from infragen.intent.values import is_known, plain

PROVIDER_SOURCE = "registry.terraform.io/hashicorp/{}"
_SKIPPED_BLOCKS = META_ARGUMENTS | {"dynamic"}
# The AWS provider declares these nested blocks as list attributes ("attributes as blocks"), so
# Terraform marshals all of a resource's blocks of that kind as one attribute expression. Read off
# `terraform providers schema -json` (hashicorp/aws 5.100.0): the SDK resources whose optional
# attributes have a list/set-of-object type. aws_default_network_acl's rules are real blocks there,
# unlike aws_network_acl's, so they are marshalled block by block.
ATTRIBUTES_AS_BLOCKS = {
    "aws_security_group": {"ingress", "egress"},
    "aws_default_security_group": {"ingress", "egress"},
    "aws_network_acl": {"ingress", "egress"},
    "aws_route_table": {"route"},
    "aws_default_route_table": {"route"},
    "aws_emr_cluster": {"step", "placement_group_config"},
}


def marshal_expression(expr: Expr, constant: Evaluator) -> dict[str, Any]:
    """{"constant_value": v} for context-free expressions, {"references": [...]} otherwise."""
    if is_constant(expr):
        value = constant.evaluate(expr)
        return {"constant_value": plain(value)} if is_known(value) else {}
    refs = expression_references(expr)
    return {"references": refs} if refs else {}


def marshal_body(
    block: Block, constant: Evaluator, as_attributes: set[str] = frozenset()
) -> dict[str, Any]:
    out: dict[str, Any] = {
        name: marshal_expression(expr, constant)
        for name, expr in block.attributes.items()
        if name not in META_ARGUMENTS
    }
    for nested in block.blocks:
        if nested.type in as_attributes:
            continue
        if nested.type not in _SKIPPED_BLOCKS:
            out.setdefault(nested.type, []).append(marshal_body(nested, constant))
    for kind in sorted(as_attributes):
        blocks = block.blocks_of(kind)
        if blocks:
            out[kind] = _blocks_as_attribute(blocks, constant)
    return out


def _blocks_as_attribute(blocks: list[Block], constant: Evaluator) -> dict[str, Any]:
    exprs = [e for b in blocks for e in b.attributes.values()]
    if all(is_constant(e) for e in exprs):
        values = [{k: constant.evaluate(v) for k, v in b.attributes.items()} for b in blocks]
        return {"constant_value": plain(values)} if is_known(values) else {}
    refs = [r for e in exprs for r in expression_references(e)]
    return {"references": refs} if refs else {}


def _provisioners(block: Block, constant: Evaluator) -> list[dict[str, Any]]:
    return [
        {"type": p.labels[0] if p.labels else "", "expressions": marshal_body(p, constant)}
        for p in block.blocks_of("provisioner")
    ]


def provider_key(resource: ResourceBlock) -> str:
    expr = resource.block.attributes.get("provider")
    path = traversal(expr) if expr is not None else None
    if path is not None:
        return ".".join([path[0], *(str(key) for _, key in path[1])])
    return resource.type.split("_")[0]


def depends_on(block: Block) -> list[str]:
    expr = block.attributes.get("depends_on")
    if not isinstance(expr, TupleExpr):
        return []
    out = []
    for item in expr.items:
        path = traversal(item)
        subject = reference_subject(*path) if path else None
        if subject:
            out.append(subject[0])
    return out


def marshal_resource(resource: ResourceBlock, constant: Evaluator) -> dict[str, Any]:
    out: dict[str, Any] = {
        "address": resource.address,
        "mode": resource.mode,
        "type": resource.type,
        "name": resource.name,
        "provider_config_key": provider_key(resource),
        "expressions": marshal_body(
            resource.block, constant, ATTRIBUTES_AS_BLOCKS.get(resource.type, set())
        ),
        "schema_version": 0,
    }
    provisioners = _provisioners(resource.block, constant)
    if provisioners:
        out["provisioners"] = provisioners
    for meta in ("count", "for_each"):
        if meta in resource.block.attributes:
            out[f"{meta}_expression"] = marshal_expression(
                resource.block.attributes[meta], constant
            )
    dependencies = depends_on(resource.block)
    if dependencies:
        out["depends_on"] = dependencies
    return out


def provider_config(module: Module, constant: Evaluator) -> dict[str, Any]:
    configs: dict[str, Any] = {}
    names = {p.labels[0] for p in module.providers} | set(module.required_providers)
    names |= {r.type.split("_")[0] for r in module.resources}
    for name in sorted(names):
        required = module.required_providers.get(name, {})
        source = required.get("source", f"hashicorp/{name}")
        entry: dict[str, Any] = {"name": name, "full_name": f"registry.terraform.io/{source}"}
        if "version" in required:
            entry["version_constraint"] = required["version"]
        configs[name] = entry
    for block in module.providers:
        name = block.labels[0]
        alias_expr = block.attributes.get("alias")
        alias = constant.evaluate(alias_expr) if alias_expr is not None else None
        key = f"{name}.{alias}" if isinstance(alias, str) else name
        entry = dict(configs.get(name, {"name": name}))
        if isinstance(alias, str):
            entry["alias"] = alias
        entry["expressions"] = marshal_body(block, constant)
        entry["expressions"].pop("alias", None)
        configs[key] = entry
    return configs


def marshal_variables(module: Module, constant: Evaluator) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, block in module.variables.items():
        entry: dict[str, Any] = {}
        for field in ("default", "description", "sensitive", "nullable"):
            if field in block.attributes:
                value = constant.evaluate(block.attributes[field])
                if is_known(value):
                    entry[field] = plain(value)
        out[name] = entry
    return out


def marshal_outputs(module: Module, constant: Evaluator) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, block in module.outputs.items():
        entry: dict[str, Any] = {}
        if "value" in block.attributes:
            entry["expression"] = marshal_expression(block.attributes["value"], constant)
        for field in ("description", "sensitive"):
            if field in block.attributes:
                entry[field] = plain(constant.evaluate(block.attributes[field]))
        dependencies = depends_on(block)
        if dependencies:
            entry["depends_on"] = dependencies
        out[name] = entry
    return out


def marshal_module_calls(module: Module, constant: Evaluator) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, block in module.module_calls.items():
        source = (
            constant.evaluate(block.attributes["source"]) if "source" in block.attributes else ""
        )
        expressions = {
            k: marshal_expression(v, constant)
            for k, v in block.attributes.items()
            if k not in META_ARGUMENTS | {"source", "version"}
        }
        out[name] = {"source": source, "expressions": expressions, "module": {}}
    return out
