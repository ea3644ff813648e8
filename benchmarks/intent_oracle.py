"""The real plan as oracle for the offline plan document (used by bench_intent.py --oracle).

For each dev IaC-Eval reference that plans on the emulator (moto, the real hashicorp/aws provider
from the local mirror), compare the offline plan document with `terraform show -json`:
- resources: the managed resource addresses in `planned_values` (child modules included);
- values: for addresses in both, every attribute the real plan knows (not null, not unknown)
  that the offline document also sets, compared for equality;
- Rego: the task's own intent policy evaluated on both documents.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from infragen.intent.plan_document import build_plan_document
from infragen.intent.rego import evaluate_rego
from infragen.tools.terraform_emulation import emulate


def planned_resources(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{address: values} of the managed resources of a plan's `planned_values`."""
    found: dict[str, dict[str, Any]] = {}
    pending = [(plan.get("planned_values") or {}).get("root_module") or {}]
    while pending:
        module = pending.pop()
        for resource in module.get("resources", []):
            if resource.get("mode") == "managed":
                found[resource["address"]] = resource.get("values") or {}
        pending += module.get("child_modules", [])
    return found


def _unknown_keys(plan: dict[str, Any]) -> dict[str, set[str]]:
    return {
        rc["address"]: {
            k for k, v in (rc.get("change", {}).get("after_unknown") or {}).items() if v
        }
        for rc in plan.get("resource_changes", [])
    }


def compare(offline: dict[str, Any], real: dict[str, Any]) -> dict[str, Any]:
    ours, theirs = planned_resources(offline), planned_resources(real)
    unknown = _unknown_keys(real)
    shared = sorted(set(ours) & set(theirs))
    checked = agreed = 0
    differing: list[str] = []
    for address in shared:
        for key, value in theirs[address].items():
            if value is None or key in unknown.get(address, set()) or key not in ours[address]:
                continue
            if ours[address][key] is None:
                continue
            checked += 1
            if ours[address][key] == value:
                agreed += 1
            elif len(differing) < 5:
                differing.append(f"{address}.{key}: {ours[address][key]!r} != {value!r}"[:200])
    return {
        "real_resources": len(theirs),
        "offline_resources": len(ours),
        "shared_resources": len(shared),
        "only_real": sorted(set(theirs) - set(ours))[:5],
        "only_offline": sorted(set(ours) - set(theirs))[:5],
        "values_checked": checked,
        "values_agreed": agreed,
        "differing": differing,
    }


def oracle_row(task) -> dict[str, Any]:
    row: dict[str, Any] = {"id": task.id}
    with tempfile.TemporaryDirectory(prefix="oracle-") as tmp:
        (Path(tmp) / "main.tf").write_text(task.reference_output, encoding="utf-8")
        started = time.monotonic()
        gate = emulate(Path(tmp), apply=False)
        row["plan_s"] = round(time.monotonic() - started, 1)
    row["emulator"] = gate.status
    if gate.status != "passed" or not gate.plan_json:
        row["reason"] = (gate.reason or "")[:200]
        row["errors"] = [f.message[:200] for f in gate.findings if f.severity == "error"][:2]
        return row
    try:
        offline = build_plan_document({"main.tf": task.reference_output})
    except Exception as exc:  # noqa: BLE001 - the offline builder's own failure is a result
        row["offline_error"] = str(exc)[:200]
        return row
    row |= compare(offline, gate.plan_json)
    on_offline = evaluate_rego(task.rego_intent, offline)
    on_real = evaluate_rego(task.rego_intent, gate.plan_json)
    row["rego_offline"], row["rego_real"] = on_offline.passed, on_real.passed
    if on_offline.passed != on_real.passed:
        row["rego_detail"] = {
            "offline": (on_offline.error or ", ".join(on_offline.false_rules[:5]))[:200],
            "real": (on_real.error or ", ".join(on_real.false_rules[:5]))[:200],
        }
    return row


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    planned = [r for r in rows if "rego_real" in r]
    real_pass = [r for r in planned if r["rego_real"]]
    both = [r for r in real_pass if r["rego_offline"]]
    checked = sum(r["values_checked"] for r in planned)
    return {
        "tasks": len(rows),
        "planned_on_emulator": len(planned),
        "not_planned": len([r for r in rows if r.get("emulator") != "passed"]),
        "resource_sets_equal": sum(
            r["shared_resources"] == r["real_resources"] == r["offline_resources"] for r in planned
        ),
        "values_checked": checked,
        "values_agreed": sum(r["values_agreed"] for r in planned),
        "value_agreement": round(sum(r["values_agreed"] for r in planned) / checked, 4)
        if checked
        else None,
        "rego_agreement": round(
            sum(r["rego_offline"] == r["rego_real"] for r in planned) / len(planned), 4
        )
        if planned
        else None,
        "real_plan_passes": len(real_pass),
        "offline_passes_of_those": len(both),
        "offline_reach": round(len(both) / len(real_pass), 4) if real_pass else None,
        "median_plan_s": sorted(r["plan_s"] for r in rows)[len(rows) // 2] if rows else None,
    }


def answer_tasks(data: Path | None, limit: int) -> list[Any]:
    """Real model answers as oracle material the plan document was not developed on: per dev
    task row, the first labelled answer that real validate passed and that is not the reference
    itself, with the task's Rego (in the labelled file's order)."""
    from types import SimpleNamespace

    from infragen.evaluation.dataset import load_labelled, load_tasks
    from infragen.files import extract_files

    tasks = {t.row: t for t in load_tasks("dev", data)}
    chosen: dict[int, Any] = {}
    for answer in load_labelled(data):
        task = tasks.get(answer["row"])
        if task is None or answer["row"] in chosen or not answer.get("validate_ok"):
            continue
        files = extract_files(answer["llm_output"]).files
        code = "\n".join(f.content for f in files if f.path.endswith(".tf"))
        if code and code.strip() != task.reference_output.strip():
            chosen[answer["row"]] = SimpleNamespace(
                id=f"row{answer['row']}:{answer['model']}",
                reference_output=code,
                rego_intent=task.rego_intent,
            )
        if len(chosen) >= limit:
            break
    return list(chosen.values())
