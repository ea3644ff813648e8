"""The Ansible side of a blueprint: a playbook for the plan's hosts and a matching inventory.

The inventory's groups are the ones `outputs.tf` writes into `ansible_inventory`; before
`terraform apply` they have no hosts yet, so only the localhost play does anything.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from infragen.blueprints.render import complete, context, environment
from infragen.domain import GeneratedFile, Plan

_WEB = {
    "nginx": {
        "package": "nginx",
        "docroot": "/usr/share/nginx/html",
        "hardening_path": "/etc/nginx/conf.d/00-hardening.conf",
        "hardening_line": "server_tokens off;",
    },
    "apache": {
        "package": "httpd",
        "docroot": "/var/www/html",
        "hardening_path": "/etc/httpd/conf.d/00-hardening.conf",
        "hardening_line": "ServerTokens Prod\\nServerSignature Off",
    },
}


def host_group(plan: Plan) -> str:
    """The inventory group of the plan's EC2 hosts ('' when it has none)."""
    ec2 = next((c for c in plan.components if c.kind == "ec2"), None)
    if ec2 is None:
        return ""
    return "web" if ec2.options.get("web_server") else "app"


def inventory(plan: Plan) -> dict[str, Any]:
    """The inventory `ansible_inventory` will hold, with the hosts Terraform does not know yet left out."""
    children: dict[str, Any] = {
        "local": {
            "hosts": {
                "localhost": {
                    "ansible_connection": "local",
                    "ansible_python_interpreter": "{{ ansible_playbook_python }}",
                }
            }
        }
    }
    kinds = {c.kind for c in plan.components}
    if "bastion" in kinds:
        children["bastion"] = {"hosts": {}}
    group = host_group(plan)
    if group:
        children[group] = {"hosts": {}, "vars": {"ansible_user": "ec2-user"}}
    return {"all": {"children": children}}


_OUTPUT = re.compile(r'^output "([\w-]+)"', re.M)


def _output_names(plan: Plan) -> list[str]:
    """Outputs the localhost play checks: every output the rendered outputs.tf declares."""
    from infragen.blueprints.render import render_terraform

    outputs = next(f.content for f in render_terraform(plan) if f.path == "terraform/outputs.tf")
    return sorted(n for n in _OUTPUT.findall(outputs) if n != "ansible_inventory")


def render_ansible(plan: Plan) -> list[GeneratedFile]:
    """Render `ansible/playbook.yml` and `ansible/inventory.yml` for the plan."""
    plan = complete(plan)
    ec2 = next((c for c in plan.components if c.kind == "ec2"), None)
    web_server = ec2.options.get("web_server", "") if ec2 else ""
    ctx = context(plan) | {
        "outputs": _output_names(plan),
        "has_bastion": any(c.kind == "bastion" for c in plan.components),
        "host_group": host_group(plan),
        "web_server": web_server,
        **_WEB.get(web_server, {}),
    }
    playbook = environment().get_template("ansible/playbook.yml.j2").render(ctx)
    header = (
        "# Hosts appear after `terraform apply`; refresh this file with:\n"
        "#   terraform -chdir=terraform output -raw ansible_inventory > ansible/inventory.yml\n"
    )
    body = yaml.safe_dump(inventory(plan), sort_keys=False, default_flow_style=False)
    return [
        GeneratedFile(path="ansible/playbook.yml", content=playbook.rstrip() + "\n"),
        GeneratedFile(path="ansible/inventory.yml", content=header + body),
    ]
