"""Terminal presentation: live node progress and the closing summary (rich)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from infragen.state import NODE_ORDER

STATUS_STYLE = {
    "passed": "green",
    "failed": "red",
    "skipped": "yellow",
    "refused": "yellow",
    "error": "red",
}


class Progress:
    """Shows which node is running; a no-op when disabled (CI, JSON output, pipes)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.console = Console(stderr=True)
        self._status = None

    def __enter__(self) -> Progress:
        if self.enabled:
            self._status = self.console.status("clarifier …")
            self._status.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._status is not None:
            self._status.__exit__(*exc)

    def ask(self, questions: list[str]) -> list[str]:
        """Ask the clarifier's questions on the terminal (Enter keeps the default)."""
        if self._status is not None:
            self._status.stop()
        self.console.print(
            "[bold]A few choices before I write the code[/] (Enter keeps the default):"
        )
        answers = [self.console.input(f"  {q} ") for q in questions]
        if self._status is not None:
            self._status.start()
        return answers

    def on_event(self, name: str, data: dict[str, Any]) -> None:
        if not self.enabled or name != "node":
            return
        node = data["node"]
        update = data.get("update") or {}
        gates = ", ".join(f"{g}={v['status']}" for g, v in (update.get("gates") or {}).items())
        self.console.print(f"[green]✓[/] {node}" + (f" [dim]({gates})[/]" if gates else ""))
        following = NODE_ORDER.index(node) + 1 if node in NODE_ORDER else len(NODE_ORDER)
        if self._status is not None and following < len(NODE_ORDER):
            self._status.update(f"{NODE_ORDER[following]} …")


def print_summary(report: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    status = report["status"]
    console.print(
        f"[bold {STATUS_STYLE.get(status, 'white')}]{status.upper()}[/] {report['request']}"
    )
    if report.get("refusal"):
        console.print(f"refused: {report['refusal']}")
    if report.get("error"):
        console.print(f"error in {report.get('failed_step')}: {report['error']}")
    if report["gates"]:
        table = Table(show_header=True, header_style="bold")
        for col in ("gate", "status", "findings", "engine / note"):
            table.add_column(col)
        for name, gate in report["gates"].items():
            note = gate.get("engine", "")
            if gate.get("reason"):
                note = f"{note} — {gate['reason']}" if note else gate["reason"]
            table.add_row(
                name,
                f"[{STATUS_STYLE.get(gate['status'], 'white')}]{gate['status']}[/]",
                str(len(gate.get("findings", []))),
                note,
            )
        console.print(table)
    cost = report.get("cost") or {}
    if cost:
        console.print(f"cost: ${cost.get('monthly_usd', 0):,.2f}/month ({cost.get('source', '')})")
    for d in report.get("deviations", []):  # a detail asked for and not built is never silent
        built = f", built {d['built']}" if d.get("built") else ""
        console.print(f"[yellow]not built as asked:[/] {d['asked']}{built} ({d['why']})")
    for line in report.get("fallbacks", []):
        console.print(f"[yellow]fell back:[/] {line}")
    usage = report["usage"]
    console.print(
        f"tokens: {usage['total_tokens']} (cache hits {usage['cache_hits']}) · attempts: {report['attempts']}"
    )
    if report.get("output_dir") and status != "refused" and report.get("written", True):
        console.print(f"written to {report['output_dir']} (REPORT.md, report.json)")
