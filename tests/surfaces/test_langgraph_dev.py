"""The README's `langgraph dev --config graph/langgraph.json`, run from the repository root as a
real server (its blocking-call guard on, as a user gets it), driven by the real langgraph-sdk
client: schemas published, two concurrent offline runs whose final state carries the report."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
LANGGRAPH = Path(sys.executable).with_name("langgraph")
REQUESTS = ("create vpc with rds", "create an sqs queue")
GATES = ("validate", "completeness", "security", "cost", "ansible")

pytestmark = [
    pytest.mark.skipif(not LANGGRAPH.exists(), reason="langgraph-cli[inmem] is not installed"),
    pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("langgraph-dev") / "server.log"
    env = {
        **os.environ,
        "INFRAGEN_STATE_DIR": str(tmp_path_factory.mktemp("server-state")),
        "LANGSMITH_TRACING": "false",
        "LANGGRAPH_CLI_NO_ANALYTICS": "1",
    }
    command = [str(LANGGRAPH), "dev", "--config", "graph/langgraph.json"]
    command += ["--port", str(port), "--no-browser", "--no-reload"]
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert proc.poll() is None, f"langgraph dev exited:\n{log.read_text()[-3000:]}"
            try:
                if httpx.get(f"{url}/ok", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(1)
        else:
            pytest.fail(f"langgraph dev did not answer in 180 s:\n{log.read_text()[-3000:]}")
        yield url, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_schemas_are_published(server):
    from langgraph_sdk import get_sync_client

    url, _ = server
    client = get_sync_client(url=url)
    [assistant] = client.assistants.search(graph_id="infragen")
    schemas = client.assistants.get_schemas(assistant["assistant_id"])
    assert schemas["input_schema"]["required"] == ["request"]
    assert {"request", "max_retries", "policies"} <= set(schemas["input_schema"]["properties"])
    assert "report" in schemas["output_schema"]["properties"]
    context = schemas["context_schema"]["properties"]
    assert {"offline", "fail_on", "max_monthly_cost", "skip_checks"} <= set(context)
    assert context["offline"]["type"] == "boolean"
    assert "state_dir" not in context and "allow_exec" not in context


def test_two_concurrent_offline_runs_pass_every_gate(server):
    from langgraph_sdk import get_client

    url, log = server

    async def both():
        client = get_client(url=url)
        runs = [
            client.runs.wait(None, "infragen", input={"request": text}, context={"offline": True})
            for text in REQUESTS
        ]
        return await asyncio.wait_for(asyncio.gather(*runs), timeout=400)

    finals = asyncio.run(both())
    assert "BlockingError" not in log.read_text()
    for text, final in zip(REQUESTS, finals, strict=True):
        assert "report" in final, f"{text!r} ended without a report: {str(final)[:2000]}"
        report = final["report"]
        assert report["request"] == text
        assert report["status"] == "passed", report
        statuses = {name: gate["status"] for name, gate in report["gates"].items()}
        # `terraform plan` needs cloud credentials; without them it is skipped, as on the CLI
        assert statuses.pop("plan") == "skipped", report["gates"]["plan"]
        assert statuses == dict.fromkeys(GATES, "passed")
        assert report["files"] == sorted(final["files"])
        assert any(name.startswith("terraform/") for name in report["files"])
        assert report["usage"]["total_tokens"] == 0  # offline: the catalogue, no model
        assert report["run_id"]
    assert finals[0]["report"]["run_id"] != finals[1]["report"]["run_id"]


def test_the_deployment_image_installs_this_project_without_local_state(tmp_path):
    """`langgraph dockerfile` (what `langgraph build` runs) from the same config: the image
    installs the repository root and serves the module path; .dockerignore keeps the virtual
    environment, git, secrets and server state out of the build context."""
    dockerfile = tmp_path / "Dockerfile"
    subprocess.run(
        [str(LANGGRAPH), "dockerfile", "-c", "graph/langgraph.json", str(dockerfile)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = dockerfile.read_text()
    assert '"infragen": "infragen.graph:make_graph"' in text
    # the config's dependency "..": the repository root, a build context named after its folder
    assert "# -- Adding local package .. --" in text
    assert re.search(rf"COPY --from={re.escape(ROOT.name)} \. /deps/{re.escape(ROOT.name)}\n", text)
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git/", ".venv/", ".env", ".langgraph_api/", "infragen-out/"} <= ignored
