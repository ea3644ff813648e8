import json

import jsonschema

from infragen.domain import Finding, GateResult
from infragen.tools.sarif import to_sarif


def _validator(fixtures):
    schema = json.loads((fixtures / "sarif-schema-2.1.0.json").read_text())
    return jsonschema.Draft4Validator(schema)


GATES = [
    GateResult(
        name="checkov",
        status="failed",
        engine="checkov 3",
        findings=[
            Finding(
                gate="checkov",
                rule_id="CKV_AWS_24",
                message="open ssh",
                file="main.tf",
                line=4,
                resource="aws_security_group.web",
                guideline="https://example.org/ckv",
            ),
            Finding(
                gate="checkov", rule_id="CKV_AWS_24", message="open ssh", file="other.tf", line=1
            ),
            Finding(gate="checkov", rule_id="parse-error", message="bad", file="x.tf"),
        ],
    ),
    GateResult(
        name="terraform-validate",
        status="skipped",
        reason="no providers",
        findings=[Finding(gate="terraform-validate", severity="warning", message="deprecated")],
    ),
    GateResult(name="terraform-fmt", status="passed"),
]


def test_sarif_validates_against_the_official_schema(fixtures):
    log = to_sarif(GATES)
    errors = list(_validator(fixtures).iter_errors(log))
    assert errors == []
    assert log["version"] == "2.1.0" and len(log["runs"]) == 3


def test_results_keep_rule_location_and_level(fixtures):
    run = to_sarif(GATES)["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["CKV_AWS_24", "parse-error"]
    first = run["results"][0]
    assert first["level"] == "error" and first["ruleIndex"] == 0
    location = first["locations"][0]
    assert location["physicalLocation"]["region"]["startLine"] == 4
    assert location["logicalLocations"][0]["fullyQualifiedName"] == "aws_security_group.web"
    assert (
        run["results"][2]["ruleIndex"] == 1
        and "region" not in run["results"][2]["locations"][0]["physicalLocation"]
    )


def test_report_mapping_with_extra_keys_is_accepted(fixtures):
    report = {"gates": {g.name: {**g.model_dump(), "attempt": 2} for g in GATES}}
    log = to_sarif(report)
    assert list(_validator(fixtures).iter_errors(log)) == []
    skipped = log["runs"][1]
    assert skipped["invocations"][0]["properties"]["status"] == "skipped"
    assert skipped["results"][0]["level"] == "warning"
