"""The gates, listed once: their stable ids, report order, which ones send the architect back, and
which ones `infragen check` runs. The graph, the architect, the report, SARIF and `check` read
these names from here instead of keeping their own lists.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Gate:
    id: str
    title: str
    retry: bool = False  # a failure sends the architect back for another attempt
    in_check: bool = False  # `infragen check` runs it on existing code


VALIDATE = "validate"
COMPLETENESS = "completeness"
PLAN = "plan"
SECURITY = "security"
COST = "cost"
ANSIBLE = "ansible"
POLICY = "policy"

GATES: tuple[Gate, ...] = (  # in report order
    Gate(
        VALIDATE, "HCL, offline provider schema and terraform validate", retry=True, in_check=True
    ),
    Gate(COMPLETENESS, "planned resources and intent assertions", retry=True),
    # emulator or real plan errors go back to the architect; "not emulated" findings are info
    Gate(PLAN, "terraform plan", retry=True),
    Gate(SECURITY, "Checkov security checks", retry=True, in_check=True),
    Gate(COST, "monthly cost estimate against the budget", in_check=True),
    Gate(ANSIBLE, "Ansible syntax and security checks", in_check=True),
    Gate(POLICY, "Rego intent policies", in_check=True),
)
BY_ID = {g.id: g for g in GATES}
ORDER = tuple(g.id for g in GATES)
RETRY_GATES = tuple(g.id for g in GATES if g.retry)
CHECK_GATES = tuple(g.id for g in GATES if g.in_check)


def order_key(name: str) -> int:
    """Sort key for gate names: the order above, unknown names last."""
    return ORDER.index(name) if name in ORDER else len(ORDER)
