"""The model path against answers shaped as real models write them, through the real CLI and the
real OpenAI/Groq clients at a loopback chat-completions server (issue 18)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fake_chat_server import counted, fail
from typer.testing import CliRunner

from infragen.cli import app

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "iac-eval"
PROMPT = (
    "Create an API Gateway REST API named orders-api with a GET /orders method backed by a "
    "mock integration"
)
# Written as models write it: prose, an unnamed ```hcl fence, more prose.
ANSWER = """Here is the Terraform configuration:

```hcl
provider "aws" {
  region = "us-east-1"
}

resource "aws_api_gateway_rest_api" "api" {
  name = "orders-api"
}

resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "orders"
}

resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "mock" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.orders.id
  http_method = aws_api_gateway_method.get.http_method
  type        = "MOCK"
}
```

This creates the API, the /orders resource, its GET method and a mock integration.
"""


@pytest.fixture
def run(server, monkeypatch, tmp_path):
    """`infragen generate ... --format json` through the real CLI; returns (exit, report, stderr)."""
    monkeypatch.setenv("OPENAI_BASE_URL", f"{server.url}/v1")
    monkeypatch.setenv("INFRAGEN_ASK", "false")

    def invoke(request: str, *args: str) -> tuple[int, dict, str]:
        out = tmp_path / f"out-{len(list(tmp_path.iterdir()))}"
        result = CliRunner().invoke(
            app, ["generate", request, "--format", "json", "--no-cache", "-o", str(out), *args]
        )
        assert not result.exception or isinstance(result.exception, SystemExit), result.output
        return result.exit_code, json.loads(result.stdout), result.stderr

    return invoke


def architect_prompts(server, model: str) -> list[str]:
    return [c.body["messages"][-1]["content"] for c in server.calls if c.model == model]


def test_an_out_of_catalogue_request_goes_to_the_pinned_model(server, run):
    """Not refused for lack of a blueprint: the model writes it, from a prompt that carries the
    request itself, and every token the server counted is in the report."""
    server.scripts = {"m": [counted(ANSWER)]}
    code, report, stderr = run(PROMPT, "--model", "architect=openai:m", "--max-retries", "1")
    assert report["status"] != "refused", report.get("refusal")
    assert code in (0, 1), stderr
    assert report["models"]["architect"] == "openai:m"
    assert "terraform/main.tf" in report["files"]
    [prompt] = architect_prompts(server, "m")
    assert f"<request>\n{PROMPT}\n</request>" in prompt
    assert report["gates"]["validate"]["status"] == "passed", report["gates"]["validate"]
    assert report["usage"]["total_tokens"] == server.tokens_served["m"] > 0


def test_an_answer_cut_at_max_tokens_is_a_failed_attempt_with_feedback(server, run, monkeypatch):
    monkeypatch.setenv("INFRAGEN_MAX_TOKENS_ARCHITECT", "120")
    # the first answer is longer than 120 tokens: the server cuts it, finish_reason "length"
    short = ANSWER.split('resource "aws_api_gateway_method"')[0] + "```\n"
    server.scripts = {"m": [counted(ANSWER), counted(short)]}
    code, report, _ = run(PROMPT, "--model", "architect=openai:m", "--max-retries", "2")
    first = report["attempt_log"][0]
    assert first["gates"]["validate"] == "failed" and first["model"] == "openai:m"
    retry = architect_prompts(server, "m")[1]
    assert "your answer was cut at 120 tokens" in retry
    assert report["attempts"] == 2 and len(report["attempt_log"]) == 2
    assert report["usage"]["total_tokens"] == server.tokens_served["m"]


@pytest.mark.parametrize("answer", ["", "I cannot help with that request."])
def test_an_answer_without_code_is_a_failed_attempt_not_a_crash(server, run, answer):
    server.scripts = {"m": [counted(answer) if answer else counted(" "), counted(ANSWER)]}
    code, report, stderr = run(PROMPT, "--model", "architect=openai:m", "--max-retries", "2")
    assert code in (0, 1) and report["status"] in ("passed", "failed"), stderr
    rules = {f["rule_id"] for f in json.loads(json.dumps(report))["gates"]["validate"]["findings"]}
    assert report["attempt_log"][0]["gates"] == {"validate": "failed"}
    assert not rules & {"answer-empty", "answer-no-code"}  # the second answer was usable
    said = "no Terraform found" if answer else "your answer was empty"
    assert said in architect_prompts(server, "m")[1]


def test_malformed_json_is_repaired_then_the_next_model_then_the_parser(server, run, monkeypatch):
    monkeypatch.setenv("INFRAGEN_CATALOGUE_FIRST", "false")
    server.scripts = {
        # the clarifier never answers usable JSON: repair, then the chain moves on to offline
        "talky": [counted("Sure! {name: alerts, components: [sns]"), counted("Here you go: sns")],
        # the planner's first answer is cut JSON, its repair is good
        "planner-m": [
            counted('{"components": [{"kind": "sns", "count": 1'),
            counted(
                '{"components": [{"kind": "sns", "count": 1, "options": {}}], '
                '"expected": [{"component": "sns", "type": "aws_sns_topic"}]}'
            ),
        ],  # fmt: skip
    }
    code, report, stderr = run(
        "sns topic for alerts",
        "--model", "clarifier=openai:talky", "--model", "planner=openai:planner-m",
        "--max-retries", "1",
    )  # fmt: skip
    assert code in (0, 1), stderr
    assert report["status"] in ("passed", "failed")
    assert report["usage"]["by_node"]["clarifier"] == server.tokens_served["talky"] > 0
    assert report["usage"]["by_node"]["planner"] == server.tokens_served["planner-m"] > 0
    # the chain's next model after the excluded one is the offline engine: it read the request
    assert report["models"]["clarifier"] == "offline:blueprints"
    assert any("openai:talky" in f and "unusable answer" in f for f in report["fallbacks"])
    repair = [c.body["messages"] for c in server.calls if c.model == "planner-m"][1]
    assert repair[-2]["role"] == "assistant" and "could not be used" in repair[-1]["content"]


def test_a_rejected_key_is_a_configuration_error_not_an_offline_pass(server, run, monkeypatch):
    monkeypatch.setenv("GROQ_API_KEY", "gsk_" + "x" * 40)
    monkeypatch.setenv("GROQ_BASE_URL", server.url)
    server.responder = lambda call: fail(401, "invalid_api_key", "Invalid API Key")
    code, report, stderr = run("create vpc with rds")
    assert code == 3, stderr
    assert report["status"] == "error" and report["exit_code"] == 3
    assert report["error_class"] == "BackendAuthError" and "GROQ_API_KEY" in report["error"]
    assert "x" * 40 not in json.dumps(report) + stderr
    assert "MODEL_ON_AUTH_ERROR=fallback" in stderr

    monkeypatch.setenv("MODEL_ON_AUTH_ERROR", "fallback")
    code, report, _ = run("create vpc with rds")
    assert code == 0 and report["status"] == "passed"
    assert any("401" in f for f in report["fallbacks"])


@pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data/iac-eval is not beside the clone")
def test_every_recorded_real_answer_yields_code_or_says_it_was_cut():
    from infragen.files import extract_files

    rows = [json.loads(line) for line in (DATA / "labelled_outputs_dev.jsonl").open()]
    extractions = [extract_files(r["llm_output"]) for r in rows]
    assert len(rows) == 3024
    assert all(e.files or e.cut for e in extractions)
    assert sum(bool(e.files) for e in extractions) >= 2900


def test_an_in_scope_request_the_parser_cannot_read_goes_to_the_model(server, run):
    """Nothing the catalogue names, but an infrastructure request: written by the model, not
    refused as 'not an infrastructure request'."""
    server.scripts = {"m": [counted(ANSWER.replace("orders-api", "kids-api"))]}
    code, report, stderr = run(
        "create an aws_api_gateway_rest_api resource for kids",
        "--model", "architect=openai:m", "--max-retries", "1",
    )  # fmt: skip
    assert report["status"] != "refused", report.get("refusal")
    assert report["models"]["architect"] == "openai:m"


def test_without_a_model_the_same_request_is_refused_with_the_fix(run):
    code, report, stderr = run("create an aws_api_gateway_rest_api resource for kids", "--offline")
    assert code == 2 and report["status"] == "refused"
    assert "GROQ_API_KEY" in report["refusal"] or "catalogue" in report["refusal"]


DETAILED = "create a vpc with an rds postgres database, performance insights kept 31 days"


def edit_database(call) -> object:
    """A model applying the detail: the database file it was shown, with the retention changed."""
    prompt = call.body["messages"][-1]["content"]
    shown = re.search(r"<<<FILE terraform/database\.tf>>>\n(.*?)<<<END>>>", prompt, re.S)
    if not shown:
        return None
    text = shown.group(1).replace(
        "performance_insights_retention_period = 7", "performance_insights_retention_period = 31"
    )
    return counted(f"Updated the retention:\n\n<<<FILE terraform/database.tf>>>\n{text}<<<END>>>\n")


def test_a_detail_the_parser_cannot_read_is_applied_by_the_model_to_the_catalogue(
    server, run, tmp_path
):
    """The catalogue writes the project (0 tokens), then the model gets only the file the detail
    concerns; its edit ships, and the report says no gate checked it against the detail."""
    server.responder = edit_database
    code, report, stderr = run(DETAILED, "--model", "architect=openai:m", "--max-retries", "2")
    assert code == 0 and report["status"] == "passed", stderr
    first, second = report["attempt_log"]
    assert first["model"].startswith("offline:") and second["model"] == "openai:m"
    assert report["shipped_attempt"] == 2
    [prompt] = architect_prompts(server, "m")
    assert "- performance insights kept 31 days" in prompt
    assert "<<<FILE terraform/network.tf>>>" not in prompt  # other files travel as an index
    database = (Path(report["output_dir"]) / "terraform" / "database.tf").read_text()
    assert "performance_insights_retention_period = 31" in database
    [deviation] = [d for d in report["deviations"] if "31 days" in d["asked"]]
    assert "openai:m" in deviation["built"] and "no gate checks" in deviation["why"]
    assert report["usage"]["total_tokens"] == server.tokens_served["m"] > 0


def test_when_the_models_edit_fails_the_gates_the_catalogue_ships_and_says_so(server, run):
    server.responder = lambda call: counted(
        '<<<FILE terraform/database.tf>>>\nresource "x" {\n<<<END>>>'
    )
    code, report, _ = run(DETAILED, "--model", "architect=openai:m", "--max-retries", "2")
    assert code == 0 and report["shipped_attempt"] == 1, report["attempt_log"]
    [deviation] = [d for d in report["deviations"] if "31 days" in d["asked"]]
    assert deviation["built"] == "" and "failed the gates" in deviation["why"]


def test_offline_the_same_detail_is_declared_not_built(run):
    code, report, _ = run(DETAILED, "--offline")
    assert code == 0 and report["attempts"] == 1
    [deviation] = [d for d in report["deviations"] if "31 days" in d["asked"]]
    assert deviation["why"] == "not understood by the offline parser"
