"""The price table prices what local module calls create, with the call's arguments as the
module's variables, and lists every call it cannot read as unpriced, with the reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infragen.tools import cost
from infragen.tools.cost_modules import MAX_DEPTH
from infragen.tools.hcl import inventory_from_dir

REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "real-terraform"

DB_MODULE = """
variable "instance_class" {
  default = "db.t3.micro"
}
variable "storage" {
  default = 20
}
resource "aws_db_instance" "main" {
  engine            = "postgres"
  instance_class    = var.instance_class
  allocated_storage = var.storage
  storage_type      = "gp3"
}
resource "aws_db_subnet_group" "main" {
  subnet_ids = []
}
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def estimate(root: Path, directory: Path | None = None):
    return cost.estimate_from_table(inventory_from_dir(root), directory=directory or root)


def line(result, address: str):
    found = [x for x in result.lines if x.resource == address]
    assert found, [x.resource for x in result.lines]
    return found[0]


def direct(tmp_path: Path, cls: str, storage: int = 20) -> float:
    """The same database declared at the root: what the module's line must cost."""
    text = DB_MODULE.replace("var.instance_class", f'"{cls}"').replace("var.storage", str(storage))
    root = write(tmp_path / "direct", {"main.tf": text})
    return line(estimate(root), "aws_db_instance.main").monthly_usd


def test_call_arguments_set_the_module_variables(tmp_path):
    root = write(
        tmp_path / "root",
        {
            "main.tf": 'module "db" {\n  source = "./modules/db"\n'
            "  instance_class = var.db_class\n  storage = 100\n}\n"
            'variable "db_class" {\n  default = "db.m6g.large"\n}\n',
            "modules/db/main.tf": DB_MODULE,
        },
    )
    result = estimate(root)
    db = line(result, "module.db.aws_db_instance.main")
    assert "db.m6g.large" in db.detail and "100 GB" in db.detail
    assert db.monthly_usd == pytest.approx(direct(tmp_path, "db.m6g.large", 100))
    assert line(result, "module.db.aws_db_subnet_group.main").monthly_usd == 0.0
    assert result.unpriced == []
    assert result.monthly_usd == pytest.approx(db.monthly_usd)


def test_a_variable_not_passed_takes_the_module_default(tmp_path):
    root = write(
        tmp_path / "root",
        {"main.tf": 'module "db" {\n  source = "./db"\n}\n', "db/main.tf": DB_MODULE},
    )
    db = line(estimate(root), "module.db.aws_db_instance.main")
    assert "db.t3.micro" in db.detail


def test_an_argument_the_caller_cannot_resolve_is_unknown_not_the_default(tmp_path):
    call = 'module "db" {\n  source = "./db"\n  instance_class = module.sizes.db\n}\n'
    root = write(tmp_path / "root", {"main.tf": call, "db/main.tf": DB_MODULE})
    result = estimate(root)
    db = line(result, "module.db.aws_db_instance.main")
    assert "db.t3.micro" not in db.detail
    assert "priced only" in db.detail  # the storage is still priced
    assert any(u.startswith("module.db.aws_db_instance.main") for u in result.unpriced)


@pytest.mark.parametrize(
    ("meta", "times"), [("count = 3", 3), ("for_each = { a = 1, b = 2 }", 2), ("count = 0", 0)]
)
def test_count_and_for_each_on_the_call_multiply(tmp_path, meta, times):
    call = f'module "db" {{\n  source = "./db"\n  {meta}\n  instance_class = "db.m6g.large"\n}}\n'
    root = write(tmp_path / "root", {"main.tf": call, "db/main.tf": DB_MODULE})
    db = line(estimate(root), "module.db.aws_db_instance.main")
    assert db.monthly_usd == pytest.approx(times * direct(tmp_path, "db.m6g.large"), abs=0.02)
    assert f"(x{times})" in db.detail


def test_a_computed_count_on_the_call_is_priced_once_and_said(tmp_path):
    call = 'module "db" {\n  source = "./db"\n  count = length(var.zones)\n}\n'
    root = write(tmp_path / "root", {"main.tf": call, "db/main.tf": DB_MODULE})
    result = estimate(root)
    assert line(result, "module.db.aws_db_instance.main").monthly_usd > 0
    assert any("module.db: count/for_each is computed" in a for a in result.assumptions)


def test_nested_modules_pass_values_down(tmp_path):
    app = (
        'variable "size" {}\n'
        'module "db" {\n  source = "../db"\n  count = 2\n  instance_class = var.size\n}\n'
    )
    root = write(
        tmp_path / "root",
        {
            "main.tf": 'module "app" {\n  source = "./modules/app"\n  size = "db.m6g.large"\n}\n',
            "modules/app/main.tf": app,
            "modules/db/main.tf": DB_MODULE,
        },
    )
    result = estimate(root)
    db = line(result, "module.app.module.db.aws_db_instance.main")
    assert "db.m6g.large" in db.detail
    assert db.monthly_usd == pytest.approx(2 * direct(tmp_path, "db.m6g.large"), abs=0.02)


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("terraform-aws-modules/vpc/aws", "registry module: not on disk"),
        ("app.terraform.io/acme/vpc/aws", "registry module: not on disk"),
        ("git::https://example.com/vpc.git?ref=v1", "git module: not on disk"),
        ("github.com/acme/vpc", "git module: not on disk"),
        ("https://example.com/vpc.zip", "remote module: not on disk"),
        ("/etc", "absolute module path: not read"),
        ("./missing", "local module ./missing not found"),
    ],
)
def test_modules_not_on_disk_are_one_unpriced_line_with_the_reason(tmp_path, source, reason):
    root = write(tmp_path / "root", {"main.tf": f'module "x" {{\n  source = "{source}"\n}}\n'})
    result = estimate(root)
    assert [x.resource for x in result.lines] == ["module.x"]
    assert result.lines[0].monthly_usd is None
    assert len(result.unpriced) == 1 and reason in result.unpriced[0]


def test_without_a_directory_local_modules_stay_unpriced(tmp_path):
    root = write(tmp_path / "root", {"main.tf": 'module "db" {\n  source = "./db"\n}\n'})
    result = cost.estimate_from_table(inventory_from_dir(root))
    assert len(result.unpriced) == 1 and "no directory given" in result.unpriced[0]


def test_a_module_cycle_ends_with_an_unpriced_line(tmp_path):
    root = write(
        tmp_path / "root",
        {
            "main.tf": 'module "a" {\n  source = "./a"\n}\n',
            "a/main.tf": 'module "b" {\n  source = "../b"\n}\nresource "aws_eip" "a" {}\n',
            "b/main.tf": 'module "a" {\n  source = "../a"\n}\n',
        },
    )
    result = estimate(root)
    assert line(result, "module.a.aws_eip.a").monthly_usd > 0
    assert "module cycle" in line(result, "module.a.module.b.module.a").detail
    with_call = write(tmp_path / "loop", {"main.tf": 'module "me" {\n  source = "./"\n}\n'})
    assert "module cycle" in line(estimate(with_call), "module.me").detail


def test_nesting_deeper_than_the_limit_is_unpriced(tmp_path):
    files = {"main.tf": 'module "m" {\n  source = "./m"\n}\n'}
    path = ""
    for _ in range(MAX_DEPTH + 2):
        path += "m/"
        files[f"{path}main.tf"] = 'module "m" {\n  source = "./m"\n}\nresource "aws_eip" "ip" {}\n'
    result = estimate(write(tmp_path / "root", files))
    deepest = ".".join(["module.m"] * MAX_DEPTH) + ".aws_eip.ip"
    assert line(result, deepest).monthly_usd > 0
    too_deep = ".".join(["module.m"] * (MAX_DEPTH + 1))
    assert "deeper than" in line(result, too_deep).detail


def test_a_symlink_out_of_the_tree_is_not_followed(tmp_path):
    outside = write(tmp_path / "outside", {"main.tf": DB_MODULE})
    root = write(tmp_path / "root", {"main.tf": 'module "db" {\n  source = "./db"\n}\n'})
    (root / "db").symlink_to(outside, target_is_directory=True)
    result = estimate(root)
    assert "symlink out of" in line(result, "module.db").detail
    inside = write(tmp_path / "root2", {"main.tf": 'module "db" {\n  source = "./db"\n}\n'})
    write(inside, {"modules/db/main.tf": DB_MODULE})
    (inside / "db").symlink_to(inside / "modules" / "db", target_is_directory=True)
    assert line(estimate(inside), "module.db.aws_db_instance.main").monthly_usd > 0


def test_infragen_check_prices_a_local_module(tmp_path):
    from infragen.cli import app

    call = 'module "db" {\n  source = "../modules/db"\n  instance_class = "db.m6g.large"\n}\n'
    write(tmp_path, {"live/main.tf": call, "modules/db/main.tf": DB_MODULE})
    result = CliRunner().invoke(
        app, ["check", str(tmp_path / "live"), "--only", "cost", "--format", "json"]
    )
    assert result.exit_code in (0, 1), result.output
    lines = {x["resource"]: x for x in json.loads(result.stdout)["cost"]["lines"]}
    assert "db.m6g.large" in lines["module.db.aws_db_instance.main"]["detail"]


@pytest.mark.skipif(not REAL.is_dir(), reason=f"{REAL} is absent (shared real-terraform data)")
def test_real_rds_example_prices_the_instance_inside_the_module_call():
    example = REAL / "rds" / "examples" / "complete-postgres"
    result = estimate(example)
    db = line(result, "module.db.module.db_instance.aws_db_instance.this")
    assert db.monthly_usd and db.monthly_usd > 0
    assert "db.t4g.large" in db.detail
    assert not any(u.startswith(db.resource + " ") for u in result.unpriced)
    assert any("registry module" in u for u in result.unpriced)  # its vpc module


ALIASED = """
provider "aws" {
  region = "us-east-1"
}
provider "aws" {
  alias  = "dr"
  region = "eu-west-1"
}
"""


def test_an_aliased_provider_sets_the_region_of_its_resources_and_module_calls(tmp_path):
    """A DR replica in eu-west-1 (x1.1 in the table) is not priced at us-east-1 prices, whether
    its resource names the alias or its module call passes it."""
    home = direct(tmp_path, "db.m6g.large")
    resource = DB_MODULE.replace(
        'engine            = "postgres"', 'provider = aws.dr\n  engine = "postgres"'
    )
    call = 'module "replica" {\n  source = "./db"\n  providers = { aws = aws.dr }\n  instance_class = "db.m6g.large"\n}\n'
    root = write(
        tmp_path / "root",
        {
            "main.tf": ALIASED + call,
            "db/main.tf": DB_MODULE,
            "direct.tf": resource.replace('"db.t3.micro"', '"db.m6g.large"'),
        },
    )
    result = estimate(root)
    assert line(result, "module.replica.aws_db_instance.main").monthly_usd == pytest.approx(
        home * 1.1, rel=1e-3
    )
    assert line(result, "aws_db_instance.main").monthly_usd == pytest.approx(home * 1.1, rel=1e-3)
    assert any("aliased provider in eu-west-1" in a for a in result.assumptions)
