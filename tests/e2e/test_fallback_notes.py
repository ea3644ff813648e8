"""A model the run wanted but could not use is named in the report and the summary."""

from __future__ import annotations

import os
import subprocess
import sys

from infragen.api import generate


def test_pinned_model_without_a_key_is_reported_as_a_fallback(tmp_path):
    result = generate(
        "create ec2 instance with nginx",
        output_dir=tmp_path / "out",
        model_overrides={"ansible": "groq:some-model"},
    )
    [line] = [f for f in result.report["fallbacks"] if "groq:some-model" in f]
    assert "MissingKey" in line and "no API key for backend groq" in line
    assert result.report["models"]["ansible"].startswith("offline:")


def test_the_summary_says_so(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "infragen",
            "create ec2 instance with nginx",
            "--model",
            "ansible=groq:some-model",
            "-o",
            "out",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "fell back: groq:some-model" in proc.stdout
