"""`Inventory.providers` holds the default (un-aliased) provider block, whatever the order of the
blocks; aliased blocks are kept apart under Terraform's address for them (`aws.west`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from infragen.tools import cost
from infragen.tools.hcl import inventory_from_dir, inventory_from_texts
from infragen.tools.terraform_safety import unsafe_constructs

REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "real-terraform"

DEFAULT = 'provider "aws" {\n  region = "eu-west-1"\n}\n'
ALIAS = 'provider "aws" {\n  alias  = "central"\n  region = "eu-central-1"\n}\n'


@pytest.mark.parametrize(
    "files",
    [
        {"main.tf": DEFAULT + ALIAS},
        {"main.tf": ALIAS + DEFAULT},
        {"a.tf": ALIAS, "b.tf": DEFAULT},
        {"a.tf": DEFAULT, "b.tf": ALIAS},
    ],
)
def test_the_default_provider_is_kept_and_the_alias_beside_it(files):
    inventory = inventory_from_texts(files)
    assert inventory.providers["aws"]["region"] == "eu-west-1"
    assert inventory.provider_aliases["aws.central"]["region"] == "eu-central-1"
    assert "eu-west-1" in cost.estimate_from_table(inventory).source


def test_only_aliases_leave_the_implicit_empty_default():
    inventory = inventory_from_texts({"main.tf": ALIAS})
    assert "region" not in inventory.providers["aws"]  # Terraform's empty default configuration
    assert list(inventory.provider_aliases) == ["aws.central"]
    assert "eu-central-1" not in cost.estimate_from_table(inventory).source


def test_a_provider_declared_only_with_an_alias_is_still_checked_against_the_allow_list():
    text = 'provider "http" {\n  alias = "x"\n}\n'
    found = unsafe_constructs(inventory_from_texts({"main.tf": text}))
    flagged = [f for f in found if f.rule_id == "provider-not-allowed" and f.resource == "http"]
    assert flagged and flagged[0].line == 1
    assert not unsafe_constructs(inventory_from_texts({"main.tf": ALIAS}))


@pytest.mark.skipif(not REAL.is_dir(), reason=f"{REAL} is absent (shared real-terraform data)")
def test_real_rds_example_is_priced_for_its_default_region_not_its_alias():
    example = REAL / "rds" / "examples" / "complete-postgres"  # aws and aws.region2
    result = cost.estimate_from_table(inventory_from_dir(example), directory=example)
    assert "eu-west-1" in result.source and "eu-central-1" not in result.source
