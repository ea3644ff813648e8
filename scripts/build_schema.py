"""Build the offline AWS provider schema that infragen.schema ships as package data.

Source: the PyPI package `cdktf-cdktf-provider-aws` (Apache-2.0). Its wheel holds a jsii assembly
(`.jsii`) and the generated JavaScript. The assembly gives, per resource and data source, the
config interface: which arguments are optional, whether a nested block is a single object
(max one) or a list, and docs links whose anchors are the snake_case Terraform names. The
JavaScript adds what the assembly lacks: list vs set nesting, block vs nested attribute
(`isBlock`), collection types, and the `computed: true, optional: false` comments that mark
read-only exported attributes. The 59 MB package is only needed here, never at run time.

Usage (re-runnable; downloads with pip into a temporary folder unless --wheel is given):
    python scripts/build_schema.py                     # both majors
    python scripts/build_schema.py --major 6 --wheel /tmp/x/cdktf_...whl
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path
from typing import Any

# cdktf package version -> the AWS provider version it was generated from.
PACKAGES = {5: "19.65.1", 6: "21.22.1"}
OUT_DIR = Path(__file__).resolve().parents[1] / "infragen" / "data" / "schema"

_LINK = re.compile(
    r"\{@link https://registry\.terraform\.io/providers/hashicorp/aws/([\w.]+)/docs/"
    r"(resources|data-sources)/\S+ (\S+)\}"
)
_ANCHOR = re.compile(r"\{@link https://registry\.terraform\.io/\S+#([A-Za-z0-9_]+) ")
_HCL_FUNC = re.compile(r"^function (\w+)ToHclTerraform\(struct\) \{$(.*?)^\}$", re.M | re.S)
_HCL_CLASS = re.compile(r"synthesizeHclAttributes\(\) \{$(.*?)^    \}$", re.M | re.S)
_HCL_ENTRY = re.compile(
    r"^\s+([a-z0-9_]+): \{\s*value: [^\n]*\n\s*isBlock: (true|false),\s*"
    r'type: "(\w+)",\s*storageClassType: "(\w+)",',
    re.M,
)
_CLASS = re.compile(r"^class (\w+) extends cdktf\.(\w+) \{$", re.M)
_COMPUTED_ONLY = re.compile(r"// ([a-z0-9_]+) - computed: true, optional: false, required: false")
_PRIMITIVES = {"string": "string", "number": "number", "boolean": "bool", "any": "any"}


def fetch_wheel(version: str, into: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "-q",
            "-d",
            str(into),
            f"cdktf-cdktf-provider-aws=={version}",
        ],
        check=True,
    )
    return next(into.glob(f"cdktf_cdktf_provider_aws-{version}-*.whl"))


def read_package(wheel: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the jsii assembly and {lib folder: index.js text} from the wheel's npm tarball."""
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".jsii.tgz"))
        blob = zf.read(name)
    assembly: dict[str, Any] = {}
    scripts: dict[str, str] = {}
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
        for member in tar:
            if member.name == "package/.jsii":
                assembly = json.load(tar.extractfile(member))  # type: ignore[arg-type]
            elif member.name.startswith("package/lib/") and member.name.endswith("/index.js"):
                folder = member.name.split("/")[2]
                scripts[folder] = tar.extractfile(member).read().decode()  # type: ignore[union-attr]
    return assembly, scripts


def hcl_entries(js: str) -> dict[str, dict[str, tuple[bool, str, str]]]:
    """{struct or class name: {snake name: (is_block, type, storage class)}} from one index.js."""
    out: dict[str, dict[str, tuple[bool, str, str]]] = {}
    for func, body in _HCL_FUNC.findall(js):
        struct = func[0].upper() + func[1:]
        out[struct] = {m[0]: (m[1] == "true", m[2], m[3]) for m in _HCL_ENTRY.findall(body)}
    classes = list(_CLASS.finditer(js))
    for i, match in enumerate(classes):
        if match.group(2) not in ("TerraformResource", "TerraformDataSource"):
            continue
        end = classes[i + 1].start() if i + 1 < len(classes) else len(js)
        segment = js[match.end() : end]
        body = _HCL_CLASS.search(segment)
        entries = (
            {m[0]: (m[1] == "true", m[2], m[3]) for m in _HCL_ENTRY.findall(body.group(1))}
            if body
            else {}
        )
        out[match.group(1)] = entries
        out["#computed:" + match.group(1)] = {
            n: (False, "", "") for n in _COMPUTED_ONLY.findall(segment)
        }
    return out


def attribute_type(kind: str, storage: str) -> str:
    """Terraform-ish type text from cdktf's (type, storageClassType)."""
    if kind == "simple":
        return _PRIMITIVES.get(storage, "any")
    if kind == "struct":
        return "object"
    element = storage
    for suffix in ("List", "Map"):
        if element.endswith(suffix) and element[: -len(suffix)] in ("string", "number", "boolean"):
            element = _PRIMITIVES[element[: -len(suffix)]]
            break
    else:
        element = "any" if element[:1].islower() else "object"
    return f"{kind}({element})"


def snake_name(prop: dict[str, Any]) -> str:
    docs = prop.get("docs", {})
    found = _ANCHOR.search(docs.get("summary", "") + " " + docs.get("remarks", ""))
    if found:
        return found.group(1)
    return re.sub(r"(?<!^)(?=[A-Z])", "_", prop["name"]).lower()


def nested_fqn(type_ref: dict[str, Any]) -> tuple[str | None, bool]:
    """(struct fqn, is single object) for a block-typed property, else (None, False)."""
    if "fqn" in type_ref:
        return type_ref["fqn"], True
    for option in type_ref.get("union", {}).get("types", []):
        element = option.get("collection", {}).get("elementtype", {})
        if "fqn" in element:
            return element["fqn"], False
    return None, False


def build_block(
    fqn: str,
    types: dict[str, Any],
    hcl: dict[str, dict[str, tuple[bool, str, str]]],
    entries: dict[str, tuple[bool, str, str]] | None = None,
) -> dict[str, Any]:
    """Compact block schema: {"a": {name: [type, "r"|"o"]}, "b": {name: [mode, min, max, block]}}.

    `entries` overrides the JavaScript facts for the top level, which live on the resource class
    rather than on a struct function named after the config interface.
    """
    iface = types[fqn]
    if entries is None:
        entries = hcl.get(iface["name"], {})
    attrs: dict[str, list[Any]] = {}
    blocks: dict[str, list[Any]] = {}
    for prop in iface.get("properties", []):
        name = snake_name(prop)
        is_block, kind, storage = entries.get(name, (False, "simple", "any"))
        required = not prop.get("optional", False)
        child, single = nested_fqn(prop["type"])
        if is_block and child and child in types:
            blocks[name] = [
                kind if kind in ("list", "set") else "single",
                1 if required else 0,
                1 if single else 0,
                build_block(child, types, hcl),
            ]
        else:
            attrs[name] = [attribute_type(kind, storage), "r" if required else "o"]
    block: dict[str, Any] = {"a": attrs}
    if blocks:
        block["b"] = blocks
    return block


def build_schema(assembly: dict[str, Any], scripts: dict[str, str]) -> dict[str, Any]:
    types = assembly["types"]
    hcl: dict[str, dict[str, tuple[bool, str, str]]] = {}
    for js in scripts.values():
        hcl.update(hcl_entries(js))
    schema: dict[str, Any] = {"resources": {}, "data_sources": {}}
    version = ""
    for cls in types.values():
        if cls.get("base") not in ("cdktf.TerraformResource", "cdktf.TerraformDataSource"):
            continue
        link = _LINK.search(cls["docs"].get("summary", ""))
        config = next(p for p in cls["initializer"]["parameters"] if p["name"] == "config")["type"][
            "fqn"
        ]
        if not link:
            raise SystemExit(f"no registry link on {cls['fqn']}")
        version, kind, tf_type = link.groups()
        block = build_block(config, types, hcl, hcl.get(cls["name"], {}))
        computed = sorted(hcl.get("#computed:" + cls["name"], {}))
        if computed:
            block["c"] = computed
        schema["resources" if kind == "resources" else "data_sources"][tf_type] = block
    schema["provider_version"] = version
    return schema


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--major", type=int, choices=sorted(PACKAGES), action="append")
    parser.add_argument(
        "--wheel", type=Path, help="use this wheel instead of downloading (one --major)"
    )
    args = parser.parse_args()
    majors = args.major or sorted(PACKAGES)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for major in majors:
        with tempfile.TemporaryDirectory() as tmp:
            wheel = args.wheel or fetch_wheel(PACKAGES[major], Path(tmp))
            schema = build_schema(*read_package(wheel))
        if not schema["provider_version"].startswith(f"{major}."):
            raise SystemExit(
                f"package {wheel.name} describes provider {schema['provider_version']}, not {major}.x"
            )
        schema["source"] = f"cdktf-cdktf-provider-aws=={PACKAGES[major]}"
        data = json.dumps(schema, separators=(",", ":"), sort_keys=True).encode()
        target = OUT_DIR / f"aws-{major}.json.gz"
        target.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
        print(
            f"{target.name}: provider {schema['provider_version']}, {len(schema['resources'])} resources, "
            f"{len(schema['data_sources'])} data sources, {len(data) / 1e6:.1f} MB -> {target.stat().st_size / 1e6:.2f} MB"
        )


if __name__ == "__main__":
    main()
