"""The offline blueprint catalogue: component definitions (components.toml), one Jinja2 template per
component, and the engine that renders a `Plan` into Terraform and Ansible files."""

from infragen.blueprints.ansible import render_ansible
from infragen.blueprints.registry import catalogue
from infragen.blueprints.render import render_terraform

__all__ = ["catalogue", "render_ansible", "render_terraform"]
