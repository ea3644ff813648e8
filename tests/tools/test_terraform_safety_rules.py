from infragen.tools.hcl import inventory_from_dir, inventory_from_texts
from infragen.tools.terraform_safety import unsafe_constructs, unsafe_constructs_in_dir


def test_unsafe_fixture_lists_each_construct_with_location(fixtures):
    findings = unsafe_constructs(inventory_from_dir(fixtures / "tf_unsafe"))
    by_rule = {(f.rule_id, f.resource) for f in findings}
    assert ("exec-provisioner", "null_resource.run") in by_rule
    assert ("external-data", "data.external.probe") in by_rule
    assert ("provider-not-allowed", "data.http.leak") in by_rule
    assert ("remote-module", "module.remote") in by_rule
    assert all(f.severity == "error" and "--allow-exec" in f.message for f in findings)
    assert next(f for f in findings if f.rule_id == "external-data").line == 7


def test_allow_listed_config_is_clean(fixtures):
    assert unsafe_constructs(inventory_from_dir(fixtures / "tf_project20")) == []
    assert unsafe_constructs(inventory_from_dir(fixtures / "tf_valid")) == []


def test_foreign_provider_sources_are_refused():
    inv = inventory_from_texts(
        {
            "main.tf": """
terraform {
  required_providers {
    aws = { source = "evil/aws" }
    random = { source = "hashicorp/random" }
  }
}
provider "google" {}
"""
        }
    )
    refused = {f.resource for f in unsafe_constructs(inv)}
    assert refused == {"aws", "google"}


def test_several_provisioners_and_local_modules_are_followed(tmp_path):
    (tmp_path / "modules" / "inner").mkdir(parents=True)
    (tmp_path / "main.tf").write_text('module "inner" {\n  source = "./modules/inner"\n}\n')
    (tmp_path / "modules" / "inner" / "main.tf").write_text(
        'resource "terraform_data" "x" {\n'
        '  provisioner "local-exec" {\n    command = "a"\n  }\n'
        '  provisioner "remote-exec" {\n    inline = ["b"]\n  }\n}\n'
    )
    findings = unsafe_constructs_in_dir(tmp_path)
    assert [(f.rule_id, f.file) for f in findings] == [
        ("exec-provisioner", "modules/inner/main.tf"),
        ("exec-provisioner", "modules/inner/main.tf"),
    ]
