"""Completeness (no model): every planned component is present in the parsed resource graph."""

from __future__ import annotations

import re
import time
from typing import Any

from langgraph.runtime import Runtime

from infragen.context import RunContext
from infragen.domain import Finding, GateResult, Plan
from infragen.intent.policies import Policy, policy_findings
from infragen.state import State
from infragen.tools.hcl import HclParseError, Inventory, inventory_from_texts
from infragen.workspace import subset


def missing_resources(plan: Plan, inventory: Inventory) -> list[Finding]:
    counts = inventory.summary()
    findings = []
    for item in plan.expected:
        have = counts.get(item.type, 0)
        if have < item.min_count:
            findings.append(
                Finding(
                    gate="completeness",
                    rule_id="missing-resource",
                    message=f"{item.component} needs at least {item.min_count} {item.type}, found {have}",
                    resource=item.type,
                )
            )
    return findings


# What the catalogue cannot build, by the phrase the parser records in `spec.unknown`, and the
# resource type prefixes that show a model actually wrote it.
UNCOVERED_TYPES: dict[str, tuple[str, ...]] = {
    "kubernetes": ("aws_eks_",),
    "k8s": ("aws_eks_",),
    "eks": ("aws_eks_",),
    "cloudfront": ("aws_cloudfront_",),
    "cdn": ("aws_cloudfront_",),
    "ecs": ("aws_ecs_",),
    "fargate": ("aws_ecs_",),
    "api gateway": ("aws_api_gateway_", "aws_apigatewayv2_"),
    "apigateway": ("aws_api_gateway_", "aws_apigatewayv2_"),
    "redshift": ("aws_redshift",),
    "opensearch": ("aws_opensearch_", "aws_elasticsearch_"),
    "elasticsearch": ("aws_elasticsearch_", "aws_opensearch_"),
    "kinesis": ("aws_kinesis",),
    "step functions": ("aws_sfn_",),
    "step function": ("aws_sfn_",),
    "cognito": ("aws_cognito_",),
    "efs": ("aws_efs_",),
    "documentdb": ("aws_docdb",),
    "mongodb": ("aws_docdb",),
    "glue": ("aws_glue_",),
    "athena": ("aws_athena_",),
    "emr": ("aws_emr",),
    "sagemaker": ("aws_sagemaker_",),
    "vpn": ("aws_vpn_", "aws_customer_gateway"),
    "transit gateway": ("aws_ec2_transit_gateway",),
    "memcached": ("aws_elasticache_",),
    "msk": ("aws_msk_",),
    "kafka": ("aws_msk_",),
    "elastic beanstalk": ("aws_elastic_beanstalk_",),
    "beanstalk": ("aws_elastic_beanstalk_",),
    "lightsail": ("aws_lightsail_",),
    "codebuild": ("aws_codebuild_",),
    "codepipeline": ("aws_codepipeline",),
    "codecommit": ("aws_codecommit_",),
    "codedeploy": ("aws_codedeploy_",),
    "eventbridge": ("aws_cloudwatch_event_", "aws_scheduler_", "aws_pipes_"),
    "dax": ("aws_dax_",),
    "glacier": ("aws_glacier_", "aws_s3_bucket_lifecycle_configuration"),
    "sqlserver": ("aws_db_instance",),
    "sql server": ("aws_db_instance",),
    "mssql": ("aws_db_instance",),
    "oracle": ("aws_db_instance",),
    "mariadb": ("aws_db_instance",),
    "appsync": ("aws_appsync_",),
    "amplify": ("aws_amplify_",),
    "cloudtrail": ("aws_cloudtrail",),
    "guardduty": ("aws_guardduty_",),
    "ses": ("aws_ses",),
    "iot": ("aws_iot_",),
    "neptune": ("aws_neptune_",),
    "timestream": ("aws_timestream",),
    "keyspaces": ("aws_keyspaces_",),
    "cassandra": ("aws_keyspaces_",),
    "memorydb": ("aws_memorydb_",),
    "app runner": ("aws_apprunner_",),
    "apprunner": ("aws_apprunner_",),
}


def uncovered_prefixes(phrase: str) -> tuple[str, ...]:
    """Type prefixes for an unknown phrase ("api gateway", "kinesis firehose stream"); () when
    nothing is known about it (then nothing can be checked)."""
    text = phrase.lower()
    for name in sorted(UNCOVERED_TYPES, key=len, reverse=True):
        if re.search(rf"\b{re.escape(name)}\b", text):
            return UNCOVERED_TYPES[name]
    return ()


def missing_uncovered(plan: Plan, inventory: Inventory) -> list[Finding]:
    """The parts the catalogue could not build must be in the code the model wrote: a model that
    leaves out the requested CloudFront still passes every other gate."""
    types = list(inventory.summary())
    findings = []
    for phrase in plan.spec.unknown:
        prefixes = uncovered_prefixes(phrase)
        if prefixes and not any(t.startswith(prefixes) for t in types):
            findings.append(
                Finding(
                    gate="completeness",
                    rule_id="missing-resource",
                    resource=prefixes[0],
                    message=f"the request asks for {phrase}, but no {' or '.join(p + '*' for p in prefixes)} "
                    "resource was written",
                )
            )
    return findings


def intent_findings(plan: Plan, plan_doc: dict[str, Any]) -> list[Finding]:
    """Argument and reference assertions derived from the plan, checked on the offline plan
    document (resource counts are `missing_resources`' job)."""
    from infragen.intent.assertions import assertions_for, check_assertions

    results = check_assertions(assertions_for(plan), plan_doc)
    return [
        Finding(
            gate="completeness",
            rule_id=f"intent:{r.assertion.id}",
            message=r.message,
            resource=" ".join(r.assertion.types),
        )
        for r in results
        if not r.passed and r.assertion.kind != "resource_count"
    ]


def check_completeness(
    plan: Plan, files: dict[str, str], policies: list[Policy] | None = None
) -> GateResult:
    started = time.perf_counter()
    tf = subset(files, "terraform/")
    try:
        inventory = inventory_from_texts(tf)
    except HclParseError as exc:
        return GateResult(
            name="completeness",
            status="failed",
            engine="resource-graph",
            findings=[Finding(gate="completeness", message=str(exc))],
        )
    from infragen.intent.plan_document import build_plan_document

    plan_doc = build_plan_document(tf)
    findings = (
        missing_resources(plan, inventory)
        + missing_uncovered(plan, inventory)
        + intent_findings(plan, plan_doc)
    )
    if policies:
        findings += policy_findings(policies, plan_doc, gate="completeness")
    return GateResult(
        name="completeness",
        status="failed" if findings else "passed",
        engine="resource-graph + intent"
        + (f" + {len(policies)} rego policies" if policies else ""),
        findings=findings,
        duration_s=round(time.perf_counter() - started, 3),
    )


def completeness(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    policies = [Policy.model_validate(p) for p in state.get("policies", [])]
    gate = check_completeness(Plan.model_validate(state["plan"]), state["files"], policies)
    return {"gates": {"completeness": {**gate.model_dump(), "attempt": state["attempt"]}}}
