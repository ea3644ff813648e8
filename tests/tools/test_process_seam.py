import sys

import pytest

from infragen.errors import ToolError
from infragen.tools import process


def test_run_captures_output_and_exit_code(tmp_path):
    code = "import sys, os; print(os.getcwd()); print('oops', file=sys.stderr); sys.exit(3)"
    result = process.run([sys.executable, "-c", code], cwd=tmp_path, timeout=30)
    assert result.returncode == 3 and not result.ok
    assert result.stdout.strip() == str(tmp_path)
    assert result.stderr.strip() == "oops"


def test_run_uses_no_shell(tmp_path):
    result = process.run(
        [sys.executable, "-c", "import sys; print(sys.argv[1])", "$HOME; echo hi"], timeout=30
    )
    assert result.stdout.strip() == "$HOME; echo hi"


def test_env_replaces_the_environment():
    code = "import os; print(os.environ.get('ONLY_THIS'), os.environ.get('HOME'))"
    result = process.run([sys.executable, "-c", code], env={"ONLY_THIS": "x"}, timeout=30)
    assert result.stdout.split() == ["x", "None"]


def test_missing_binary_is_a_tool_error_with_hint():
    with pytest.raises(ToolError) as err:
        process.run(["definitely-not-a-binary-xyz"], timeout=5)
    assert "not found" in err.value.message and "doctor" in err.value.hint


def test_timeout_kills_and_raises():
    with pytest.raises(ToolError) as err:
        process.run([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert "timed out" in err.value.message


def test_find_binary_prefers_the_venv():
    assert process.find_binary("ansible-playbook").startswith(
        str(__import__("pathlib").Path(sys.executable).parent)
    )
