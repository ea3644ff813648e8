"""The deterministic planner: implied dependencies, network shape, build order, expected types."""

from __future__ import annotations

from infragen.blueprints.registry import load_catalogue
from infragen.domain import ComponentSpec, Spec
from infragen.offline import parse_request, plan_spec


def plan_of(text: str):
    return plan_spec(parse_request(text))


def kinds(plan) -> list[str]:
    return [c.kind for c in plan.components]


def options(plan, kind: str) -> dict:
    return next(c.options for c in plan.components if c.kind == kind)


def expected(plan) -> dict[str, int]:
    out: dict[str, int] = {}
    for e in plan.expected:
        out[e.type] = max(out.get(e.type, 0), e.min_count)
    return out


def test_rds_implies_a_private_vpc_and_a_kms_key():
    plan = plan_of("postgres database")
    assert set(kinds(plan)) == {"kms", "vpc", "rds"}
    assert options(plan, "vpc") == {"nat": False, "public": False}
    assert {"aws_db_instance", "aws_db_subnet_group", "aws_security_group", "aws_kms_key"} <= set(
        expected(plan)
    )
    assert "aws_nat_gateway" not in expected(plan)


def test_an_explicit_vpc_is_the_full_public_private_layout():
    plan = plan_of("create vpc with rds")
    assert options(plan, "vpc") == {"nat": True, "public": True}
    assert {"aws_internet_gateway", "aws_nat_gateway", "aws_eip"} <= set(expected(plan))
    assert expected(plan)["aws_subnet"] == 2


def test_private_network_request_keeps_the_vpc_private():
    plan = plan_of("I need a postgres database in a private network")
    assert options(plan, "vpc")["nat"] is False


def test_ec2_implies_network_role_profile_and_bastion():
    plan = plan_of("3 ec2 instances across 3 AZs")
    assert {"vpc", "kms", "instance_profile", "bastion", "ec2"} == set(kinds(plan))
    assert options(plan, "vpc")["nat"] is True
    assert expected(plan)["aws_instance"] == 3
    assert expected(plan)["aws_subnet"] == 3
    assert "aws_iam_instance_profile" in expected(plan)


def test_a_load_balancer_alone_gets_an_auto_scaling_group_and_a_log_bucket():
    plan = plan_of("application load balancer")
    assert {"asg", "log_bucket", "alb"} <= set(kinds(plan))
    assert options(plan, "alb")["target"] == "asg"
    assert options(plan, "asg")["behind_alb"] is True
    assert any("alb needs targets" in n for n in plan.notes)


def test_alb_in_front_of_ec2_targets_the_instances():
    plan = plan_of("web server with nginx behind a load balancer")
    assert options(plan, "alb")["target"] == "ec2"
    assert options(plan, "ec2")["behind_alb"] is True


def test_lambda_is_wired_to_a_queue_only_when_there_is_one():
    with_queue = plan_of("queue with a dead letter queue and a lambda consumer")
    assert options(with_queue, "lambda")["sqs_trigger"] is True
    assert "aws_lambda_event_source_mapping" in expected(with_queue)
    alone = plan_of("lambda function")
    assert options(alone, "lambda")["sqs_trigger"] is False
    assert "aws_lambda_event_source_mapping" not in expected(alone)


def test_alarms_imply_a_topic():
    assert "sns" in kinds(plan_of("cloudwatch alarms"))


def test_foundations_come_before_the_components_that_use_them():
    plan = plan_of("2 web servers behind a load balancer with a mysql database and redis")
    order = kinds(plan)
    assert order[:2] == ["kms", "vpc"]
    cat = load_catalogue()
    for position, kind in enumerate(order):
        for implied in cat.get(kind).implies:
            assert order.index(implied) < position, (implied, kind)


def test_every_implied_kind_is_present():
    cat = load_catalogue()
    for kind in cat.components:
        plan = plan_spec(Spec(request=kind, components=[ComponentSpec(kind=kind)]))
        present = set(kinds(plan))
        for c in plan.components:
            assert set(cat.get(c.kind).implies) <= present


def test_unknown_kinds_are_left_out_with_a_note():
    plan = plan_spec(Spec(request="x", components=[ComponentSpec(kind="eks")]))
    assert plan.components == [] and plan.expected == []
    assert plan.notes == ["eks is not in the catalogue: left out."]


def test_planning_does_not_change_the_spec():
    spec = parse_request("postgres database")
    before = spec.model_copy(deep=True)
    plan_spec(spec)
    assert spec == before


def test_a_model_written_engine_option_for_a_single_engine_component_is_dropped_not_a_crash():
    spec = Spec(
        request="redis",
        components=[ComponentSpec(kind="elasticache", count=1, options={"engine": "redis"})],
    )
    cache = next(c for c in plan_spec(spec).components if c.kind == "elasticache")
    assert "engine" not in cache.options
