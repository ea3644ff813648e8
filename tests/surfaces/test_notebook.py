"""examples/quickstart.ipynb executes offline in a real kernel and shows what it promises."""

from __future__ import annotations

from pathlib import Path

import nbclient
import nbformat
import pytest

from infragen.state import NODE_ORDER

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "quickstart.ipynb"
NODES = list(NODE_ORDER)


def cell_text(cell) -> str:
    """Everything a cell printed (stream outputs arrive in pieces)."""
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(c.get("outputs", []) == [] for c in nb.cells if c.cell_type == "code"), (
        "commit the notebook without outputs: the test is what runs it"
    )
    # the kernel inherits this process's environment: the isolated state dir, no API keys
    # after generate() has run Checkov in the kernel: one print must still be one output
    nb.cells.append(
        nbformat.v4.new_code_cell('print("a", "b", "c")', metadata={"tags": ["one-print"]})
    )
    client = nbclient.NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path_factory.mktemp("nb"))}},
    )
    client.execute()
    return {
        tag: cell
        for cell in nb.cells
        if cell.cell_type == "code"
        for tag in cell.metadata.get("tags", [])
    }


def test_notebook_is_valid_and_needs_no_key():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    source = "\n".join(c.source for c in nb.cells)
    assert "offline=True" in source and "API_KEY =" not in source


def test_result_renders_as_a_markdown_report(executed):
    outputs = [o for o in executed["generate"].outputs if o.output_type == "execute_result"]
    assert len(outputs) == 1
    markdown = outputs[0]["data"]["text/markdown"]
    assert markdown.startswith("# infragen report: create vpc with rds")
    assert "**Status:** passed" in markdown
    for gate in ("validate", "completeness", "security", "cost", "ansible"):
        assert f"| {gate} | ✅ passed |" in markdown
    assert "## Cost: $" in markdown


def test_inspection_cell_lists_gates_files_and_cost(executed):
    text = cell_text(executed["inspect"])
    assert "status: passed exit code: 0" in text
    for gate in ("validate", "completeness", "security", "cost", "ansible"):
        assert f"gate {gate}: passed" in text
    files = [line.split(" ", 1)[1] for line in text.splitlines() if line.startswith("file ")]
    assert "ansible/playbook.yml" in files and any(f.startswith("terraform/") for f in files)
    cost = next(line for line in text.splitlines() if line.startswith("cost: $"))
    assert float(cost.removeprefix("cost: $").removesuffix("/month")) > 0
    assert "tokens: 0" in text
    assert "written: ['REPORT.md', 'ansible', 'report.json', 'terraform']" in text


def test_stream_cell_shows_every_node_in_order_then_the_result(executed):
    lines = cell_text(executed["stream"]).splitlines()
    nodes = [line.split()[1] for line in lines if line.startswith("node ")]
    assert nodes == NODES
    assert "files" in next(line for line in lines if line.startswith("node architect"))
    assert lines[-1].startswith("streamed: passed $")


def test_async_cell_shows_a_refusal_with_its_reason(executed):
    lines = cell_text(executed["async"]).splitlines()
    assert lines[0] == "refused 2"
    assert "covered:" in lines[1]


def test_one_print_after_a_run_is_one_output(executed):
    """In-process Checkov wraps sys.stdout in colorama's StreamWrapper on import; left in place, a
    print's every fragment became an output of its own (8 for `print("a", "b", "c")`)."""
    outputs = executed["one-print"].outputs
    assert [(o.output_type, o.get("text")) for o in outputs] == [("stream", "a b c\n")]
