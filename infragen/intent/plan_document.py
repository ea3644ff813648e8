"""An offline stand-in for `terraform show -json` of a plan, built from HCL alone.

Policies written for OPA (IaC-Eval's Rego intents, conftest suites) read three views of a plan:
`configuration` (expressions as written), `planned_values` and `resource_changes` (values, with
anything known only after apply left out). We build all three without providers or credentials:
every resource is planned for creation, attribute values are evaluated from literals, variables,
locals and other resources' literal attributes, and whatever AWS would compute stays unknown.
"""

from __future__ import annotations

from typing import Any

from infragen.intent.configuration import (
    PROVIDER_SOURCE,
    marshal_module_calls,
    marshal_outputs,
    marshal_resource,
    marshal_variables,
    provider_config,
)
from infragen.intent.data_sources import data_source_values
from infragen.intent.evaluator import EvaluationError, Evaluator
from infragen.intent.expressions import Literal
from infragen.intent.module import META_ARGUMENTS, Block, Module, ResourceBlock, load_module
from infragen.intent.values import (
    UNKNOWN,
    ObjectValue,
    is_known,
    plain,
    unknown_marks,
    without_unknowns,
)

FORMAT_VERSION = "1.2"
TERRAFORM_VERSION = "1.9.8"


class _Lazy(ObjectValue):
    """An object whose attributes are computed on first access (var, local, resource types)."""

    def __init__(self, lookup: Any) -> None:
        super().__init__()
        self._lookup = lookup

    def attribute(self, name: str) -> Any:
        return self._lookup(name)


class PlanBuilder:
    def __init__(self, module: Module) -> None:
        self.module = module
        self.evaluator = Evaluator(self._root)
        self.constant = Evaluator(self._no_root)
        self._locals: dict[str, Any] = {}
        self._instances: dict[str, list[tuple[Any, ObjectValue]]] = {}
        self._busy: set[str] = set()
        self.variables = {
            name: self._variable_default(block) for name, block in module.variables.items()
        }
        self.region = self._region()

    # ---- name resolution -------------------------------------------------------------
    def _no_root(self, name: str) -> Any:
        raise EvaluationError(f"{name} needs a context")

    def _root(self, name: str) -> Any:
        if name == "var":
            return _Lazy(lambda n: self.variables[n])
        if name == "local":
            return _Lazy(self._local)
        if name == "path":
            return {"module": ".", "root": ".", "cwd": "."}
        if name == "terraform":
            return {"workspace": "default"}
        if name == "data":
            return _Lazy(lambda rtype: _Lazy(lambda n: self._resource_value(f"data.{rtype}.{n}")))
        if name == "module":
            return _Lazy(lambda n: _Lazy(lambda output: UNKNOWN))
        if any(r.type == name and r.mode == "managed" for r in self.module.resources):
            return _Lazy(lambda n: self._resource_value(f"{name}.{n}"))
        raise EvaluationError(f"unknown name {name}")

    def _variable_default(self, block: Block) -> Any:
        if "default" not in block.attributes:
            return UNKNOWN
        return self.constant.evaluate(block.attributes["default"])

    def _region(self) -> str:
        for block in self.module.providers:
            if (
                block.labels[0] == "aws"
                and "alias" not in block.attributes
                and "region" in block.attributes
            ):
                region = self.evaluator.evaluate(block.attributes["region"])
                if isinstance(region, str):
                    return region
        return "us-east-1"

    def _local(self, name: str) -> Any:
        if name not in self._locals:
            if name not in self.module.locals:
                raise EvaluationError(f"no local {name}")
            self._locals[name] = UNKNOWN  # a self-referencing local stays unknown
            self._locals[name] = self.evaluator.evaluate(self.module.locals[name])
        return self._locals[name]

    # ---- resources ----------------------------------------------------------------------
    def _resource_value(self, address: str) -> Any:
        resource = self.module.resource(address)
        if resource is None:
            raise EvaluationError(f"no resource {address}")
        instances = self.instances(resource)
        attrs = resource.block.attributes
        if "count" in attrs:
            return [value for _, value in instances]
        if "for_each" in attrs:
            return {key: value for key, value in instances}
        return instances[0][1] if instances else ObjectValue()

    def instances(self, resource: ResourceBlock) -> list[tuple[Any, ObjectValue]]:
        """(index key, attribute values) per instance; index is None without count/for_each."""
        address = resource.address
        if address in self._instances:
            return self._instances[address]
        if address in self._busy:
            return [(None, ObjectValue())]
        self._busy.add(address)
        try:
            result = [
                (key, self._instance_values(resource, scope))
                for key, scope in self._expand(resource)
            ]
        finally:
            self._busy.discard(address)
        self._instances[address] = result
        return result

    def _expand(self, resource: ResourceBlock) -> list[tuple[Any, dict[str, Any]]]:
        attrs = resource.block.attributes
        if "count" in attrs:
            count = self.evaluator.evaluate(attrs["count"])
            count = (
                int(count) if isinstance(count, int | float) and not isinstance(count, bool) else 1
            )
            return [(i, {"count": {"index": i}}) for i in range(count)]
        if "for_each" in attrs:
            each = self.evaluator.evaluate(attrs["for_each"])
            if isinstance(each, list):
                each = {str(v): v for v in each if is_known(v)}
            if isinstance(each, dict):
                return [(k, {"each": {"key": k, "value": v}}) for k, v in each.items()]
            return [("unknown", {"each": {"key": UNKNOWN, "value": UNKNOWN}})]
        return [(None, {})]

    def _instance_values(self, resource: ResourceBlock, scope: dict[str, Any]) -> ObjectValue:
        values = ObjectValue(self._body_values(resource.block, scope))
        if resource.mode == "data":
            values = ObjectValue(
                data_source_values(resource.type, resource.name, values, self.region)
            )
        return values

    def _body_values(self, block: Block, scope: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {
            name: self.evaluator.evaluate(expr, scope)
            for name, expr in block.attributes.items()
            if name not in META_ARGUMENTS
        }
        for nested in block.blocks:
            if nested.type == "dynamic" and nested.labels:
                out.setdefault(nested.labels[0], []).extend(self._dynamic(nested, scope))
            elif nested.type not in META_ARGUMENTS:
                out.setdefault(nested.type, []).append(self._body_values(nested, scope))
        return out

    def _dynamic(self, block: Block, scope: dict[str, Any]) -> list[Any]:
        collection = self.evaluator.evaluate(block.attributes.get("for_each", Literal([])), scope)
        if collection is UNKNOWN:
            return [UNKNOWN]
        iterator = block.labels[0]
        if "iterator" in block.attributes:
            iterator = getattr(block.attributes["iterator"], "name", iterator)
        pairs = collection.items() if isinstance(collection, dict) else enumerate(collection)
        content = next((b for b in block.blocks if b.type == "content"), Block("content", []))
        return [
            self._body_values(content, {**scope, iterator: {"key": k, "value": v}})
            for k, v in pairs
        ]

    # ---- document -----------------------------------------------------------------------
    def build(self) -> dict[str, Any]:
        planned, changes, prior = [], [], []
        for resource in self.module.resources:
            for key, values in self.instances(resource):
                known_data = resource.mode == "data" and is_known(values)
                entry = self._instance_entry(resource, key)
                if known_data:
                    prior.append({**entry, "values": plain(values), "sensitive_values": {}})
                    continue
                after = plain(without_unknowns(values))
                marks = unknown_marks(values)
                if resource.mode == "managed" and "id" not in values:
                    marks = {**marks, "id": True}
                planned.append(
                    {**entry, "schema_version": 0, "values": after, "sensitive_values": {}}
                )
                action = "create" if resource.mode == "managed" else "read"
                changes.append(
                    {
                        **entry,
                        "change": {
                            "actions": [action],
                            "before": None,
                            "after": after,
                            "after_unknown": marks,
                            "before_sensitive": False,
                            "after_sensitive": {},
                        },
                    }
                )
        # Terraform lists resources sorted by address, and policies pair lists by position.
        planned.sort(key=_address_order)
        changes.sort(key=_address_order)
        document: dict[str, Any] = {
            "format_version": FORMAT_VERSION,
            "terraform_version": TERRAFORM_VERSION,
            "variables": {n: {"value": plain(v)} for n, v in self.variables.items() if is_known(v)},
            "planned_values": {"outputs": self._outputs(), "root_module": {"resources": planned}},
            "resource_changes": changes,
            "configuration": self._configuration(),
            "applyable": True,
            "complete": True,
            "errored": False,
        }
        if prior:
            document["prior_state"] = {
                "format_version": "1.0",
                "terraform_version": TERRAFORM_VERSION,
                "values": {"root_module": {"resources": prior}},
            }
        return document

    def _instance_entry(self, resource: ResourceBlock, key: Any) -> dict[str, Any]:
        entry: dict[str, Any] = {"address": resource.address, "mode": resource.mode}
        if key is not None:
            entry["address"] += f'["{key}"]' if isinstance(key, str) else f"[{key}]"
        entry.update(type=resource.type, name=resource.name)
        if key is not None:
            entry["index"] = key
        entry["provider_name"] = PROVIDER_SOURCE.format(resource.type.split("_")[0])
        return entry

    def _outputs(self) -> dict[str, Any]:
        out = {}
        for name, block in self.module.outputs.items():
            value = self.evaluator.evaluate(block.attributes.get("value", Literal(None)))
            sensitive = self.constant.evaluate(block.attributes.get("sensitive", Literal(False)))
            entry: dict[str, Any] = {"sensitive": sensitive is True}
            if is_known(value):
                entry["value"] = plain(value)
            out[name] = entry
        return out

    def _configuration(self) -> dict[str, Any]:
        root: dict[str, Any] = {}
        if self.module.outputs:
            root["outputs"] = marshal_outputs(self.module, self.constant)
        ordered = sorted(self.module.resources, key=lambda r: (r.mode != "managed", r.address))
        root["resources"] = [marshal_resource(r, self.constant) for r in ordered]
        if self.module.module_calls:
            root["module_calls"] = marshal_module_calls(self.module, self.constant)
        if self.module.variables:
            root["variables"] = marshal_variables(self.module, self.constant)
        return {"provider_config": provider_config(self.module, self.constant), "root_module": root}


def _address_order(entry: dict[str, Any]) -> tuple[str, str, Any]:
    index = entry.get("index")
    key = (0, index, "") if isinstance(index, int) else (1, 0, str(index or ""))
    return (entry["mode"] != "managed", entry["type"] + "." + entry["name"], key)


def build_plan_document(files: dict[str, str]) -> dict[str, Any]:
    """Build a `terraform show -json`-shaped plan from {path: HCL text}; raises HclParseError."""
    return PlanBuilder(load_module(files)).build()
