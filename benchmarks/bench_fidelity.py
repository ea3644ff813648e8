"""Request fidelity: is every detail a request names honoured in the Terraform, declared as not
built, or silently dropped?

Each request of `benchmarks/fidelity/cases.py` goes through the offline parser, planner and
blueprints (the same code `infragen --offline` runs before its gates); the generated files are
parsed with the HCL parser infragen uses, variables and locals are resolved, and each expected
detail is checked. A detail that is not in the code counts as declared only when an assumption
starting with "Not built" names it; otherwise it was silently dropped.

Run: .venv/bin/python benchmarks/bench_fidelity.py [--held-out | --held-out-2] [-v]   (writes .bench/fidelity.json)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.fidelity.cases import DEV, HELD_OUT, HELD_OUT_2  # noqa: E402
from infragen.blueprints.render import render_terraform  # noqa: E402
from infragen.offline import parse_request, plan_spec  # noqa: E402
from infragen.tools.hcl import Inventory, inventory_from_texts  # noqa: E402

_REF = re.compile(r"\$\{(var|local)\.([A-Za-z_][\w-]*)(?:\[(\d+)\])?\}")


def resolve(value: Any, inv: Inventory, depth: int = 0) -> Any:
    """Substitute literal variable defaults and locals into strings, recursively."""
    if depth > 8:
        return value
    if isinstance(value, list):
        return [resolve(v, inv, depth) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, inv, depth) for k, v in value.items()}
    if not isinstance(value, str):
        return value

    def lookup(kind: str, name: str, index: str | None = None) -> Any:
        found = (
            inv.variables.get(name, {}).get("default") if kind == "var" else inv.locals.get(name)
        )
        if index is not None:
            ok = isinstance(found, list) and int(index) < len(found)
            return found[int(index)] if ok else None
        return found

    whole = _REF.fullmatch(value)
    if whole:
        found = lookup(*whole.groups())
        return value if found is None else resolve(found, inv, depth + 1)

    def sub(m: re.Match[str]) -> str:
        found = lookup(m.group(1), m.group(2), m.group(3))
        return m.group(0) if found is None else str(resolve(found, inv, depth + 1))

    return _REF.sub(sub, value)


def _walk(value: Any, path: list[str]) -> list[Any]:
    """Every value at `path`, descending through lists of blocks."""
    if isinstance(value, list):
        return [x for item in value for x in _walk(item, path)]
    if not path:
        return [value]
    if isinstance(value, dict) and path[0] in value:
        return _walk(value[path[0]], path[1:])
    return []


def _same(found: Any, wanted: str) -> bool:
    if isinstance(found, bool):
        return str(found).lower() == wanted.lower()
    if isinstance(found, int | float):
        try:
            return float(wanted) == float(found)
        except ValueError:
            return False
    return str(found) == wanted


def _count(inv: Inventory, rtype: str) -> int:
    return sum((r.count if r.count is not None else 1) for r in inv.of_type(rtype))


def check(expectation: str, inv: Inventory, files: dict[str, str]) -> bool:
    """Whether the generated project honours one expectation (syntax in cases.py)."""
    if expectation.startswith("region="):
        return resolve("${var.region}", inv) == expectation.split("=", 1)[1]
    if expectation.startswith("file "):
        return expectation[5:] in files
    if expectation.startswith("var "):
        name, wanted = expectation[4:].split("=", 1)
        return _same(inv.variables.get(name, {}).get("default"), wanted)
    if expectation.startswith("tag "):
        key, wanted = expectation[4:].split("=", 1)
        provider = resolve(inv.providers.get("aws", {}), inv)
        tags = [t for block in _walk(provider, ["default_tags"]) for t in _walk(block, ["tags"])]
        return any(isinstance(t, dict) and _same(resolve(t.get(key), inv), wanted) for t in tags)
    if expectation.startswith("count "):
        m = re.fullmatch(r"count (\w+)(>=|==)(\d+)", expectation)
        assert m, expectation
        n = _count(inv, m.group(1))
        return n >= int(m.group(3)) if m.group(2) == ">=" else n == int(m.group(3))
    if expectation.startswith("policy~"):
        wanted = expectation.split("~", 1)[1]
        bodies = [
            json.dumps(resolve(r.body, inv))
            for r in inv.resources
            if "policy" in r.type or r.type == "aws_iam_role_policy"
        ]
        return any(wanted in b for b in bodies)
    m = re.fullmatch(r"(\w+)\.([\w.]+)(=|~)(.+)", expectation)
    assert m, expectation
    rtype, path, op, wanted = m.groups()
    for r in inv.of_type(rtype):
        for found in _walk(resolve(r.body, inv), path.split(".")):
            if op == "=" and _same(found, wanted):
                return True
            if op == "~" and wanted in (found if isinstance(found, str) else json.dumps(found)):
                return True
    return False


def score_case(request: str, expectations: list[tuple[str, str]]) -> dict[str, Any]:
    spec = parse_request(request)
    declared_notes = [a.lower() for a in spec.assumptions if a.lower().startswith("not built")]
    files: dict[str, str] = {}
    inv = Inventory()
    refused = bool(spec.unknown) or not spec.components
    if not refused:
        files = {f.path: f.content for f in render_terraform(plan_spec(spec))}
        inv = inventory_from_texts({p: t for p, t in files.items() if p.endswith(".tf")})
    details = []
    for expectation, key in expectations:
        if not refused and check(expectation, inv, files):
            verdict = "honoured"
        elif any(key.lower() in note for note in declared_notes):
            verdict = "declared"
        else:
            verdict = "dropped"
        details.append({"expect": expectation, "verdict": verdict})
    return {"request": request, "refused": refused, "unknown": spec.unknown, "details": details}


def score(cases: list) -> dict[str, Any]:
    rows = [score_case(request, expectations) for request, expectations in cases]
    verdicts = [d["verdict"] for row in rows for d in row["details"]]
    total = len(verdicts)
    return {
        "requests": len(rows),
        "details": total,
        **{v: verdicts.count(v) for v in ("honoured", "declared", "dropped")},
        "honoured_pct": round(100 * verdicts.count("honoured") / total, 1) if total else 0.0,
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", action="store_true", help="score the held-out set (once)")
    parser.add_argument("--held-out-2", action="store_true", help="score the second held-out set")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every unhonoured detail")
    args = parser.parse_args()
    name = "held_out_2" if args.held_out_2 else "held_out" if args.held_out else "dev"
    result = score({"dev": DEV, "held_out": HELD_OUT, "held_out_2": HELD_OUT_2}[name])
    for row in result["rows"]:
        misses = [d for d in row["details"] if d["verdict"] != "honoured"]
        if args.verbose and misses:
            flag = " [refused: " + ", ".join(row["unknown"]) + "]" if row["refused"] else ""
            print(f"- {row['request']}{flag}")
            for d in misses:
                print(f"    {d['verdict']:9} {d['expect']}")
    summary = {k: v for k, v in result.items() if k != "rows"}
    print(f"{name}: " + json.dumps(summary))
    out = ROOT / ".bench" / f"fidelity_{name}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
